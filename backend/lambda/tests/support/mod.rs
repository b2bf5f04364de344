//! The Lambda service as a function sees it, for the tests and the benchmark: moto with the
//! table, a function started from the functions binary with the environment Terraform gives it,
//! and the Lambda Runtime API handing it invocations and timing its answers.

#![allow(dead_code)] // the tests and the benchmark each use their part

use std::collections::{HashMap, VecDeque};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use cloumer_aws::dynamo::{DynamoStore, create_table};
use cloumer_aws::testing::{CognitoUser, Moto};
use p384::pkcs8::{EncodePrivateKey, LineEnding};
use rsa::pkcs1::EncodeRsaPrivateKey;
use serde_json::Value;
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

pub const TABLE: &str = "cloumer-test";
pub const SITE: &str = "https://cloumer.example";

pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The Secrets Manager secret holding the API's signing keys, as Terraform writes it.
pub const SIGNING_KEYS_SECRET: &str = "cloumer-test-signing-keys";

/// moto with the table and the signing-keys secret, and the store for arranging and checking.
pub async fn cloud() -> (Moto, DynamoStore) {
    let moto = Moto::start().await;
    let config = moto.sdk_config().await;
    let client = aws_sdk_dynamodb::Client::new(&config);
    create_table(&client, TABLE).await.unwrap();
    put_secret(&moto, SIGNING_KEYS_SECRET, &signing_keys().to_string()).await;
    (moto, DynamoStore::new(client, TABLE))
}

pub async fn put_secret(moto: &Moto, name: &str, value: &str) {
    aws_sdk_secretsmanager::Client::new(&moto.sdk_config().await)
        .create_secret()
        .name(name)
        .secret_string(value)
        .send()
        .await
        .unwrap();
}

/// A browser of `user` with push turned on at an endpoint the cloud may not reach (a loopback
/// one, stored directly as if the rules had been looser when it subscribed), and a VAPID key
/// in the secret `secret`. The returned push service sees whatever reaches it (nothing should).
pub async fn unreachable_push_browser(
    moto: &Moto,
    store: &DynamoStore,
    user: &cloumer_domain::ids::UserId,
    secret: &str,
) -> cloumer_outbound::testing::TestPushService {
    use cloumer_domain::outbound::OutboundDestinations;
    use cloumer_domain::ports::PushSubscriptionRepository;
    use cloumer_domain::push::{PushEndpoint, PushKeys, PushSubscription};

    let service = cloumer_outbound::testing::TestPushService::start().await;
    let browser = service.subscribe();
    store
        .save_push_subscription(
            &PushSubscription {
                user_id: user.clone(),
                endpoint: PushEndpoint::parse(
                    &browser.endpoint,
                    OutboundDestinations::AlsoLoopback,
                )
                .unwrap(),
                keys: PushKeys::parse(&browser.p256dh, &browser.auth).unwrap(),
                created_at: time::OffsetDateTime::now_utc(),
            },
            10,
        )
        .await
        .unwrap();
    let vapid = cloumer_outbound::VapidKey::generate();
    put_secret(
        moto,
        secret,
        &serde_json::json!({"vapid_private_key": vapid.pkcs8_pem()}).to_string(),
    )
    .await;
    service
}

/// Fresh keys in the secret's shape: `{"playback_private_key": …, "recordings_private_key": …}`.
pub fn signing_keys() -> Value {
    let playback_key = p384::SecretKey::random(&mut rand::rngs::OsRng)
        .to_pkcs8_pem(LineEnding::LF)
        .unwrap()
        .to_string();
    let recordings_key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)
        .unwrap()
        .to_pkcs1_pem(LineEnding::LF)
        .unwrap()
        .to_string();
    serde_json::json!({
        "playback_private_key": playback_key,
        "recordings_private_key": recordings_key,
    })
}

/// The function `handler` (its `handler` in Terraform) started from the functions binary with
/// the environment Terraform gives it (only the API gets the signing keys' secret, as in
/// Terraform).
pub fn function(handler: &str, moto: &Moto, extra: &[(&str, String)]) -> Child {
    command(handler, moto, extra).spawn().unwrap()
}

