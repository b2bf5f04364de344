//! Channels: one per user, with their settings, their cloud resources and their live state.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::about::ChannelAbout;
use crate::chat_message::PinnedMessage;
use crate::chat_rules::ChatRules;
use crate::emote::Emote;
use crate::error::DomainError;
use crate::handle::ChannelHandle;
use crate::ids::{ChannelId, StreamId, UserId};
use crate::page::Listed;
use crate::poll::Poll;
use crate::profile::{Avatar, Nickname, Profile};
use crate::schedule::Schedule;
use crate::stream_language::StreamLanguage;
use crate::text;

/// What a stream is called in the directory: at most 140 characters (may be empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct StreamTitle(String);

pub const MAX_TITLE_CHARS: usize = 140;

impl StreamTitle {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        text::clean(input, "invalid_title", "a title", 0, MAX_TITLE_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Reading a stored value never fails: one an older version accepted loses what is now refused.
impl From<String> for StreamTitle {
    fn from(stored: String) -> Self {
        Self::parse(&stored).unwrap_or_else(|_| Self(text::salvage(&stored, MAX_TITLE_CHARS)))
    }
}

impl From<StreamTitle> for String {
    fn from(value: StreamTitle) -> Self {
        value.0
    }
}

/// What is being streamed ("Just Chatting", "Music", a game): at most 40 characters, may be empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct Category(String);

pub const MAX_CATEGORY_CHARS: usize = 40;

/// The categories the dashboard offers and the directory filters by, in the order they are shown.
/// A streamer may still type another: the list is what most streams are, not all of them.
pub const CURATED_CATEGORIES: &[&str] = &[
    "Just Chatting",
    "Games",
    "Music",
    "Art",
    "Science & Technology",
    "Software Development",
    "Education",
    "Sports",
    "Fitness & Health",
    "Food & Drink",
    "Travel & Outdoors",
    "Talk Shows & Podcasts",
];

impl Category {
    /// A curated name typed in another letter case is stored as the list spells it, so one
    /// category is not split in two by how people type it ("music" is "Music").
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let cleaned = text::clean(
            input,
            "invalid_category",
            "a category",
            0,
            MAX_CATEGORY_CHARS,
        )?;
        Ok(Self(
            CURATED_CATEGORIES
                .iter()
                .find(|curated| curated.to_lowercase() == cleaned.to_lowercase())
                .map_or(cleaned, |curated| (*curated).to_owned()),
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether this is `other`, whatever the letter case.
    pub fn is(&self, other: &Category) -> bool {
        self.0.to_lowercase() == other.0.to_lowercase()
    }
}

/// Reading a stored value never fails: one an older version accepted loses what is now refused.
impl From<String> for Category {
    fn from(stored: String) -> Self {
        Self::parse(&stored).unwrap_or_else(|_| Self(text::salvage(&stored, MAX_CATEGORY_CHARS)))
    }
}

impl From<Category> for String {
    fn from(value: Category) -> Self {
        value.0
    }
}

/// IVS latency mode: LOW (under ~5 s glass to glass) or NORMAL (~10 s, more robust).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum LatencyMode {
    #[default]
    Low,
    Normal,
}

/// IVS channel type: STANDARD transcodes the stream into a ladder of qualities viewers (or their
/// player) choose from; BASIC passes the source through as the only quality, cheaper to run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ChannelType {
    /// IVS's own default, and ours.
    #[default]
    Standard,
    Basic,
}

/// Whose raids a channel takes (see [`crate::use_cases::raids`]): a streamer who has been
/// raided to be harassed turns them off, or keeps them to the channels they follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RaidPolicy {
    #[default]
    Everyone,
    /// Only from channels the streamer follows.
    Followed,
    Nobody,
}

/// The channel's video resource (an IVS channel in the cloud, the local ingest locally).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoChannel {
    /// The service's reference: the IVS channel ARN, or the channel id locally.
    pub arn: String,
    /// Where encoders push, e.g. `rtmps://abc.global-contribute.live-video.net:443/app/`.
    pub ingest_server: String,
    /// The HLS playlist viewers load.
    pub playback_url: String,
}

/// The channel's chat room (an IVS Chat room in the cloud, a room of the local chat server locally).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatRoom {
    /// The IVS Chat room ARN, or the room id locally.
    pub arn: String,
}

/// The latest broadcast as far as stream events tell (see [`crate::live`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveState {
    pub stream_id: Option<StreamId>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub started_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub ended_at: Option<OffsetDateTime>,
    /// A recent frame of the live stream, refreshed while live.
    pub thumbnail_url: Option<String>,
}

