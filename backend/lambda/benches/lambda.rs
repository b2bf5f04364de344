//! Lambda benchmark (`cargo xtask bench lambda`, or `cargo bench -p cloumer-lambda --bench lambda`
//! with moto on PATH).
//!
//! The `api` function as Lambda runs it: started with the environment Terraform gives it,
//! fed API Gateway (HTTP API) events through the Lambda Runtime API the tests serve, against
//! moto on loopback instead of AWS. Reports:
//! - init: process start → its first request for an invocation (what Lambda bills as Init
//!   Duration, without the download and the sandbox), and how much of it is ours: the init
//!   reads the function's secrets, and moto's answers vary run to run;
//! - warm invokes, p50/p99: `GET /api/health` (no AWS call: the cost of the runtime, the router
//!   and our middleware, the reference), `GET /api/v1/directory` (DynamoDB reads), a
//!   signed-out `POST …/chat-token` (a DynamoDB rate-counter write, then a lookup), and a
//!   channel's page with its link card (`GET /<handle>`, as CloudFront sends it: a channel
//!   lookup, and the app's `index.html` from the site bucket every 30 s), and a signed-in
//!   viewer's bell (`GET /api/v1/me/notifications`, what every signed-in page asks every 30 s:
//!   the caller's account, their notifications, and the channels they name, read together);
//! - how much of each invoke is ours: the function reaches moto through a timing proxy, and the
//!   time its AWS calls took inside an invoke (moto's answer, the proxy's hop) is taken from the
//!   invoke's; what is left is the runtime, the router, our code, and the SDK's own work
//!   (signing, building and parsing requests);
//! - peak resident memory (VmHWM) after the invokes.
//!
//! Then the `chat-review` function, fed IVS Chat's review requests for one room from
//! different viewers (no rate limit meets them): the first review after init and warm reviews'
//! p50/p99 (IVS Chat waits at most 200 ms for an answer, and the function denies at 150 ms), and
//! how many AWS calls a review makes and how many of them in sequence. The calls in sequence are
//! what a review costs in the cloud: each is a round trip to DynamoDB, which moto on loopback
//! hides.
//!
//! The directory's first page is answered from a copy at most a second old (see
//! `backend/http/src/snapshot.rs`), so its p50 is a warm instance's and its p99 a rebuild's.
//!
//! Targets from the performance issue: init ≤ 30 ms, RSS ≤ 40 MB.
//!
//! Which build runs: `cargo xtask bench lambda` packages the zip for this machine's architecture
//! (`cargo lambda build --release`: thin LTO, one codegen unit, `panic=abort`, stripped, as
//! deployed) and passes its `bootstrap` in `CLOUMER_LAMBDA_BOOTSTRAP`; `cargo bench` alone runs
//! cargo's release build of the binary, which ships without those.

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};

use cloumer_aws::dynamo::DynamoStore;
use cloumer_aws::testing::Moto;
use cloumer_domain::channel::Channel;
use cloumer_domain::ids::{StreamId, UserId};
use cloumer_domain::notification::{Notification, NotificationKind};
use cloumer_domain::ports::{ChannelRepository, NotificationRepository};
use cloumer_domain::testkit;
use serde_json::Value;
use support::{Runtime, cloud, fixture, timed_printing_function};

/// IVS Chat's review request for message `n` in `room`, from viewer `n`.
fn review_event(room: &str, n: usize) -> Value {
    let mut event: Value =
        serde_json::from_str(&fixture("chat-review.json").replace("ROOM_ARN", room)).unwrap();
    event["MessageId"] = format!("MSG{n:09}").into();
    event["Sender"]["UserId"] = format!("viewer-{n}").into();
    event
}

/// An API Gateway HTTP API event for `method path` from one caller.
fn event(method: &str, path: &str, caller: usize) -> Value {
    let mut event: Value = serde_json::from_str(&fixture("apigw-http-chat-token.json").replace(
        "SOURCE_IP",
        &format!("198.51.{}.{}", caller / 250, caller % 250 + 1),
    ))
    .unwrap();
    event["rawPath"] = path.into();
    event["requestContext"]["http"]["path"] = path.into();
    event["requestContext"]["http"]["method"] = method.into();
    event["pathParameters"]["proxy"] = path.trim_start_matches("/api/").into();
    event
}