/// The API function serving HTTP on a free loopback port (as the local stack would), once it answers.
pub async fn serve_api(moto: &Moto, extra: &[(&str, String)]) -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut env = vec![("PORT", port.to_string())];
    env.extend(extra.iter().cloned());
    let api = function("api", moto, &env);
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if reqwest::get(format!("{base}/api/health")).await.is_ok() {
            return (api, base);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the api function does not listen");
}

/// The API function, as `serve_api`, verifying the ID tokens of `user`'s Cognito pool.
pub async fn serve_api_for(
    moto: &Moto,
    user: &CognitoUser,
    extra: &[(&str, String)],
) -> (Child, String) {
    let mut env = vec![
        ("COGNITO_USER_POOL_ID", user.pool_id.clone()),
        ("COGNITO_CLIENT_ID", user.client_id.clone()),
    ];
    env.extend(extra.iter().cloned());
    serve_api(moto, &env).await
}

/// What a function printed to stdout (its JSON logs and metric lines), line by line.
#[derive(Clone, Default)]
pub struct Printed(Arc<Mutex<Vec<String>>>);

impl Printed {
    /// The embedded-metric-format documents printed so far that carry `metric`.
    pub fn metrics(&self, metric: &str) -> Vec<Value> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter(|doc| doc.get("_aws").is_some() && doc.get(metric).is_some())
            .collect()
    }

    /// Waits up to 5 s for `count` documents carrying `metric`.
    pub async fn wait_for_metrics(&self, metric: &str, count: usize) -> Vec<Value> {
        for _ in 0..100 {
            let found = self.metrics(metric);
            if found.len() >= count {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.metrics(metric)
    }
}

/// [`function`] with its stdout captured; its log lines are still shown, its metric lines
/// (one per request) only kept.
pub fn printing_function(handler: &str, moto: &Moto, extra: &[(&str, String)]) -> (Child, Printed) {
    let (child, printed, _) = timed_printing_function(handler, moto, extra);
    (child, printed)
}

/// [`printing_function`], and when its process was started.
pub fn timed_printing_function(
    handler: &str,
    moto: &Moto,
    extra: &[(&str, String)],
) -> (Child, Printed, Instant) {
    use tokio::io::AsyncBufReadExt;
    let mut command = command(handler, moto, extra);
    command.stdout(Stdio::piped());
    let started = Instant::now();
    let mut child = command.spawn().unwrap();
    let printed = Printed::default();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let sink = printed.clone();
    tokio::spawn(async move {
        while let Ok(Some(line)) = lines.next_line().await {
            if !line.contains("\"_aws\"") {
                println!("{line}");
            }
            sink.0.lock().unwrap().push(line);
        }
    });
    (child, printed, started)
}

/// Runs a function that is expected to stop on its own (a failed init); its exit and output.
pub async fn failed_function(
    handler: &str,
    moto: &Moto,
    extra: &[(&str, String)],
) -> std::process::Output {
    let mut command = command(handler, moto, extra);
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    tokio::time::timeout(Duration::from_secs(30), command.output())
        .await
        .expect("the function stopped within 30 s")
        .unwrap()
}

/// The functions binary: the `bootstrap` of a built zip when `CLOUMER_LAMBDA_BOOTSTRAP` names
/// one (`cargo xtask bench lambda` measures what ships that way), else cargo's build of it.
pub fn functions_binary() -> std::ffi::OsString {
    std::env::var_os("CLOUMER_LAMBDA_BOOTSTRAP")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_functions").into())
}

fn command(handler: &str, moto: &Moto, extra: &[(&str, String)]) -> Command {
    let mut command = Command::new(functions_binary());
    command
        .env_clear()
        .env("_HANDLER", handler)
        .envs(moto.env())
        .env("TABLE_NAME", TABLE)
        .env("COGNITO_USER_POOL_ID", "us-east-1_test")
        .env("COGNITO_CLIENT_ID", "testclient")
        .env("SITE_ORIGIN", SITE)
        .env("RECORDINGS_BASE_URL", "https://recordings.cloumer.example")
        .env("RECORDINGS_KEY_PAIR_ID", "K2JCJMDEHXQW5F")
        .envs(extra.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .kill_on_drop(true);
    if handler == "api" && !extra.iter().any(|(k, _)| *k == "SIGNING_KEYS_SECRET_ARN") {
        command.env("SIGNING_KEYS_SECRET_ARN", SIGNING_KEYS_SECRET);
    }
    command
}

/// The Lambda Runtime API (2018-06-01) as the Lambda service serves it to a function: one
/// invocation per `next`, answers collected from `response` / `error`.
pub struct Runtime {
    address: String,
    answers: mpsc::UnboundedReceiver<Answer>,
    /// When the function first asked for an invocation: its init was over.
    first_next: Arc<Mutex<Option<Instant>>>,
}

/// A function's answer to one invocation: `response`, `error` or `init error`, its body, and
/// the time from handing the invocation out to the answer.
pub type Answer = (&'static str, Value, Duration);

#[derive(Clone)]
struct Invocations {
    queue: Arc<Mutex<VecDeque<Value>>>,
    answers: mpsc::UnboundedSender<Answer>,
    handed_out: Arc<Mutex<HashMap<String, Instant>>>,
    first_next: Arc<Mutex<Option<Instant>>>,
}

impl Runtime {
    pub async fn start(events: Vec<Value>) -> Self {
        let (answers_tx, answers) = mpsc::unbounded_channel();
        let first_next = Arc::new(Mutex::new(None));
        let invocations = Invocations {
            queue: Arc::new(Mutex::new(events.into())),
            answers: answers_tx,
            handed_out: Arc::default(),
            first_next: first_next.clone(),
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
        Self {
            address,
            answers,
            first_next,
        }
    }

    pub fn env(&self, name: &str) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_LAMBDA_RUNTIME_API", self.address.clone()),
            ("AWS_LAMBDA_FUNCTION_NAME", name.to_owned()),
            ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".to_owned()),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256".to_owned()),
            ("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{name}")),
            ("AWS_LAMBDA_LOG_STREAM_NAME", "test".to_owned()),
        ]
    }

    /// The next answer: (kind, body).
    pub async fn answer(&mut self) -> (&'static str, Value) {
        let (kind, body, _) = self.timed_answer().await;
        (kind, body)
    }

    /// The next answer with how long the function took from receiving the invocation.
    pub async fn timed_answer(&mut self) -> Answer {
        tokio::time::timeout(Duration::from_secs(30), self.answers.recv())
            .await
            .expect("the function answered within 30 s")
            .expect("the runtime is running")
    }

    /// When the function first asked for an invocation (the end of its init), if it has.
    pub fn first_next(&self) -> Option<Instant> {
        *self.first_next.lock().unwrap()
    }
}