impl LiveState {
    pub fn is_live(&self) -> bool {
        self.stream_id.is_some() && self.started_at.is_some() && self.ended_at.is_none()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    pub id: ChannelId,
    pub owner: UserId,
    pub handle: ChannelHandle,
    /// The owner's nickname and avatar, copied here so listings need no profile lookups.
    pub owner_nickname: Nickname,
    pub owner_avatar: Avatar,
    pub title: StreamTitle,
    pub category: Category,
    pub latency: LatencyMode,
    /// Channels stored before the setting existed were created STANDARD, IVS's default.
    #[serde(default)]
    pub channel_type: ChannelType,
    /// Playback needs a token the API mints for allowed viewers (IVS `authorized`).
    pub private: bool,
    /// Every broadcast is recorded as a past broadcast.
    pub recording: bool,
    /// Its streams are for adults: viewers are warned before anything plays. Channels stored
    /// before the setting existed are not.
    #[serde(default)]
    pub mature: bool,
    /// The language it streams in, once its streamer chose one.
    #[serde(default)]
    pub language: Option<StreamLanguage>,
    pub chat_rules: ChatRules,
    /// Users the owner appointed to run the chat with them (at most [`MAX_MODERATORS`]).
    #[serde(default)]
    pub moderators: Vec<UserId>,
    /// The chat's custom emotes (at most [`MAX_EMOTES`]), in the order they were added.
    ///
    /// [`MAX_EMOTES`]: crate::emote::MAX_EMOTES
    #[serde(default)]
    pub emotes: Vec<Emote>,
    /// Whose raids it takes; channels stored before raids existed take everyone's.
    #[serde(default)]
    pub raids: RaidPolicy,
    /// The message pinned above the chat, if any; channels stored before pins existed have none.
    #[serde(default)]
    pub pinned_message: Option<PinnedMessage>,
    /// The chat's latest poll, open or ended; channels stored before polls existed have none.
    #[serde(default)]
    pub poll: Option<Poll>,
    /// When the streamer means to go live each week; channels stored before schedules have none.
    #[serde(default)]
    pub schedule: Option<Schedule>,
    /// Its bio and links; channels stored before they existed have none.
    #[serde(default)]
    pub about: Option<ChannelAbout>,
    /// Shield mode, while it is raised on the chat; channels stored before it existed have none.
    #[serde(default)]
    pub shield: Option<Shield>,
    /// Staff took it off the platform for breaking the rules: no broadcasts, no chat, nothing of
    /// it shown, until they lift it. Channels stored before suspensions existed have none.
    #[serde(default)]
    pub suspension: Option<Suspension>,
    /// `None` until the video service created it.
    pub video: Option<VideoChannel>,
    /// `None` until the chat service created it.
    pub chat_room: Option<ChatRoom>,
    pub live: LiveState,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Optimistic concurrency: every update must name the version it read.
    pub version: u64,
}

impl Channel {
    pub fn new(owner: &Profile, handle: ChannelHandle, now: OffsetDateTime) -> Self {
        Self {
            id: ChannelId::generate(),
            owner: owner.user_id.clone(),
            handle,
            owner_nickname: owner.nickname.clone(),
            owner_avatar: owner.avatar.clone(),
            title: StreamTitle::default(),
            category: Category::default(),
            latency: LatencyMode::Low,
            channel_type: ChannelType::Standard,
            private: false,
            recording: true,
            mature: false,
            language: None,
            chat_rules: ChatRules::default(),
            moderators: Vec::new(),
            emotes: Vec::new(),
            raids: RaidPolicy::Everyone,
            pinned_message: None,
            poll: None,
            schedule: None,
            about: None,
            shield: None,
            suspension: None,
            video: None,
            chat_room: None,
            live: LiveState::default(),
            created_at: now,
            version: 0,
        }
    }

    pub fn is_live(&self) -> bool {
        self.live.is_live()
    }

    /// When the channel last did something worth listing it for: its latest broadcast start,
    /// or its creation. Offline channels are listed most recent first by this.
    pub fn activity_at(&self) -> OffsetDateTime {
        self.live.started_at.unwrap_or(self.created_at)
    }

    /// Its suspension while in force at `now` (one that ran out is kept, but no longer counts).
    pub fn suspension_at(&self, now: OffsetDateTime) -> Option<&Suspension> {
        self.suspension
            .as_ref()
            .filter(|suspension| suspension.in_force(now))
    }

    /// The channel as it stands at `now`: without a suspension that has run out (what its
    /// page and dashboard show).
    pub fn as_of(mut self, now: OffsetDateTime) -> Self {
        if !self.is_suspended(now) {
            self.suspension = None;
        }
        self
    }

    pub fn is_suspended(&self, now: OffsetDateTime) -> bool {
        self.suspension_at(now).is_some()
    }

    /// Suspended, and `who` is not its owner: nothing of it is shown to them (its owner still
    /// sees their own past broadcasts, clips and videos).
    pub fn is_withheld_from(&self, who: Option<&UserId>, now: OffsetDateTime) -> bool {
        self.is_suspended(now) && !who.is_some_and(|user| self.is_owned_by(user))
    }

    pub fn is_owned_by(&self, user: &UserId) -> bool {
        &self.owner == user
    }

