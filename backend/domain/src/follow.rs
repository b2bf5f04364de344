//! Follows: a signed-in viewer keeps a channel in their "Following" list, and the channel counts
//! its followers. The notifications that bring followers back when a stream starts build on this.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::ids::{ChannelId, UserId};
use crate::limits::RateLimit;
use crate::page::Listed;

/// The most channels one user may follow. Bounds what their "Following" list costs to read (every
/// followed id in one store query) and what a follow-spamming account can do.
pub const MAX_FOLLOWING: u32 = 2000;

/// Follows and unfollows one user may make a minute: enough to tidy a list, too few to flood a
/// streamer with follow notifications by toggling.
pub const FOLLOW_CHANGES: RateLimit = RateLimit {
    max: 30,
    per: Duration::minutes(1),
};

/// One user following one channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Follow {
    pub user_id: UserId,
    pub channel_id: ChannelId,
    #[serde(with = "time::serde::rfc3339")]
    pub followed_at: OffsetDateTime,
    /// Whether the user wants to hear when the channel goes live (the bell on the channel page).
    #[serde(default = "notify_by_default")]
    pub notify: bool,
}

fn notify_by_default() -> bool {
    true
}

/// Where a listing of follows continues: a user's followed channels and a channel's followers are
/// both newest first, so the position is the follow's time and its two ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowCursor {
    pub at: OffsetDateTime,
    pub user_id: UserId,
    pub channel_id: ChannelId,
}

impl Listed for Follow {
    type Cursor = FollowCursor;
    fn cursor(&self) -> FollowCursor {
        FollowCursor {
            at: self.followed_at,
            user_id: self.user_id.clone(),
            channel_id: self.channel_id.clone(),
        }
    }
}

/// What a follow write did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowOutcome {
    Added,
    /// The user already followed the channel: nothing changed.
    AlreadyFollowing,
    /// The user already follows as many channels as allowed: nothing changed.
    LimitReached,
}

/// A channel's followers, whether the caller is one of them, and if so whether they want to hear
/// when it goes live.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FollowStatus {
    pub followers: u64,
    pub following: bool,
    pub notify: bool,
}
