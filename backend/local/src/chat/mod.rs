//! The local IVS Chat: rooms, single-use chat tokens, and the fan-out of frames to connections.
//!
//! [`LocalChat`] is the [`ChatService`] the domain mints tokens with and moderates through; the
//! WebSocket endpoint in [`server`] redeems the tokens and speaks the messaging protocol.

pub mod protocol;
pub mod server;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use cloumer_domain::Platform;
use cloumer_domain::channel::{ChatRoom, ChatRules};
use cloumer_domain::chat::{ChatCapability, ChatToken, ChatTokenRequest, StoredMessage};
use cloumer_domain::error::PortResult;
use cloumer_domain::ids::{ChannelId, MessageId, UserId, random_alphanumeric};
use cloumer_domain::ports::{ChatRoomSpec, ChatService};
use time::format_description::FormatItem;
use time::macros::format_description;
use time::{Duration, OffsetDateTime};
use tokio::sync::mpsc;

use protocol::EventFrame;

/// IVS Chat tokens must be used within about a minute of minting.
pub const TOKEN_TTL: Duration = Duration::seconds(60);
/// Frames a connection may have waiting before it counts as a slow reader and is dropped, so one
/// stalled client never holds up a room.
pub const OUTBOX_CAPACITY: usize = 512;

const ROOM_ARN_PREFIX: &str = "arn:cloumer:ivschat:local:room/";

/// `SendTime` as IVS Chat writes it: RFC 3339, UTC, nanoseconds.
const SEND_TIME: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:9]Z");

pub fn send_time(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(SEND_TIME)
        .unwrap_or_default()
}

/// A minted, not yet used token.
#[derive(Clone, Debug)]
pub struct PendingToken {
    pub room_arn: String,
    pub user_id: UserId,
    pub capabilities: Vec<ChatCapability>,
    pub attributes: BTreeMap<String, String>,
    pub token_expires_at: OffsetDateTime,
    pub session_expires_at: OffsetDateTime,
}

#[derive(Debug, PartialEq, Eq)]
pub enum RedeemError {
    Unknown,
    Expired,
}

/// A JSON text frame, serialized once; clones share the bytes (no copy per receiver).
pub type Frame = axum::extract::ws::Utf8Bytes;

/// What a connection's writer task is told to do.
#[derive(Debug, Clone)]
pub enum Outbound {
    /// A frame for the client.
    Frame(Frame),
    /// Close the connection with this WebSocket close code and reason.
    Close(u16, String),
}

struct Member {
    user_id: UserId,
    outbox: mpsc::Sender<Outbound>,
}

/// The limits IVS enforces per room, cached here so a message does not cost a store read.
#[derive(Clone, Debug)]
pub struct RoomLimits {
    pub max_message_length: usize,
    pub max_messages_per_second: u32,
}

impl From<&ChatRules> for RoomLimits {
    fn from(rules: &ChatRules) -> Self {
        Self {
            max_message_length: usize::from(rules.max_message_length),
            max_messages_per_second: u32::from(rules.max_messages_per_second),
        }
    }
}

/// One chat room: its connections and its message-rate window.
pub struct Room {
    pub arn: String,
    members: Mutex<HashMap<u64, Member>>,
    /// `None` until known: set when the room is created or updated, or read from the channel
    /// by the first connection after a restart.
    limits: Mutex<Option<RoomLimits>>,
    /// (second the window started, messages sent in it): the room-wide rate limit.
    window: Mutex<(i64, u32)>,
    /// The room's delivery line (see [`delivery`]) and the last `SendTime` handed out.
    line: Mutex<Line>,
}

/// Work for a room's delivery line, done strictly in the order it was queued.
pub enum Work {
    /// An allowed message: stored for history, then sent to everyone.
    Message {
        message: StoredMessage,
        frame: Frame,
        request_id: String,
        reply: mpsc::Sender<Frame>,
    },
    /// A deletion made over the protocol: recorded, then announced.
    Delete {
        id: MessageId,
        frame: Frame,
        request_id: String,
        reply: mpsc::Sender<Frame>,
    },
    /// An event to announce in order with the messages (e.g. a deletion made through the API).
    Event(Frame),
}

