//! The ports: what the domain needs from the outside world. Adapters implement them for the cloud
//! (DynamoDB, IVS, IVS Chat) and for the local stack (embedded store, local ingest, local chat).

use std::collections::BTreeMap;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::block_list::BlockList;
use crate::channel::ActivityCursor;
use crate::channel::{Channel, ChannelType, ChatRoom, LatencyMode, VideoChannel};
use crate::chat::{ChatActivity, ChatToken, ChatTokenRequest, MessageCursor, StoredMessage};
use crate::chat_rules::ChatRules;
use crate::clip::{Clip, ClipCursor};
use crate::error::{PortResult, WriteError};
use crate::follow::{Follow, FollowCursor, FollowOutcome};
use crate::handle::ChannelHandle;
use crate::identity::Identity;
use crate::ids::{
    ChannelId, ClipId, MessageId, PollId, RecordingId, ReportId, StreamId, UserId, VideoId,
    WebhookId,
};
use crate::limits::{RateLimit, Turn};
use crate::media::{MediaInfo, Refusal};
use crate::moderation::Ban;
use crate::moderation_log::{ModerationCursor, ModerationEntry};
use crate::notification::{EmailReport, GoLive, GoLiveEmail, Notification, NotificationCursor};
use crate::page::Page;
use crate::playback::{PlaybackClaims, ViewerGrant};
use crate::poll::{Ballot, VoteOutcome};
use crate::presence::{Presence, Visitor};
use crate::profile::{Language, Profile};
use crate::push::{PushEndpoint, PushOutcome, PushSubscription};
use crate::recording::{Recording, RecordingCursor};
use crate::report::{Report, ReportCursor, ReportSubject};
use crate::video::{UploadedPart, Video, VideoCursor, VideoReady, VideoReadyEmail};
use crate::webhook::{Delivery, DeliveryReport, Webhook};

/// Profiles, channels (with their unique handles) and private-viewing grants.
#[async_trait]
pub trait ChannelRepository: Send + Sync {
    async fn get_profile(&self, user: &UserId) -> PortResult<Option<Profile>>;
    async fn put_profile(&self, profile: &Profile) -> PortResult<()>;
    /// The profiles of `users` (up to a fan-out page at once); users without one are left out.
    async fn get_profiles(&self, users: &[UserId]) -> PortResult<Vec<Profile>>;

    /// Stores a new channel (version 0). Atomic: fails with [`WriteError::HandleTaken`] if another
    /// channel has the handle, [`WriteError::ChannelExists`] if the owner already has a channel.
    async fn create_channel(&self, channel: &Channel) -> Result<(), WriteError>;
    /// Replaces a channel whose stored version is `channel.version - 1`, moving its handle if it
    /// changed. Atomic; fails with [`WriteError::VersionMismatch`] or [`WriteError::HandleTaken`].
    async fn update_channel(&self, channel: &Channel) -> Result<(), WriteError>;
    async fn get_channel(&self, id: &ChannelId) -> PortResult<Option<Channel>>;
    /// Those of the channels that exist, in no particular order (one round trip for many).
    async fn get_channels(&self, ids: &[ChannelId]) -> PortResult<Vec<Channel>>;
    async fn find_channel_by_handle(&self, handle: &ChannelHandle) -> PortResult<Option<Channel>>;
    async fn find_channel_by_owner(&self, owner: &UserId) -> PortResult<Option<Channel>>;
    /// The channels of those of `owners` who have one, in no particular order (a few round trips
    /// for many: lists of people that show each one's channel).
    async fn find_channels_by_owners(&self, owners: &[UserId]) -> PortResult<Vec<Channel>>;
    /// The channel whose chat room is `room_arn` (the review hook only knows the room).
    async fn find_channel_by_room(&self, room_arn: &str) -> PortResult<Option<Channel>>;
    /// Every channel that is live now.
    async fn list_live_channels(&self) -> PortResult<Vec<Channel>>;
    /// All channels, most recently active first.
    async fn list_channels(
        &self,
        after: Option<&ActivityCursor>,
        limit: usize,
    ) -> PortResult<Page<Channel, ActivityCursor>>;

    async fn put_grant(&self, grant: &ViewerGrant) -> PortResult<()>;
    /// Returns whether there was one.
    async fn remove_grant(&self, channel: &ChannelId, user: &UserId) -> PortResult<bool>;
    async fn get_grant(
        &self,
        channel: &ChannelId,
        user: &UserId,
    ) -> PortResult<Option<ViewerGrant>>;
    async fn list_grants(&self, channel: &ChannelId) -> PortResult<Vec<ViewerGrant>>;

