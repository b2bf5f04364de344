//! A platform on the real embedded store in a temporary directory, a clock the test moves, and
//! video and chat services that keep what the domain told them, so tests can check it.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use cloumer_domain::channel::{Channel, ChannelChange, ChatRoom, VideoChannel};
use cloumer_domain::chat::{ChatToken, ChatTokenRequest, StoredMessage};
use cloumer_domain::chat_rules::ChatRules;
use cloumer_domain::error::PortResult;
use cloumer_domain::ids::{ChannelId, MessageId, StreamId, UserId, VideoId};
use cloumer_domain::limits::{RateLimit, Turn};
use cloumer_domain::live::{StreamEvent, StreamEventKind};
use cloumer_domain::media::{MediaInfo, Refusal};
use cloumer_domain::notification::{EmailReport, GoLive, GoLiveEmail};
use cloumer_domain::platform::Account;
use cloumer_domain::playback::PlaybackClaims;
use cloumer_domain::ports::{
    ChatRoomSpec, ChatService, ClipPicture, EmailSender, GoLiveAnnouncer, PlaybackSigner,
    PresenceRegistry, PublicFiles, PushSender, RateCounter, RecordingAccess, RecordingFiles,
    StreamHealth, StreamKey, StreamStatus, VideoChannelSpec, VideoService, WebhookSender,
};
use cloumer_domain::ports::{VideoAnnouncer, VideoProcessing, VideoUploads};
use cloumer_domain::presence::{Presence, Visitor};
use cloumer_domain::profile::Language;
use cloumer_domain::push::{PushOutcome, PushSubscription};
use cloumer_domain::recording::Recording;
use cloumer_domain::testkit::ManualClock;
use cloumer_domain::use_cases::message_review::{ReviewInput, Verdict};
use cloumer_domain::video::{UploadedPart, VideoReady, VideoReadyEmail};
use cloumer_domain::webhook::{DeliveryReport, Webhook};
use cloumer_domain::{Identity, Platform, PlatformConfig, Ports};
use cloumer_store_embedded::EmbeddedStore;
use time::{Duration, OffsetDateTime};

pub fn start() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap()
}

/// The video service's side: channels it made, their keys, and the streams it reports live.
#[derive(Default)]
pub struct Video {
    pub specs: Mutex<HashMap<String, VideoChannelSpec>>,
    pub keys: Mutex<HashMap<String, String>>,
    pub live: Mutex<Vec<StreamStatus>>,
    /// Channels whose stream the domain stopped.
    pub stopped: Mutex<Vec<String>>,
    /// Channels the domain deleted.
    pub deleted: Mutex<Vec<String>>,
}

#[async_trait]
impl VideoService for Video {
    async fn create_channel(&self, spec: &VideoChannelSpec) -> PortResult<VideoChannel> {
        let arn = format!("arn:test:ivs:channel/{}", spec.name);
        self.specs.lock().unwrap().insert(arn.clone(), spec.clone());
        self.keys
            .lock()
            .unwrap()
            .entry(arn.clone())
            .or_insert_with(|| format!("sk_test_{}", spec.name));
        Ok(VideoChannel {
            arn,
            ingest_server: "rtmps://ingest.test:443/app/".into(),
            playback_url: format!("https://play.test/{}.m3u8", spec.name),
        })
    }

    async fn update_channel(
        &self,
        video: &VideoChannel,
        spec: &VideoChannelSpec,
    ) -> PortResult<()> {
        self.specs
            .lock()
            .unwrap()
            .insert(video.arn.clone(), spec.clone());
        Ok(())
    }

    async fn get_stream_key(&self, video: &VideoChannel) -> PortResult<StreamKey> {
        Ok(StreamKey(self.keys.lock().unwrap()[&video.arn].clone()))
    }

    async fn reset_stream_key(&self, video: &VideoChannel) -> PortResult<StreamKey> {
        let mut keys = self.keys.lock().unwrap();
        let key = format!("{}+", keys[&video.arn]);
        keys.insert(video.arn.clone(), key.clone());
        Ok(StreamKey(key))
    }