#[derive(Default)]
struct Line {
    queue: Option<mpsc::Sender<Work>>,
    last_send_time: Option<OffsetDateTime>,
}

/// Messages that may wait in a room's line; more get ERROR 429.
const LINE_CAPACITY: usize = 4096;
/// Messages stored in one transaction at most.
const MAX_BATCH: usize = 256;

impl Room {
    fn new(arn: String, limits: Option<RoomLimits>) -> Self {
        Self {
            arn,
            members: Mutex::default(),
            limits: Mutex::new(limits),
            window: Mutex::new((0, 0)),
            line: Mutex::default(),
        }
    }

    /// Queues a message with a `SendTime` later than every earlier one, so time order, queue
    /// order, delivery order and history order are one and the same. `build` makes the frame
    /// from the final message. Returns false when the line is full.
    pub fn enqueue_message(
        self: &Arc<Self>,
        platform: &Platform,
        mut message: StoredMessage,
        build: impl FnOnce(&StoredMessage) -> Frame,
        request_id: String,
        reply: mpsc::Sender<Frame>,
    ) -> bool {
        let mut line = self.line.lock().expect("room lock");
        let now = OffsetDateTime::now_utc();
        let at = match line.last_send_time {
            Some(last) if now <= last => last + Duration::nanoseconds(1),
            _ => now,
        };
        message.sent_at = at;
        let frame = build(&message);
        let queue = Self::start_line(self, &mut line, platform);
        let work = Work::Message {
            message,
            frame,
            request_id,
            reply,
        };
        if queue.try_send(work).is_err() {
            return false;
        }
        line.last_send_time = Some(at);
        true
    }

    /// Queues other work behind the messages already waiting.
    pub fn enqueue(self: &Arc<Self>, platform: Option<&Platform>, work: Work) -> bool {
        let mut line = self.line.lock().expect("room lock");
        let queue = match (&line.queue, platform) {
            (Some(queue), _) => queue.clone(),
            (None, Some(platform)) => Self::start_line(self, &mut line, platform),
            (None, None) => {
                // Nothing was ever sent here: nothing to keep order with.
                drop(line);
                if let Work::Event(frame) = work {
                    self.broadcast(frame);
                }
                return true;
            }
        };
        queue.try_send(work).is_ok()
    }

    fn start_line(room: &Arc<Self>, line: &mut Line, platform: &Platform) -> mpsc::Sender<Work> {
        if let Some(queue) = &line.queue {
            return queue.clone();
        }
        let (queue, work) = mpsc::channel(LINE_CAPACITY);
        tokio::spawn(delivery(room.clone(), platform.clone(), work));
        line.queue = Some(queue.clone());
        queue
    }

    /// The room's limits (IVS's defaults until they are known).
    pub fn limits(&self) -> RoomLimits {
        self.limits
            .lock()
            .expect("room lock")
            .clone()
            .unwrap_or_else(|| RoomLimits::from(&ChatRules::default()))
    }

    pub fn knows_limits(&self) -> bool {
        self.limits.lock().expect("room lock").is_some()
    }

    pub fn set_limits(&self, rules: &ChatRules) {
        *self.limits.lock().expect("room lock") = Some(RoomLimits::from(rules));
    }

    /// Counts a message against the room's per-second limit; false when over it.
    pub fn admit_message(&self, now: OffsetDateTime) -> bool {
        let limit = self.limits().max_messages_per_second;
        let second = now.unix_timestamp();
        let mut window = self.window.lock().expect("room lock");
        if window.0 != second {
            *window = (second, 0);
        }
        if window.1 >= limit {
            return false;
        }
        window.1 += 1;
        true
    }

    pub fn join(&self, user_id: UserId, outbox: mpsc::Sender<Outbound>) -> u64 {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        self.members
            .lock()
            .expect("room lock")
            .insert(id, Member { user_id, outbox });
        id
    }

    pub fn leave(&self, member: u64) {
        self.members.lock().expect("room lock").remove(&member);
    }

    pub fn connection_count(&self) -> usize {
        self.members.lock().expect("room lock").len()
    }

