//! Rate counters.

use time::{Duration, OffsetDateTime};

use crate::ports::RateCounter;

/// Counts go up by one per hit, per key and per window, and hits racing each other are each
/// counted once.
pub async fn rate_counter(rates: &dyn RateCounter) {
    let window = Duration::seconds(10);
    let start = OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap();
    assert_eq!(rates.hit("sender:a", start, window).await.unwrap(), 1);
    assert_eq!(rates.hit("sender:a", start, window).await.unwrap(), 2);
    assert_eq!(rates.hit("sender:b", start, window).await.unwrap(), 1);
    assert_eq!(
        rates.hit("sender:a", start + window, window).await.unwrap(),
        1,
        "a new window starts from one"
    );
    let (one, two, three, four) = tokio::join!(
        rates.hit("race", start, window),
        rates.hit("race", start, window),
        rates.hit("race", start, window),
        rates.hit("race", start, window),
    );
    let mut counts = [one.unwrap(), two.unwrap(), three.unwrap(), four.unwrap()];
    counts.sort_unstable();
    assert_eq!(counts, [1, 2, 3, 4], "every racing hit counted once");

    // Turns (slow mode): one per interval, measured from the last turn taken.
    let interval = Duration::seconds(30);
    assert!(
        rates
            .claim_interval("slow:a", start, interval)
            .await
            .unwrap()
    );
    assert!(
        !rates
            .claim_interval("slow:a", start + Duration::seconds(29), interval)
            .await
            .unwrap(),
        "too soon, even across a fixed window's edge"
    );
    assert!(
        rates
            .claim_interval("slow:b", start, interval)
            .await
            .unwrap()
    );
    assert!(
        rates
            .claim_interval("slow:a", start + Duration::seconds(30), interval)
            .await
            .unwrap(),
        "a full interval later"
    );
    assert!(
        !rates
            .claim_interval("slow:a", start + Duration::seconds(45), interval)
            .await
            .unwrap(),
        "the interval runs from the last turn taken, not the first"
    );
    let later = start + Duration::seconds(120);
    let racing = tokio::join!(
        rates.claim_interval("slow:race", later, interval),
        rates.claim_interval("slow:race", later, interval),
        rates.claim_interval("slow:race", later, interval),
    );
    let taken = [racing.0.unwrap(), racing.1.unwrap(), racing.2.unwrap()];
    assert_eq!(
        taken.iter().filter(|t| **t).count(),
        1,
        "racing claims: one turn"
    );
}