/// A viewer's bell as `followed` going live twice each over the last day would leave it.
fn bell_of(user: &UserId, followed: &[Channel]) -> Vec<Notification> {
    let now = time::OffsetDateTime::now_utc();
    (0..followed.len() * 2)
        .map(|i| {
            let channel = &followed[i % followed.len()];
            Notification {
                user_id: user.clone(),
                channel_id: channel.id.clone(),
                kind: NotificationKind::WentLive {
                    stream_id: StreamId::parse(&format!("st-{i}")).unwrap(),
                },
                created_at: now - time::Duration::minutes(30 * i as i64),
                channel_handle: channel.handle.to_string(),
                owner_nickname: channel.owner_nickname.as_str().to_owned(),
                owner_avatar: channel.owner_avatar.as_str().to_owned(),
                title: "a benchmark".to_owned(),
            }
        })
        .collect()
}

/// A function's init (process start → its first request for an invocation) and the AWS calls
/// it waited for meanwhile (reading its secrets): moto's share varies run to run, ours less.
struct Init {
    took: Duration,
    ours: Duration,
    calls: (usize, usize),
}

impl Init {
    fn between(calls: &Calls, started: Instant, first_next: Instant) -> Self {
        Self {
            took: first_next - started,
            ours: (first_next - started).saturating_sub(aws_time(calls, started, first_next)),
            calls: calls_between(calls, started, first_next),
        }
    }

    /// The report's line; `target` follows the time.
    fn line(&self, target: &str) -> String {
        format!(
            "{:<40} {:>8.1} ms{target}   ours (outside AWS calls) {:.1} ms   AWS calls {}, {} in sequence",
            "init (start → first next)",
            self.took.as_secs_f64() * 1000.0,
            self.ours.as_secs_f64() * 1000.0,
            self.calls.0,
            self.calls.1,
        )
    }
}

/// When each AWS call the function made started and ended.
type Calls = Arc<Mutex<Vec<(Instant, Instant)>>>;

/// A reverse proxy in front of moto that times every call through it; its address.
async fn timing_proxy(moto_url: String) -> (String, Calls) {
    let calls: Calls = Arc::default();
    let client = reqwest::Client::new();
    let forward = move |State(calls): State<Calls>,
                        method: Method,
                        uri: Uri,
                        headers: HeaderMap,
                        body: Bytes| {
        let (client, moto_url) = (client.clone(), moto_url.clone());
        async move {
            let started = Instant::now();
            let path = uri.path_and_query().map_or("/", |p| p.as_str());
            let mut request = client
                .request(method, format!("{moto_url}{path}"))
                .body(body);
            for (name, value) in &headers {
                if name != "host" && name != "content-length" {
                    request = request.header(name, value);
                }
            }
            let answer = match request.send().await {
                Ok(answer) => answer,
                Err(error) => {
                    return (
                        StatusCode::BAD_GATEWAY,
                        HeaderMap::new(),
                        error.to_string().into(),
                    );
                }
            };
            let status = answer.status();
            let mut headers = HeaderMap::new();
            for (name, value) in answer.headers() {
                if name != "content-length" && name != "transfer-encoding" {
                    headers.insert(name, value.clone());
                }
            }
            let body = answer.bytes().await.unwrap_or_default();
            calls.lock().unwrap().push((started, Instant::now()));
            (status, headers, body)
        }
    };
    let proxy = axum::Router::new()
        .fallback(forward)
        .with_state(calls.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, proxy).await });
    (address, calls)
}

/// The calls in `calls` that ran between `from` and `to` (each clipped to it: the invoke's ends
/// are known to the bench a little late), calls that overlapped merged into one span, and how
/// many calls there were.
fn spans_between(calls: &Calls, from: Instant, to: Instant) -> (Vec<(Instant, Instant)>, usize) {
    let mut during: Vec<(Instant, Instant)> = calls
        .lock()
        .unwrap()
        .iter()
        .filter(|(start, end)| *start < to && *end > from)
        .map(|(start, end)| ((*start).max(from), (*end).min(to)))
        .collect();
    during.sort_unstable();
    let mut spans: Vec<(Instant, Instant)> = Vec::new();
    for (start, end) in &during {
        match spans.last_mut() {
            Some((_, until)) if *start < *until => *until = (*until).max(*end),
            _ => spans.push((*start, *end)),
        }
    }
    (spans, during.len())
}

/// How much of the time between `from` and `to` the function spent waiting for AWS (calls made
/// together count once).
fn aws_time(calls: &Calls, from: Instant, to: Instant) -> Duration {
    let (spans, _) = spans_between(calls, from, to);
    spans.iter().map(|(start, end)| *end - *start).sum()
}

