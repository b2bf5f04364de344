//! spawn_app-style helpers: a fresh stack per test, typed requests, sign-up through the
//! Cognito-compatible stand-in.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;

use cloumer_local::{LocalConfig, RunningStack};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub struct TestApp {
    pub stack: RunningStack,
    pub client: reqwest::Client,
    /// Kept so the temporary data directory lives as long as the app.
    pub _data: Option<tempfile::TempDir>,
}

pub const PASSWORD: &str = "Correct-Horse-9";

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// A stack whose settings `adjust` changes first.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut LocalConfig)) -> TestApp {
    let data = tempfile::tempdir().unwrap();
    let stack = start_configured(data.path(), adjust).await;
    TestApp {
        stack,
        client: reqwest::Client::new(),
        _data: Some(data),
    }
}

pub async fn start_on(dir: &Path) -> RunningStack {
    start_configured(dir, |_| {}).await
}

/// A stack on the data in `dir` whose settings `adjust` changes first.
pub async fn start_configured(dir: &Path, adjust: impl FnOnce(&mut LocalConfig)) -> RunningStack {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>test</title>",
    )
    .unwrap();
    let mut config = LocalConfig::new(
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        dist,
        dir.to_path_buf(),
        0,
    );
    config.ingest = false;
    adjust(&mut config);
    cloumer_local::start(config).await.unwrap()
}

/// A response's status and JSON body (`Value::Null` when empty).
#[derive(Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    async fn read(response: reqwest::Response) -> Self {
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Self {
            status,
            headers,
            body,
            text,
        }
    }

    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or_default()
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.stack.url())
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        Reply::read(request.send().await.unwrap()).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.request(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        self.request(Method::POST, path, token, body).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.request(Method::PATCH, path, token, Some(body)).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.request(Method::PUT, path, token, Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Reply {
        self.request(Method::DELETE, path, token, None).await
    }

    /// Sends `bytes` as the whole body, declared as `content_type` (when given).
    pub async fn upload(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        bytes: Vec<u8>,
    ) -> Reply {
        let mut request = self.client.put(self.url(path)).body(bytes);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }
        Reply::read(request.send().await.unwrap()).await
    }

    /// Every file under the stack's data directory's `sub` folder (none if it does not exist).
    pub fn files_under(&self, sub: &str) -> Vec<std::path::PathBuf> {
        fn walk(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, found);
                } else {
                    found.push(path);
                }
            }
        }
        let mut found = Vec::new();
        if let Some(data) = &self._data {
            walk(&data.path().join(sub), &mut found);
        }
        found
    }

    /// A call to the Cognito-compatible JSON API.
    pub async fn cognito(&self, operation: &str, body: Value) -> Reply {
        let response = self
            .client
            .post(self.url("/cognito/"))
            .header(
                "X-Amz-Target",
                format!("AWSCognitoIdentityProviderService.{operation}"),
            )
            .header("Content-Type", "application/x-amz-json-1.1")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    pub fn client_id(&self) -> &'static str {
        cloumer_local::identity::CLIENT_ID
    }

    pub async fn sign_up(&self, email: &str, handle: &str, nickname: &str) -> Reply {
        self.cognito(
            "SignUp",
            json!({
                "ClientId": self.client_id(), "Username": email, "Password": PASSWORD,
                "UserAttributes": [
                    {"Name": "email", "Value": email},
                    {"Name": "preferred_username", "Value": handle},
                    {"Name": "nickname", "Value": nickname}
                ]
            }),
        )
        .await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Reply {
        self.cognito(
            "InitiateAuth",
            json!({
                "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": self.client_id(),
                "AuthParameters": {"USERNAME": email, "PASSWORD": password}
            }),
        )
        .await
    }

    /// Signs up, confirms with the code the stand-in logged, signs in. Returns the ID token.
    pub async fn user(&self, email: &str, handle: &str, nickname: &str) -> User {
        let reply = self.sign_up(email, handle, nickname).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let code = self
            .stack
            .identity()
            .pending_code(email)
            .expect("a confirmation code");
        let reply = self
            .cognito(
                "ConfirmSignUp",
                json!({"ClientId": self.client_id(), "Username": email, "ConfirmationCode": code}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let reply = self.sign_in(email, PASSWORD).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let result = &reply.body["AuthenticationResult"];
        let token = result["IdToken"].as_str().unwrap().to_owned();
        let me = self.get("/api/v1/me", Some(&token)).await;
        assert_eq!(me.status, 200, "{}", me.text);
        User {
            token,
            access_token: result["AccessToken"].as_str().unwrap().to_owned(),
            refresh_token: result["RefreshToken"].as_str().unwrap().to_owned(),
            user_id: me.body["userId"].as_str().unwrap().to_owned(),
            handle: me.body["handle"].as_str().unwrap().to_owned(),
        }
    }
}

pub struct User {
    pub token: String,
    pub access_token: String,
    pub refresh_token: String,
    pub user_id: String,
    pub handle: String,
}

impl User {
    pub fn auth(&self) -> Option<&str> {
        Some(&self.token)
    }
}

/// The user's channel as the platform holds it (ids for events the tests raise themselves).
pub async fn channel_of(app: &TestApp, user: &User) -> cloumer_domain::channel::Channel {
    app.stack
        .platform()
        .ensure_account(&cloumer_domain::Identity {
            user_id: cloumer_domain::ids::UserId::parse(&user.user_id).unwrap(),
            username: user.user_id.clone(),
            preferred_handle: None,
            nickname: None,
            email: None,
            signed_in_at: None,
            staff: false,
        })
        .await
        .unwrap()
        .channel
}

/// The ingest's stream start for `streamer`'s channel, as the local stack raises it.
pub async fn go_live(app: &TestApp, streamer: &User, stream: &str) {
    let channel = channel_of(app, streamer).await;
    let start = cloumer_domain::live::StreamEvent {
        channel_id: channel.id,
        stream_id: cloumer_domain::ids::StreamId::parse(stream).unwrap(),
        kind: cloumer_domain::live::StreamEventKind::Start,
        at: time::OffsetDateTime::now_utc(),
    };
    app.stack
        .platform()
        .handle_stream_event(&start)
        .await
        .unwrap();
}
