//! Playback sessions for private channels, as IVS keeps them: a playback token is checked once,
//! when playback starts, and what it starts is a session for the token's own channel. The player
//! then loads the session's playlist and segments; the session goes on while the player keeps
//! loading (past the token's expiry) and ends a minute after it stops.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use cloumer_domain::ids::ChannelId;
use cloumer_domain::ports::Clock;
use time::{Duration, OffsetDateTime};

/// How long a session lasts without a request. Players reload a live playlist every target
/// duration (a few seconds), so only a stopped player goes this long.
pub const IDLE_LIMIT: Duration = Duration::seconds(60);

/// Sessions at most, so a token holder starting sessions in a loop cannot exhaust memory.
/// Starting with a token that already has a live session reuses it, so this counts viewers.
const MAX_SESSIONS: usize = 100_000;

struct Session {
    channel: ChannelId,
    /// The origin the token allowed, answered as `Access-Control-Allow-Origin`.
    origin: String,
    /// The token that started it, so starting again with it finds this session.
    token: String,
    last_used: OffsetDateTime,
}

pub struct PlaybackSessions {
    clock: Arc<dyn Clock>,
    sessions: Mutex<HashMap<String, Session>>,
}

/// The session table is full of sessions in use.
#[derive(Debug)]
pub struct TooManySessions;

impl PlaybackSessions {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            clock,
            sessions: Mutex::default(),
        }
    }

    /// A session for `channel`, started by a token already checked to be valid for it.
    pub fn start(
        &self,
        channel: &ChannelId,
        token: &str,
        origin: String,
    ) -> Result<String, TooManySessions> {
        let now = self.clock.now();
        let mut sessions = self.sessions.lock().expect("sessions lock");
        sessions.retain(|_, session| now - session.last_used <= IDLE_LIMIT);
        if let Some((id, session)) = sessions
            .iter_mut()
            .find(|(_, s)| s.token == token && &s.channel == channel)
        {
            session.last_used = now;
            return Ok(id.clone());
        }
        if sessions.len() >= MAX_SESSIONS {
            return Err(TooManySessions);
        }
        // 122 random bits from the OS generator: not guessable, not derived from the token.
        let id = uuid::Uuid::new_v4().simple().to_string();
        sessions.insert(
            id.clone(),
            Session {
                channel: channel.clone(),
                origin,
                token: token.to_owned(),
                last_used: now,
            },
        );
        Ok(id)
    }

    /// The origin of a live session of `channel`, marking it used; `None` for a session that
    /// does not exist, has gone idle, or belongs to another channel.
    pub fn resume(&self, id: &str, channel: &ChannelId) -> Option<String> {
        let now = self.clock.now();
        let mut sessions = self.sessions.lock().expect("sessions lock");
        let session = sessions.get_mut(id)?;
        if now - session.last_used > IDLE_LIMIT {
            sessions.remove(id);
            return None;
        }
        if &session.channel != channel {
            return None;
        }
        session.last_used = now;
        Some(session.origin.clone())
    }
}

#[cfg(test)]
mod tests {
    use cloumer_domain::testkit::ManualClock;

    use super::*;

    fn channel(id: &str) -> ChannelId {
        ChannelId::parse(id).unwrap()
    }

    #[test]
    fn a_session_lives_while_used_and_only_for_its_channel() {
        let clock = Arc::new(ManualClock::at(OffsetDateTime::UNIX_EPOCH));
        let sessions = PlaybackSessions::new(clock.clone());
        let (vault, safe) = (channel("chVault1"), channel("chSafe01"));
        let id = sessions.start(&vault, "t", "https://site".into()).unwrap();
        assert_eq!(sessions.start(&vault, "t", String::new()).unwrap(), id);
        assert_ne!(sessions.start(&safe, "t", String::new()).unwrap(), id);
        assert_eq!(sessions.resume(&id, &safe), None);
        for _ in 0..100 {
            clock.advance(Duration::seconds(59));
            assert_eq!(
                sessions.resume(&id, &vault).as_deref(),
                Some("https://site")
            );
        }
        clock.advance(Duration::seconds(61));
        assert_eq!(sessions.resume(&id, &vault), None);
        assert_eq!(sessions.resume("nonsense", &vault), None);
    }
}