/// How many calls in `calls` ran between `from` and `to`, and how many one after another (calls
/// that overlap count once: they were made together).
fn calls_between(calls: &Calls, from: Instant, to: Instant) -> (usize, usize) {
    let (spans, made) = spans_between(calls, from, to);
    (made, spans.len())
}

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    sorted
        .get(((sorted.len() as f64 * q) as usize).min(sorted.len().saturating_sub(1)))
        .copied()
        .unwrap_or_default()
}

fn peak_memory_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    let invokes = std::env::var("BENCH_LAMBDA_INVOKES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200usize);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (moto, store) = cloud().await;
        let mut channels = Vec::new();
        for i in 0..50 {
            let channel = testkit::channel(&format!("owner-{i}"), &format!("bench_{i}"), i);
            store.create_channel(&channel).await.unwrap();
            channels.push(channel);
        }
        let s3 = cloumer_aws::s3::client(&moto.sdk_config().await);
        s3.create_bucket().bucket("site").send().await.unwrap();
        s3.put_object()
            .bucket("site")
            .key("index.html")
            .body(fixture("index.html").into_bytes().into())
            .send()
            .await
            .unwrap();
        // A signed-in viewer whose bell holds the go-lives of the 20 channels they follow.
        let fan = moto
            .cognito_user("fan@example.com", "bench_fan", "Fan")
            .await;
        let fan_id = UserId::parse(&fan.sub).unwrap();
        let mut fan_channel = testkit::channel("fan", "bench_fan", 60);
        fan_channel.owner = fan_id.clone();
        store.create_channel(&fan_channel).await.unwrap();
        store
            .put_notifications(&bell_of(&fan_id, &channels[..20]))
            .await
            .unwrap();
        let bell = format!("Bearer {}", fan.id_token);
        let routes = [
            ("GET", "/api/health", None),
            ("GET", "/api/v1/directory", None),
            ("POST", "/api/v1/channels/bench_nobody/chat-token", None),
            ("GET", "/bench_3", None),
            ("GET", "/api/v1/me/notifications", Some(bell.as_str())),
        ];
        // One warm-up invocation, then `invokes` of each route in turn.
        let mut events = vec![event("GET", "/api/health", 0)];
        for i in 0..invokes {
            for (method, path, authorization) in routes {
                let mut event = event(method, path, i);
                if let Some(authorization) = authorization {
                    event["headers"]["authorization"] = authorization.into();
                }
                events.push(event);
            }
        }
        let mut lambda = Runtime::start(events).await;
        // moto has no IVS ListStreams: the directory logs a warning on every rebuild (without
        // viewer counts, as in an IVS outage); only the cold start's own line is shown.
        let mut env = lambda.env("api");
        env.push(("COGNITO_USER_POOL_ID", fan.pool_id.clone()));
        env.push(("COGNITO_CLIENT_ID", fan.client_id.clone()));
        env.push(("RUST_LOG", "error,cloumer_aws=info".to_owned()));
        env.push(("SITE_BUCKET", "site".to_owned()));
        let (proxy, calls) = timing_proxy(moto.url.clone()).await;
        env.push(("AWS_ENDPOINT_URL", proxy));
        // Its metric lines (one per invoke) are kept, not printed.
        let (api, _metrics, started) =
            timed_printing_function("api", &moto, &env);
        let (kind, body, _) = lambda.timed_answer().await;
        assert_eq!(kind, "response", "{body}");
        let first_next = lambda.first_next().expect("the function asked for work");
        let init = Init::between(&calls, started, first_next);
        let mut timings: Vec<Vec<Duration>> = vec![Vec::new(); routes.len()];
        let mut ours: Vec<Vec<Duration>> = vec![Vec::new(); routes.len()];
        let mut made: Vec<Vec<(usize, usize)>> = vec![Vec::new(); routes.len()];
        for i in 0..invokes * routes.len() {
            let (kind, body, took) = lambda.timed_answer().await;
            let answered = Instant::now();
            ours[i % routes.len()]
                .push(took.saturating_sub(aws_time(&calls, answered - took, answered)));
            made[i % routes.len()].push(calls_between(&calls, answered - took, answered));
            assert_eq!(kind, "response", "{body}");
            let status = body["statusCode"].as_u64().unwrap_or_default();
            assert!(
                status == 200 || status == 404 || status == 429,
                "{} answered {status}: {body}",
                routes[i % routes.len()].1
            );
            timings[i % routes.len()].push(took);
        }
        println!(
            "Lambda benchmark: the `api` function of {}, {invokes} warm invokes per route, moto on loopback",
            support::functions_binary().to_string_lossy()
        );
        println!("{}", init.line(" (target 30 ms)"));
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        for ((((method, path, _), mut took), mut ours), mut made) in
            routes.iter().zip(timings).zip(ours).zip(made)
        {
            took.sort_unstable();
            ours.sort_unstable();
            // The invoke with the median number of calls, by how many ran in sequence.
            made.sort_unstable_by_key(|(count, sequence)| (*sequence, *count));
            let (count, sequence) = made[made.len() / 2];
            println!(
                "{:<40} p50 {:>7.2} ms   p99 {:>7.2} ms   ours (outside AWS calls) p50 {:>6.2} ms   p99 {:>6.2} ms   AWS calls {count}, {sequence} in sequence",
                format!("{method} {path}"),
                ms(percentile(&took, 0.5)),
                ms(percentile(&took, 0.99)),
                ms(percentile(&ours, 0.5)),
                ms(percentile(&ours, 0.99)),
            );
        }
        let pid = api.id().expect("the function is running");
        println!(
            "{:<40} {:>8.1} MiB (target 40 MB)",
            "peak resident memory",
            peak_memory_mib(pid)
        );
        drop(api);
        review_bench(&moto, &store, invokes).await;
    });
}

