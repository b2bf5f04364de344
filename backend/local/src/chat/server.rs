//! The local IVS Chat messaging endpoint: `GET /chat` upgraded to a WebSocket.
//!
//! The chat token is the WebSocket subprotocol (`new WebSocket(url, token)`) and is echoed back;
//! it is single-use and expires a minute after minting; the session ends when the token's
//! session duration is over. Each connection has one task, which reads its requests (see
//! [`super::requests`]) and writes whatever its socket could not take at once; the room writes
//! its frames straight into the socket (see [`super::outlet`]). A client that cannot keep up
//! is dropped instead of stalling the room; one that floods is cut off.

use std::future::poll_fn;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration as StdDuration;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cloumer_api_types::ErrorBody;
use cloumer_api_types::chat::code;
use cloumer_domain::ports::Clock;
use cloumer_domain::presence::PresentUser;
use cloumer_domain::{DomainError, Platform};
use futures_util::StreamExt;
use hyper::upgrade::{OnUpgrade, Upgraded};
use hyper_util::rt::TokioIo;
use time::OffsetDateTime;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};

use super::delivery::Lines;
use super::frames;
use super::outlet::Outlet;
use super::requests::Connection;
use super::rooms::Rooms;
use super::tokens::{PendingToken, RedeemError, Tokens};
use super::{BACKLOG_BYTES, ChatTuning};
use crate::client::ClientAddress;
use crate::sockets::SharedSocket;

/// Largest frame the WebSocket layer accepts at all; anything bigger ends the connection.
const MAX_WEBSOCKET_MESSAGE: usize = 64 * 1024;
/// Requests per second one connection may make before getting ERROR 429 ...
const CONNECTION_REQUESTS_PER_SECOND: u32 = 20;
/// ... and beyond which it is disconnected as a flood.
const CONNECTION_FLOOD_PER_SECOND: u32 = 200;
/// How long a closing connection may take to write what it still has and to hear the client
/// close its side: a client that stops reading does not keep it open.
const LINGER: StdDuration = StdDuration::from_secs(2);

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
    mut request: Request,
) -> Response {
    let headers = request.headers();
    let accept = match websocket_key(headers) {
        Ok(key) => derive_accept_key(key.as_bytes()),
        Err((status, message)) => return refuse(status, message),
    };
    let (Some(on_upgrade), Some(SharedSocket(socket))) = (
        request.extensions_mut().remove::<OnUpgrade>(),
        request.extensions_mut().remove::<SharedSocket>(),
    ) else {
        return refuse(
            StatusCode::UPGRADE_REQUIRED,
            "this connection cannot be upgraded to a WebSocket",
        );
    };
    let token = request
        .headers()
        .get(header::SEC_WEBSOCKET_PROTOCOL)
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
    let mut response = StatusCode::SWITCHING_PROTOCOLS.into_response();
    let answer = response.headers_mut();
    answer.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
    answer.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
    if let Ok(accept) = HeaderValue::from_str(&accept) {
        answer.insert(header::SEC_WEBSOCKET_ACCEPT, accept);
    }
    // Browsers fail the handshake unless the server selects the protocol they offered.
    if let Some(token) = token.and_then(|t| HeaderValue::from_str(&t).ok()) {
        answer.insert(header::SEC_WEBSOCKET_PROTOCOL, token);
    }
    tokio::spawn(async move {
        let Ok(upgraded) = on_upgrade.await else {
            return;
        };
        // Read through what the HTTP server hands over (it may have read ahead), written into
        // the socket directly.
        let requests = TokioIo::new(upgraded);
        let outlet = Arc::new(Outlet::new(socket, BACKLOG_BYTES));
        let requests = WebSocketStream::from_raw_socket(
            Inbound {
                requests,
                outlet: outlet.clone(),
            },
            Role::Server,
            Some(reading_config()),
        )
        .await;
        let admitted = match session {
            Ok(session) => admit(&server, session, client).await,
            Err(message) => Err((code::UNAUTHORIZED, message)),
        };
        let requests = match admitted {
            Ok(session) => serve(requests, &outlet, session, client, server).await,
            Err((error_code, message)) => {
                drop(server);
                let _ = outlet.send_frame(&frames::error("", error_code, message));
                outlet.close(4000 + error_code, message);
                requests
            }
        };
        end(requests, &outlet).await;
    });
    response
}

