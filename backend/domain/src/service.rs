//! The use cases: everything viewers, streamers and platform events do, written against the ports.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use time::{Duration, OffsetDateTime};

use crate::channel::{Channel, ChannelChange, ChatRules};
use crate::chat::{
    ChatCapability, ChatRole, ChatToken, ChatTokenRequest, MAX_TOKEN_ATTRIBUTES_BYTES,
    MessageCursor, StoredMessage,
};
use crate::error::{DomainError, DomainResult, WriteError};
use crate::handle::ChannelHandle;
use crate::ids::{ChannelId, MessageId, RecordingId, UserId};
use crate::live::{self, StreamEvent};
use crate::moderation::{self, Ban, DenyReason, ReviewOutcome};
use crate::playback::{PlaybackClaims, ViewerGrant, viewer_id_for};
use crate::ports::{
    ActivityCursor, ChannelRepository, ChatRepository, ChatRoomSpec, ChatService, Clock, Page,
    PlaybackSigner, RecordingCursor, RecordingRepository, StreamKey, StreamStatus,
    VideoChannelSpec, VideoService,
};
use crate::profile::{Avatar, Language, Nickname, Profile, ProfileChange};
use crate::recording::{self, Recording, RecordingEvent};

/// A signed-in user, as the identity provider vouches for them (verified token claims).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub user_id: UserId,
    /// Cognito `cognito:username` (or `username` in access tokens).
    pub username: String,
    /// The handle chosen at sign-up (Cognito `preferred_username`), if any.
    pub preferred_handle: Option<String>,
    /// The nickname given at sign-up (Cognito `nickname`), if any.
    pub nickname: Option<String>,
}

/// The ports, once, for every use case.
#[derive(Clone)]
pub struct Ports {
    pub channels: Arc<dyn ChannelRepository>,
    pub chat: Arc<dyn ChatRepository>,
    pub recordings: Arc<dyn RecordingRepository>,
    pub video: Arc<dyn VideoService>,
    pub chat_service: Arc<dyn ChatService>,
    pub playback: Arc<dyn PlaybackSigner>,
    pub clock: Arc<dyn Clock>,
}

/// Settings of the platform that are not per channel.
#[derive(Clone, Debug)]
pub struct PlatformConfig {
    /// How long a chat session lasts before the client must reconnect with a new token.
    pub chat_session_minutes: u16,
    /// How long a playback token may wait before playback starts.
    pub playback_token_ttl: Duration,
    /// The site's origin, put in playback tokens (`*` allows any).
    pub site_origin: String,
}

impl Default for PlatformConfig {
    fn default() -> Self {
        Self {
            chat_session_minutes: 60,
            playback_token_ttl: Duration::minutes(10),
            site_origin: "*".to_owned(),
        }
    }
}

/// Cloumer's use cases.
#[derive(Clone)]
pub struct Platform {
    ports: Ports,
    config: PlatformConfig,
}

/// A user's own profile and channel.
#[derive(Clone, Debug)]
pub struct Account {
    pub profile: Profile,
    pub channel: Channel,
}

/// A channel as one caller sees it.
#[derive(Clone, Debug)]
pub struct ChannelView {
    pub channel: Channel,
    /// Present while live: health and viewers from the video service.
    pub status: Option<StreamStatus>,
    pub role: ChatRole,
    /// Whether the caller may play it (always for public channels).
    pub can_watch: bool,
}

impl ChannelView {
    pub fn is_live(&self) -> bool {
        self.channel.is_live()
    }

    pub fn viewer_count(&self) -> u64 {
        self.status.as_ref().map_or(0, |s| s.viewer_count)
    }

    pub fn thumbnail_url(&self) -> Option<&str> {
        self.status
            .as_ref()
            .and_then(|s| s.thumbnail_url.as_deref())
            .or(self.channel.live.thumbnail_url.as_deref())
    }
}

/// Where the next directory page starts: a position among live channels (ordered by viewers, which
/// change, so an offset), then a position among the others (by activity).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DirectoryCursor {
    Live { offset: usize },
    Others(Option<ActivityCursor>),
}

/// A chat token for one caller in one room, with what it allows.
#[derive(Clone, Debug)]
pub struct IssuedChatToken {
    pub token: ChatToken,
    pub user_id: UserId,
    pub role: ChatRole,
    pub capabilities: Vec<ChatCapability>,
}

/// A playback URL a caller may load.
#[derive(Clone, Debug)]
pub struct PlaybackAccess {
    /// The playback URL, with `?token=…` for private channels.
    pub url: String,
    pub token: Option<String>,
    pub expires_at: Option<OffsetDateTime>,
}