    pub fn is_moderated_by(&self, user: &UserId) -> bool {
        self.moderators.contains(user)
    }
}

/// Shield mode raised on a channel's chat ([`ChatRules::shielded`]): the rules to return to when
/// it is lowered, and who raised it when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shield {
    pub rules_before: ChatRules,
    pub raised_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub raised_at: OffsetDateTime,
}

/// A channel's suspension: since when, until when (or until staff lift it), by which member of
/// staff, why (the reason of the report it settled), and when its owner appealed it (once per
/// suspension) and staff kept it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspension {
    #[serde(with = "time::serde::rfc3339")]
    pub since: OffsetDateTime,
    /// When it ends by itself; `None`: when staff lift it. It ends lazily — whatever reads the
    /// channel after then finds it not suspended — so no timer is needed in either world.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub until: Option<OffsetDateTime>,
    pub by: UserId,
    pub reason: crate::report::ReportReason,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub appealed_at: Option<OffsetDateTime>,
    /// When staff kept it on that appeal.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub appeal_rejected_at: Option<OffsetDateTime>,
}

impl Suspension {
    pub fn in_force(&self, now: OffsetDateTime) -> bool {
        self.until.is_none_or(|until| now < until)
    }
}

/// The longest suspension staff may set with an end (a longer one is until they lift it).
pub const MAX_SUSPENSION_DAYS: u32 = 365;

/// Moderators one channel may have: enough for a busy room around the clock.
pub const MAX_MODERATORS: usize = 50;

/// A position in the list of channels ordered by [`Channel::activity_at`], newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityCursor {
    pub at: OffsetDateTime,
    pub id: ChannelId,
}

impl Listed for Channel {
    type Cursor = ActivityCursor;
    fn cursor(&self) -> ActivityCursor {
        ActivityCursor {
            at: self.activity_at(),
            id: self.id.clone(),
        }
    }
}

/// A change to a channel's settings; `None` keeps the current value.
#[derive(Clone, Debug, Default)]
pub struct ChannelChange {
    pub handle: Option<ChannelHandle>,
    pub title: Option<StreamTitle>,
    pub category: Option<Category>,
    pub latency: Option<LatencyMode>,
    pub channel_type: Option<ChannelType>,
    pub private: Option<bool>,
    pub recording: Option<bool>,
    pub mature: Option<bool>,
    pub language: Option<StreamLanguage>,
    pub raids: Option<RaidPolicy>,
}

impl ChannelChange {
    /// Whether the video service must be told (its channel mirrors these settings).
    pub fn touches_video(&self, channel: &Channel) -> bool {
        self.latency.is_some_and(|v| v != channel.latency)
            || self.channel_type.is_some_and(|v| v != channel.channel_type)
            || self.private.is_some_and(|v| v != channel.private)
            || self.recording.is_some_and(|v| v != channel.recording)
    }

    pub fn apply(self, channel: &mut Channel) {
        if let Some(handle) = self.handle {
            channel.handle = handle;
        }
        if let Some(title) = self.title {
            channel.title = title;
        }
        if let Some(category) = self.category {
            channel.category = category;
        }
        if let Some(latency) = self.latency {
            channel.latency = latency;
        }
        if let Some(channel_type) = self.channel_type {
            channel.channel_type = channel_type;
        }
        if let Some(private) = self.private {
            channel.private = private;
        }
        if let Some(recording) = self.recording {
            channel.recording = recording;
        }
        if let Some(mature) = self.mature {
            channel.mature = mature;
        }
        if let Some(language) = self.language {
            channel.language = Some(language);
        }
        if let Some(raids) = self.raids {
            channel.raids = raids;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_longer_than_140_characters_is_rejected() {
        assert!(StreamTitle::parse(&"가".repeat(140)).is_ok());
        let err = StreamTitle::parse(&"a".repeat(141)).unwrap_err();
        assert!(matches!(
            err,
            DomainError::Invalid {
                code: "invalid_title",
                ..
            }
        ));
    }

    #[test]
    fn an_empty_title_or_category_is_allowed() {
        assert_eq!(StreamTitle::parse("  ").unwrap().as_str(), "");
        assert_eq!(Category::parse("").unwrap().as_str(), "");
        assert!(Category::parse(&"c".repeat(41)).is_err());
    }

    #[test]
    fn a_curated_category_is_stored_as_the_list_spells_it() {
        assert_eq!(
            Category::parse(" just CHATTING ").unwrap().as_str(),
            "Just Chatting"
        );
        assert_eq!(
            Category::parse("Retro games").unwrap().as_str(),
            "Retro games"
        );
        assert!(
            Category::parse("MUSIC")
                .unwrap()
                .is(&Category::parse("music").unwrap())
        );
        for curated in CURATED_CATEGORIES {
            assert!(curated.chars().count() <= MAX_CATEGORY_CHARS, "{curated}");
            assert_eq!(Category::parse(curated).unwrap().as_str(), *curated);
        }
    }
}