    /// Queues a frame for every connection. A connection whose queue is full is dropped from the
    /// room (its writer sees the channel close and ends the connection).
    pub fn broadcast(&self, frame: Frame) {
        let mut members = self.members.lock().expect("room lock");
        members.retain(|_, member| match member.outbox.try_send(Outbound::Frame(frame.clone())) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                tracing::warn!(room = %self.arn, user = %member.user_id, "dropping a slow chat reader");
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        });
    }

    /// Closes every connection of `user` after they received what was already queued.
    pub fn disconnect(&self, user: &UserId, reason: &str) -> usize {
        let mut members = self.members.lock().expect("room lock");
        let before = members.len();
        members.retain(|_, member| {
            if &member.user_id != user {
                return true;
            }
            let _ = member
                .outbox
                .try_send(Outbound::Close(1000, reason.to_owned()));
            false
        });
        before - members.len()
    }
}

/// Knobs of the local chat server (the defaults are what IVS Chat behaves like).
#[derive(Clone, Debug)]
pub struct ChatTuning {
    /// Frames queued per connection before it counts as a slow reader and is dropped.
    pub outbox_capacity: usize,
    /// Ends sessions earlier than their token says (IVS's minimum is a minute; tests and
    /// demos of reconnection want seconds).
    pub session_cap: Option<std::time::Duration>,
}

impl Default for ChatTuning {
    fn default() -> Self {
        Self {
            outbox_capacity: OUTBOX_CAPACITY,
            session_cap: None,
        }
    }
}

/// Tokens and rooms, shared by the chat service and the WebSocket endpoint.
pub struct ChatHub {
    endpoint: String,
    pub tuning: ChatTuning,
    tokens: Mutex<Tokens>,
    rooms: Mutex<HashMap<String, Arc<Room>>>,
}

/// Minted tokens not used yet, and when expired ones were last swept out.
#[derive(Default)]
struct Tokens {
    pending: HashMap<String, PendingToken>,
    last_sweep: i64,
}

