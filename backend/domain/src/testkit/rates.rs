//! Rate limits' state.

use time::{Duration, OffsetDateTime};

use crate::limits::{RateLimit, Turn};
use crate::ports::RateCounter;

/// Turns are taken as [`RateLimit::take`] says, per key; a refused turn uses nothing up and says
/// when the next comes; turns
/// racing each other are each taken or refused once.
pub async fn rate_counter(rates: &dyn RateCounter) {
    let start = OffsetDateTime::from_unix_timestamp(1_790_000_009).unwrap();
    let four_a_second = RateLimit {
        max: 4,
        per: Duration::seconds(1),
    };
    let take = |key: &'static str, at: Duration, limit: RateLimit| async move {
        rates.take_turn(key, start + at, limit).await.unwrap() == Turn::Taken
    };
    let ms = Duration::milliseconds;
    for _ in 0..4 {
        assert!(take("sender:a", ms(0), four_a_second).await);
    }
    assert!(
        !take("sender:a", ms(0), four_a_second).await,
        "a burst of four"
    );
    assert!(take("sender:b", ms(0), four_a_second).await, "keys apart");
    // Then one a quarter of a second, whatever was refused meanwhile; a refusal says when.
    assert_eq!(
        rates
            .take_turn("sender:a", start + ms(200), four_a_second)
            .await
            .unwrap(),
        Turn::Refused {
            retry_after: ms(50)
        }
    );
    assert!(take("sender:a", ms(260), four_a_second).await);
    assert!(!take("sender:a", ms(400), four_a_second).await);
    // Where a fixed window would let four more through, the time the others used up counts.
    for _ in 0..3 {
        assert!(take("sender:a", ms(1_010), four_a_second).await);
    }
    assert!(!take("sender:a", ms(1_010), four_a_second).await);
    // After a quiet second, a whole burst.
    for _ in 0..4 {
        assert!(take("sender:a", ms(3_000), four_a_second).await);
    }
    assert!(!take("sender:a", ms(3_000), four_a_second).await);

    let racing = tokio::join!(
        take("race", ms(0), four_a_second),
        take("race", ms(0), four_a_second),
        take("race", ms(0), four_a_second),
        take("race", ms(0), four_a_second),
        take("race", ms(0), four_a_second),
        take("race", ms(0), four_a_second),
    );
    let taken = [racing.0, racing.1, racing.2, racing.3, racing.4, racing.5];
    assert_eq!(
        taken.iter().filter(|t| **t).count(),
        4,
        "racing: four turns"
    );

    // Once per interval (slow mode), measured from the last turn taken.
    let slow = RateLimit::once_per(Duration::seconds(30));
    assert!(take("slow:a", ms(0), slow).await);
    assert!(
        !take("slow:a", Duration::seconds(29), slow).await,
        "too soon, even across a fixed window's edge"
    );
    assert!(take("slow:b", ms(0), slow).await);
    assert!(
        take("slow:a", Duration::seconds(30), slow).await,
        "a full interval later"
    );
    assert!(
        !take("slow:a", Duration::seconds(45), slow).await,
        "the interval runs from the last turn taken, not the first"
    );
    let later = Duration::seconds(120);
    let racing = tokio::join!(
        take("slow:race", later, slow),
        take("slow:race", later, slow),
        take("slow:race", later, slow),
    );
    let taken = [racing.0, racing.1, racing.2];
    assert_eq!(taken.iter().filter(|t| **t).count(), 1, "racing: one turn");
}
