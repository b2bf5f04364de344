//! How often one client may make the pool send codes (to anyone's address): a fixed window per
//! client address, kept in memory. Cognito limits this per client too; without it one client
//! could make the pool mail every address it knows.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// Codes one client may have sent per window.
const SENDS_PER_WINDOW: u32 = 10;
const WINDOW_SECONDS: i64 = 600;

#[derive(Default)]
pub struct SendThrottle {
    /// client → (window start, sends in it)
    windows: Mutex<HashMap<IpAddr, (i64, u32)>>,
}

impl SendThrottle {
    /// Counts one send for `client` at `now`; false when over the limit.
    pub fn admit(&self, client: Option<IpAddr>, now: i64) -> bool {
        let Some(client) = client else { return true };
        let mut windows = self.windows.lock().expect("throttle lock");
        windows.retain(|_, (start, _)| now - *start < WINDOW_SECONDS);
        let (start, count) = windows.entry(client).or_insert((now, 0));
        if now - *start >= WINDOW_SECONDS {
            *start = now;
            *count = 0;
        }
        if *count >= SENDS_PER_WINDOW {
            return false;
        }
        *count += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_ten_sends_per_ten_minutes_and_others_their_own() {
        let throttle = SendThrottle::default();
        let one: IpAddr = "192.0.2.1".parse().unwrap();
        let two: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..10 {
            assert!(throttle.admit(Some(one), 0));
        }
        assert!(!throttle.admit(Some(one), 1));
        assert!(throttle.admit(Some(two), 1));
        assert!(throttle.admit(Some(one), 600));
    }
}