impl ChatHub {
    /// `endpoint` is the WebSocket URL clients connect to (`ws://127.0.0.1:8080/chat`).
    pub fn new(endpoint: String, tuning: ChatTuning) -> Arc<Self> {
        Arc::new(Self {
            endpoint,
            tuning,
            tokens: Mutex::default(),
            rooms: Mutex::default(),
        })
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    pub fn room_arn(channel: &ChannelId) -> String {
        format!("{ROOM_ARN_PREFIX}{channel}")
    }

    /// The room, created on first use. Rooms live in memory: after a restart their limits are
    /// read back from the channel by the first connection.
    pub fn room(&self, arn: &str) -> Arc<Room> {
        self.rooms
            .lock()
            .expect("hub lock")
            .entry(arn.to_owned())
            .or_insert_with(|| Arc::new(Room::new(arn.to_owned(), None)))
            .clone()
    }

    fn set_limits(&self, arn: &str, rules: &ChatRules) {
        self.room(arn).set_limits(rules);
    }

    /// Uses a token: it is removed whatever the outcome, so it can never be used twice.
    pub fn redeem(&self, token: &str, now: OffsetDateTime) -> Result<PendingToken, RedeemError> {
        let mut tokens = self.tokens.lock().expect("hub lock");
        let found = tokens.pending.remove(token);
        // Every few seconds, forget tokens nobody used: the map stays as small as the number of
        // tokens minted in the last minute.
        if now.unix_timestamp() - tokens.last_sweep >= 5 {
            tokens.pending.retain(|_, t| t.token_expires_at > now);
            tokens.last_sweep = now.unix_timestamp();
        }
        match found {
            Some(pending) if pending.token_expires_at > now => Ok(pending),
            Some(_) => Err(RedeemError::Expired),
            None => Err(RedeemError::Unknown),
        }
    }

    fn event(&self, room: &str, name: &str, attributes: BTreeMap<String, String>) {
        let frame = EventFrame {
            r#type: "EVENT",
            id: random_alphanumeric(12),
            request_id: String::new(),
            event_name: name.to_owned(),
            attributes: Some(attributes),
            send_time: send_time(OffsetDateTime::now_utc()),
        };
        let json = serde_json::to_string(&frame).expect("frames serialize");
        self.room(room).broadcast(Frame::from(json));
    }

    /// The `aws:DELETE_MESSAGE` event frame.
    pub fn deletion_frame(id: &str, reason: &str, request_id: &str) -> Frame {
        let mut attributes = BTreeMap::new();
        attributes.insert("MessageID".to_owned(), id.to_owned());
        attributes.insert("MessageId".to_owned(), id.to_owned());
        attributes.insert("Reason".to_owned(), reason.to_owned());
        let frame = EventFrame {
            r#type: "EVENT",
            id: random_alphanumeric(12),
            request_id: request_id.to_owned(),
            event_name: "aws:DELETE_MESSAGE".to_owned(),
            attributes: Some(attributes),
            send_time: send_time(OffsetDateTime::now_utc()),
        };
        Frame::from(serde_json::to_string(&frame).expect("frames serialize"))
    }

    /// `aws:DISCONNECT_USER` to the room, then closes every connection of the user.
    pub fn disconnect_user(
        &self,
        room: &str,
        user: &UserId,
        reason: &str,
        request_id: &str,
    ) -> usize {
        let mut attributes = BTreeMap::new();
        attributes.insert("UserId".to_owned(), user.to_string());
        attributes.insert("Reason".to_owned(), reason.to_owned());
        let frame = EventFrame {
            r#type: "EVENT",
            id: random_alphanumeric(12),
            request_id: request_id.to_owned(),
            event_name: "aws:DISCONNECT_USER".to_owned(),
            attributes: Some(attributes),
            send_time: send_time(OffsetDateTime::now_utc()),
        };
        let json = serde_json::to_string(&frame).expect("frames serialize");
        let room = self.room(room);
        room.broadcast(Frame::from(json));
        room.disconnect(user, reason)
    }

    /// Connections in a room (for viewer counts).
    pub fn connection_count(&self, room: &str) -> usize {
        self.rooms
            .lock()
            .expect("hub lock")
            .get(room)
            .map_or(0, |r| r.connection_count())
    }
}

/// The local IVS Chat as the domain's [`ChatService`].
#[derive(Clone)]
pub struct LocalChat {
    hub: Arc<ChatHub>,
}

impl LocalChat {
    pub fn new(hub: Arc<ChatHub>) -> Self {
        Self { hub }
    }
}

#[async_trait]
impl ChatService for LocalChat {
    async fn create_room(&self, spec: &ChatRoomSpec) -> PortResult<ChatRoom> {
        let arn = ChatHub::room_arn(&spec.name);
        self.hub.set_limits(&arn, &spec.rules);
        Ok(ChatRoom { arn })
    }

    async fn update_room(&self, room: &ChatRoom, rules: &ChatRules) -> PortResult<()> {
        self.hub.set_limits(&room.arn, rules);
        Ok(())
    }

    async fn create_token(&self, request: &ChatTokenRequest) -> PortResult<ChatToken> {
        let now = OffsetDateTime::now_utc();
        let minutes = request
            .session_duration_minutes
            .clamp(1, cloumer_domain::chat::MAX_SESSION_MINUTES);
        let pending = PendingToken {
            room_arn: request.room.arn.clone(),
            user_id: request.user_id.clone(),
            capabilities: request.capabilities.clone(),
            attributes: request.attributes.clone(),
            token_expires_at: now + TOKEN_TTL,
            session_expires_at: now + Duration::minutes(i64::from(minutes)),
        };
        // A WebSocket subprotocol must be an RFC 7230 token: letters and digits are.
        let token = format!("AQICAH{}", random_alphanumeric(120));
        let token_expiration_time = pending.token_expires_at;
        let session_expiration_time = pending.session_expires_at;
        self.hub
            .tokens
            .lock()
            .expect("hub lock")
            .pending
            .insert(token.clone(), pending);
        Ok(ChatToken {
            token,
            endpoint: self.hub.endpoint.clone(),
            token_expiration_time,
            session_expiration_time,
        })
    }

    async fn delete_message(
        &self,
        room: &ChatRoom,
        id: &MessageId,
        reason: &str,
    ) -> PortResult<()> {
        // The deletion is already recorded by the domain; announce it in order with the
        // messages the room is delivering.
        let frame = ChatHub::deletion_frame(id.as_str(), reason, "");
        self.hub.room(&room.arn).enqueue(None, Work::Event(frame));
        Ok(())
    }

