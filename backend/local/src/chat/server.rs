//! The local IVS Chat messaging endpoint: `GET /chat` upgraded to a WebSocket.
//!
//! The chat token is the WebSocket subprotocol (`new WebSocket(url, token)`) and is echoed back;
//! it is single-use and expires a minute after minting; the session ends when the token's
//! session duration is over. Each connection has a reader (requests, see [`super::requests`])
//! and a writer (the room's frames and its own replies, flushed in batches). A client
//! that cannot keep up is dropped instead of stalling the room; one that floods is cut off.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::Response;
use cloumer_api_types::chat::code;
use cloumer_domain::ids::UserId;
use cloumer_domain::ports::Clock;
use cloumer_domain::presence::PresentUser;
use cloumer_domain::{DomainError, Platform};
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use time::OffsetDateTime;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

use super::ChatTuning;
use super::delivery::Lines;
use super::frames::{self, Frame};
use super::replies::{self, OwnReplies};
use super::requests::Connection;
use super::rooms::{Feed, Outbound, Rooms};
use super::tokens::{PendingToken, RedeemError, Tokens};
use crate::client::ClientAddress;

/// Frames written before one flush.
const WRITE_BATCH: usize = 64;
/// Largest frame the WebSocket layer accepts at all; anything bigger ends the connection.
const MAX_WEBSOCKET_MESSAGE: usize = 64 * 1024;
/// Requests per second one connection may make before getting ERROR 429 ...
const CONNECTION_REQUESTS_PER_SECOND: u32 = 20;
/// ... and beyond which it is disconnected as a flood.
const CONNECTION_FLOOD_PER_SECOND: u32 = 200;

/// What the endpoint needs, handed over when the stack is wired.
#[derive(Clone)]
pub struct ChatServer {
    pub platform: Platform,
    pub rooms: Arc<Rooms>,
    pub tokens: Arc<Tokens>,
    pub lines: Arc<Lines>,
    pub clock: Arc<dyn Clock>,
    pub tuning: ChatTuning,
}

/// `GET /chat` with `Sec-WebSocket-Protocol: <chat token>`.
pub async fn upgrade(
    State(server): State<ChatServer>,
    ClientAddress(client): ClientAddress,
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
            .tokens
            .redeem(token, server.clock.now())
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
        let admitted = match session {
            Ok(session) => admit(&server, session, client).await,
            Err(message) => Err((code::UNAUTHORIZED, message)),
        };
        match admitted {
            Ok(session) => serve(socket, session, client, server).await,
            Err((error_code, message)) => reject(socket, error_code, message).await,
        }
    })
}

/// Signed-out connections one client may hold to one room: a few tabs, not a flood.
const ANONYMOUS_CONNECTIONS_PER_CLIENT: usize = 5;

/// Whether a redeemed token's holder may join: not if they were banned since it was minted,
/// nor past the signed-out connections one client may hold.
async fn admit(
    server: &ChatServer,
    session: PendingToken,
    client: Option<IpAddr>,
) -> Result<PendingToken, (u16, &'static str)> {
    if session.user_id.is_anonymous() {
        let room = server.rooms.room(&session.room_arn);
        if client
            .is_some_and(|c| room.anonymous_connections_from(c) >= ANONYMOUS_CONNECTIONS_PER_CLIENT)
        {
            return Err((code::RATE_LIMITED, "too many connections to this room"));
        }
        return Ok(session);
    }
    match server
        .platform
        .banned_from_room(&session.room_arn, &session.user_id)
        .await
    {
        Ok(false) | Err(DomainError::NotFound(_)) => Ok(session),
        Ok(true) => Err((code::FORBIDDEN, "you are banned from this chat")),
        Err(error) => {
            tracing::error!(%error, "could not check a chat ban");
            Err((code::INTERNAL, "the chat is unavailable; try again"))
        }
    }
}

/// An ERROR, then close: what a client that may not join sees.
async fn reject(mut socket: WebSocket, error_code: u16, message: &str) {
    let frame = frames::error("", error_code, message);
    let _ = socket.send(Message::Text(frame)).await;
    let _ = socket
        .send(Message::Close(Some(CloseFrame {
            code: 4000 + error_code,
            reason: Utf8Bytes::from(message),
        })))
        .await;
}

/// Per-connection request rate, in one-second windows.
#[derive(Default)]
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