    async fn stop_stream(&self, video: &VideoChannel) -> PortResult<()> {
        self.stopped.lock().unwrap().push(video.arn.clone());
        Ok(())
    }

    async fn live_streams(&self) -> PortResult<Vec<StreamStatus>> {
        Ok(self.live.lock().unwrap().clone())
    }

    async fn delete_channel(&self, video: &VideoChannel) -> PortResult<()> {
        self.keys.lock().unwrap().remove(&video.arn);
        self.live
            .lock()
            .unwrap()
            .retain(|stream| stream.channel_arn != video.arn);
        self.deleted.lock().unwrap().push(video.arn.clone());
        Ok(())
    }
}

/// What the domain asked of the chat service, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChatCall {
    CreateRoom(String),
    UpdateRoom(String, ChatRules),
    Token(ChatTokenRequest),
    Delete(String, MessageId, String),
    Disconnect(String, UserId, String),
    Event(String, String, BTreeMap<String, String>),
    DeleteRoom(String),
}

#[derive(Default)]
pub struct Chat {
    pub calls: Mutex<Vec<ChatCall>>,
}

impl Chat {
    pub fn calls(&self) -> Vec<ChatCall> {
        self.calls.lock().unwrap().clone()
    }

    fn record(&self, call: ChatCall) {
        self.calls.lock().unwrap().push(call);
    }
}

#[async_trait]
impl ChatService for Chat {
    async fn create_room(&self, spec: &ChatRoomSpec) -> PortResult<ChatRoom> {
        let arn = format!("arn:test:ivschat:room/{}", spec.name);
        self.record(ChatCall::CreateRoom(arn.clone()));
        Ok(ChatRoom { arn })
    }

    async fn update_room(&self, room: &ChatRoom, rules: &ChatRules) -> PortResult<()> {
        self.record(ChatCall::UpdateRoom(room.arn.clone(), rules.clone()));
        Ok(())
    }

    async fn create_token(&self, request: &ChatTokenRequest) -> PortResult<ChatToken> {
        self.record(ChatCall::Token(request.clone()));
        Ok(ChatToken {
            token: format!("token-for-{}", request.user_id),
            endpoint: "wss://chat.test".into(),
            token_expiration_time: start(),
            session_expiration_time: start(),
        })
    }

    async fn delete_message(
        &self,
        room: &ChatRoom,
        id: &MessageId,
        reason: &str,
    ) -> PortResult<()> {
        self.record(ChatCall::Delete(
            room.arn.clone(),
            id.clone(),
            reason.into(),
        ));
        Ok(())
    }

    async fn disconnect_user(
        &self,
        room: &ChatRoom,
        user: &UserId,
        reason: &str,
    ) -> PortResult<()> {
        self.record(ChatCall::Disconnect(
            room.arn.clone(),
            user.clone(),
            reason.into(),
        ));
        Ok(())
    }

    async fn send_event(
        &self,
        room: &ChatRoom,
        name: &str,
        attributes: &BTreeMap<String, String>,
    ) -> PortResult<()> {
        self.record(ChatCall::Event(
            room.arn.clone(),
            name.into(),
            attributes.clone(),
        ));
        Ok(())
    }

    async fn delete_room(&self, room: &ChatRoom) -> PortResult<()> {
        self.record(ChatCall::DeleteRoom(room.arn.clone()));
        Ok(())
    }
}

/// Rate counters in memory (the local stack's are the same; DynamoDB's are tested against moto).
#[derive(Default)]
pub struct Rates(Mutex<HashMap<String, OffsetDateTime>>);

#[async_trait]
impl RateCounter for Rates {
    async fn take_turn(
        &self,
        key: &str,
        now: OffsetDateTime,
        limit: RateLimit,
    ) -> PortResult<Turn> {
        let mut used_until = self.0.lock().unwrap();
        Ok(limit.take_in(&mut used_until, key, now))
    }
}