/// The handshake's key, once the request is checked to be a WebSocket upgrade (RFC 6455 §4.2.1).
fn websocket_key(headers: &HeaderMap) -> Result<&str, (StatusCode, &'static str)> {
    let has = |name: header::HeaderName, token: &str| {
        headers.get_all(name).iter().any(|value| {
            value.to_str().is_ok_and(|value| {
                value
                    .split(',')
                    .any(|item| item.trim().eq_ignore_ascii_case(token))
            })
        })
    };
    if !has(header::CONNECTION, "upgrade") || !has(header::UPGRADE, "websocket") {
        return Err((
            StatusCode::UPGRADE_REQUIRED,
            "the chat endpoint speaks WebSocket: send Connection: upgrade and Upgrade: websocket",
        ));
    }
    if headers
        .get(header::SEC_WEBSOCKET_VERSION)
        .map(HeaderValue::as_bytes)
        != Some(b"13")
    {
        return Err((StatusCode::BAD_REQUEST, "Sec-WebSocket-Version must be 13"));
    }
    headers
        .get(header::SEC_WEBSOCKET_KEY)
        .and_then(|key| key.to_str().ok())
        .filter(|key| !key.is_empty())
        .ok_or((StatusCode::BAD_REQUEST, "Sec-WebSocket-Key is required"))
}

fn refuse(status: StatusCode, message: &str) -> Response {
    let mut response = (
        status,
        axum::Json(ErrorBody {
            code: "not_a_websocket_request".to_owned(),
            message: message.to_owned(),
        }),
    )
        .into_response();
    if status == StatusCode::UPGRADE_REQUIRED {
        response
            .headers_mut()
            .insert(header::UPGRADE, HeaderValue::from_static("websocket"));
    }
    response
}

/// What the reading side accepts: small buffers (a room holds thousands of connections, and
/// chat frames are small; tungstenite's defaults cost ~250 KiB per connection), and nothing
/// bigger than the chat's largest frame.
fn reading_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .max_message_size(Some(MAX_WEBSOCKET_MESSAGE))
        .max_frame_size(Some(MAX_WEBSOCKET_MESSAGE))
        .read_buffer_size(4 * 1024)
        // What the protocol answers by itself goes to the outlet at once.
        .write_buffer_size(0)
}

/// The socket as the connection's reading WebSocket sees it: requests come from the socket;
/// what the protocol answers by itself (pongs, the reply to a close) goes out through the
/// outlet, in line with the room's frames.
struct Inbound {
    requests: TokioIo<Upgraded>,
    outlet: Arc<Outlet>,
}

impl AsyncRead for Inbound {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.requests).poll_read(cx, buf)
    }
}

impl AsyncWrite for Inbound {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        bytes: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        // Taken whole (tungstenite then hands over whole frames); once the outlet is closed
        // the answer is moot.
        let _ = self.outlet.send(bytes);
        Poll::Ready(Ok(bytes.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

type Requests = WebSocketStream<Inbound>;

/// A connection's last steps, whichever way it ended: nothing more is accepted, what waits is
/// written, the sending side ends, and the client is given a moment to close its own side
/// (closing a socket the client still writes to would reset the connection and could cost it
/// the close frame). All of it within [`LINGER`].
async fn end(mut requests: Requests, outlet: &Outlet) {
    outlet.finish();
    let _ = tokio::time::timeout(LINGER, async {
        poll_fn(|cx| outlet.poll_flushed(cx)).await;
        while let Some(Ok(_)) = requests.next().await {}
    })
    .await;
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

/// Serves an admitted connection until it ends; hands back its requests' stream for [`end`].
async fn serve(
    mut requests: Requests,
    outlet: &Arc<Outlet>,
    session: PendingToken,
    client: Option<IpAddr>,
    server: ChatServer,
) -> Requests {
    let room = server.rooms.room(&session.room_arn);
    if !room.knows_limits()
        && let Ok(rules) = server.platform.room_rules(&room.arn).await
    {
        room.set_limits(&rules);
    }
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
    let member = room.join(session.user_id.clone(), shown_as, client, outlet.clone());
    let mut session_left: StdDuration = (session.session_expires_at - server.clock.now())
        .try_into()
        .unwrap_or(StdDuration::ZERO);
    if let Some(cap) = server.tuning.session_cap {
        session_left = session_left.min(cap);
    }
    let session_end = tokio::time::sleep(session_left);
    tokio::pin!(session_end);

    let mut pace = Pace::default();
    let connection = Connection {
        platform: &server.platform,
        lines: &server.lines,
        clock: server.clock.as_ref(),
        room: &room,
        session: &session,
        reply: outlet,
    };
    loop {
        let message = tokio::select! {
            biased;
            // Closed by the room (a disconnect, too slow, the server stopping), by the
            // session's end, or the socket failed.
            () = poll_fn(|cx| outlet.poll_open(cx)) => break,
            message = requests.next() => message,
            () = &mut session_end, if !session_end.is_elapsed() => {
                outlet.close(1000, SESSION_EXPIRED);
                continue;
            }
        };
        // The client closed (the protocol answered it), or the connection failed.
        let Some(Ok(message)) = message else { break };
        let count = pace.tick(server.clock.now());
        if count > CONNECTION_FLOOD_PER_SECOND {
            tracing::warn!(user = %session.user_id, "disconnecting a flooding chat client");
            outlet.close(1008, "too many requests on this connection");
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
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => {}
        }
    }
    room.leave(member);
    requests
}

/// Why a connection is closed when its chat session is over.
const SESSION_EXPIRED: &str = "the chat session has expired";