    /// Erases the channel and what is kept under it alone (its handle, owner and room links,
    /// its place in the live and activity lists, its grants and counters): the handle is free
    /// again. Nothing happens if it is gone already.
    async fn erase_channel(&self, channel: &Channel) -> PortResult<()>;
    /// Remembers for good that the user's account is being erased (its id alone), so that
    /// [`Self::was_erased`] says so from now on.
    async fn mark_erased(&self, user: &UserId) -> PortResult<()>;
    /// Whether the user's account was (or is being) erased. Identity providers never give an id
    /// out twice, so a token still valid after its account was deleted must not bring it back.
    async fn was_erased(&self, user: &UserId) -> PortResult<bool>;
    /// Erases the user's profile and what is kept under the user alone (block list, following
    /// count); the mark of [`Self::mark_erased`] stays. Nothing happens if there is none.
    async fn erase_profile(&self, user: &UserId) -> PortResult<()>;
}

/// Chat history and bans.
#[async_trait]
pub trait ChatRepository: Send + Sync {
    /// Keeps delivered messages, all or none. Idempotent by id; a message whose id was deleted
    /// before it arrived stays deleted.
    async fn append_messages(&self, messages: &[StoredMessage]) -> PortResult<()>;
    /// Records a deletion (a tombstone), whether or not the message is stored yet. Idempotent.
    async fn delete_message(
        &self,
        channel: &ChannelId,
        id: &MessageId,
        at: OffsetDateTime,
    ) -> PortResult<()>;
    /// Messages strictly older than `before`, newest first, never deleted ones.
    async fn list_messages(
        &self,
        channel: &ChannelId,
        before: Option<&MessageCursor>,
        limit: usize,
    ) -> PortResult<Page<StoredMessage, MessageCursor>>;
    /// Messages sent from `from` to `until` (both included), oldest first, never deleted ones:
    /// a past broadcast's chat as it replays. `after` (a previous page's `next`) continues.
    async fn list_messages_between(
        &self,
        channel: &ChannelId,
        from: OffsetDateTime,
        until: OffsetDateTime,
        after: Option<&MessageCursor>,
        limit: usize,
    ) -> PortResult<Page<StoredMessage, MessageCursor>>;
    /// How many messages were sent from `from` to `until` (both included), not counting deleted
    /// ones, and by how many people: a broadcast's chat, counted without reading it out.
    async fn chat_activity_between(
        &self,
        channel: &ChannelId,
        from: OffsetDateTime,
        until: OffsetDateTime,
    ) -> PortResult<ChatActivity>;
    async fn get_message(
        &self,
        channel: &ChannelId,
        id: &MessageId,
    ) -> PortResult<Option<StoredMessage>>;
    /// The messages `sender` sent, in every channel, strictly older than `before`, newest
    /// first, never deleted ones: what one person said, for their data download and for erasing
    /// it with their account.
    async fn list_sent_messages(
        &self,
        sender: &UserId,
        before: Option<&MessageCursor>,
        limit: usize,
    ) -> PortResult<Page<StoredMessage, MessageCursor>>;

    /// What `sender` said in `channel`'s chat lately: their messages there, newest first, never
    /// deleted ones, at most `limit`, found among their `within` latest messages in every
    /// channel (a bound on what one look reads, whoever is asked about).
    async fn list_sent_messages_in(
        &self,
        channel: &ChannelId,
        sender: &UserId,
        limit: usize,
        within: usize,
    ) -> PortResult<Vec<StoredMessage>>;

    async fn put_ban(&self, ban: &Ban) -> PortResult<()>;
    /// Returns the ban it removed, if there was one (read and removed in one step).
    async fn remove_ban(&self, channel: &ChannelId, user: &UserId) -> PortResult<Option<Ban>>;
    async fn get_ban(&self, channel: &ChannelId, user: &UserId) -> PortResult<Option<Ban>>;
    async fn list_bans(&self, channel: &ChannelId) -> PortResult<Vec<Ban>>;

