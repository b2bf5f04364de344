//! The platform: the ports every use case works through, and the look-ups they share (the
//! caller's account, a channel by its handle, who may watch, who is banned). The use cases
//! themselves live in [`crate::use_cases`], one area per module.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use time::{Duration, OffsetDateTime};

use crate::channel::Channel;
use crate::error::{DomainError, DomainResult, WriteError};
use crate::handle::ChannelHandle;
use crate::identity::Identity;
use crate::ids::random_alphanumeric;
use crate::ids::{ChannelId, UserId};
use crate::limits::{RateLimit, Turn};
use crate::moderation::Ban;
use crate::outbound::OutboundDestinations;
use crate::ports::{
    BlockRepository, ChannelRepository, ChatRepository, ChatRoomSpec, ChatService, ClipRepository,
    Clock, EmailSender, FollowRepository, GoLiveAnnouncer, NotificationRepository, PlaybackSigner,
    PollRepository, PresenceRegistry, PublicFiles, PushSender, PushSubscriptionRepository,
    RateCounter, RecordingAccess, RecordingFiles, RecordingRepository, ReportRepository,
    VideoAnnouncer, VideoChannelSpec, VideoProcessing, VideoRepository, VideoService, VideoUploads,
    WebhookRepository, WebhookSender,
};
use crate::profile::{Avatar, Language, Nickname, NotificationPreferences, Profile};

/// The ports, once, for every use case.
#[derive(Clone)]
pub struct Ports {
    pub channels: Arc<dyn ChannelRepository>,
    pub chat: Arc<dyn ChatRepository>,
    pub recordings: Arc<dyn RecordingRepository>,
    pub clips: Arc<dyn ClipRepository>,
    pub videos: Arc<dyn VideoRepository>,
    pub video_uploads: Arc<dyn VideoUploads>,
    pub video_processing: Arc<dyn VideoProcessing>,
    pub follows: Arc<dyn FollowRepository>,
    pub blocks: Arc<dyn BlockRepository>,
    pub polls: Arc<dyn PollRepository>,
    pub notifications: Arc<dyn NotificationRepository>,
    pub webhooks: Arc<dyn WebhookRepository>,
    pub reports: Arc<dyn ReportRepository>,
    pub webhook_sender: Arc<dyn WebhookSender>,
    pub go_live: Arc<dyn GoLiveAnnouncer>,
    pub video_ready: Arc<dyn VideoAnnouncer>,
    pub email: Arc<dyn EmailSender>,
    pub push_subscriptions: Arc<dyn PushSubscriptionRepository>,
    pub push: Arc<dyn PushSender>,
    pub video: Arc<dyn VideoService>,
    pub chat_service: Arc<dyn ChatService>,
    pub presence: Arc<dyn PresenceRegistry>,
    pub files: Arc<dyn PublicFiles>,
    pub recording_files: Arc<dyn RecordingFiles>,
    pub playback: Arc<dyn PlaybackSigner>,
    pub recording_access: Arc<dyn RecordingAccess>,
    pub rates: Arc<dyn RateCounter>,
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
    /// How long the URLs of private recordings handed to an allowed viewer keep working: long
    /// enough to watch a long broadcast, short enough that a shared URL soon stops working.
    pub recording_access_ttl: Duration,
    /// Where streamers' webhooks may point (public `https` only unless a test says otherwise).
    pub outbound_destinations: OutboundDestinations,
    /// How long one stream start may spend emailing and pushing to followers before it stops
    /// (and says so): inside the go-live function's time limit, so a channel with more followers
    /// than the sending rates allow in that time never times out, which would make Lambda's retry
    /// send the first messages again.
    pub follower_time_budget: Duration,
    /// The public half of our VAPID key (base64url, an uncompressed P-256 point), which browsers
    /// subscribe with; `None` where push is not set up (no key), and then no browser can be.
    pub push_public_key: Option<String>,
}

impl Default for PlatformConfig {
    fn default() -> Self {
        Self {
            chat_session_minutes: 60,
            playback_token_ttl: Duration::minutes(10),
            site_origin: "*".to_owned(),
            recording_access_ttl: Duration::hours(6),
            outbound_destinations: OutboundDestinations::PublicHttpsOnly,
            follower_time_budget: Duration::minutes(4),
            push_public_key: None,
        }
    }
}

/// Cloumer's use cases, on whichever adapters the binary wired in.
#[derive(Clone)]
pub struct Platform {
    pub(crate) ports: Ports,
    pub(crate) config: PlatformConfig,
    /// Counts the channel writes this process made (see [`Platform::channels_generation`]).
    channel_writes: Arc<AtomicU64>,
}

/// A user's own profile and channel.
#[derive(Clone, Debug)]
pub struct Account {
    pub profile: Profile,
    pub channel: Channel,
}

/// Optimistic updates retry this often before giving up (only under heavy contention).
pub(crate) const MAX_RETRIES: usize = 8;
/// Listing pages are 1–100 items.
pub const MAX_PAGE: usize = 100;