async fn serve(
    socket: WebSocket,
    session: PendingToken,
    client: Option<IpAddr>,
    server: ChatServer,
) {
    let room = server.rooms.room(&session.room_arn);
    if !room.knows_limits()
        && let Ok(rules) = server.platform.room_rules(&room.arn).await
    {
        room.set_limits(&rules);
    }
    let (own_tx, own_rx) = replies::queue(64);
    let shown_as = (!session.user_id.is_anonymous()).then(|| PresentUser {
        user_id: session.user_id.clone(),
        handle: session
            .attributes
            .get("handle")
            .cloned()
            .unwrap_or_default(),
        nickname: session
            .attributes
            .get("nickname")
            .cloned()
            .unwrap_or_default(),
        avatar: session
            .attributes
            .get("avatar")
            .cloned()
            .unwrap_or_default(),
        role: session.attributes.get("role").cloned().unwrap_or_default(),
    });
    let (member, feed) = room.join(session.user_id.clone(), shown_as, client);
    let (sink, mut stream) = socket.split();
    let mut session_left: StdDuration = (session.session_expires_at - server.clock.now())
        .try_into()
        .unwrap_or(StdDuration::ZERO);
    if let Some(cap) = server.tuning.session_cap {
        session_left = session_left.min(cap);
    }
    let mut writer = tokio::spawn(write(
        sink,
        own_rx,
        RoomFrames {
            user: session.user_id.clone(),
            feed,
        },
    ));
    // The session's end is watched here rather than by the writer, which wakes for every frame
    // of the room: a reader of a busy room would otherwise poll this timer thousands of times.
    let session_end = tokio::time::sleep(session_left);
    tokio::pin!(session_end);

    let mut pace = Pace::default();
    let connection = Connection {
        platform: &server.platform,
        lines: &server.lines,
        clock: server.clock.as_ref(),
        room: &room,
        session: &session,
        reply: &own_tx,
    };
    let mut writer_done = false;
    while let Some(message) = tokio::select! {
        message = stream.next() => message,
        // The writer ended (disconnected, dropped, the socket failed): stop reading too.
        _ = &mut writer => {
            writer_done = true;
            None
        }
        () = &mut session_end => {
            // Written after what the writer already has; if its queue is full the client is
            // not reading and only the close code is lost.
            let _ = own_tx.send(Outbound::Disconnect(
                session.user_id.clone(),
                Arc::from(SESSION_EXPIRED),
            ));
            None
        }
    } {
        let Ok(message) = message else { break };
        let count = pace.tick(server.clock.now());
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
    if !writer_done {
        let _ = writer.await;
    }
}

/// Why a connection is closed when its chat session is over.
const SESSION_EXPIRED: &str = "the chat session has expired";

/// The room's frames as one connection's writer reads them.
struct RoomFrames {
    /// Whose connection this is: a disconnect of this user closes it.
    user: UserId,
    feed: Feed,
}

/// What the writer does next.
enum Next {
    Write(Frame),
    Close(u16, String),
    Skip,
}

/// Why every connection is closed when the server stops (1001, going away: clients reconnect).
const SERVER_STOPPING: &str = "the chat server is stopping";

/// Why a connection's writer closes it when the room drops it.
const TOO_SLOW: &str = "the connection could not keep up with the room";

impl RoomFrames {
    fn next(&mut self, outbound: Outbound) -> Next {
        self.feed.took();
        self.told(outbound)
    }

    /// What the writer does with a room frame or one of the connection's own replies.
    fn told(&self, outbound: Outbound) -> Next {
        match outbound {
            Outbound::Frame(frame) => Next::Write(frame),
            Outbound::Disconnect(user, reason) if user == self.user => {
                Next::Close(1000, reason.to_string())
            }
            Outbound::Disconnect(..) => Next::Skip,
            Outbound::GoingAway => Next::Close(1001, SERVER_STOPPING.to_owned()),
        }
    }

    /// The room dropped this connection (it says so when it does).
    fn lagged(&self) -> Next {
        Next::Close(1013, TOO_SLOW.to_owned())
    }

    async fn recv(&mut self) -> Next {
        match self.feed.ring.recv().await {
            Ok(outbound) => self.next(outbound),
            Err(RecvError::Lagged(_)) => self.lagged(),
            Err(RecvError::Closed) => Next::Close(1001, "the room is gone".to_owned()),
        }
    }

    /// The next frame already there, if any.
    fn try_recv(&mut self) -> Option<Next> {
        match self.feed.ring.try_recv() {
            Ok(outbound) => Some(self.next(outbound)),
            Err(TryRecvError::Lagged(_)) => Some(self.lagged()),
            Err(TryRecvError::Empty | TryRecvError::Closed) => None,
        }
    }
}

/// The writer: the room's frames and this client's own replies (errors, the session's end);
/// ends the connection when the room drops it (disconnect, slow reader) or the reader ends.
/// Frames already there are written together and flushed once, so a busy room costs few
/// system calls.
///
/// The room comes first: a writer with room frames to write does not look at its own replies
/// (and looks at their queue only when one was put: see [`super::replies`]). Replies are
/// looked at whenever the room has nothing more, and after every full batch, so a busy room
/// delays them by one batch at most.
async fn write(
    mut sink: SplitSink<WebSocket, Message>,
    mut own_rx: OwnReplies,
    mut room: RoomFrames,
) {
    loop {
        let first = tokio::select! {
            biased;
            next = room.recv() => next,
            reply = std::future::poll_fn(|cx| own_rx.poll_recv(cx)) => match reply {
                Some(reply) => room.told(reply),
                None => break,
            },
        };
        let mut next = Some(first);
        let mut batch = 0;
        while let Some(step) = next.take() {
            match step {
                Next::Write(frame) => {
                    if sink.feed(Message::Text(frame)).await.is_err() {
                        return;
                    }
                }
                Next::Close(code, reason) => {
                    let _ = sink.flush().await;
                    close_with(&mut sink, code, reason).await;
                    return;
                }
                Next::Skip => {}
            }
            batch += 1;
            next = if batch < WRITE_BATCH {
                room.try_recv()
            } else if batch < 2 * WRITE_BATCH {
                own_rx.try_recv().map(|reply| room.told(reply))
            } else {
                None
            };
        }
        if sink.flush().await.is_err() {
            return;
        }
    }
    let _ = sink.close().await;
}

async fn close_with(sink: &mut SplitSink<WebSocket, Message>, code: u16, reason: String) {
    let _ = sink
        .send(Message::Close(Some(CloseFrame {
            code,
            reason: Utf8Bytes::from(reason),
        })))
        .await;
    let _ = sink.close().await;
}