    /// Adds a line to the channel's moderation log (kept for [`LOG_LIFETIME`]).
    ///
    /// [`LOG_LIFETIME`]: crate::moderation_log::LOG_LIFETIME
    async fn append_moderation(&self, entry: &ModerationEntry) -> PortResult<()>;
    /// The log's entries strictly older than `before`, newest first.
    async fn list_moderation(
        &self,
        channel: &ChannelId,
        before: Option<&ModerationCursor>,
        limit: usize,
    ) -> PortResult<Page<ModerationEntry, ModerationCursor>>;

    /// The log's entries that hold `user` to account in `channel`
    /// ([`ModerationEntry::holds_to_account`]), newest first, at most `limit`.
    async fn list_moderation_of(
        &self,
        channel: &ChannelId,
        user: &UserId,
        limit: usize,
    ) -> PortResult<Vec<ModerationEntry>>;

    /// Erases the channel's chat: its history (deletion marks too), bans and moderation log.
    async fn erase_chat(&self, channel: &ChannelId) -> PortResult<()>;
}

/// Past broadcasts.
#[async_trait]
pub trait RecordingRepository: Send + Sync {
    /// Stores the record; `previous` is what the caller read (`None` for a new one). Fails with
    /// [`WriteError::VersionMismatch`] if the stored record is no longer `previous`.
    async fn put_recording(
        &self,
        recording: &Recording,
        previous: Option<&Recording>,
    ) -> Result<(), WriteError>;
    async fn get_recording(&self, id: &RecordingId) -> PortResult<Option<Recording>>;
    /// One channel's recordings, newest first.
    async fn list_channel_recordings(
        &self,
        channel: &ChannelId,
        after: Option<&RecordingCursor>,
        limit: usize,
    ) -> PortResult<Page<Recording, RecordingCursor>>;
    /// Every channel's recordings, newest first (private ones included: the caller filters).
    async fn list_recent_recordings(
        &self,
        after: Option<&RecordingCursor>,
        limit: usize,
    ) -> PortResult<Page<Recording, RecordingCursor>>;
    /// Erases the record for good (deleting a past broadcast only marks it deleted). Nothing
    /// happens if it is gone already.
    async fn erase_recording(&self, recording: &Recording) -> PortResult<()>;
}

/// Clips.
#[async_trait]
pub trait ClipRepository: Send + Sync {
    /// Stores the clip; `previous` is what the caller read (`None` for a new one). Fails with
    /// [`WriteError::VersionMismatch`] if the stored clip is no longer `previous`.
    async fn put_clip(&self, clip: &Clip, previous: Option<&Clip>) -> Result<(), WriteError>;
    async fn get_clip(&self, id: &ClipId) -> PortResult<Option<Clip>>;
    /// Removes the clip; nothing happens if it is gone already.
    async fn delete_clip(&self, clip: &Clip) -> PortResult<()>;
    /// One channel's clips, newest first.
    async fn list_channel_clips(
        &self,
        channel: &ChannelId,
        after: Option<&ClipCursor>,
        limit: usize,
    ) -> PortResult<Page<Clip, ClipCursor>>;
}

/// Uploaded videos.
#[async_trait]
pub trait VideoRepository: Send + Sync {
    /// Stores a new video unless the bytes its channel's videos take ([`Video::stored_bytes`])
    /// would then pass `quota`: then `Ok(false)`, nothing written. Atomic with every other write
    /// of the channel's videos, so uploads started at once cannot pass the quota together.
    /// Fails with [`WriteError::VersionMismatch`] if the video exists.
    async fn create_video(&self, video: &Video, quota: u64) -> Result<bool, WriteError>;
    /// Replaces the video; `previous` is what the caller read. Fails with
    /// [`WriteError::VersionMismatch`] if the stored video is no longer `previous`.
    async fn put_video(&self, video: &Video, previous: Option<&Video>) -> Result<(), WriteError>;
    async fn get_video(&self, id: &VideoId) -> PortResult<Option<Video>>;
    /// Removes the video; nothing happens if it is gone already.
    async fn delete_video(&self, video: &Video) -> PortResult<()>;
    /// The bytes the channel's videos take together ([`Video::stored_bytes`]), as every write
    /// above keeps them.
    async fn stored_video_bytes(&self, channel: &ChannelId) -> PortResult<u64>;
    /// One channel's videos in every state, newest first (the caller picks what to show).
    async fn list_channel_videos(
        &self,
        channel: &ChannelId,
        after: Option<&VideoCursor>,
        limit: usize,
    ) -> PortResult<Page<Video, VideoCursor>>;
}

