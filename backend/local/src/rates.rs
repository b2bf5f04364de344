//! Rate counters in memory: the local stack is one process, so its counts need not be shared
//! further. (In the cloud they live in DynamoDB, where every Lambda instance sees them.)

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use cloumer_domain::error::PortResult;
use cloumer_domain::limits::{RateLimit, Turn};
use cloumer_domain::ports::RateCounter;
use time::OffsetDateTime;

/// Keys above which instants in the past are forgotten (they let as much through as none).
const FORGET_ABOVE: usize = 10_000;

/// key → the instant up to which its turns have used up time
#[derive(Default)]
pub struct MemoryRates {
    used_until: Mutex<HashMap<String, OffsetDateTime>>,
}

#[async_trait]
impl RateCounter for MemoryRates {
    async fn take_turn(
        &self,
        key: &str,
        now: OffsetDateTime,
        limit: RateLimit,
    ) -> PortResult<Turn> {
        let mut used_until = self.used_until.lock().expect("rates lock");
        if used_until.len() > FORGET_ABOVE {
            used_until.retain(|_, until| *until > now);
        }
        Ok(limit.take_in(&mut used_until, key, now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn memory_keeps_rates_as_dynamodb_does() {
        cloumer_domain::testkit::rate_counter(&MemoryRates::default()).await;
    }
}