/// The site's public files, kept in memory; `fail_puts` makes writing them fail (a full disk,
/// S3 down), `fail_deletes` removing them.
#[derive(Default)]
pub struct Files {
    pub kept: Mutex<BTreeMap<String, (Vec<u8>, String)>>,
    pub fail_puts: std::sync::atomic::AtomicBool,
    pub fail_deletes: std::sync::atomic::AtomicBool,
    /// Clips get no picture of their own (the video service has none).
    pub no_pictures: std::sync::atomic::AtomicBool,
}

impl Files {
    pub fn keys(&self) -> Vec<String> {
        self.kept.lock().unwrap().keys().cloned().collect()
    }
}

#[async_trait]
impl PublicFiles for Files {
    async fn put(&self, key: &str, bytes: &[u8], content_type: &str) -> PortResult<()> {
        if self.fail_puts.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(cloumer_domain::PortError::new("put", "the disk is full"));
        }
        self.kept
            .lock()
            .unwrap()
            .insert(key.to_owned(), (bytes.to_vec(), content_type.to_owned()));
        Ok(())
    }

    async fn delete(&self, key: &str) -> PortResult<()> {
        if self.fail_deletes.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(cloumer_domain::PortError::new("delete", "unreachable"));
        }
        self.kept.lock().unwrap().remove(key);
        Ok(())
    }
}

/// A recording's files are the kept keys under `recordings/<recording id>/`.
impl Files {
    fn playlist_key(recording: &Recording, path: &str) -> String {
        format!("recordings/{}/{path}", recording.id)
    }

    /// Keeps a playlist of a recording, as its recorder would have written it.
    pub fn put_playlist(&self, recording: &str, path: &str, text: &str) {
        self.kept.lock().unwrap().insert(
            format!("recordings/{recording}/{path}"),
            (
                text.as_bytes().to_vec(),
                "application/vnd.apple.mpegurl".into(),
            ),
        );
    }

    /// A kept playlist's text.
    pub fn playlist(&self, recording: &str, path: &str) -> Option<String> {
        let key = format!("recordings/{recording}/{path}");
        let kept = self.kept.lock().unwrap();
        kept.get(&key)
            .map(|(bytes, _)| String::from_utf8(bytes.clone()).unwrap())
    }
}

#[async_trait]
impl RecordingFiles for Files {
    async fn read_playlist(&self, recording: &Recording, path: &str) -> PortResult<Option<String>> {
        Ok(self.playlist(recording.id.as_str(), path))
    }

    async fn write_playlist(
        &self,
        recording: &Recording,
        path: &str,
        text: &str,
    ) -> PortResult<()> {
        if self.fail_puts.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(cloumer_domain::PortError::new("put", "the disk is full"));
        }
        self.put_playlist(recording.id.as_str(), path, text);
        Ok(())
    }

    /// A picture file named for the clip, at a URL that says which moment it shows.
    async fn clip_picture(
        &self,
        recording: &Recording,
        at_ms: u64,
        name: &str,
    ) -> PortResult<Option<ClipPicture>> {
        if self.no_pictures.load(std::sync::atomic::Ordering::SeqCst) {
            return Ok(None);
        }
        let file = format!("{name}.jpg");
        self.kept.lock().unwrap().insert(
            Self::playlist_key(recording, &file),
            (b"\xFF\xD8".to_vec(), "image/jpeg".into()),
        );
        Ok(Some(ClipPicture {
            url: format!("/pictures/{}/{file}?at={at_ms}", recording.id),
            written: Some(file),
        }))
    }

    async fn delete_playlist(&self, recording: &Recording, path: &str) -> PortResult<()> {
        if self.fail_deletes.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(cloumer_domain::PortError::new("delete", "unreachable"));
        }
        self.kept
            .lock()
            .unwrap()
            .remove(&Self::playlist_key(recording, path));
        Ok(())
    }

    async fn delete(&self, recording: &Recording) -> PortResult<()> {
        if self.fail_deletes.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(cloumer_domain::PortError::new("delete", "unreachable"));
        }
        let prefix = format!("recordings/{}/", recording.id);
        self.kept
            .lock()
            .unwrap()
            .retain(|key, _| !key.starts_with(&prefix));
        Ok(())
    }
}

/// Presence as the cloud keeps it: each heartbeat counts until its time is up.
#[derive(Default)]
pub struct Heartbeats(Mutex<HashMap<(ChannelId, String), (Visitor, OffsetDateTime)>>);

