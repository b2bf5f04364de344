//! A chat client for tests: a real WebSocket connection speaking the IVS Chat protocol, with a
//! token minted through the API.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::helpers::{TestApp, User};

pub struct Chat {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pub user_id: String,
}

/// Mints a token through the API (as `user`, or signed out) for `handle`'s room.
pub async fn token(app: &TestApp, handle: &str, user: Option<&User>) -> Value {
    let reply = app
        .post(
            &format!("/api/v1/channels/{handle}/chat-token"),
            user.and_then(User::auth),
            None,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body
}

pub async fn connect_with(
    endpoint: &str,
    token: &str,
) -> Result<(WebSocketStream<MaybeTlsStream<TcpStream>>, String), String> {
    let mut request = endpoint.into_client_request().unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_str(token).unwrap(),
    );
    let (ws, response) = tokio_tungstenite::connect_async(request)
        .await
        .map_err(|e| e.to_string())?;
    let echoed = response
        .headers()
        .get("sec-websocket-protocol")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    Ok((ws, echoed))
}

pub async fn join(app: &TestApp, handle: &str, user: Option<&User>) -> Chat {
    let token = token(app, handle, user).await;
    let (ws, echoed) = connect_with(
        token["endpoint"].as_str().unwrap(),
        token["token"].as_str().unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(
        echoed,
        token["token"].as_str().unwrap(),
        "the token is echoed as the subprotocol"
    );
    Chat {
        ws,
        user_id: token["userId"].as_str().unwrap().to_owned(),
    }
}

impl Chat {
    pub async fn send(&mut self, request: Value) {
        self.ws
            .send(Message::text(request.to_string()))
            .await
            .unwrap();
    }

    pub async fn say(&mut self, request_id: &str, content: &str) {
        self.send(json!({"Action": "SEND_MESSAGE", "RequestId": request_id, "Content": content}))
            .await;
    }

    /// The next JSON frame, within 5 seconds.
    pub async fn next(&mut self) -> Value {
        loop {
            let message = tokio::time::timeout(Duration::from_secs(5), self.ws.next())
                .await
                .expect("a frame within 5 s")
                .expect("the connection is open")
                .expect("a valid frame");
            match message {
                Message::Text(text) => return serde_json::from_str(&text).unwrap(),
                Message::Ping(_) | Message::Pong(_) => continue,
                other => panic!("expected a text frame, got {other:?}"),
            }
        }
    }

    /// The next frame of a type, skipping others (e.g. other people's messages).
    pub async fn next_of(&mut self, kind: &str) -> Value {
        loop {
            let frame = self.next().await;
            if frame["Type"] == kind {
                return frame;
            }
        }
    }

    pub async fn error(&mut self) -> (u64, String, String) {
        let frame = self.next_of("ERROR").await;
        assert_eq!(frame["Id"].as_str().unwrap().len(), 12);
        (
            frame["ErrorCode"].as_u64().unwrap(),
            frame["RequestId"].as_str().unwrap().to_owned(),
            frame["ErrorMessage"].as_str().unwrap().to_owned(),
        )
    }

    /// Waits until the server closes the connection; returns the close code.
    pub async fn closed(&mut self) -> Option<u16> {
        loop {
            match tokio::time::timeout(Duration::from_secs(5), self.ws.next())
                .await
                .expect("closed within 5 s")
            {
                None => return None,
                Some(Err(_)) => return None,
                Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                Some(Ok(_)) => continue,
            }
        }
    }
}
