//! The local IVS Chat messaging endpoint: a WebSocket server speaking the IVS Chat protocol.
//!
//! The chat token is the WebSocket subprotocol (`new WebSocket(url, token)`) and is echoed back;
//! it is single-use and expires a minute after minting; the session ends when the token's
//! session duration is over. Every message passes the same review as in the cloud
//! ([`Platform::review_message`]), is stored for history, and only then is fanned out, one room
//! at a time in one order. Malformed, oversize, binary and flooding frames get an `ERROR` frame;
//! a client that cannot keep up is dropped instead of stalling the room.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::Response;
use cloumer_domain::chat::ChatCapability;
use cloumer_domain::chat::StoredMessage;
use cloumer_domain::ids::{MessageId, UserId, random_alphanumeric};
use cloumer_domain::moderation::DenyReason;
use cloumer_domain::service::{ReviewInput, Reviewed};
use cloumer_domain::{DomainError, Platform};
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use time::OffsetDateTime;
use tokio::sync::mpsc;

use super::protocol::{ErrorFrame, MessageFrame, Request, Sender, code};
use super::{ChatHub, Frame, Outbound, PendingToken, RedeemError, Room, Work, send_time};

/// Frames written before one flush.
const WRITE_BATCH: usize = 64;
/// Largest frame the WebSocket layer accepts at all; anything bigger ends the connection.
const MAX_WEBSOCKET_MESSAGE: usize = 64 * 1024;
/// Largest request we process; bigger ones (up to the limit above) get ERROR 413.
pub const MAX_REQUEST_BYTES: usize = 8 * 1024;
/// Message attributes may total 1 KB, like token attributes.
const MAX_ATTRIBUTES_BYTES: usize = 1024;
/// Requests per second one connection may make before getting ERROR 429 ...
const CONNECTION_REQUESTS_PER_SECOND: u32 = 20;
/// ... and beyond which it is disconnected as a flood.
const CONNECTION_FLOOD_PER_SECOND: u32 = 200;

#[derive(Clone)]
pub struct ChatServer {
    pub hub: Arc<ChatHub>,
    pub platform: Platform,
}

pub(crate) fn error_frame(request_id: &str, error_code: u16, message: &str) -> Frame {
    let frame = ErrorFrame {
        r#type: "ERROR",
        id: random_alphanumeric(12),
        request_id: request_id.to_owned(),
        error_code,
        error_message: message.to_owned(),
    };
    Frame::from(serde_json::to_string(&frame).expect("frames serialize"))
}

/// `GET /chat` with `Sec-WebSocket-Protocol: <chat token>`.
pub async fn upgrade(
    State(server): State<ChatServer>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let token = headers
        .get(axum::http::header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty());
    let session = match &token {
        None => Err("a chat token is required as the WebSocket subprotocol"),
        Some(token) => server
            .hub
            .redeem(token, OffsetDateTime::now_utc())
            .map_err(|e| match e {
                RedeemError::Unknown => "the chat token is invalid or was already used",
                RedeemError::Expired => "the chat token has expired",
            }),
    };
    // Small per-connection buffers: a room holds thousands of connections, and chat frames are
    // small. (The defaults, 128 KiB each way, cost ~250 KiB per connection.)
    let ws = ws
        .max_message_size(MAX_WEBSOCKET_MESSAGE)
        .max_frame_size(MAX_WEBSOCKET_MESSAGE)
        .read_buffer_size(4 * 1024)
        .write_buffer_size(16 * 1024);
    // Browsers fail the handshake unless the server selects the protocol they offered.
    let ws = match token {
        Some(token) => ws.protocols([token]),
        None => ws,
    };
    ws.on_upgrade(move |socket| async move {
        match session {
            Ok(session) => serve(socket, session, server).await,
            Err(message) => reject(socket, message).await,
        }
    })
}