fn visitor_key(visitor: &Visitor) -> String {
    match visitor {
        Visitor::User(user) => format!("U#{}", user.user_id),
        Visitor::Reader(session) => format!("R#{}", session.as_str()),
    }
}

#[async_trait]
impl PresenceRegistry for Heartbeats {
    async fn heartbeat(
        &self,
        channel: &ChannelId,
        visitor: &Visitor,
        until: OffsetDateTime,
    ) -> PortResult<()> {
        self.0.lock().unwrap().insert(
            (channel.clone(), visitor_key(visitor)),
            (visitor.clone(), until),
        );
        Ok(())
    }

    async fn leave(&self, channel: &ChannelId, visitor: &Visitor) -> PortResult<()> {
        self.0
            .lock()
            .unwrap()
            .remove(&(channel.clone(), visitor_key(visitor)));
        Ok(())
    }

    async fn present(
        &self,
        channel: &ChannelId,
        _: &ChatRoom,
        now: OffsetDateTime,
    ) -> PortResult<Presence> {
        let mut users = Vec::new();
        let mut readers = 0;
        for ((c, _), (visitor, until)) in self.0.lock().unwrap().iter() {
            if c != channel || *until <= now {
                continue;
            }
            match visitor {
                Visitor::User(user) => users.push(user.clone()),
                Visitor::Reader(_) => readers += 1,
            }
        }
        Ok(Presence::from_found(users, readers))
    }
}

/// Writes the claims it was asked to sign, so tests can read them back.
pub struct ClaimsSigner;

impl PlaybackSigner for ClaimsSigner {
    fn sign(&self, claims: &PlaybackClaims) -> PortResult<String> {
        Ok(format!(
            "{}|{}|{}",
            claims.channel_arn,
            claims.viewer_id.as_deref().unwrap_or(""),
            claims.expires_at.unix_timestamp()
        ))
    }
}

/// Grants readable in assertions: `grant=<channel>&until=<unix time>`.
impl RecordingAccess for ClaimsSigner {
    fn grant(
        &self,
        channel: &ChannelId,
        _video: &VideoChannel,
        expires_at: OffsetDateTime,
    ) -> PortResult<String> {
        Ok(format!(
            "grant={channel}&until={}",
            expires_at.unix_timestamp()
        ))
    }
}

/// The announcer and the webhook receivers' side: every stream start announced, every delivery
/// made (webhook URL, channel handle), and how the receivers answer.
#[derive(Default)]
pub struct Announcements {
    pub announced: Mutex<Vec<GoLive>>,
    pub delivered: Mutex<Vec<(String, String)>>,
    /// The answer for URLs containing "fails"; the rest succeed at once.
    pub failing: Mutex<Option<DeliveryReport>>,
    /// Every email sent, in the order sent.
    pub emails: Mutex<Vec<GoLiveEmail>>,
    /// Every ready video announced.
    pub videos_ready: Mutex<Vec<VideoReady>>,
    /// Every "your video is ready" email sent.
    pub video_emails: Mutex<Vec<VideoReadyEmail>>,
    /// Every push sent: (endpoint, language, channel handle or, for a ready video, its id).
    pub pushes: Mutex<Vec<(String, Language, String)>>,
}

impl Announcements {
    /// Endpoints containing "gone" are gone, those containing "fails" fail; the rest are taken.
    fn pushed(
        &self,
        subscription: &PushSubscription,
        language: Language,
        what: &str,
    ) -> PushOutcome {
        let endpoint = subscription.endpoint.as_str().to_owned();
        self.pushes
            .lock()
            .unwrap()
            .push((endpoint.clone(), language, what.to_owned()));
        if endpoint.contains("gone") {
            PushOutcome::Gone
        } else if endpoint.contains("fails") {
            PushOutcome::Failed("the push service answered 503".into())
        } else {
            PushOutcome::Accepted
        }
    }
}

#[async_trait]
impl PushSender for Announcements {
    async fn push_go_live(
        &self,
        subscription: &PushSubscription,
        language: Language,
        event: &GoLive,
    ) -> PushOutcome {
        self.pushed(subscription, language, &event.channel_handle)
    }

