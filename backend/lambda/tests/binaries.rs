//! The Lambda binaries themselves, as Lambda runs them: each process gets its configuration
//! from the environment, builds the cloud adapters against moto (the AWS emulator) and takes
//! events from a Lambda Runtime API served by this test.

use std::collections::VecDeque;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use cloumer_aws::dynamo::{DynamoStore, create_table};
use cloumer_aws::testing::Moto;
use cloumer_domain::ids::UserId;
use cloumer_domain::ports::{ChannelRepository, ChatRepository};
use cloumer_domain::testkit;
use p384::pkcs8::{EncodePrivateKey, LineEnding};
use rsa::pkcs1::EncodeRsaPrivateKey;
use serde_json::{Value, json};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

const TABLE: &str = "cloumer-test";
const SITE: &str = "https://cloumer.example";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// moto with the table, and the store on it for arranging and checking.
async fn cloud() -> (Moto, DynamoStore) {
    let moto = Moto::start().await;
    let client = aws_sdk_dynamodb::Client::new(&moto.sdk_config().await);
    create_table(&client, TABLE).await.unwrap();
    (moto, DynamoStore::new(client, TABLE))
}

/// A Lambda binary started with the environment Terraform gives it.
fn function(binary: &str, moto: &Moto, extra: &[(&str, String)]) -> Child {
    let playback_key = p384::SecretKey::random(&mut rand::rngs::OsRng)
        .to_pkcs8_pem(LineEnding::LF)
        .unwrap()
        .to_string();
    let recordings_key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)
        .unwrap()
        .to_pkcs1_pem(LineEnding::LF)
        .unwrap()
        .to_string();
    let mut command = Command::new(binary);
    command
        .env_clear()
        .envs(moto.env())
        .env("TABLE_NAME", TABLE)
        .env("COGNITO_USER_POOL_ID", "us-east-1_test")
        .env("COGNITO_CLIENT_ID", "testclient")
        .env("PLAYBACK_PRIVATE_KEY", playback_key)
        .env("SITE_ORIGIN", SITE)
        .env("RECORDINGS_BASE_URL", "https://recordings.cloumer.example")
        .env("RECORDINGS_KEY_PAIR_ID", "K2JCJMDEHXQW5F")
        .env("RECORDINGS_PRIVATE_KEY", recordings_key)
        .envs(extra.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .kill_on_drop(true);
    command.spawn().unwrap()
}

/// The Lambda Runtime API (2018-06-01) as the Lambda service serves it to a function: one
/// invocation per `next`, answers collected from `response` / `error`.
struct Runtime {
    address: String,
    answers: mpsc::UnboundedReceiver<(&'static str, Value)>,
}

#[derive(Clone)]
struct Invocations {
    queue: Arc<Mutex<VecDeque<Value>>>,
    answers: mpsc::UnboundedSender<(&'static str, Value)>,
}

impl Runtime {
    async fn start(events: Vec<Value>) -> Self {
        let (answers_tx, answers) = mpsc::unbounded_channel();
        let invocations = Invocations {
            queue: Arc::new(Mutex::new(events.into())),
            answers: answers_tx,
        };
        let app = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route(
                "/2018-06-01/runtime/invocation/{id}/response",
                post(response),
            )
            .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
            .route("/2018-06-01/runtime/init/error", post(init_error))
            .with_state(invocations);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap().to_string();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { address, answers }
    }

    fn env(&self, name: &str) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_LAMBDA_RUNTIME_API", self.address.clone()),
            ("AWS_LAMBDA_FUNCTION_NAME", name.to_owned()),
            ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".to_owned()),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256".to_owned()),
            ("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{name}")),
            ("AWS_LAMBDA_LOG_STREAM_NAME", "test".to_owned()),
        ]
    }

    async fn answer(&mut self) -> (&'static str, Value) {
        tokio::time::timeout(Duration::from_secs(30), self.answers.recv())
            .await
            .expect("the function answered within 30 s")
            .expect("the runtime is running")
    }
}

