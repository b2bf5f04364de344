//! Chat tokens as IVS Chat issues them: opaque, single-use, to be redeemed within a minute of
//! minting, carrying the room, the user, their capabilities and attributes, and when the session
//! they open must end.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Mutex;

use cloumer_domain::chat::{ChatCapability, ChatTokenRequest, MAX_SESSION_MINUTES};
use cloumer_domain::ids::{UserId, random_alphanumeric};
use time::{Duration, OffsetDateTime};

/// IVS Chat tokens must be used within about a minute of minting.
pub const TOKEN_TTL: Duration = Duration::seconds(60);

/// Tokens one user may hold unused: a client redeems each as it connects, so a few cover a
/// reconnecting browser with several tabs; minting more drops that user's oldest. Without it
/// one account minting in a loop filled memory for a minute (100,000 tokens ≈ 120 MiB in
/// `cargo xtask bench api`).
pub const PENDING_PER_USER: usize = 16;

/// A minted token not used yet: what a connection redeeming it gets.
#[derive(Clone, Debug)]
pub struct PendingToken {
    pub room_arn: String,
    pub user_id: UserId,
    pub capabilities: Vec<ChatCapability>,
    pub attributes: BTreeMap<String, String>,
    pub token_expires_at: OffsetDateTime,
    pub session_expires_at: OffsetDateTime,
}

impl PendingToken {
    pub fn can(&self, capability: ChatCapability) -> bool {
        self.capabilities.contains(&capability)
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum RedeemError {
    Unknown,
    Expired,
}

/// Minted tokens not used yet, and when expired ones were last swept out.
#[derive(Default)]
pub struct Tokens {
    inner: Mutex<Pending>,
}

#[derive(Default)]
struct Pending {
    by_token: HashMap<String, PendingToken>,
    /// Each user's unused tokens, oldest first.
    by_user: HashMap<UserId, VecDeque<String>>,
    last_sweep: i64,
}

impl Pending {
    /// Every few seconds, forgets tokens nobody used: the map stays as small as the number of
    /// tokens minted in the last minute, whether or not anyone redeems any.
    fn sweep(&mut self, now: OffsetDateTime) {
        if now.unix_timestamp() - self.last_sweep >= 5 {
            self.by_token.retain(|_, t| t.token_expires_at > now);
            let by_token = &self.by_token;
            self.by_user.retain(|_, held| {
                held.retain(|token| by_token.contains_key(token));
                !held.is_empty()
            });
            self.last_sweep = now.unix_timestamp();
        }
    }

    fn insert(&mut self, token: String, pending: PendingToken) {
        let held = self.by_user.entry(pending.user_id.clone()).or_default();
        held.push_back(token.clone());
        if held.len() > PENDING_PER_USER
            && let Some(oldest) = held.pop_front()
        {
            self.by_token.remove(&oldest);
        }
        self.by_token.insert(token, pending);
    }

    fn take(&mut self, token: &str) -> Option<PendingToken> {
        let pending = self.by_token.remove(token)?;
        if let Some(held) = self.by_user.get_mut(&pending.user_id) {
            held.retain(|t| t != token);
            if held.is_empty() {
                self.by_user.remove(&pending.user_id);
            }
        }
        Some(pending)
    }
}

impl Tokens {
    /// Mints a token for `request` at `now`: (the token, what redeeming it gives).
    pub fn mint(&self, request: &ChatTokenRequest, now: OffsetDateTime) -> (String, PendingToken) {
        let minutes = request
            .session_duration_minutes
            .clamp(1, MAX_SESSION_MINUTES);
        let pending = PendingToken {
            room_arn: request.room.arn.clone(),
            user_id: request.user_id.clone(),
            capabilities: request.capabilities.clone(),
            attributes: request.attributes.clone(),
            token_expires_at: now + TOKEN_TTL,
            session_expires_at: now + Duration::minutes(i64::from(minutes)),
        };
        // A WebSocket subprotocol must be an RFC 7230 token: letters and digits are.
        let token = format!("AQICAH{}", random_alphanumeric(120));
        let mut inner = self.inner.lock().expect("tokens lock");
        inner.sweep(now);
        inner.insert(token.clone(), pending.clone());
        (token, pending)
    }

    /// Uses a token: it is removed whatever the outcome, so it can never be used twice.
    pub fn redeem(&self, token: &str, now: OffsetDateTime) -> Result<PendingToken, RedeemError> {
        let mut pending = self.inner.lock().expect("tokens lock");
        let found = pending.take(token);
        pending.sweep(now);
        match found {
            Some(token) if token.token_expires_at > now => Ok(token),
            Some(_) => Err(RedeemError::Expired),
            None => Err(RedeemError::Unknown),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cloumer_domain::channel::ChatRoom;

    fn request() -> ChatTokenRequest {
        ChatTokenRequest {
            room: ChatRoom { arn: "room".into() },
            user_id: UserId::parse("u1").unwrap(),
            capabilities: vec![ChatCapability::SendMessage],
            session_duration_minutes: 500,
            attributes: BTreeMap::new(),
        }
    }

    #[test]
    fn one_user_minting_without_end_holds_only_a_few_tokens() {
        let tokens = Tokens::default();
        let now = OffsetDateTime::from_unix_timestamp(1_000_000).unwrap();
        let minted: Vec<String> = (0..1000).map(|_| tokens.mint(&request(), now).0).collect();
        let held = tokens.inner.lock().unwrap().by_token.len();
        assert!(held <= PENDING_PER_USER, "{held} tokens held for one user");
        assert!(tokens.redeem(&minted[999], now).is_ok(), "the newest works");
        assert_eq!(
            tokens.redeem(&minted[0], now).unwrap_err(),
            RedeemError::Unknown,
            "the oldest gave way"
        );
        let mut other = request();
        other.user_id = UserId::parse("u2").unwrap();
        let (theirs, _) = tokens.mint(&other, now);
        for _ in 0..100 {
            tokens.mint(&request(), now);
        }
        assert!(
            tokens.redeem(&theirs, now).is_ok(),
            "another user's token stays"
        );
    }

    #[test]
    fn tokens_nobody_uses_are_forgotten_even_if_nobody_redeems_any() {
        let tokens = Tokens::default();
        let start = OffsetDateTime::from_unix_timestamp(1_000_000).unwrap();
        for second in 0..600 {
            for _ in 0..10 {
                tokens.mint(&request(), start + Duration::seconds(second));
            }
        }
        let held = tokens.inner.lock().unwrap().by_token.len();
        assert!(
            held <= 10 * (TOKEN_TTL.whole_seconds() as usize + 5),
            "{held} tokens held: only the last minute's should be"
        );
    }

    #[test]
    fn a_token_works_once_and_only_within_its_minute() {
        let tokens = Tokens::default();
        let now = OffsetDateTime::from_unix_timestamp(1_000_000).unwrap();
        let (token, pending) = tokens.mint(&request(), now);
        assert_eq!(
            pending.session_expires_at - now,
            Duration::minutes(i64::from(MAX_SESSION_MINUTES)),
            "sessions are capped like IVS's"
        );
        assert!(tokens.redeem(&token, now + Duration::seconds(59)).is_ok());
        assert_eq!(
            tokens.redeem(&token, now).unwrap_err(),
            RedeemError::Unknown
        );
        let (late, _) = tokens.mint(&request(), now);
        assert_eq!(
            tokens.redeem(&late, now + TOKEN_TTL).unwrap_err(),
            RedeemError::Expired
        );
    }
}