    async fn push_video_ready(
        &self,
        subscription: &PushSubscription,
        language: Language,
        event: &VideoReady,
    ) -> PushOutcome {
        self.pushed(subscription, language, event.video_id.as_str())
    }
}

#[async_trait]
impl EmailSender for Announcements {
    async fn send_go_live(&self, emails: &[GoLiveEmail]) -> PortResult<EmailReport> {
        self.emails.lock().unwrap().extend_from_slice(emails);
        Ok(EmailReport {
            sent: emails.len(),
            ..EmailReport::default()
        })
    }

    async fn send_video_ready(&self, email: &VideoReadyEmail) -> PortResult<()> {
        self.video_emails.lock().unwrap().push(email.clone());
        Ok(())
    }
}

#[async_trait]
impl GoLiveAnnouncer for Announcements {
    async fn announce(&self, event: &GoLive) -> PortResult<()> {
        self.announced.lock().unwrap().push(event.clone());
        Ok(())
    }
}

#[async_trait]
impl VideoAnnouncer for Announcements {
    async fn announce_ready(&self, event: &VideoReady) -> PortResult<()> {
        self.videos_ready.lock().unwrap().push(event.clone());
        Ok(())
    }
}

#[async_trait]
impl WebhookSender for Announcements {
    async fn deliver(&self, webhook: &Webhook, event: &GoLive) -> DeliveryReport {
        self.delivered.lock().unwrap().push((
            webhook.url.as_str().to_owned(),
            event.channel_handle.clone(),
        ));
        match &*self.failing.lock().unwrap() {
            Some(report) if webhook.url.as_str().contains("fails") => report.clone(),
            _ => DeliveryReport {
                attempts: 1,
                status: Some(204),
                error: None,
            },
        }
    }
}

/// The upload storage and the transcoder: parts a test "sends", what the domain completed,
/// aborted and deleted, what the prober says, and the jobs started.
#[derive(Default)]
pub struct Uploads {
    pub parts: Mutex<HashMap<String, Vec<UploadedPart>>>,
    pub completed: Mutex<Vec<String>>,
    pub aborted: Mutex<Vec<String>>,
    pub deleted: Mutex<Vec<String>>,
    pub probed_as: Mutex<Option<Result<MediaInfo, Refusal>>>,
    pub jobs: Mutex<Vec<String>>,
    pub outputs_deleted: Mutex<Vec<String>>,
}

impl Uploads {
    /// The browser sends part `number` of `size_bytes` of the upload.
    pub fn send_part(&self, upload_id: &str, number: u32, size_bytes: u64) {
        self.parts
            .lock()
            .unwrap()
            .entry(upload_id.to_owned())
            .or_default()
            .push(UploadedPart {
                number,
                etag: format!("\"etag-{number}\""),
                size_bytes,
            });
    }
}

#[async_trait]
impl VideoUploads for Uploads {
    async fn begin(&self, video: &VideoId) -> PortResult<String> {
        Ok(format!("upload-of-{video}"))
    }

    async fn part_url(
        &self,
        video: &VideoId,
        upload_id: &str,
        number: u32,
        size_bytes: u64,
        expires_at: OffsetDateTime,
    ) -> PortResult<String> {
        Ok(format!(
            "https://uploads.test/{video}?uploadId={upload_id}&partNumber={number}&size={size_bytes}&expires={}",
            expires_at.unix_timestamp()
        ))
    }

    async fn parts(&self, _: &VideoId, upload_id: &str) -> PortResult<Vec<UploadedPart>> {
        Ok(self
            .parts
            .lock()
            .unwrap()
            .get(upload_id)
            .cloned()
            .unwrap_or_default())
    }

    async fn complete(&self, video: &VideoId, _: &str, _: &[UploadedPart]) -> PortResult<()> {
        self.completed.lock().unwrap().push(video.to_string());
        Ok(())
    }

    async fn abort(&self, _: &VideoId, upload_id: &str) -> PortResult<()> {
        self.aborted.lock().unwrap().push(upload_id.to_owned());
        Ok(())
    }