/// Where uploaded files are sent, in parts, straight from the browser: S3 multipart uploads to
/// the upload bucket in the cloud, the local stack's stand-in with the same shape locally. One
/// file per video.
#[async_trait]
pub trait VideoUploads: Send + Sync {
    /// Starts a multipart upload for the video's file; returns its id.
    async fn begin(&self, video: &VideoId) -> PortResult<String>;
    /// A URL a browser may `PUT` part `number` (exactly `size_bytes` long) to until `expires_at`.
    async fn part_url(
        &self,
        video: &VideoId,
        upload_id: &str,
        number: u32,
        size_bytes: u64,
        expires_at: OffsetDateTime,
    ) -> PortResult<String>;
    /// The parts the storage holds so far.
    async fn parts(&self, video: &VideoId, upload_id: &str) -> PortResult<Vec<UploadedPart>>;
    /// Joins the parts into the file, which then tells the processing side it has arrived (an S3
    /// event in the cloud, the local worker's queue locally).
    async fn complete(
        &self,
        video: &VideoId,
        upload_id: &str,
        parts: &[UploadedPart],
    ) -> PortResult<()>;
    /// Drops an unfinished upload and its parts; nothing happens if it is gone.
    async fn abort(&self, video: &VideoId, upload_id: &str) -> PortResult<()>;
    /// Removes the uploaded file; nothing happens if there is none.
    async fn delete(&self, video: &VideoId) -> PortResult<()>;
}

/// Turns uploaded files into videos that play: ffprobe and a local ffmpeg worker locally, a
/// probe of the object and AWS Elemental MediaConvert in the cloud. A job reports back through
/// [`crate::Platform::video_progress`], [`crate::Platform::video_transcoded`] and
/// [`crate::Platform::video_failed`].
#[async_trait]
pub trait VideoProcessing: Send + Sync {
    /// What the uploaded file is, read from the upload and nothing else; `Err` with a reason for
    /// the uploader when it is no media file the prober can read.
    async fn probe(&self, video: &Video) -> PortResult<Result<MediaInfo, Refusal>>;
    /// Starts transcoding the upload into an HLS ladder and a picture.
    async fn transcode(&self, video: &Video, media: &MediaInfo) -> PortResult<()>;
    /// Removes whatever transcoding wrote for the video (a job that is still running stops).
    async fn delete_outputs(&self, video: &VideoId) -> PortResult<()>;
    /// The query that, added to the URL of any of the video's files, lets a browser fetch it
    /// until `expires_at`. Every video's files need one: privacy is who the API gives it to.
    fn grant(&self, video: &VideoId, expires_at: OffsetDateTime) -> PortResult<String>;
}

/// Who follows which channel, and how many follow each.
#[async_trait]
pub trait FollowRepository: Send + Sync {
    /// Records the follow and counts it, atomically; changes nothing when the user already follows
    /// the channel, or already follows `max_following` channels.
    async fn follow(&self, follow: &Follow, max_following: u32) -> PortResult<FollowOutcome>;
    /// Removes the follow and its counts, atomically. Returns whether there was one.
    async fn unfollow(&self, user: &UserId, channel: &ChannelId) -> PortResult<bool>;
    async fn get_follow(&self, user: &UserId, channel: &ChannelId) -> PortResult<Option<Follow>>;
    /// Turns go-live notifications of a followed channel on or off. Returns false (and changes
    /// nothing) when the user does not follow the channel.
    async fn set_notify(
        &self,
        user: &UserId,
        channel: &ChannelId,
        notify: bool,
    ) -> PortResult<bool>;
    async fn follower_count(&self, channel: &ChannelId) -> PortResult<u64>;
    /// Every channel the user follows (at most the `max_following` [`Self::follow`] enforces), in
    /// no particular order: to pick the live ones out of the live set.
    async fn followed_channel_ids(&self, user: &UserId) -> PortResult<Vec<ChannelId>>;
    /// The channels a user follows, most recently followed first.
    async fn list_following(
        &self,
        user: &UserId,
        after: Option<&FollowCursor>,
        limit: usize,
    ) -> PortResult<Page<Follow, FollowCursor>>;
    /// A channel's followers, most recent first: read in pages, however many there are.
    async fn list_followers(
        &self,
        channel: &ChannelId,
        after: Option<&FollowCursor>,
        limit: usize,
    ) -> PortResult<Page<Follow, FollowCursor>>;
}

