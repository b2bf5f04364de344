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

impl Session {
    fn idle(&self, now: OffsetDateTime) -> bool {
        now - self.last_used > IDLE_LIMIT
    }
}

/// Sessions by id, and the session each (channel, token) started. Both are looked up, never
/// scanned, on a request: a raid of players starting sessions costs each of them the same.
#[derive(Default)]
struct Table {
    by_id: HashMap<String, Session>,
    by_token: HashMap<(ChannelId, String), String>,
    /// When idle sessions were last swept out.
    swept_at: Option<OffsetDateTime>,
}

impl Table {
    fn remove(&mut self, id: &str) {
        if let Some(session) = self.by_id.remove(id) {
            self.by_token.remove(&(session.channel, session.token));
        }
    }

    /// Forgets idle sessions, every [`SWEEP_EVERY`], or every second while the table is full:
    /// a sweep walks every session, so it is not done on every request.
    fn sweep(&mut self, now: OffsetDateTime) {
        let every = if self.by_id.len() >= MAX_SESSIONS {
            Duration::seconds(1)
        } else {
            SWEEP_EVERY
        };
        if self.swept_at.is_some_and(|at| now - at < every) {
            return;
        }
        self.swept_at = Some(now);
        let by_token = &mut self.by_token;
        self.by_id.retain(|_, session| {
            let keep = !session.idle(now);
            if !keep {
                by_token.remove(&(session.channel.clone(), std::mem::take(&mut session.token)));
            }
            keep
        });
    }
}

/// How often idle sessions are swept out (they are also refused as soon as they are idle).
const SWEEP_EVERY: Duration = Duration::seconds(10);

pub struct PlaybackSessions {
    clock: Arc<dyn Clock>,
    table: Mutex<Table>,
}

/// The session table is full of sessions in use.
#[derive(Debug)]
pub struct TooManySessions;

impl PlaybackSessions {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            clock,
            table: Mutex::default(),
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
        let mut table = self.table.lock().expect("sessions lock");
        table.sweep(now);
        let key = (channel.clone(), token.to_owned());
        if let Some(id) = table.by_token.get(&key).cloned() {
            match table.by_id.get_mut(&id) {
                Some(session) if !session.idle(now) => {
                    session.last_used = now;
                    return Ok(id);
                }
                _ => table.remove(&id),
            }
        }
        if table.by_id.len() >= MAX_SESSIONS {
            return Err(TooManySessions);
        }
        // 122 random bits from the OS generator: not guessable, not derived from the token.
        let id = uuid::Uuid::new_v4().simple().to_string();
        table.by_id.insert(
            id.clone(),
            Session {
                channel: channel.clone(),
                origin,
                token: token.to_owned(),
                last_used: now,
            },
        );
        table.by_token.insert(key, id.clone());
        Ok(id)
    }

    /// The origin of a live session of `channel`, marking it used; `None` for a session that
    /// does not exist, has gone idle, or belongs to another channel.
    pub fn resume(&self, id: &str, channel: &ChannelId) -> Option<String> {
        let now = self.clock.now();
        let mut table = self.table.lock().expect("sessions lock");
        let session = table.by_id.get_mut(id)?;
        if session.idle(now) {
            table.remove(id);
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
        let again = sessions.start(&vault, "t", String::new()).unwrap();
        assert_ne!(again, id, "an idle session is not started again");
        assert_eq!(sessions.resume(&id, &vault), None);
    }

    #[test]
    fn a_full_table_refuses_new_sessions_until_some_go_idle() {
        let clock = Arc::new(ManualClock::at(OffsetDateTime::UNIX_EPOCH));
        let sessions = PlaybackSessions::new(clock.clone());
        let vault = channel("chVault1");
        let first = sessions.start(&vault, "token 0", String::new()).unwrap();
        for n in 1..MAX_SESSIONS {
            sessions
                .start(&vault, &format!("token {n}"), String::new())
                .unwrap();
        }
        assert!(sessions.start(&vault, "one more", String::new()).is_err());
        // A token with a session still gets it back.
        assert_eq!(
            sessions.start(&vault, "token 0", String::new()).unwrap(),
            first
        );
        clock.advance(Duration::seconds(30));
        assert_eq!(sessions.resume(&first, &vault).as_deref(), Some(""));
        clock.advance(Duration::seconds(31));
        // Every other session is idle now: the full table makes room.
        let newcomer = sessions.start(&vault, "one more", String::new()).unwrap();
        assert_eq!(sessions.resume(&newcomer, &vault).as_deref(), Some(""));
        assert_eq!(sessions.resume(&first, &vault).as_deref(), Some(""));
    }
}