    async fn delete(&self, video: &VideoId) -> PortResult<()> {
        self.deleted.lock().unwrap().push(video.to_string());
        Ok(())
    }
}

#[async_trait]
impl VideoProcessing for Uploads {
    async fn probe(
        &self,
        _: &cloumer_domain::video::Video,
    ) -> PortResult<Result<MediaInfo, Refusal>> {
        Ok(self.probed_as.lock().unwrap().clone().unwrap())
    }

    async fn transcode(
        &self,
        video: &cloumer_domain::video::Video,
        _: &MediaInfo,
    ) -> PortResult<()> {
        self.jobs.lock().unwrap().push(video.id.to_string());
        Ok(())
    }

    async fn delete_outputs(&self, video: &VideoId) -> PortResult<()> {
        self.outputs_deleted.lock().unwrap().push(video.to_string());
        Ok(())
    }

    fn grant(&self, video: &VideoId, expires_at: OffsetDateTime) -> PortResult<String> {
        Ok(format!("grant={video}-{}", expires_at.unix_timestamp()))
    }
}

pub struct World {
    pub platform: Platform,
    /// The store under the platform, for a test to set up what use cases would take long to.
    pub store: EmbeddedStore,
    pub announcements: Arc<Announcements>,
    pub clock: Arc<ManualClock>,
    pub video: Arc<Video>,
    pub chat: Arc<Chat>,
    pub files: Arc<Files>,
    pub uploads: Arc<Uploads>,
    _dir: tempfile::TempDir,
}

pub fn world() -> World {
    world_with(|_| {})
}

/// A world whose platform settings `adjust` changes first.
pub fn world_with(adjust: impl FnOnce(&mut PlatformConfig)) -> World {
    let mut config = PlatformConfig {
        site_origin: "https://cloumer.test".into(),
        push_public_key: Some("BPushKeyOfTheTestWorld".into()),
        ..PlatformConfig::default()
    };
    adjust(&mut config);
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(&dir.path().join("store.redb")).unwrap();
    let clock = Arc::new(ManualClock::at(start()));
    let video = Arc::new(Video::default());
    let chat = Arc::new(Chat::default());
    let announcements = Arc::new(Announcements::default());
    let files = Arc::new(Files::default());
    let uploads = Arc::new(Uploads::default());
    let ports = Ports {
        channels: Arc::new(store.clone()),
        chat: Arc::new(store.clone()),
        recordings: Arc::new(store.clone()),
        clips: Arc::new(store.clone()),
        videos: Arc::new(store.clone()),
        video_uploads: uploads.clone(),
        video_processing: uploads.clone(),
        follows: Arc::new(store.clone()),
        blocks: Arc::new(store.clone()),
        polls: Arc::new(store.clone()),
        notifications: Arc::new(store.clone()),
        webhooks: Arc::new(store.clone()),
        reports: Arc::new(store.clone()),
        push_subscriptions: Arc::new(store.clone()),
        push: announcements.clone(),
        webhook_sender: announcements.clone(),
        go_live: announcements.clone(),
        video_ready: announcements.clone(),
        email: announcements.clone(),
        video: video.clone(),
        chat_service: chat.clone(),
        presence: Arc::new(Heartbeats::default()),
        files: files.clone(),
        recording_files: files.clone(),
        playback: Arc::new(ClaimsSigner),
        recording_access: Arc::new(ClaimsSigner),
        rates: Arc::new(Rates::default()),
        clock: clock.clone(),
    };
    World {
        platform: Platform::new(ports, config),
        announcements,
        clock,
        video,
        chat,
        files,
        uploads,
        store,
        _dir: dir,
    }
}

/// Someone the identity provider vouches for, who chose `handle` at sign-up.
pub fn person(user: &str, handle: &str) -> Identity {
    Identity {
        user_id: UserId::parse(user).unwrap(),
        username: format!("{user}@example.com"),
        preferred_handle: Some(handle.to_owned()),
        nickname: Some(format!("{user} 님")),
        email: Some(format!("{user}@example.com")),
        signed_in_at: None,
        staff: false,
    }
}