/// Each user's block list.
#[async_trait]
pub trait BlockRepository: Send + Sync {
    async fn get_block_list(&self, user: &UserId) -> PortResult<Option<BlockList>>;
    /// Writes the user's list only if the stored one is still `previous` (none, for their first):
    /// [`WriteError::VersionMismatch`] otherwise.
    async fn put_block_list(
        &self,
        user: &UserId,
        list: &BlockList,
        previous: Option<&BlockList>,
    ) -> Result<(), WriteError>;
}

/// The votes of channels' chat polls (the polls themselves are kept on their channels).
#[async_trait]
pub trait PollRepository: Send + Sync {
    /// Keeps the ballot and counts it, both or neither, unless its voter already voted in that
    /// poll: then nothing changes, and the answer is the choice they made.
    async fn cast_vote(&self, ballot: &Ballot) -> PortResult<VoteOutcome>;
    /// The votes of each of the poll's `choices` answers, in order.
    async fn tally(&self, poll: &PollId, choices: usize) -> PortResult<Vec<u64>>;
    async fn vote_of(&self, poll: &PollId, voter: &UserId) -> PortResult<Option<u8>>;
    /// Forgets the poll's ballots and count (nothing happens if they are gone).
    async fn erase_votes(&self, poll: &PollId) -> PortResult<()>;
}

/// Users' notifications and how far each has seen them.
#[async_trait]
pub trait NotificationRepository: Send + Sync {
    /// Keeps the notifications (any number, any users). Idempotent: one per user, channel and
    /// time.
    async fn put_notifications(&self, notifications: &[Notification]) -> PortResult<()>;
    /// Keeps one notification unless one with its user, channel and time is kept already
    /// (then changes nothing); true when it was new. What follows a notification only once
    /// (an email) hangs on it, since announcements may be delivered more than once.
    async fn add_notification(&self, notification: &Notification) -> PortResult<bool>;
    /// Forgets one notification (nothing when it is not kept).
    async fn remove_notification(&self, notification: &Notification) -> PortResult<()>;
    /// A user's notifications, newest first, strictly older than `before`.
    async fn list_notifications(
        &self,
        user: &UserId,
        before: Option<&NotificationCursor>,
        limit: usize,
    ) -> PortResult<Page<Notification, NotificationCursor>>;
    /// Until when the user has seen their notifications.
    async fn seen_at(&self, user: &UserId) -> PortResult<Option<OffsetDateTime>>;
    async fn set_seen_at(&self, user: &UserId, at: OffsetDateTime) -> PortResult<()>;
    /// Erases all of a user's notifications and their seen mark.
    async fn erase_notifications(&self, user: &UserId) -> PortResult<()>;
}

/// Reports to the platform's staff.
#[async_trait]
pub trait ReportRepository: Send + Sync {
    /// Keeps the (open) report unless its reporter already has an open report on its subject:
    /// then nothing changes, and the answer is `false` (checked atomically, so a double click
    /// files one).
    async fn file_report(&self, report: &Report) -> PortResult<bool>;
    async fn get_report(&self, id: &ReportId) -> PortResult<Option<Report>>;
    /// Open reports, oldest first, strictly after `after`.
    async fn list_open_reports(
        &self,
        after: Option<&ReportCursor>,
        limit: usize,
    ) -> PortResult<Page<Report, ReportCursor>>;
    /// Every open report on the subject, oldest first.
    async fn open_reports_on(&self, subject: &ReportSubject) -> PortResult<Vec<Report>>;
    /// The reports (and appeals) `reporter` filed, open or settled, newest first, strictly
    /// before `before`: theirs to take away with their data.
    async fn reports_by(
        &self,
        reporter: &UserId,
        before: Option<&ReportCursor>,
        limit: usize,
    ) -> PortResult<Page<Report, ReportCursor>>;
    /// Keeps the report as settled (it carries its outcome): it leaves the open list, and its
    /// reporter may report the subject again. Settling a settled one again changes nothing.
    async fn close_report(&self, report: &Report) -> PortResult<()>;
}

