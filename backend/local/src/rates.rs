//! Rate counters in memory: the local stack is one process, so its counts need not be shared
//! further. (In the cloud they live in DynamoDB, where every Lambda instance sees them.)

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use cloumer_domain::error::PortResult;
use cloumer_domain::ports::RateCounter;
use time::{Duration, OffsetDateTime};

/// key → (window start, hits in it, when the window ends)
#[derive(Default)]
pub struct MemoryRates {
    counts: Mutex<HashMap<String, (OffsetDateTime, u32, OffsetDateTime)>>,
    /// key → its last use and when it stops mattering (the last use plus its interval)
    turns: Mutex<HashMap<String, (OffsetDateTime, OffsetDateTime)>>,
}

#[async_trait]
impl RateCounter for MemoryRates {
    async fn hit(
        &self,
        key: &str,
        window_start: OffsetDateTime,
        window: Duration,
    ) -> PortResult<u32> {
        let mut counts = self.counts.lock().expect("rates lock");
        // Forget finished windows now and then, so the map holds only current ones.
        if counts.len() > 10_000 {
            counts.retain(|_, (_, _, ends)| *ends > window_start);
        }
        let entry =
            counts
                .entry(key.to_owned())
                .or_insert((window_start, 0, window_start + window));
        if entry.0 != window_start {
            *entry = (window_start, 0, window_start + window);
        }
        entry.1 += 1;
        Ok(entry.1)
    }

    async fn claim_interval(
        &self,
        key: &str,
        now: OffsetDateTime,
        interval: Duration,
    ) -> PortResult<bool> {
        let mut turns = self.turns.lock().expect("turns lock");
        if turns.len() > 10_000 {
            turns.retain(|_, (_, matters_until)| *matters_until > now);
        }
        if let Some((last, _)) = turns.get(key)
            && *last + interval > now
        {
            return Ok(false);
        }
        turns.insert(key.to_owned(), (now, now + interval));
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn memory_counts_rates_as_dynamodb_does() {
        cloumer_domain::testkit::rate_counter(&MemoryRates::default()).await;
    }
}
