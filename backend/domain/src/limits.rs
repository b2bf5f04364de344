//! Rate limits, kept through the [`RateCounter`](crate::ports::RateCounter) port so every
//! instance of the service shares them.
//!
//! A limit of `max` per `per` lets `max` events through at once and then one every `per / max`
//! (the generic cell rate algorithm: a token bucket kept as one instant per key). Fixed windows
//! let twice `max` through in a moment, `max` at the end of one window and `max` at the start of
//! the next; here a burst is followed by the steady rate, whenever it comes. A refused event
//! uses up nothing, so a client that keeps knocking gets in at the steady rate.

use time::{Duration, OffsetDateTime};

/// What came of asking for a turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Turn {
    Taken,
    /// Refused: the next turn comes this long from now.
    Refused {
        retry_after: Duration,
    },
}

/// At most `max` events at once, and `max` per `per` over time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub max: u32,
    pub per: Duration,
}

impl RateLimit {
    /// One event per `interval`, measured from the last one let through (slow mode).
    pub const fn once_per(interval: Duration) -> Self {
        Self {
            max: 1,
            per: interval,
        }
    }

    /// The time each event uses up: `per / max`.
    pub fn interval(&self) -> Duration {
        self.per / self.max.max(1)
    }

    /// How far ahead of now the events let through may have used up time: `max - 1` intervals,
    /// so that `max` go at once.
    pub fn tolerance(&self) -> Duration {
        self.per - self.interval()
    }

    /// Takes one turn of `key` in `used_until`, the instants a store keeps in memory (a taken
    /// turn replaces `key`'s; a refused one leaves it): [`Self::take`] for in-process stores.
    pub fn take_in(
        &self,
        used_until: &mut std::collections::HashMap<String, OffsetDateTime>,
        key: &str,
        now: OffsetDateTime,
    ) -> Turn {
        match self.take(used_until.get(key).copied(), now) {
            Ok(until) => {
                used_until.insert(key.to_owned(), until);
                Turn::Taken
            }
            Err(retry_after) => Turn::Refused { retry_after },
        }
    }