impl World {
    /// A confirmed user with their channel.
    pub async fn account(&self, user: &str, handle: &str) -> (Identity, Account) {
        let who = person(user, handle);
        let account = self.platform.ensure_account(&who).await.unwrap();
        (who, account)
    }

    /// `u-owner` (channel `owner`) and `u-mod`, whom the owner has made a moderator of it.
    pub async fn owner_and_moderator(&self) -> (Identity, Account, Identity) {
        let (owner, account) = self.account("u-owner", "owner").await;
        let (moderator, _) = self.account("u-mod", "mod").await;
        self.platform
            .appoint_moderator(&owner, "mod")
            .await
            .unwrap();
        (owner, account, moderator)
    }

    /// The attributes of each `app:CHAT_RULES` event `room` heard, oldest first.
    pub fn rules_told(&self, room: &str) -> Vec<BTreeMap<String, String>> {
        self.chat
            .calls()
            .into_iter()
            .filter_map(|call| match call {
                ChatCall::Event(r, name, attributes) if r == room && name == "app:CHAT_RULES" => {
                    Some(attributes)
                }
                _ => None,
            })
            .collect()
    }

    /// What `sender` sends to `room` now, as the chat service hands it to the review hook. The
    /// nickname is Korean-flavoured (`u1 님`) so what passes it along must keep it whole.
    pub fn message(&self, room: &str, sender: &str, content: &str) -> ReviewInput {
        ReviewInput {
            room_arn: room.to_owned(),
            message_id: MessageId::generate(),
            sender: UserId::parse(sender).unwrap(),
            sender_attributes: BTreeMap::from([("nickname".into(), format!("{sender} 님"))]),
            content: content.to_owned(),
            attributes: BTreeMap::new(),
            sent_at: self.platform.now(),
        }
    }

    /// The review hook's verdict on `sender` saying `content` in `room` now; nothing is kept.
    pub async fn verdict(&self, room: &str, sender: &str, content: &str) -> Verdict {
        let message = self.message(room, sender, content);
        self.platform.review_message(message).await.unwrap()
    }

    /// Reviews `message`, which must be allowed, and keeps it in history as the chat log does.
    pub async fn keep(&self, message: ReviewInput) -> StoredMessage {
        let content = message.content.clone();
        let Verdict::Allow(kept) = self.platform.review_message(message).await.unwrap() else {
            panic!("{content:?} was denied");
        };
        self.platform
            .keep_messages(std::slice::from_ref(&kept))
            .await
            .unwrap();
        kept
    }

    /// `sender` says `content` in `room`: allowed, and history keeps it.
    pub async fn said(&self, room: &str, sender: &str, content: &str) -> StoredMessage {
        self.keep(self.message(room, sender, content)).await
    }

    /// The owner makes their channel private (or public again).
    pub async fn set_private(&self, owner: &Identity, private: bool) {
        let change = ChannelChange {
            private: Some(private),
            ..ChannelChange::default()
        };
        self.platform.update_channel(owner, change).await.unwrap();
    }

    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// The video service reports `stream` of `channel` starting or ending, now.
    pub async fn stream_event(&self, channel: &ChannelId, stream: &str, kind: StreamEventKind) {
        let event = StreamEvent {
            channel_id: channel.clone(),
            stream_id: StreamId::parse(stream).unwrap(),
            kind,
            at: self.platform.now(),
        };
        self.platform.handle_stream_event(&event).await.unwrap();
    }

    /// `channel` goes live (stream `st-HANDLE`) and the video service counts `viewers` on it.
    pub async fn go_live(&self, channel: &Channel, viewers: u64) {
        let stream = format!("st-{}", channel.handle);
        self.stream_event(&channel.id, &stream, StreamEventKind::Start)
            .await;
        self.video.live.lock().unwrap().push(StreamStatus {
            channel_arn: channel.video.clone().unwrap().arn,
            stream_id: StreamId::parse(&stream).unwrap(),
            started_at: self.platform.now(),
            health: StreamHealth::Healthy,
            viewer_count: viewers,
            thumbnail_url: None,
        });
    }
}
