//! Behaviour every store adapter must have. The embedded store and the DynamoDB store both run
//! these against themselves, so the local stack and the cloud agree on what a write means. Also
//! the builders those suites share, and a clock tests can move.

mod blocks;
mod channels;
mod chats;
mod clips;
mod follows;
mod notifications;
mod polls;
mod presence;
mod push;
mod rates;
mod recordings;
mod reports;
mod videos;
mod webhooks;

use std::collections::BTreeMap;

use time::{Duration, OffsetDateTime};

use crate::channel::{Channel, ChatRoom, VideoChannel};
use crate::chat::{MessageCursor, StoredMessage};
use crate::error::WriteError;
use crate::handle::ChannelHandle;
use crate::ids::{ChannelId, MessageId, RecordingId, StreamId, UserId};
use crate::moderation::Ban;
use crate::playback::ViewerGrant;
use crate::ports::{ChannelRepository, ChatRepository, RecordingRepository};
use crate::profile::{Avatar, Language, Nickname, NotificationPreferences, Profile};
use crate::recording::{Recording, RecordingStatus};

pub use blocks::block_repository;
pub use channels::channel_repository;
pub use chats::chat_repository;
pub use clips::{clip, clip_repository};
pub use follows::follow_repository;
pub use notifications::{notification, notification_repository};
pub use polls::poll_repository;
pub use presence::heartbeat_presence;
pub use push::{AUTH, P256DH, push_subscription, push_subscription_repository};
pub use rates::rate_counter;
pub use recordings::recording_repository;
pub use reports::{report, report_repository};
pub use videos::{video, video_repository};
pub use webhooks::{webhook, webhook_repository};

pub(crate) fn t(minutes: i64) -> OffsetDateTime {
    // Whole microseconds: what every store keeps exactly.
    OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap() + Duration::minutes(minutes)
}

pub fn profile(user: &str) -> Profile {
    let user_id = UserId::parse(user).unwrap();
    Profile {
        avatar: Avatar::default_for(&user_id),
        user_id,
        username: format!("{user}-login"),
        nickname: Nickname::parse(&format!("{user} 님")).unwrap(),
        language: Language::Ko,
        email: Some(format!("{user}@example.com")),
        notifications: NotificationPreferences::default(),
    }
}

pub fn channel(owner: &str, handle: &str, created_minute: i64) -> Channel {
    let mut channel = Channel::new(
        &profile(owner),
        ChannelHandle::parse(handle).unwrap(),
        t(created_minute),
    );
    channel.chat_room = Some(ChatRoom {
        arn: format!("arn:aws:ivschat:us-east-1:123456789012:room/{}", channel.id),
    });
    channel.video = Some(VideoChannel {
        arn: format!("arn:aws:ivs:us-east-1:123456789012:channel/{}", channel.id),
        ingest_server: "rtmps://example.global-contribute.live-video.net:443/app/".into(),
        playback_url: "https://example.m3u8".into(),
    });
    channel
}

pub(crate) fn go_live(channel: &mut Channel, minute: i64) {
    channel.live.stream_id = Some(StreamId::parse(&format!("st-{minute}")).unwrap());
    channel.live.started_at = Some(t(minute));
    channel.live.ended_at = None;
}

/// A clock that stands still until a test moves it, for rules that depend on time (bans that
/// expire, token lifetimes, rate windows).
pub struct ManualClock(std::sync::Mutex<OffsetDateTime>);

impl ManualClock {
    pub fn at(now: OffsetDateTime) -> Self {
        Self(std::sync::Mutex::new(now))
    }

    pub fn advance(&self, by: Duration) {
        *self.0.lock().expect("clock lock") += by;
    }
}

impl crate::ports::Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().expect("clock lock")
    }
}