/// Refused for everyone but the platform's staff (the identity provider's staff group).
pub(crate) fn refuse_non_staff(who: &Identity) -> DomainResult<()> {
    if who.staff {
        Ok(())
    } else {
        Err(DomainError::Forbidden(
            "only the platform's staff may do this",
        ))
    }
}

/// A listing's page size: `default` when the caller gave none, else 1–[`MAX_PAGE`].
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
        Self {
            ports,
            config,
            channel_writes: Arc::default(),
        }
    }

    /// A number that changes whenever this process changes a channel (created, renamed, gone
    /// live, …): adapters that keep rendered listings compare it to know they are stale. Writes
    /// by other processes (other Lambda instances) do not move it, so such copies also need a
    /// short lifetime.
    pub fn channels_generation(&self) -> u64 {
        self.channel_writes.load(Ordering::Acquire)
    }

    fn channel_written(&self) {
        self.channel_writes.fetch_add(1, Ordering::AcqRel);
    }

    /// The platform's time: the clock every use case reads, for callers that stamp events.
    pub fn now(&self) -> OffsetDateTime {
        self.ports.clock.now()
    }

    /// Those of the channels `ids` that exist, by id, read together.
    pub(crate) async fn channels_by_id(
        &self,
        ids: &[ChannelId],
    ) -> DomainResult<HashMap<ChannelId, Channel>> {
        let channels = self.ports.channels.get_channels(ids).await?;
        Ok(channels
            .into_iter()
            .map(|channel| (channel.id.clone(), channel))
            .collect())
    }

    /// The channels of `owners` who have one, by owner: for lists of people that show each
    /// one's channel (blocks, followers).
    pub(crate) async fn channels_of_owners(
        &self,
        owners: &[UserId],
    ) -> DomainResult<HashMap<UserId, Channel>> {
        let channels = self.ports.channels.find_channels_by_owners(owners).await?;
        Ok(channels
            .into_iter()
            .map(|channel| (channel.owner.clone(), channel))
            .collect())
    }

    /// Makes sure a signed-in user has a profile and a provisioned channel, creating what is
    /// missing. Called by the sign-up confirmation trigger and, as a safety net, by every
    /// signed-in request that needs the account. Idempotent and safe to race.
    pub async fn ensure_account(&self, who: &Identity) -> DomainResult<Account> {
        // Both are read on every signed-in request that needs the account: together, one round
        // trip to the store.
        let (profile, channel) = futures_util::future::join(
            self.ports.channels.get_profile(&who.user_id),
            self.ports.channels.find_channel_by_owner(&who.user_id),
        )
        .await;
        let profile = match profile? {
            Some(mut profile) => {
                // Written only when something changed: the address (changed at the identity
                // provider), or an account from before unsubscribe links.
                let email_changed = who.email.is_some() && who.email != profile.email;
                let tokenless = profile.notifications.unsubscribe_token.is_none();
                if email_changed || tokenless {
                    if email_changed {
                        profile.email = who.email.clone();
                    }
                    profile
                        .notifications
                        .unsubscribe_token
                        .get_or_insert_with(|| random_alphanumeric(32));
                    self.ports.channels.put_profile(&profile).await?;
                }
                profile
            }
            None => {
                self.refuse_erased(who).await?;
                let profile = new_profile(who);
                self.ports.channels.put_profile(&profile).await?;
                profile
            }
        };
        let channel = match channel? {
            Some(channel) => channel,
            None => {
                self.refuse_erased(who).await?;
                self.create_channel(who, &profile).await?
            }
        };
        let channel = self.provision(channel).await?;
        Ok(Account { profile, channel })
    }

    /// A deleted account's tokens work until they expire: they make nothing anew, also while
    /// the account is being erased. Asked before creating an account's records (rare), and by
    /// the few signed-in use cases that write something of the caller's without reading their
    /// account (a follow, a block, a vote); never on the way of the hot paths.
    pub(crate) async fn refuse_erased(&self, who: &Identity) -> DomainResult<()> {
        if self.ports.channels.was_erased(&who.user_id).await? {
            return Err(DomainError::AccountDeleted);
        }
        Ok(())
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
                    self.channel_written();
                    tracing::info!(channel = %channel.id, handle = %channel.handle, "channel created");
                    return Ok(channel);
                }
                Err(WriteError::HandleTaken | WriteError::VersionMismatch) => continue,
                Err(WriteError::ChannelExists) => {
                    return self
                        .ports
                        .channels
                        .find_channel_by_owner(&who.user_id)
                        .await?
                        .ok_or(DomainError::NotFound("channel"));
                }
                Err(WriteError::Port(e)) => return Err(e.into()),
            }
        }
        Err(DomainError::conflict(
            "handle_taken",
            "no free handle could be found; choose another one",
        ))
    }

    /// Creates the channel's video resource and chat room if they are missing.
    pub(crate) async fn provision(&self, channel: Channel) -> DomainResult<Channel> {
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
    pub(crate) async fn modify_channel(
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
                Ok(()) => {
                    self.channel_written();
                    return Ok((channel, true));
                }
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

    /// The channel with this handle. A malformed handle is simply not found.
    pub(crate) async fn channel_by_handle(&self, raw: &str) -> DomainResult<Channel> {
        let handle = ChannelHandle::parse(raw).map_err(|_| DomainError::NotFound("channel"))?;
        self.ports
            .channels
            .find_channel_by_handle(&handle)
            .await?
            .ok_or(DomainError::NotFound("channel"))
    }

    /// The channel whose chat room is `room_arn` (the chat review only knows the room).
    pub(crate) async fn channel_of_room(&self, room_arn: &str) -> DomainResult<Channel> {
        self.ports
            .channels
            .find_channel_by_room(room_arn)
            .await?
            .ok_or(DomainError::NotFound("chat room"))
    }

    /// Whether `who` may watch `channel`: anyone for a public channel; for a private one, its
    /// owner and the viewers it granted, unless they are banned.
    pub(crate) async fn can_watch(
        &self,
        channel: &Channel,
        who: Option<&UserId>,
    ) -> DomainResult<bool> {
        if !channel.private {
            return Ok(true);
        }
        self.is_allowed_viewer(channel, who).await
    }

    /// Who may watch a channel's private video, live or recorded: its owner, and the viewers the
    /// owner granted it to (unless banned).
    pub(crate) async fn is_allowed_viewer(
        &self,
        channel: &Channel,
        who: Option<&UserId>,
    ) -> DomainResult<bool> {
        let Some(user) = who else { return Ok(false) };
        if channel.is_owned_by(user) {
            return Ok(true);
        }
        // A timeout keeps a viewer from sending, not from watching.
        if self
            .active_ban(&channel.id, user)
            .await?
            .is_some_and(|ban| !ban.timeout)
        {
            return Ok(false);
        }
        Ok(self
            .ports
            .channels
            .get_grant(&channel.id, user)
            .await?
            .is_some())
    }

    /// Takes one of `key`'s turns under `limit`; false when `limit` allows none now.
    pub(crate) async fn within(&self, key: &str, limit: RateLimit) -> DomainResult<bool> {
        Ok(self.ports.rates.take_turn(key, self.now(), limit).await? == Turn::Taken)
    }

    /// Takes one of `key`'s turns under `limit`; refused (`RateLimited`, with when to try
    /// again) when it allows none now.
    pub(crate) async fn rate_limit(&self, key: &str, limit: RateLimit) -> DomainResult<()> {
        match self.ports.rates.take_turn(key, self.now(), limit).await? {
            Turn::Taken => Ok(()),
            Turn::Refused { retry_after } => Err(DomainError::rate_limited(retry_after)),
        }
    }

    /// Counts one change of the caller's channel settings against
    /// [`CHANNEL_CHANGES`](crate::limits::CHANNEL_CHANGES), which they all share.
    pub(crate) async fn count_channel_change(&self, who: &Identity) -> DomainResult<()> {
        self.rate_limit(
            &format!("channel-changes:{}", who.user_id),
            crate::limits::CHANNEL_CHANGES,
        )
        .await
    }

    /// Sends the channel's chat room the event `event`, if it has a room, as news that may be
    /// missed: a failure is logged, not returned (what it tells of is saved already, and clients
    /// learn it with their next token).
    pub(crate) async fn tell_room_event(
        &self,
        channel: &Channel,
        event: &str,
        attributes: &std::collections::BTreeMap<String, String>,
    ) {
        let Some(room) = &channel.chat_room else {
            return;
        };
        if let Err(error) = self
            .ports
            .chat_service
            .send_event(room, event, attributes)
            .await
        {
            tracing::warn!(%error, event, "telling the chat room failed");
        }
    }

    /// The user's ban from the channel's chat, if one is in force now.
    pub(crate) async fn active_ban(
        &self,
        channel: &ChannelId,
        user: &UserId,
    ) -> DomainResult<Option<Ban>> {
        let ban = self.ports.chat.get_ban(channel, user).await?;
        Ok(ban.filter(|b| b.is_active(self.now())))
    }
}

/// A first profile from what the identity provider knows.
fn new_profile(who: &Identity) -> Profile {
    let nickname = who
        .nickname
        .as_deref()
        .and_then(|n| Nickname::parse(n).ok())
        .or_else(|| Nickname::parse(&who.username).ok())
        .unwrap_or_else(|| Nickname::parse("viewer").expect("a valid nickname"));
    Profile {
        avatar: Avatar::default_for(&who.user_id),
        user_id: who.user_id.clone(),
        username: who.username.clone(),
        nickname,
        language: Language::default(),
        email: who.email.clone(),
        notifications: NotificationPreferences {
            unsubscribe_token: Some(random_alphanumeric(32)),
            ..NotificationPreferences::default()
        },
    }
}

/// How the video service should configure a channel's video resource.
pub(crate) fn video_spec(channel: &Channel) -> VideoChannelSpec {
    VideoChannelSpec {
        name: channel.id.clone(),
        latency: channel.latency,
        channel_type: channel.channel_type,
        private: channel.private,
        recording: channel.recording,
    }
}