/// ERROR 401, then close: what a client with a bad token sees.
async fn reject(mut socket: WebSocket, message: &str) {
    let frame = error_frame("", code::UNAUTHORIZED, message);
    let _ = socket.send(Message::Text(Utf8Bytes::from(&*frame))).await;
    let _ = socket
        .send(Message::Close(Some(CloseFrame {
            code: 4401,
            reason: Utf8Bytes::from(message),
        })))
        .await;
}

/// Per-connection request rate, in one-second windows.
struct Pace {
    second: i64,
    count: u32,
}

impl Pace {
    fn tick(&mut self, now: OffsetDateTime) -> u32 {
        let second = now.unix_timestamp();
        if second != self.second {
            self.second = second;
            self.count = 0;
        }
        self.count += 1;
        self.count
    }
}

async fn serve(socket: WebSocket, session: PendingToken, server: ChatServer) {
    let room = server.hub.room(&session.room_arn);
    if !room.knows_limits()
        && let Ok(channel) = server.platform.channel_for_room(&room.arn).await
    {
        room.set_limits(&channel.chat_rules);
    }
    let (room_tx, mut room_rx) =
        mpsc::channel::<Outbound>(server.hub.tuning.outbox_capacity.max(1));
    let (own_tx, mut own_rx) = mpsc::channel::<Frame>(64);
    let member = room.join(session.user_id.clone(), room_tx);
    let (mut sink, mut stream) = socket.split();
    let mut session_left: StdDuration = (session.session_expires_at - OffsetDateTime::now_utc())
        .try_into()
        .unwrap_or(StdDuration::ZERO);
    if let Some(cap) = server.hub.tuning.session_cap {
        session_left = session_left.min(cap);
    }

    // The writer: replies to this client first, then the room's frames; ends the connection when
    // the room drops it (disconnect, slow reader) or the session is over. Frames already queued
    // are written together and flushed once, so a busy room costs few system calls.
    let writer = tokio::spawn(async move {
        let session_end = tokio::time::sleep(session_left);
        tokio::pin!(session_end);
        let close = loop {
            let first = tokio::select! {
                biased;
                reply = own_rx.recv() => match reply {
                    Some(frame) => Outbound::Frame(frame),
                    None => break None,
                },
                outbound = room_rx.recv() => match outbound {
                    Some(outbound) => outbound,
                    None => break Some((1013, "the connection could not keep up with the room".to_owned())),
                },
                () = &mut session_end => break Some((1000, "the chat session has expired".to_owned())),
            };
            let mut next = Some(first);
            let mut batch = 0;
            while let Some(outbound) = next.take() {
                match outbound {
                    Outbound::Frame(frame) => {
                        if sink.feed(Message::Text(frame)).await.is_err() {
                            return;
                        }
                    }
                    Outbound::Close(code, reason) => {
                        let _ = sink.flush().await;
                        let _ = sink
                            .send(Message::Close(Some(CloseFrame {
                                code,
                                reason: Utf8Bytes::from(reason),
                            })))
                            .await;
                        let _ = sink.close().await;
                        return;
                    }
                }
                batch += 1;
                if batch < WRITE_BATCH {
                    next = own_rx
                        .try_recv()
                        .ok()
                        .map(Outbound::Frame)
                        .or_else(|| room_rx.try_recv().ok());
                }
            }
            if sink.flush().await.is_err() {
                return;
            }
        };
        if let Some((code, reason)) = close {
            let _ = sink
                .send(Message::Close(Some(CloseFrame {
                    code,
                    reason: Utf8Bytes::from(reason),
                })))
                .await;
        }
        let _ = sink.close().await;
    });

    let mut pace = Pace {
        second: 0,
        count: 0,
    };
    let connection = Connection {
        server: &server,
        room: &room,
        session: &session,
        reply: &own_tx,
    };
    while let Some(message) = tokio::select! {
        message = stream.next() => message,
        // The writer ended (session over, disconnected, dropped): stop reading too.
        _ = own_tx.closed() => None,
    } {
        let Ok(message) = message else { break };
        let count = pace.tick(OffsetDateTime::now_utc());
        if count > CONNECTION_FLOOD_PER_SECOND {
            tracing::warn!(user = %session.user_id, "disconnecting a flooding chat client");
            break;
        }
        match message {
            Message::Text(text) => {
                if count > CONNECTION_REQUESTS_PER_SECOND {
                    connection.error(
                        "",
                        code::RATE_LIMITED,
                        "too many requests on this connection",
                    );
                    continue;
                }
                connection.handle(text.as_str()).await;
            }
            Message::Binary(_) => {
                connection.error(
                    "",
                    code::BAD_REQUEST,
                    "binary frames are not supported; send JSON text",
                );
            }
            Message::Close(_) => break,
            Message::Ping(_) | Message::Pong(_) => {}
        }
    }
    room.leave(member);
    drop(own_tx);
    let _ = writer.await;
}