    /// Takes one event's turn given `used_until`, the instant up to which the events let through
    /// so far have used up time (`None`, or a past instant, for none): the new instant when the
    /// event is let through, or how long until it would be. The one rule every store applies
    /// atomically.
    pub fn take(
        &self,
        used_until: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> Result<OffsetDateTime, Duration> {
        let from = used_until.map_or(now, |until| until.max(now));
        let ahead = from - now;
        if ahead <= self.tolerance() {
            Ok(from + self.interval())
        } else {
            Err(ahead - self.tolerance())
        }
    }
}

/// What one chat sender may send in a room over ten seconds: a busy chatter is fine, a flood is
/// not. (The room's own limit, IVS's `maximumMessageRatePerSecond`, counts everyone together;
/// the sender's limits come first, so one sender cannot use up the room's.)
pub const CHAT_SENDER: RateLimit = RateLimit {
    max: 10,
    per: Duration::seconds(10),
};

/// What one chat sender may send in one second: at most half the room's own budget, so there is
/// always room left for everyone else.
pub fn chat_sender_burst(room_messages_per_second: u16) -> RateLimit {
    RateLimit {
        max: u32::from(room_messages_per_second / 2).max(1),
        per: Duration::seconds(1),
    }
}

/// Chat tokens one signed-out client may mint: a few page loads a minute.
pub const ANONYMOUS_CHAT_TOKENS: RateLimit = RateLimit {
    max: 10,
    per: Duration::minutes(1),
};

/// Presence heartbeats one signed-out client may send: a few tabs' worth (one tab sends six a
/// minute).
pub const ANONYMOUS_HEARTBEATS: RateLimit = RateLimit {
    max: 30,
    per: Duration::minutes(1),
};

/// Emote uploads one user may make: plenty for setting up a channel's set, not a way to fill a
/// bucket.
pub const EMOTE_UPLOADS: RateLimit = RateLimit {
    max: 60,
    per: Duration::hours(1),
};

/// Clips one user may make: a keen viewer's evening of highlights, not a way to flood a channel.
pub const CLIPS: RateLimit = RateLimit {
    max: 10,
    per: Duration::minutes(10),
};

/// Videos one user may start uploading: a busy day of uploads, not a way to fill a bucket with
/// unfinished ones (each also counts against the storage quota as soon as it starts).
pub const VIDEO_UPLOADS: RateLimit = RateLimit {
    max: 20,
    per: Duration::hours(1),
};

/// Raids one streamer may send: one at the end of each broadcast, and a few more for a wrong
/// first choice, not a way to flood other channels' chats with announcements.
pub const RAIDS: RateLimit = RateLimit {
    max: 5,
    per: Duration::minutes(10),
};

/// Polls one channel's owner and moderators may open together: a game night's worth of
/// questions, not a way to flood the room with announcements.
pub const POLLS: RateLimit = RateLimit {
    max: 10,
    per: Duration::minutes(10),
};

/// Markers one streamer may add: a keen streamer's busiest minute, not a way to hammer the
/// broadcast's record (which holds at most 50 anyway).
pub const MARKERS: RateLimit = RateLimit {
    max: 10,
    per: Duration::minutes(1),
};

/// Changes one streamer may make to their channel's settings (its details, About, schedule,
/// chat rules, stream key) and to their profile, all together: an afternoon of setting up or a broadcast's worth of
/// tweaks, not a loop. Several pass to IVS (UpdateChannel, UpdateRoom, new stream keys), whose
/// quotas are per AWS account, and new chat rules are told to everyone in the room: one
/// streamer's script must not use them up for everyone.
pub const CHANNEL_CHANGES: RateLimit = RateLimit {
    max: 60,
    per: Duration::minutes(10),
};

/// Exports one user may take: each reads everything of theirs, every page of it, so a few
/// an hour (a retry, a second copy), not a loop.
pub const ACCOUNT_EXPORTS: RateLimit = RateLimit {
    max: 5,
    per: Duration::hours(1),
};

/// Reports one user may file: a bad evening's worth of hate raids reported one by one, not a way
/// to bury the staff's queue.
pub const REPORTS: RateLimit = RateLimit {
    max: 20,
    per: Duration::hours(1),
};

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_000_000).unwrap() + Duration::milliseconds(ms)
    }

    /// What `limit` lets through of events at `times` (milliseconds), in order.
    fn let_through(limit: RateLimit, times: &[i64]) -> Vec<bool> {
        let mut used_until = None;
        times
            .iter()
            .map(|t| match limit.take(used_until, at(*t)) {
                Ok(until) => {
                    used_until = Some(until);
                    true
                }
                Err(_) => false,
            })
            .collect()
    }

    #[test]
    fn a_burst_of_max_then_the_steady_rate_wherever_windows_would_have_ended() {
        let ten_in_ten = RateLimit {
            max: 10,
            per: Duration::seconds(10),
        };
        assert_eq!(ten_in_ten.interval(), Duration::seconds(1));
        assert_eq!(ten_in_ten.tolerance(), Duration::seconds(9));
        // Ten at 9.9 s go; fixed windows would let ten more through at 10.0 s.
        let mut times = vec![9_900; 10];
        times.extend([10_000, 10_500, 10_900, 10_950]);
        let mut expected = vec![true; 10];
        expected.extend([false, false, true, false]);
        assert_eq!(let_through(ten_in_ten, &times), expected);
        // Knocking meanwhile costs nothing: one a second goes through however often it asks.
        let knocking: Vec<i64> = (4..40).map(|i| i * 250).collect();
        let through = let_through(ten_in_ten, &[&[0; 10][..], &knocking[..]].concat());
        assert_eq!(through.iter().filter(|t| **t).count(), 10 + 9);
        // After a quiet spell as long as the limit's period, a whole burst again.
        assert_eq!(
            let_through(ten_in_ten, &[&[0; 10][..], &[10_000; 11][..]].concat())
                .iter()
                .filter(|t| **t)
                .count(),
            20
        );
    }

    #[test]
    fn a_refusal_says_when_the_next_turn_comes() {
        let ten_in_ten = RateLimit {
            max: 10,
            per: Duration::seconds(10),
        };
        let used_until = Some(at(10_000));
        assert_eq!(
            ten_in_ten.take(used_until, at(400)),
            Err(Duration::milliseconds(600))
        );
        assert_eq!(ten_in_ten.take(used_until, at(1_000)), Ok(at(11_000)));
    }

    #[test]
    fn once_per_an_interval_counts_from_the_last_one_let_through() {
        let slow = RateLimit::once_per(Duration::seconds(30));
        assert_eq!(slow.tolerance(), Duration::ZERO);
        assert_eq!(
            let_through(slow, &[0, 29_000, 30_000, 45_000, 60_000, 60_000]),
            [true, false, true, false, true, false]
        );
    }
}
