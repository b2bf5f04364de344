//! How often one client may make the pool send codes (to anyone's address): ten, then one a
//! minute, per client address, kept in memory (the platform's own rule for rate limits,
//! [`RateLimit::take`]). Cognito limits this per client too; without it one client could make
//! the pool mail every address it knows.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use cloumer_domain::limits::RateLimit;
use time::{Duration, OffsetDateTime};

/// Codes one client may have sent: ten at once, ten in ten minutes.
const SENDS: RateLimit = RateLimit {
    max: 10,
    per: Duration::minutes(10),
};

#[derive(Default)]
pub struct SendThrottle {
    /// client → the instant up to which its sends have used up time
    used_until: Mutex<HashMap<IpAddr, OffsetDateTime>>,
}

impl SendThrottle {
    /// Takes one send's turn for `client` at `now` (seconds since the epoch); false when it has
    /// none.
    pub fn admit(&self, client: Option<IpAddr>, now: i64) -> bool {
        let Some(client) = client else { return true };
        let Ok(now) = OffsetDateTime::from_unix_timestamp(now) else {
            return false;
        };
        let mut used_until = self.used_until.lock().expect("throttle lock");
        used_until.retain(|_, until| *until > now);
        match SENDS.take(used_until.get(&client).copied(), now) {
            Ok(until) => {
                used_until.insert(client, until);
                true
            }
            Err(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_ten_sends_then_one_a_minute_and_others_their_own() {
        let throttle = SendThrottle::default();
        let one: IpAddr = "192.0.2.1".parse().unwrap();
        let two: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..10 {
            assert!(throttle.admit(Some(one), 0));
        }
        assert!(!throttle.admit(Some(one), 1));
        assert!(throttle.admit(Some(two), 1));
        // Then one a minute: none at 59 s, one at 60 s, none at 61 s; ten minutes on, ten
        // minutes' worth less the one taken at 60 s.
        assert!(!throttle.admit(Some(one), 59));
        assert!(throttle.admit(Some(one), 60));
        assert!(!throttle.admit(Some(one), 61));
        let later = (0..20).filter(|_| throttle.admit(Some(one), 600)).count();
        assert_eq!(later, 9);
    }
}