/// Channels' webhooks and how their latest deliveries went.
#[async_trait]
pub trait WebhookRepository: Send + Sync {
    /// Adds the webhook unless its channel already has `max`; `false` when it has (checked
    /// atomically, so racing adds cannot pass the limit together).
    async fn add_webhook(&self, webhook: &Webhook, max: usize) -> PortResult<bool>;
    /// A channel's webhooks, oldest first.
    async fn list_webhooks(&self, channel: &ChannelId) -> PortResult<Vec<Webhook>>;
    /// `false` when the channel has no such webhook.
    async fn remove_webhook(&self, channel: &ChannelId, id: &WebhookId) -> PortResult<bool>;
    /// Keeps how a delivery went; nothing when the webhook was removed meanwhile.
    async fn record_delivery(
        &self,
        channel: &ChannelId,
        id: &WebhookId,
        delivery: &Delivery,
    ) -> PortResult<()>;
}

/// Calls webhooks: one signed request, retried with backoff while the failure may pass, to a
/// destination checked on every request (after DNS and after each redirect).
#[async_trait]
pub trait WebhookSender: Send + Sync {
    async fn deliver(&self, webhook: &Webhook, event: &GoLive) -> DeliveryReport;
}

/// Sends email: the local outbox (files the dev command points at), Amazon SES in the cloud.
#[async_trait]
pub trait EmailSender: Send + Sync {
    /// Sends each email on its own (each has its own unsubscribe link); one that fails does not
    /// stop the rest. An error means none could be sent.
    async fn send_go_live(&self, emails: &[GoLiveEmail]) -> PortResult<EmailReport>;
    /// Tells an uploader their video is ready.
    async fn send_video_ready(&self, email: &VideoReadyEmail) -> PortResult<()>;
}

/// Users' Web Push subscriptions, one per browser they turned push on in.
#[async_trait]
pub trait PushSubscriptionRepository: Send + Sync {
    /// Keeps the subscription for its user, replacing theirs with the same endpoint and taking it
    /// from any other user who had it (a browser belongs to whoever turned push on there last);
    /// when the user then has more than `max`, the oldest are forgotten (in the same write).
    async fn save_push_subscription(
        &self,
        subscription: &PushSubscription,
        max: usize,
    ) -> PortResult<()>;
    /// `false` when the user had no subscription with that endpoint.
    async fn remove_push_subscription(
        &self,
        user: &UserId,
        endpoint: &PushEndpoint,
    ) -> PortResult<bool>;
    /// The subscriptions of these users (any number of them; adapters batch the reads).
    async fn push_subscriptions_of(&self, users: &[UserId]) -> PortResult<Vec<PushSubscription>>;
}

/// Sends Web Push messages: encrypted for the subscription (RFC 8291), signed with our VAPID key
/// (RFC 8292), to an endpoint checked like every URL we send to (after DNS too).
#[async_trait]
pub trait PushSender: Send + Sync {
    /// "A channel you follow went live", in the follower's language. Never fails as a call: the
    /// outcome says what the push service answered.
    async fn push_go_live(
        &self,
        subscription: &PushSubscription,
        language: Language,
        event: &GoLive,
    ) -> PushOutcome;
    /// "Your video is ready", in the uploader's language; the same contract.
    async fn push_video_ready(
        &self,
        subscription: &PushSubscription,
        language: Language,
        event: &VideoReady,
    ) -> PushOutcome;
}

/// Tells whoever acts on a channel going live, apart from the in-app notifications: an SNS
/// topic in the cloud (its subscribers deliver in parallel), a background task locally. Both
/// end in [`crate::Platform::deliver_go_live`].
#[async_trait]
pub trait GoLiveAnnouncer: Send + Sync {
    async fn announce(&self, event: &GoLive) -> PortResult<()>;
}

/// Tells whoever acts on a video becoming ready (the uploader's bell and email, and whatever
/// else subscribes): an SNS topic in the cloud, a background task locally. Both end in
/// [`crate::Platform::deliver_video_ready`].
#[async_trait]
pub trait VideoAnnouncer: Send + Sync {
    async fn announce_ready(&self, event: &VideoReady) -> PortResult<()>;
}

/// How a channel's video resource is configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VideoChannelSpec {
    /// The resource name: our channel id, so events name the channel directly.
    pub name: ChannelId,
    pub latency: LatencyMode,
    pub channel_type: ChannelType,
    pub private: bool,
    pub recording: bool,
}

/// A stream key: the secret an encoder publishes with. Its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct StreamKey(pub String);

impl std::fmt::Debug for StreamKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StreamKey(<redacted>)")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamHealth {
    Healthy,
    Starving,
    Unknown,
}