async fn next(State(invocations): State<Invocations>) -> (HeaderMap, String) {
    invocations
        .first_next
        .lock()
        .unwrap()
        .get_or_insert_with(Instant::now);
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
            invocations
                .handed_out
                .lock()
                .unwrap()
                .insert(id, Instant::now());
            return (headers, event.to_string());
        }
        // Like Lambda: `next` blocks until there is an invocation.
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn time_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
}

impl Invocations {
    fn answered(&self, kind: &'static str, id: &str, body: String) {
        let took = self
            .handed_out
            .lock()
            .unwrap()
            .remove(id)
            .map_or(Duration::ZERO, |at| at.elapsed());
        let body = serde_json::from_str(&body).unwrap_or(Value::String(body));
        let _ = self.answers.send((kind, body, took));
    }
}

async fn response(
    State(invocations): State<Invocations>,
    Path(id): Path<String>,
    body: String,
) -> StatusCode {
    invocations.answered("response", &id, body);
    StatusCode::ACCEPTED
}

async fn error(
    State(invocations): State<Invocations>,
    Path(id): Path<String>,
    body: String,
) -> StatusCode {
    invocations.answered("error", &id, body);
    StatusCode::ACCEPTED
}

async fn init_error(State(invocations): State<Invocations>, body: String) -> StatusCode {
    invocations.answered("init error", "", body);
    StatusCode::ACCEPTED
}