    async fn disconnect_user(
        &self,
        room: &ChatRoom,
        user: &UserId,
        reason: &str,
    ) -> PortResult<()> {
        self.hub.disconnect_user(&room.arn, user, reason, "");
        Ok(())
    }

    async fn send_event(
        &self,
        room: &ChatRoom,
        name: &str,
        attributes: &BTreeMap<String, String>,
    ) -> PortResult<()> {
        self.hub.event(&room.arn, name, attributes.clone());
        Ok(())
    }
}

/// A room's delivery line: takes the queued work in order; consecutive messages are stored in one
/// transaction (one fsync for all that arrived while the last one was written), then sent.
async fn delivery(room: Arc<Room>, platform: Platform, mut work: mpsc::Receiver<Work>) {
    let mut next = None;
    loop {
        let first = match next.take() {
            Some(item) => item,
            None => match work.recv().await {
                Some(item) => item,
                None => return,
            },
        };
        match first {
            Work::Event(frame) => room.broadcast(frame),
            Work::Delete {
                id,
                frame,
                request_id,
                reply,
            } => match platform.record_deletion(&room.arn, &id).await {
                Ok(()) => room.broadcast(frame),
                Err(error) => {
                    tracing::error!(%error, "recording a chat deletion failed");
                    let _ = reply.try_send(server::error_frame(
                        &request_id,
                        protocol::code::INTERNAL,
                        "the message could not be deleted; try again",
                    ));
                }
            },
            Work::Message {
                message,
                frame,
                request_id,
                reply,
            } => {
                let mut batch = vec![(message, frame, request_id, reply)];
                while batch.len() < MAX_BATCH {
                    match work.try_recv() {
                        Ok(Work::Message {
                            message,
                            frame,
                            request_id,
                            reply,
                        }) => {
                            batch.push((message, frame, request_id, reply));
                        }
                        Ok(other) => {
                            next = Some(other);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                let messages: Vec<StoredMessage> = batch.iter().map(|(m, ..)| m.clone()).collect();
                match platform.keep_messages(&messages).await {
                    Ok(()) => {
                        for (_, frame, ..) in batch {
                            room.broadcast(frame);
                        }
                    }
                    Err(error) => {
                        tracing::error!(%error, count = batch.len(), "storing chat messages failed");
                        for (_, _, request_id, reply) in batch {
                            let _ = reply.try_send(server::error_frame(
                                &request_id,
                                protocol::code::INTERNAL,
                                "the message could not be delivered; try again",
                            ));
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_time_has_nanoseconds_and_a_z() {
        let at = OffsetDateTime::from_unix_timestamp_nanos(1_664_911_168_374_489_549).unwrap();
        assert_eq!(send_time(at), "2022-10-04T19:19:28.374489549Z");
    }

    #[test]
    fn the_room_rate_limit_counts_per_second() {
        let room = Room::new(
            "r".into(),
            Some(RoomLimits {
                max_message_length: 500,
                max_messages_per_second: 2,
            }),
        );
        let t = OffsetDateTime::from_unix_timestamp(1_000).unwrap();
        assert!(room.admit_message(t));
        assert!(room.admit_message(t + Duration::milliseconds(500)));
        assert!(!room.admit_message(t + Duration::milliseconds(900)));
        assert!(room.admit_message(t + Duration::seconds(1)));
    }

    #[tokio::test]
    async fn a_slow_reader_is_dropped_instead_of_blocking_the_room() {
        let room = Room::new(
            "r".into(),
            Some(RoomLimits {
                max_message_length: 500,
                max_messages_per_second: 10,
            }),
        );
        let (fast_tx, mut fast_rx) = mpsc::channel(OUTBOX_CAPACITY);
        let (slow_tx, _slow_rx) = mpsc::channel(2);
        room.join(UserId::parse("fast").unwrap(), fast_tx);
        room.join(UserId::parse("slow").unwrap(), slow_tx);
        for i in 0..5 {
            room.broadcast(Frame::from(format!("frame {i}")));
        }
        assert_eq!(room.connection_count(), 1);
        let mut received = 0;
        while let Ok(Outbound::Frame(_)) = fast_rx.try_recv() {
            received += 1;
        }
        assert_eq!(received, 5);
    }
}