/// What the video service says about a live stream now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamStatus {
    /// The channel's [`VideoChannel::arn`].
    pub channel_arn: String,
    pub stream_id: StreamId,
    pub started_at: OffsetDateTime,
    pub health: StreamHealth,
    pub viewer_count: u64,
    /// A recent frame, when the service keeps one.
    pub thumbnail_url: Option<String>,
}

/// Ingest and playback (IVS in the cloud, the local ingest locally).
#[async_trait]
pub trait VideoService: Send + Sync {
    /// Creates the channel's video resource, or returns the one that already has this name.
    async fn create_channel(&self, spec: &VideoChannelSpec) -> PortResult<VideoChannel>;
    async fn update_channel(&self, video: &VideoChannel, spec: &VideoChannelSpec)
    -> PortResult<()>;
    async fn get_stream_key(&self, video: &VideoChannel) -> PortResult<StreamKey>;
    /// Deletes the current key and creates a new one; the old key stops working.
    async fn reset_stream_key(&self, video: &VideoChannel) -> PortResult<StreamKey>;
    /// Ends the channel's live broadcast by disconnecting its encoder (IVS StopStream). Nothing
    /// happens when the channel is not live.
    async fn stop_stream(&self, video: &VideoChannel) -> PortResult<()>;
    /// Every live stream with its health and viewers (adapters cache this: IVS allows 5 calls/s).
    async fn live_streams(&self) -> PortResult<Vec<StreamStatus>>;
    /// Deletes the channel's video resource with its stream key, ending a stream under way.
    /// Nothing happens if it is gone already.
    async fn delete_channel(&self, video: &VideoChannel) -> PortResult<()>;
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatRoomSpec {
    /// The room name: our channel id.
    pub name: ChannelId,
    pub rules: ChatRules,
}

/// Chat rooms and tokens (IVS Chat in the cloud, the local chat server locally).
#[async_trait]
pub trait ChatService: Send + Sync {
    /// Creates the channel's room, or returns the one that already has this name.
    async fn create_room(&self, spec: &ChatRoomSpec) -> PortResult<ChatRoom>;
    async fn update_room(&self, room: &ChatRoom, rules: &ChatRules) -> PortResult<()>;
    async fn create_token(&self, request: &ChatTokenRequest) -> PortResult<ChatToken>;
    /// Removes a delivered message for everyone (an `aws:DELETE_MESSAGE` event).
    async fn delete_message(&self, room: &ChatRoom, id: &MessageId, reason: &str)
    -> PortResult<()>;
    /// Closes every connection of a user (an `aws:DISCONNECT_USER` event first).
    async fn disconnect_user(&self, room: &ChatRoom, user: &UserId, reason: &str)
    -> PortResult<()>;
    /// Sends a custom event (e.g. `app:LIVE`) to everyone in the room.
    async fn send_event(
        &self,
        room: &ChatRoom,
        name: &str,
        attributes: &BTreeMap<String, String>,
    ) -> PortResult<()>;
    /// Deletes the room, closing every connection to it. Nothing happens if it is gone already.
    async fn delete_room(&self, room: &ChatRoom) -> PortResult<()>;
}

/// Why a bearer token was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum AuthFailure {
    /// Expired, forged, for another app, malformed: the client must sign in (or refresh) again.
    #[error("{0}")]
    Invalid(String),
    /// The verifier could not check (e.g. the key set could not be fetched).
    #[error(transparent)]
    Port(#[from] crate::error::PortError),
}

/// Verifies the bearer tokens of the identity provider (Cognito, or the local stand-in).
#[async_trait]
pub trait IdentityVerifier: Send + Sync {
    async fn verify(&self, bearer: &str) -> Result<Identity, AuthFailure>;
}

/// Signs IVS playback-authorization tokens (ES384).
pub trait PlaybackSigner: Send + Sync {
    fn sign(&self, claims: &PlaybackClaims) -> PortResult<String>;
}

/// Lets browsers fetch a channel's private recordings for a while (CloudFront signed policies in
/// the cloud; the local stack's stand-in checks them the same way).
pub trait RecordingAccess: Send + Sync {
    /// The query string that, added to the URL of any file of `channel`'s private recordings,
    /// lets a browser fetch it (and the files it refers to) until `expires_at`.
    fn grant(
        &self,
        channel: &ChannelId,
        video: &VideoChannel,
        expires_at: OffsetDateTime,
    ) -> PortResult<String>;
}

/// Files the site serves to everyone at `/<key>`, cached for good (a key never gets other
/// bytes): S3 behind CloudFront in the cloud, a directory the local site serves locally.
#[async_trait]
pub trait PublicFiles: Send + Sync {
    /// Keeps `bytes` at `key` (letters, digits, `/`, `.`, `_`, `-`), replacing what was there.
    async fn put(&self, key: &str, bytes: &[u8], content_type: &str) -> PortResult<()>;
    /// Removes the file; nothing happens if there is none.
    async fn delete(&self, key: &str) -> PortResult<()>;
}

/// The files of past broadcasts (the recorder writes them; the owner may delete them; clips add
/// playlists beside them): S3 in the cloud, the local ingest's recordings directory locally.
///
/// A playlist is named by its path relative to the directory of the recording's main playlist
/// (`master.m3u8`, `720p30/playlist.m3u8`); adapters refuse any path that is not plain names
/// ([`crate::clip_playlist::plain_relative`]).
#[async_trait]
pub trait RecordingFiles: Send + Sync {
    /// Removes every file of `recording`; nothing happens for those already gone.
    async fn delete(&self, recording: &Recording) -> PortResult<()>;
    /// A playlist of the recording; `None` if there is no such file.
    async fn read_playlist(&self, recording: &Recording, path: &str) -> PortResult<Option<String>>;
    /// Writes a playlist beside the recording's own (a clip's), replacing one of that name.
    async fn write_playlist(&self, recording: &Recording, path: &str, text: &str)
    -> PortResult<()>;
    /// Removes a file written for a clip ([`Self::write_playlist`], [`Self::clip_picture`]);
    /// nothing happens if it is gone.
    async fn delete_playlist(&self, recording: &Recording, path: &str) -> PortResult<()>;
    /// A picture of the recording at `at_ms`, for a clip whose files are named `name`.* (the
    /// video service's own thumbnail of that moment, or one taken for it); `None` when there is
    /// none.
    async fn clip_picture(
        &self,
        recording: &Recording,
        at_ms: u64,
        name: &str,
    ) -> PortResult<Option<ClipPicture>>;
}

/// A clip's picture: where browsers load it, and the file made for it that goes with the clip
/// (a path like [`RecordingFiles::write_playlist`]'s), if one was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClipPicture {
    pub url: String,
    pub written: Option<String>,
}

