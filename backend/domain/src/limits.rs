//! Rate limits: at most `max` events per fixed window of time, counted through the
//! [`RateCounter`](crate::ports::RateCounter) port so every instance of the service shares them.

use time::{Duration, OffsetDateTime};

/// At most `max` events per `per`, in fixed windows aligned to the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub max: u32,
    pub per: Duration,
}

impl RateLimit {
    /// The start of the window `now` falls in.
    pub fn window_start(&self, now: OffsetDateTime) -> OffsetDateTime {
        let length = self.per.whole_seconds().max(1);
        let seconds = now.unix_timestamp();
        OffsetDateTime::from_unix_timestamp(seconds - seconds.rem_euclid(length))
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_aligned_and_as_long_as_the_limit_says() {
        let limit = RateLimit {
            max: 1,
            per: Duration::seconds(10),
        };
        let at = |s| OffsetDateTime::from_unix_timestamp(s).unwrap();
        assert_eq!(limit.window_start(at(1_000_009)), at(1_000_000));
        assert_eq!(limit.window_start(at(1_000_010)), at(1_000_010));
    }
}