/// The chat-review function's figures (see the top of this file).
async fn review_bench(moto: &Moto, store: &DynamoStore, invokes: usize) {
    let channel = testkit::channel("owner-review", "bench_room", 0);
    store.create_channel(&channel).await.unwrap();
    let room = channel.chat_room.as_ref().unwrap().arn.clone();
    let events = (0..=invokes).map(|n| review_event(&room, n)).collect();
    let mut lambda = Runtime::start(events).await;
    let mut env = lambda.env("chat-review");
    // Measured here, not cut off: moto is slower than DynamoDB.
    env.push(("REVIEW_DEADLINE_MS", "10000".to_owned()));
    let (proxy, calls) = timing_proxy(moto.url.clone()).await;
    env.push(("AWS_ENDPOINT_URL", proxy));
    let (review, _metrics, started) = timed_printing_function("chat-review", moto, &env);
    let mut took = Vec::new();
    let mut ours = Vec::new();
    let mut made = Vec::new();
    let mut in_sequence = Vec::new();
    for _ in 0..=invokes {
        let (kind, body, spent) = lambda.timed_answer().await;
        let answered = Instant::now();
        assert_eq!(kind, "response", "{body}");
        assert_eq!(body["ReviewResult"], "ALLOW", "{body}");
        took.push(spent);
        ours.push(spent.saturating_sub(aws_time(&calls, answered - spent, answered)));
        let (count, sequence) = calls_between(&calls, answered - spent, answered);
        made.push(count);
        in_sequence.push(sequence);
    }
    let first_next = lambda.first_next().expect("the function asked for work");
    let init = Init::between(&calls, started, first_next);
    let first = took.remove(0);
    ours.remove(0);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    took.sort_unstable();
    ours.sort_unstable();
    made.sort_unstable();
    in_sequence.sort_unstable();
    println!(
        "chat-review: the same binary, {invokes} warm reviews of one room by different viewers"
    );
    println!("{}", init.line(""));
    println!(
        "{:<40} {:>8.1} ms (IVS Chat waits 200 ms; the function denies at 150 ms)",
        "first review",
        ms(first)
    );
    println!(
        "{:<40} p50 {:>7.2} ms   p99 {:>7.2} ms   ours (outside AWS calls) p50 {:>6.2} ms   p99 {:>6.2} ms",
        "warm review",
        ms(percentile(&took, 0.5)),
        ms(percentile(&took, 0.99)),
        ms(percentile(&ours, 0.5)),
        ms(percentile(&ours, 0.99)),
    );
    println!(
        "{:<40} {:>4} calls, {} in sequence (each a DynamoDB round trip in the cloud)",
        "AWS calls per warm review (median)",
        made[made.len() / 2],
        in_sequence[in_sequence.len() / 2],
    );
    let pid = review.id().expect("the function is running");
    println!(
        "{:<40} {:>8.1} MiB",
        "peak resident memory",
        peak_memory_mib(pid)
    );
}