struct Connection<'a> {
    server: &'a ChatServer,
    room: &'a Arc<Room>,
    session: &'a PendingToken,
    reply: &'a mpsc::Sender<Frame>,
}

fn text_field(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}

impl Connection<'_> {
    fn error(&self, request_id: &str, error_code: u16, message: &str) {
        // If even our replies back up, the client is not reading: the flood limit ends it.
        let _ = self
            .reply
            .try_send(error_frame(request_id, error_code, message));
    }

    fn can(&self, capability: ChatCapability) -> bool {
        self.session.capabilities.contains(&capability)
    }

    async fn handle(&self, text: &str) {
        if text.len() > MAX_REQUEST_BYTES {
            return self.error("", code::TOO_LARGE, "the request is too large");
        }
        let Ok(value) = serde_json::from_str::<Value>(text) else {
            return self.error("", code::BAD_REQUEST, "the request is not valid JSON");
        };
        let request_id = value
            .get("RequestId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let request: Request = match serde_json::from_value(value) {
            Ok(request) => request,
            Err(_) => {
                return self.error(
                    &request_id,
                    code::BAD_REQUEST,
                    "unknown or malformed action; expected SEND_MESSAGE, DELETE_MESSAGE or DISCONNECT_USER",
                );
            }
        };
        match request {
            Request::SendMessage {
                content,
                attributes,
                ..
            } => {
                self.send_message(&request_id, content, attributes.unwrap_or_default())
                    .await
            }
            Request::DeleteMessage { id, reason, .. } => {
                self.delete_message(&request_id, id, reason).await
            }
            Request::DisconnectUser {
                user_id, reason, ..
            } => self.disconnect_user(&request_id, user_id, reason),
        }
    }

    async fn send_message(
        &self,
        request_id: &str,
        content: Option<String>,
        attributes: BTreeMap<String, String>,
    ) {
        if !self.can(ChatCapability::SendMessage) {
            return self.error(
                request_id,
                code::FORBIDDEN,
                "this connection may not send messages",
            );
        }
        let Some(content) = text_field(content) else {
            return self.error(request_id, code::BAD_REQUEST, "Content is required");
        };
        let attributes_size: usize = attributes.iter().map(|(k, v)| k.len() + v.len()).sum();
        if attributes_size > MAX_ATTRIBUTES_BYTES {
            return self.error(
                request_id,
                code::TOO_LARGE,
                "Attributes must total at most 1 KB",
            );
        }
        let limits = self.room.limits();
        if content.chars().count() > limits.max_message_length {
            return self.error(
                request_id,
                code::BAD_REQUEST,
                &format!(
                    "Messages must be at most {} characters",
                    limits.max_message_length
                ),
            );
        }
        if !self.room.admit_message(OffsetDateTime::now_utc()) {
            return self.error(
                request_id,
                code::RATE_LIMITED,
                "the room's message rate limit was exceeded",
            );
        }
        let decision = self
            .server
            .platform
            .review(ReviewInput {
                room_arn: self.room.arn.clone(),
                message_id: MessageId::generate(),
                sender: self.session.user_id.clone(),
                sender_attributes: self.session.attributes.clone(),
                content,
                attributes,
            })
            .await;
        match decision {
            Ok(Reviewed::Allow(message)) => {
                let build = |message: &StoredMessage| {
                    let frame = MessageFrame {
                        r#type: "MESSAGE",
                        id: message.id.to_string(),
                        request_id: request_id.to_owned(),
                        attributes: Some(message.attributes.clone()),
                        content: message.content.clone(),
                        send_time: send_time(message.sent_at),
                        sender: Sender {
                            user_id: message.sender.to_string(),
                            attributes: Some(message.sender_attributes.clone()),
                        },
                    };
                    Frame::from(serde_json::to_string(&frame).expect("frames serialize"))
                };
                // Stored for history, then delivered, in the room's one order.
                let queued = self.room.enqueue_message(
                    &self.server.platform,
                    message,
                    build,
                    request_id.to_owned(),
                    self.reply.clone(),
                );
                if !queued {
                    self.error(
                        request_id,
                        code::RATE_LIMITED,
                        "the room is too busy; try again",
                    );
                }
            }
            Ok(Reviewed::Deny(reason)) => {
                let message = match reason {
                    DenyReason::Banned => "the message was denied: you are banned from this chat",
                    DenyReason::Filtered => "the message was denied: it contains a filtered word",
                    DenyReason::TooLong | DenyReason::Empty => "the message was denied",
                };
                self.error(request_id, code::DENIED, message);
            }
            Err(DomainError::NotFound(_)) => {
                self.error(request_id, code::NOT_FOUND, "the room does not exist")
            }
            Err(error) => {
                tracing::error!(%error, "chat review failed");
                self.error(
                    request_id,
                    code::INTERNAL,
                    "the message could not be delivered; try again",
                );
            }
        }
    }

    async fn delete_message(&self, request_id: &str, id: Option<String>, reason: Option<String>) {
        if !self.can(ChatCapability::DeleteMessage) {
            return self.error(
                request_id,
                code::FORBIDDEN,
                "this connection may not delete messages",
            );
        }
        let Some(id) = text_field(id).and_then(|id| MessageId::parse(&id).ok()) else {
            return self.error(request_id, code::BAD_REQUEST, "Id must name a message");
        };
        let reason = reason.unwrap_or_default();
        if reason.chars().count() > 256 {
            return self.error(
                request_id,
                code::TOO_LARGE,
                "Reason must be at most 256 characters",
            );
        }
        // In line with the messages being delivered, so a deletion never overtakes its message.
        let work = Work::Delete {
            frame: ChatHub::deletion_frame(id.as_str(), &reason, request_id),
            id,
            request_id: request_id.to_owned(),
            reply: self.reply.clone(),
        };
        if !self.room.enqueue(Some(&self.server.platform), work) {
            self.error(
                request_id,
                code::RATE_LIMITED,
                "the room is too busy; try again",
            );
        }
    }

    fn disconnect_user(&self, request_id: &str, user_id: Option<String>, reason: Option<String>) {
        if !self.can(ChatCapability::DisconnectUser) {
            return self.error(
                request_id,
                code::FORBIDDEN,
                "this connection may not disconnect users",
            );
        }
        let Some(user) = text_field(user_id).and_then(|u| UserId::parse(&u).ok()) else {
            return self.error(request_id, code::BAD_REQUEST, "UserId must name a user");
        };
        let reason = reason.unwrap_or_default();
        if reason.chars().count() > 256 {
            return self.error(
                request_id,
                code::TOO_LARGE,
                "Reason must be at most 256 characters",
            );
        }
        self.server
            .hub
            .disconnect_user(&self.room.arn, &user, &reason, request_id);
    }
}