async fn next(State(invocations): State<Invocations>) -> (HeaderMap, String) {
    loop {
        let event = invocations.queue.lock().unwrap().pop_front();
        if let Some(event) = event {
            let mut headers = HeaderMap::new();
            let id = format!("req-{}", rand::random::<u32>());
            let deadline = time_ms() + 30_000;
            headers.insert("lambda-runtime-aws-request-id", id.parse().unwrap());
            headers.insert(
                "lambda-runtime-deadline-ms",
                deadline.to_string().parse().unwrap(),
            );
            headers.insert(
                "lambda-runtime-invoked-function-arn",
                "arn:aws:lambda:us-east-1:123456789012:function:test"
                    .parse()
                    .unwrap(),
            );
            return (headers, event.to_string());
        }
        // Like Lambda: `next` blocks until there is an invocation.
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn time_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
}

async fn response(
    State(invocations): State<Invocations>,
    Path(_id): Path<String>,
    body: String,
) -> StatusCode {
    let _ = invocations.answers.send((
        "response",
        serde_json::from_str(&body).unwrap_or(Value::String(body)),
    ));
    StatusCode::ACCEPTED
}

async fn error(
    State(invocations): State<Invocations>,
    Path(_id): Path<String>,
    body: String,
) -> StatusCode {
    let _ = invocations.answers.send((
        "error",
        serde_json::from_str(&body).unwrap_or(Value::String(body)),
    ));
    StatusCode::ACCEPTED
}

async fn init_error(State(invocations): State<Invocations>, body: String) -> StatusCode {
    let _ = invocations
        .answers
        .send(("init error", Value::String(body)));
    StatusCode::ACCEPTED
}

#[tokio::test]
async fn chat_review_allows_stores_in_dynamodb_and_outlives_bad_events() {
    let (moto, store) = cloud().await;
    let channel = testkit::channel("owner-1", "minji_live", 0);
    store.create_channel(&channel).await.unwrap();
    let room = channel.chat_room.as_ref().unwrap().arn.clone();
    let event = |content: &str, id: &str| -> Value {
        serde_json::from_str(
            &fixture("chat-review.json")
                .replace("ROOM_ARN", &room)
                .replace("hello 바보 world", content)
                .replace("ABC123DEF456", id),
        )
        .unwrap()
    };
    let mut runtime = Runtime::start(vec![
        event("안녕하세요 everyone", "MSG000000001"),
        json!({"not": "a review request"}),
    ])
    .await;
    let _review = function(
        env!("CARGO_BIN_EXE_chat-review"),
        &moto,
        &runtime.env("chat-review"),
    );

    let (kind, allowed) = runtime.answer().await;
    assert_eq!(kind, "response", "{allowed}");
    assert_eq!(allowed["ReviewResult"], "ALLOW");
    assert_eq!(allowed["Content"], "안녕하세요 everyone");
    let history = store.list_messages(&channel.id, None, 10).await.unwrap();
    assert_eq!(history.items.len(), 1);
    assert_eq!(history.items[0].content, "안녕하세요 everyone");
    assert_eq!(
        history.items[0].sender,
        UserId::parse("7f0c1e2a-3b4c-4d5e-8f9a-0b1c2d3e4f5a").unwrap()
    );

    // A request that is not a review event is an invocation error, and the function lives on.
    let (kind, body) = runtime.answer().await;
    assert_eq!(kind, "error", "{body}");
}

#[tokio::test]
async fn stream_events_put_a_channel_live_in_dynamodb() {
    let (moto, store) = cloud().await;
    let channel = testkit::channel("owner-2", "jisoo_plays", 0);
    store.create_channel(&channel).await.unwrap();
    let start: Value = serde_json::from_str(
        &fixture("stream-start.json").replace("CHANNEL_ID", channel.id.as_str()),
    )
    .unwrap();
    let mut runtime = Runtime::start(vec![start]).await;
    let _events = function(
        env!("CARGO_BIN_EXE_stream-events"),
        &moto,
        &runtime.env("stream-events"),
    );
    let (kind, body) = runtime.answer().await;
    assert_eq!(kind, "response", "{body}");
    let live = store.get_channel(&channel.id).await.unwrap().unwrap();
    assert!(live.live.is_live(), "the channel is live: {live:?}");
    assert_eq!(
        live.live.stream_id.as_ref().map(|id| id.as_str()),
        Some("st-1A2b3c4D5e6F78ab")
    );
}

#[tokio::test]
async fn api_serves_the_directory_from_dynamodb_with_cors_for_the_site() {
    let (moto, store) = cloud().await;
    let channel = testkit::channel("owner-3", "hana_music", 0);
    store.create_channel(&channel).await.unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _api = function(
        env!("CARGO_BIN_EXE_api"),
        &moto,
        &[("PORT", port.to_string())],
    );
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let mut health = None;
    for _ in 0..100 {
        if let Ok(response) = http.get(format!("{base}/api/health")).send().await {
            health = Some(response.json::<Value>().await.unwrap());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let health = health.expect("the api binary listens");
    assert_eq!(health["environment"], "aws", "{health}");

    let response = http
        .get(format!("{base}/api/v1/channels/hana_music"))
        .header("Origin", SITE)
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["access-control-allow-origin"], SITE);
    let page: Value = response.json().await.unwrap();
    assert_eq!(page["handle"], "hana_music", "{page}");
    let mine = http
        .get(format!("{base}/api/v1/me/channel"))
        .send()
        .await
        .unwrap();
    assert_eq!(mine.status(), StatusCode::UNAUTHORIZED.as_u16());
}

/// Behind API Gateway the caller's address comes from the request context, and per-client limits
/// are counted in DynamoDB, where every instance of the function sees them.
#[tokio::test]
async fn api_behind_api_gateway_limits_anonymous_chat_tokens_per_caller() {
    let (moto, _store) = cloud().await;
    let from = |ip: &str| -> Value {
        serde_json::from_str(&fixture("apigw-http-chat-token.json").replace("SOURCE_IP", ip))
            .unwrap()
    };
    let mut events: Vec<Value> = (0..11).map(|_| from("198.51.100.7")).collect();
    events.push(from("203.0.113.9"));
    let mut runtime = Runtime::start(events).await;
    let _api = function(env!("CARGO_BIN_EXE_api"), &moto, &runtime.env("api"));
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let (kind, answer) = runtime.answer().await;
        assert_eq!(kind, "response", "{answer}");
        statuses.push(answer["statusCode"].as_u64().unwrap());
    }
    // The channel does not exist: the limit is checked first, then the lookup answers 404.
    let mut expected = vec![404; 10];
    expected.extend([429, 404]);
    assert_eq!(statuses, expected);
}