/// Who is in a room: the local chat server's own connections, or (IVS Chat having no member
/// list) the heartbeats clients send, kept until they stop.
#[async_trait]
pub trait PresenceRegistry: Send + Sync {
    /// Records that `visitor` is in `channel`'s room until `until` (a registry that sees the
    /// room's connections itself may ignore it).
    async fn heartbeat(
        &self,
        channel: &ChannelId,
        visitor: &Visitor,
        until: OffsetDateTime,
    ) -> PortResult<()>;
    /// Forgets a visitor who left.
    async fn leave(&self, channel: &ChannelId, visitor: &Visitor) -> PortResult<()>;
    /// Who is in the room `room` of `channel` at `now`.
    async fn present(
        &self,
        channel: &ChannelId,
        room: &ChatRoom,
        now: OffsetDateTime,
    ) -> PortResult<Presence>;
}

/// Rate limits' state, shared by every instance of the service (DynamoDB in the cloud, memory
/// locally), so a limit holds however many instances serve requests.
#[async_trait]
pub trait RateCounter: Send + Sync {
    /// Takes one turn of `key` at `now` under `limit`, atomically across instances:
    /// [`RateLimit::take`] applied to the instant kept for `key`, which a taken turn replaces
    /// and a refused one leaves alone (its `retry_after` may be an estimate when turns race).
    /// Instants in the past may be forgotten (they let as much through as none).
    async fn take_turn(&self, key: &str, now: OffsetDateTime, limit: RateLimit)
    -> PortResult<Turn>;
}

/// The time. A port so tests can fix it.
pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

/// The real clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// The browser app's entry page (`index.html`, as its build wrote it: it names that build's
/// files). The page a shared link opens is this one with the link's preview in its head; the
/// local stack reads it from `dist/`, the cloud from the site bucket.
#[async_trait]
pub trait AppEntryPage: Send + Sync {
    async fn entry_page(&self) -> PortResult<std::sync::Arc<str>>;
}