/// The ingest settings an encoder needs. The key is secret: only ever returned to the owner.
#[derive(Clone, Debug)]
pub struct IngestSettings {
    pub server: String,
    pub stream_key: StreamKey,
}

/// What the review hook and the local chat server pass in for each message.
#[derive(Clone, Debug)]
pub struct ReviewInput {
    pub room_arn: String,
    pub message_id: MessageId,
    pub sender: UserId,
    pub sender_attributes: BTreeMap<String, String>,
    pub content: String,
    pub attributes: BTreeMap<String, String>,
}

/// A reviewed message: allowed (as it will be kept and delivered) or denied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reviewed {
    Allow(StoredMessage),
    Deny(DenyReason),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReviewDecision {
    Allow {
        content: String,
        attributes: BTreeMap<String, String>,
        /// The message's time, as stored in history (deliver it with this `SendTime`).
        sent_at: OffsetDateTime,
    },
    Deny(DenyReason),
}

/// Optimistic updates retry this often before giving up (only under heavy contention).
const MAX_RETRIES: usize = 8;
/// Listing pages are 1–100 items.
pub const MAX_PAGE: usize = 100;

pub fn check_limit(limit: Option<usize>, default: usize) -> DomainResult<usize> {
    match limit {
        None => Ok(default),
        Some(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
        Some(_) => Err(DomainError::invalid(
            "invalid_limit",
            format!("limit must be 1–{MAX_PAGE}"),
        )),
    }
}

impl Platform {
    pub fn new(ports: Ports, config: PlatformConfig) -> Self {
        Self { ports, config }
    }

    pub fn ports(&self) -> &Ports {
        &self.ports
    }

    fn now(&self) -> OffsetDateTime {
        self.ports.clock.now()
    }

    // ---------------------------------------------------------------- accounts and profiles

    /// Makes sure a signed-in user has a profile and a provisioned channel, creating what is
    /// missing. Called by the sign-up confirmation trigger and, as a safety net, by every
    /// signed-in request that needs the account. Idempotent and safe to race.
    pub async fn ensure_account(&self, who: &Identity) -> DomainResult<Account> {
        let profile = match self.ports.channels.get_profile(&who.user_id).await? {
            Some(profile) => profile,
            None => {
                let nickname = who
                    .nickname
                    .as_deref()
                    .and_then(|n| Nickname::parse(n).ok())
                    .or_else(|| Nickname::parse(&who.username).ok())
                    .unwrap_or_else(|| Nickname::parse("viewer").expect("a valid nickname"));
                let profile = Profile {
                    avatar: Avatar::default_for(&who.user_id),
                    user_id: who.user_id.clone(),
                    username: who.username.clone(),
                    nickname,
                    language: Language::default(),
                };
                self.ports.channels.put_profile(&profile).await?;
                profile
            }
        };
        let channel = match self
            .ports
            .channels
            .find_channel_by_owner(&who.user_id)
            .await?
        {
            Some(channel) => channel,
            None => self.create_channel(who, &profile).await?,
        };
        let channel = self.provision(channel).await?;
        Ok(Account { profile, channel })
    }

    async fn create_channel(&self, who: &Identity, profile: &Profile) -> DomainResult<Channel> {
        let wanted = who
            .preferred_handle
            .as_deref()
            .and_then(|h| ChannelHandle::parse(h).ok())
            .unwrap_or_else(|| ChannelHandle::derive_from(&who.username));
        // The handle may have been taken since sign-up checked it: fall back to name_2, name_3…
        // rather than failing the confirmation. The owner can rename later.
        for attempt in 0..20u32 {
            let handle = if attempt == 0 {
                wanted.clone()
            } else {
                wanted.with_suffix(attempt + 1)
            };
            let channel = Channel::new(profile, handle, self.now());
            match self.ports.channels.create_channel(&channel).await {
                Ok(()) => {
                    tracing::info!(channel = %channel.id, handle = %channel.handle, "channel created");
                    return Ok(channel);
                }
                Err(WriteError::HandleTaken) => continue,
                Err(WriteError::ChannelExists) => {
                    return self
                        .ports
                        .channels
                        .find_channel_by_owner(&who.user_id)
                        .await?
                        .ok_or(DomainError::NotFound("channel"));
                }
                Err(WriteError::VersionMismatch) => continue,
                Err(WriteError::Port(e)) => return Err(e.into()),
            }
        }
        Err(DomainError::conflict(
            "handle_taken",
            "no free handle could be found; choose another one",
        ))
    }

    /// Creates the channel's video resource and chat room if they are missing.
    async fn provision(&self, channel: Channel) -> DomainResult<Channel> {
        if channel.video.is_some() && channel.chat_room.is_some() {
            return Ok(channel);
        }
        let video = match &channel.video {
            Some(video) => video.clone(),
            None => {
                self.ports
                    .video
                    .create_channel(&video_spec(&channel))
                    .await?
            }
        };
        let room = match &channel.chat_room {
            Some(room) => room.clone(),
            None => {
                self.ports
                    .chat_service
                    .create_room(&ChatRoomSpec {
                        name: channel.id.clone(),
                        rules: channel.chat_rules.clone(),
                    })
                    .await?
            }
        };
        self.modify_channel(&channel.id, |c| {
            if c.video.is_some() && c.chat_room.is_some() {
                return Ok(false);
            }
            c.video.get_or_insert_with(|| video.clone());
            c.chat_room.get_or_insert_with(|| room.clone());
            Ok(true)
        })
        .await
        .map(|(channel, _)| channel)
    }

    /// Reads, changes and conditionally writes a channel, retrying on concurrent updates.
    /// `change` returns whether it changed anything. Returns the stored channel and that answer.
    async fn modify_channel(
        &self,
        id: &ChannelId,
        mut change: impl FnMut(&mut Channel) -> DomainResult<bool>,
    ) -> DomainResult<(Channel, bool)> {
        for _ in 0..MAX_RETRIES {
            let mut channel = self
                .ports
                .channels
                .get_channel(id)
                .await?
                .ok_or(DomainError::NotFound("channel"))?;
            if !change(&mut channel)? {
                return Ok((channel, false));
            }
            channel.version += 1;
            match self.ports.channels.update_channel(&channel).await {
                Ok(()) => return Ok((channel, true)),
                Err(WriteError::VersionMismatch) => continue,
                Err(WriteError::HandleTaken) => {
                    return Err(DomainError::conflict(
                        "handle_taken",
                        "that handle belongs to another channel",
                    ));
                }
                Err(WriteError::ChannelExists) => {
                    return Err(DomainError::conflict("channel_exists", "channel exists"));
                }
                Err(WriteError::Port(e)) => return Err(e.into()),
            }
        }
        Err(DomainError::conflict(
            "busy",
            "the channel is being changed by someone else; try again",
        ))
    }

    pub async fn update_profile(
        &self,
        who: &Identity,
        change: ProfileChange,
    ) -> DomainResult<Account> {
        let account = self.ensure_account(who).await?;
        let mut profile = account.profile;
        profile.apply(change);
        self.ports.channels.put_profile(&profile).await?;
        let (channel, _) = self
            .modify_channel(&account.channel.id, |c| {
                let changed =
                    c.owner_nickname != profile.nickname || c.owner_avatar != profile.avatar;
                c.owner_nickname = profile.nickname.clone();
                c.owner_avatar = profile.avatar.clone();
                Ok(changed)
            })
            .await?;
        Ok(Account { profile, channel })
    }

    /// Whether `raw` is a valid handle that no channel has.
    pub async fn handle_available(&self, raw: &str) -> DomainResult<(ChannelHandle, bool)> {
        let handle = ChannelHandle::parse(raw)?;
        let taken = self
            .ports
            .channels
            .find_channel_by_handle(&handle)
            .await?
            .is_some();
        Ok((handle, !taken))
    }

    // ---------------------------------------------------------------- channels

    async fn channel_by_handle(&self, raw: &str) -> DomainResult<Channel> {
        let handle = ChannelHandle::parse(raw).map_err(|_| DomainError::NotFound("channel"))?;
        self.ports
            .channels
            .find_channel_by_handle(&handle)
            .await?
            .ok_or(DomainError::NotFound("channel"))
    }

    async fn statuses(&self) -> HashMap<String, StreamStatus> {
        // Listings still work when the video service is down: they just show no viewer counts.
        match self.ports.video.live_streams().await {
            Ok(streams) => streams
                .into_iter()
                .map(|s| (s.channel_arn.clone(), s))
                .collect(),
            Err(error) => {
                tracing::warn!(error = %error, cause = ?std::error::Error::source(&error), "live stream status unavailable");
                HashMap::new()
            }
        }
    }

    fn status_of(
        channel: &Channel,
        statuses: &HashMap<String, StreamStatus>,
    ) -> Option<StreamStatus> {
        if !channel.is_live() {
            return None;
        }
        channel
            .video
            .as_ref()
            .and_then(|v| statuses.get(&v.arn))
            .cloned()
    }

    async fn can_watch(&self, channel: &Channel, who: Option<&UserId>) -> DomainResult<bool> {
        if !channel.private {
            return Ok(true);
        }
        let Some(user) = who else { return Ok(false) };
        if channel.is_owned_by(user) {
            return Ok(true);
        }
        if self.active_ban(&channel.id, user).await?.is_some() {
            return Ok(false);
        }
        Ok(self
            .ports
            .channels
            .get_grant(&channel.id, user)
            .await?
            .is_some())
    }

    fn view(
        &self,
        channel: Channel,
        status: Option<StreamStatus>,
        who: Option<&UserId>,
        can_watch: bool,
    ) -> ChannelView {
        ChannelView {
            role: ChatRole::of(&channel, who),
            channel,
            status,
            can_watch,
        }
    }

    /// The live directory: live channels by viewers (most first), then the others by most recent
    /// activity.
    pub async fn directory(
        &self,
        cursor: Option<DirectoryCursor>,
        limit: usize,
    ) -> DomainResult<Page<ChannelView, DirectoryCursor>> {
        let statuses = self.statuses().await;
        let mut items = Vec::with_capacity(limit);
        let mut cursor = cursor.unwrap_or(DirectoryCursor::Live { offset: 0 });
        if let DirectoryCursor::Live { offset } = cursor {
            let mut live: Vec<ChannelView> = self
                .ports
                .channels
                .list_live_channels()
                .await?
                .into_iter()
                .map(|c| {
                    let status = Self::status_of(&c, &statuses);
                    self.view(c, status, None, true)
                })
                .collect();
            live.sort_by(|a, b| {
                b.viewer_count()
                    .cmp(&a.viewer_count())
                    .then(b.channel.live.started_at.cmp(&a.channel.live.started_at))
                    .then(a.channel.id.cmp(&b.channel.id))
            });
            let total = live.len();
            items.extend(live.into_iter().skip(offset).take(limit));
            if offset + items.len() < total {
                return Ok(Page {
                    items,
                    next: Some(DirectoryCursor::Live {
                        offset: offset + limit,
                    }),
                });
            }
            cursor = DirectoryCursor::Others(None);
        }
        let DirectoryCursor::Others(mut after) = cursor else {
            unreachable!("live section handled above")
        };
        while items.len() < limit {
            let page = self
                .ports
                .channels
                .list_channels(after.as_ref(), limit - items.len())
                .await?;
            items.extend(
                page.items
                    .into_iter()
                    .filter(|c| !c.is_live())
                    .map(|c| self.view(c, None, None, true)),
            );
            after = page.next;
            if after.is_none() {
                break;
            }
        }
        Ok(Page {
            items,
            next: after.map(|a| DirectoryCursor::Others(Some(a))),
        })
    }

    /// A channel's public page.
    pub async fn channel_page(
        &self,
        handle: &str,
        who: Option<&UserId>,
    ) -> DomainResult<ChannelView> {
        let channel = self.channel_by_handle(handle).await?;
        let status = if channel.is_live() {
            Self::status_of(&channel, &self.statuses().await)
        } else {
            None
        };
        let can_watch = self.can_watch(&channel, who).await?;
        Ok(self.view(channel, status, who, can_watch))
    }

    /// The caller's own channel, for the dashboard.
    pub async fn my_channel(&self, who: &Identity) -> DomainResult<ChannelView> {
        let account = self.ensure_account(who).await?;
        let status = if account.channel.is_live() {
            Self::status_of(&account.channel, &self.statuses().await)
        } else {
            None
        };
        Ok(self.view(account.channel, status, Some(&who.user_id), true))
    }

    pub async fn update_channel(
        &self,
        who: &Identity,
        change: ChannelChange,
    ) -> DomainResult<Channel> {
        let account = self.ensure_account(who).await?;
        let touches_video = change.touches_video(&account.channel);
        let (channel, _) = self
            .modify_channel(&account.channel.id, |c| {
                let before = c.clone();
                change.clone().apply(c);
                Ok(*c != before)
            })
            .await?;
        if touches_video && let Some(video) = &channel.video {
            self.ports
                .video
                .update_channel(video, &video_spec(&channel))
                .await?;
        }
        Ok(channel)
    }

    pub async fn ingest_settings(&self, who: &Identity) -> DomainResult<IngestSettings> {
        let channel = self.ensure_account(who).await?.channel;
        let video = channel
            .video
            .ok_or(DomainError::NotFound("video channel"))?;
        let stream_key = self.ports.video.get_stream_key(&video).await?;
        Ok(IngestSettings {
            server: video.ingest_server,
            stream_key,
        })
    }

    pub async fn reset_stream_key(&self, who: &Identity) -> DomainResult<IngestSettings> {
        let channel = self.ensure_account(who).await?.channel;
        let video = channel
            .video
            .ok_or(DomainError::NotFound("video channel"))?;
        let stream_key = self.ports.video.reset_stream_key(&video).await?;
        tracing::info!(channel = %channel.id, "stream key reset");
        Ok(IngestSettings {
            server: video.ingest_server,
            stream_key,
        })
    }

    // ---------------------------------------------------------------- chat

    async fn active_ban(&self, channel: &ChannelId, user: &UserId) -> DomainResult<Option<Ban>> {
        let ban = self.ports.chat.get_ban(channel, user).await?;
        Ok(ban.filter(|b| b.is_active(self.now())))
    }

    /// Mints a chat token for the caller in a channel's room. Capabilities come from the caller's
    /// role there (see [`ChatRole`]); banned users get none at all.
    pub async fn chat_token(
        &self,
        handle: &str,
        who: Option<&Identity>,
    ) -> DomainResult<IssuedChatToken> {
        let channel = self.channel_by_handle(handle).await?;
        let channel = self.provision(channel).await?;
        let user = who.map(|w| &w.user_id);
        if let Some(user) = user
            && let Some(ban) = self.active_ban(&channel.id, user).await?
        {
            return Err(DomainError::Banned {
                until: ban.expires_at,
            });
        }
        if !self.can_watch(&channel, user).await? {
            return Err(DomainError::Forbidden("this channel is private"));
        }
        let role = ChatRole::of(&channel, user);
        let (user_id, nickname, avatar) = match who {
            Some(who) => {
                let profile = self.ensure_account(who).await?.profile;
                (
                    who.user_id.clone(),
                    profile.nickname.as_str().to_owned(),
                    profile.avatar.as_str().to_owned(),
                )
            }
            None => (UserId::anonymous(), String::new(), String::new()),
        };
        let capabilities = role.capabilities();
        let mut attributes = BTreeMap::new();
        attributes.insert("nickname".to_owned(), nickname);
        attributes.insert("avatar".to_owned(), avatar);
        attributes.insert("role".to_owned(), role.as_str().to_owned());
        let request = ChatTokenRequest {
            room: channel
                .chat_room
                .clone()
                .ok_or(DomainError::NotFound("chat room"))?,
            user_id: user_id.clone(),
            capabilities: capabilities.clone(),
            session_duration_minutes: self.config.chat_session_minutes,
            attributes,
        };
        debug_assert!(request.attributes_size() <= MAX_TOKEN_ATTRIBUTES_BYTES);
        let token = self.ports.chat_service.create_token(&request).await?;
        Ok(IssuedChatToken {
            token,
            user_id,
            role,
            capabilities,
        })
    }

    /// Reviews one message (bans, the word filter, length) without storing it. When allowed,
    /// returns the message as history will keep it (possibly rewritten), timed now.
    pub async fn review(&self, input: ReviewInput) -> DomainResult<Reviewed> {
        let channel = self
            .ports
            .channels
            .find_channel_by_room(&input.room_arn)
            .await?
            .ok_or(DomainError::NotFound("chat room"))?;
        let ban = self.ports.chat.get_ban(&channel.id, &input.sender).await?;
        let now = self.now();
        Ok(
            match moderation::review(&input.content, &channel.chat_rules, ban.as_ref(), now) {
                ReviewOutcome::Deny(reason) => Reviewed::Deny(reason),
                ReviewOutcome::Allow { content } => Reviewed::Allow(StoredMessage {
                    channel_id: channel.id,
                    id: input.message_id,
                    sent_at: now,
                    sender: input.sender,
                    sender_attributes: input.sender_attributes,
                    content,
                    attributes: input.attributes,
                }),
            },
        )
    }

    /// Stores allowed messages for history (all or none), before they are delivered.
    pub async fn keep_messages(&self, messages: &[StoredMessage]) -> DomainResult<()> {
        Ok(self.ports.chat.append_messages(messages).await?)
    }

    /// Reviews one message for the IVS Chat review hook and, when it is allowed, stores it for
    /// history before IVS delivers it.
    pub async fn review_message(&self, input: ReviewInput) -> DomainResult<ReviewDecision> {
        match self.review(input).await? {
            Reviewed::Deny(reason) => Ok(ReviewDecision::Deny(reason)),
            Reviewed::Allow(message) => {
                self.keep_messages(std::slice::from_ref(&message)).await?;
                Ok(ReviewDecision::Allow {
                    content: message.content,
                    attributes: message.attributes,
                    sent_at: message.sent_at,
                })
            }
        }
    }

    /// The channel whose room is `room_arn`, for the chat server's per-room settings.
    pub async fn channel_for_room(&self, room_arn: &str) -> DomainResult<Channel> {
        self.ports
            .channels
            .find_channel_by_room(room_arn)
            .await?
            .ok_or(DomainError::NotFound("chat room"))
    }

    /// A channel's chat history, newest first, without deleted messages.
    pub async fn chat_history(
        &self,
        handle: &str,
        who: Option<&UserId>,
        before: Option<MessageCursor>,
        limit: usize,
    ) -> DomainResult<Page<StoredMessage, MessageCursor>> {
        let channel = self.channel_by_handle(handle).await?;
        if !self.can_watch(&channel, who).await? {
            return Err(DomainError::Forbidden("this channel is private"));
        }
        Ok(self
            .ports
            .chat
            .list_messages(&channel.id, before.as_ref(), limit)
            .await?)
    }

    /// The owner removes a message from their chat, for everyone and from history.
    pub async fn delete_message(
        &self,
        who: &Identity,
        id: &MessageId,
        reason: &str,
    ) -> DomainResult<()> {
        let reason = moderation::parse_reason(reason)?;
        let channel = self.ensure_account(who).await?.channel;
        self.ports
            .chat
            .delete_message(&channel.id, id, self.now())
            .await?;
        if let Some(room) = &channel.chat_room {
            self.ports
                .chat_service
                .delete_message(room, id, &reason)
                .await?;
        }
        Ok(())
    }

    /// Records a deletion made directly over the chat protocol (the local chat server calls this).
    pub async fn record_deletion(&self, room_arn: &str, id: &MessageId) -> DomainResult<()> {
        let channel = self.channel_for_room(room_arn).await?;
        self.ports
            .chat
            .delete_message(&channel.id, id, self.now())
            .await?;
        Ok(())
    }

    /// Bans a user from the caller's chat (for `duration`, or for good) and disconnects them.
    pub async fn ban(
        &self,
        who: &Identity,
        target: &UserId,
        duration: Option<Duration>,
        reason: Option<&str>,
    ) -> DomainResult<Ban> {
        let reason = reason.map(moderation::parse_reason).transpose()?;
        if duration.is_some_and(|d| d <= Duration::ZERO || d > Duration::days(3650)) {
            return Err(DomainError::invalid(
                "invalid_duration",
                "a ban lasts 1 minute to 10 years",
            ));
        }
        let channel = self.ensure_account(who).await?.channel;
        if &who.user_id == target {
            return Err(DomainError::invalid(
                "invalid_target",
                "you cannot ban yourself",
            ));
        }
        let nickname = self
            .ports
            .channels
            .get_profile(target)
            .await?
            .map(|p| p.nickname.as_str().to_owned())
            .unwrap_or_else(|| target.as_str().to_owned());
        let now = self.now();
        let ban = Ban {
            channel_id: channel.id.clone(),
            user_id: target.clone(),
            nickname,
            reason: reason.clone(),
            banned_by: who.user_id.clone(),
            created_at: now,
            expires_at: duration.map(|d| now + d),
        };
        self.ports.chat.put_ban(&ban).await?;
        if let Some(room) = &channel.chat_room {
            let why = reason.as_deref().unwrap_or("banned by the channel owner");
            self.ports
                .chat_service
                .disconnect_user(room, target, why)
                .await?;
        }
        tracing::info!(channel = %channel.id, user = %target, "user banned");
        Ok(ban)
    }

    pub async fn unban(&self, who: &Identity, target: &UserId) -> DomainResult<()> {
        let channel = self.ensure_account(who).await?.channel;
        if !self.ports.chat.remove_ban(&channel.id, target).await? {
            return Err(DomainError::NotFound("ban"));
        }
        Ok(())
    }

    /// The caller's bans that are still in force.
    pub async fn bans(&self, who: &Identity) -> DomainResult<Vec<Ban>> {
        let channel = self.ensure_account(who).await?.channel;
        let now = self.now();
        let mut bans: Vec<Ban> = self
            .ports
            .chat
            .list_bans(&channel.id)
            .await?
            .into_iter()
            .filter(|b| b.is_active(now))
            .collect();
        bans.sort_by_key(|b| std::cmp::Reverse(b.created_at));
        Ok(bans)
    }

    pub async fn update_chat_rules(
        &self,
        who: &Identity,
        rules: ChatRules,
    ) -> DomainResult<Channel> {
        rules.validate()?;
        let account = self.ensure_account(who).await?;
        if let Some(room) = &account.channel.chat_room {
            self.ports.chat_service.update_room(room, &rules).await?;
        }
        self.modify_channel(&account.channel.id, |c| {
            let changed = c.chat_rules != rules;
            c.chat_rules = rules.clone();
            Ok(changed)
        })
        .await
        .map(|(channel, _)| channel)
    }

    // ---------------------------------------------------------------- private playback

    /// The URL the caller loads in the player: with a signed token for private channels.
    pub async fn playback(
        &self,
        handle: &str,
        who: Option<&UserId>,
    ) -> DomainResult<PlaybackAccess> {
        let channel = self.channel_by_handle(handle).await?;
        let video = channel
            .video
            .clone()
            .ok_or(DomainError::NotFound("video channel"))?;
        if !channel.private {
            return Ok(PlaybackAccess {
                url: video.playback_url,
                token: None,
                expires_at: None,
            });
        }
        if who.is_none() {
            return Err(DomainError::Unauthenticated);
        }
        if !self.can_watch(&channel, who).await? {
            return Err(DomainError::Forbidden(
                "the owner has not allowed you to watch this channel",
            ));
        }
        let expires_at = self.now() + self.config.playback_token_ttl;
        let token = self.ports.playback.sign(&PlaybackClaims {
            channel_arn: video.arn.clone(),
            allowed_origin: self.config.site_origin.clone(),
            viewer_id: who.map(viewer_id_for),
            expires_at,
        })?;
        let separator = if video.playback_url.contains('?') {
            '&'
        } else {
            '?'
        };
        Ok(PlaybackAccess {
            url: format!("{}{separator}token={token}", video.playback_url),
            token: Some(token),
            expires_at: Some(expires_at),
        })
    }

    pub async fn grant_viewer(
        &self,
        who: &Identity,
        viewer_handle: &str,
    ) -> DomainResult<ViewerGrant> {
        let channel = self.ensure_account(who).await?.channel;
        let viewer = self.channel_by_handle(viewer_handle).await?;
        if viewer.owner == who.user_id {
            return Err(DomainError::invalid(
                "invalid_target",
                "you can always watch your own channel",
            ));
        }
        let grant = ViewerGrant {
            channel_id: channel.id,
            user_id: viewer.owner,
            handle: viewer.handle.as_str().to_owned(),
            granted_at: self.now(),
        };
        self.ports.channels.put_grant(&grant).await?;
        Ok(grant)
    }

    pub async fn revoke_viewer(&self, who: &Identity, viewer_handle: &str) -> DomainResult<()> {
        let channel = self.ensure_account(who).await?.channel;
        let viewer = self.channel_by_handle(viewer_handle).await?;
        if !self
            .ports
            .channels
            .remove_grant(&channel.id, &viewer.owner)
            .await?
        {
            return Err(DomainError::NotFound("viewer"));
        }
        Ok(())
    }

    pub async fn viewers(&self, who: &Identity) -> DomainResult<Vec<ViewerGrant>> {
        let channel = self.ensure_account(who).await?.channel;
        Ok(self.ports.channels.list_grants(&channel.id).await?)
    }

    // ---------------------------------------------------------------- platform events

    /// Applies a stream-state event. Returns whether the live state changed. Unknown channels are
    /// ignored (their events may arrive after a deletion).
    pub async fn handle_stream_event(&self, event: &StreamEvent) -> DomainResult<bool> {
        if self
            .ports
            .channels
            .get_channel(&event.channel_id)
            .await?
            .is_none()
        {
            tracing::warn!(channel = %event.channel_id, "stream event for an unknown channel");
            return Ok(false);
        }
        let (channel, changed) = self
            .modify_channel(&event.channel_id, |c| match live::apply(&c.live, event) {
                Some(next) => {
                    c.live = next;
                    Ok(true)
                }
                None => Ok(false),
            })
            .await?;
        if changed && let Some(room) = &channel.chat_room {
            // Tell everyone in the chat at once; best effort, pages also refresh on their own.
            let name = if channel.is_live() {
                "app:STREAM_START"
            } else {
                "app:STREAM_END"
            };
            let mut attributes = BTreeMap::new();
            attributes.insert("streamId".to_owned(), event.stream_id.as_str().to_owned());
            if let Err(error) = self
                .ports
                .chat_service
                .send_event(room, name, &attributes)
                .await
            {
                tracing::warn!(error = %error, "could not announce the stream state in chat");
            }
        }
        Ok(changed)
    }

    /// Applies a recording-state event: keeps the past broadcast record, and the live thumbnail.
    pub async fn handle_recording_event(&self, event: &RecordingEvent) -> DomainResult<bool> {
        let Some(channel) = self.ports.channels.get_channel(&event.channel_id).await? else {
            tracing::warn!(channel = %event.channel_id, "recording event for an unknown channel");
            return Ok(false);
        };
        let mut changed = false;
        for _ in 0..MAX_RETRIES {
            let existing = self
                .ports
                .recordings
                .get_recording(&event.recording_id)
                .await?;
            let Some(next) = recording::merge(existing.as_ref(), event, &channel) else {
                break;
            };
            match self
                .ports
                .recordings
                .put_recording(&next, existing.as_ref())
                .await
            {
                Ok(()) => {
                    changed = true;
                    break;
                }
                Err(WriteError::VersionMismatch) => continue,
                Err(WriteError::Port(e)) => return Err(e.into()),
                Err(other) => return Err(DomainError::conflict("recording", other.to_string())),
            }
        }
        if let Some(thumbnail) = &event.live_thumbnail_url {
            self.modify_channel(&channel.id, |c| {
                let current = event.stream_id.is_none() || c.live.stream_id == event.stream_id;
                let update = current && c.live.thumbnail_url.as_ref() != Some(thumbnail);
                if update {
                    c.live.thumbnail_url = Some(thumbnail.clone());
                }
                Ok(update)
            })
            .await?;
        }
        Ok(changed)
    }

    // ---------------------------------------------------------------- past broadcasts

    /// One channel's past broadcasts (private ones only for the owner), with the channel.
    pub async fn channel_recordings(
        &self,
        handle: &str,
        who: Option<&UserId>,
        after: Option<RecordingCursor>,
        limit: usize,
    ) -> DomainResult<(Page<Recording, RecordingCursor>, Channel)> {
        let channel = self.channel_by_handle(handle).await?;
        if !self.can_watch(&channel, who).await? {
            return Err(DomainError::Forbidden("this channel is private"));
        }
        let owner = who.is_some_and(|u| channel.is_owned_by(u));
        let mut page = self
            .ports
            .recordings
            .list_channel_recordings(&channel.id, after.as_ref(), limit)
            .await?;
        page.items.retain(|r| owner || !r.private);
        Ok((page, channel))
    }

    /// Recent past broadcasts of every public channel, each with its channel.
    pub async fn recent_recordings(
        &self,
        mut after: Option<RecordingCursor>,
        limit: usize,
    ) -> DomainResult<Page<(Recording, Channel), RecordingCursor>> {
        let mut items = Vec::with_capacity(limit);
        let mut channels: HashMap<ChannelId, Option<Channel>> = HashMap::new();
        while items.len() < limit {
            let page = self
                .ports
                .recordings
                .list_recent_recordings(after.as_ref(), limit - items.len())
                .await?;
            for recording in page.items.into_iter().filter(|r| !r.private) {
                if !channels.contains_key(&recording.channel_id) {
                    let channel = self
                        .ports
                        .channels
                        .get_channel(&recording.channel_id)
                        .await?;
                    channels.insert(recording.channel_id.clone(), channel);
                }
                // Recordings of deleted channels are not listed.
                if let Some(Some(channel)) = channels.get(&recording.channel_id) {
                    items.push((recording, channel.clone()));
                }
            }
            after = page.next;
            if after.is_none() {
                break;
            }
        }
        Ok(Page { items, next: after })
    }

    pub async fn recording(
        &self,
        id: &RecordingId,
        who: Option<&UserId>,
    ) -> DomainResult<(Recording, Channel)> {
        let recording = self
            .ports
            .recordings
            .get_recording(id)
            .await?
            .ok_or(DomainError::NotFound("recording"))?;
        let channel = self
            .ports
            .channels
            .get_channel(&recording.channel_id)
            .await?
            .ok_or(DomainError::NotFound("recording"))?;
        let owner = who.is_some_and(|u| channel.is_owned_by(u));
        if recording.private && !owner {
            return Err(DomainError::NotFound("recording"));
        }
        Ok((recording, channel))
    }
}

fn video_spec(channel: &Channel) -> VideoChannelSpec {
    VideoChannelSpec {
        name: channel.id.clone(),
        latency: channel.latency,
        private: channel.private,
        recording: channel.recording,
    }
}
