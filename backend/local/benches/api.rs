//! API benchmark (`cargo xtask bench api`, or `cargo bench -p cloumer-local --bench api`).
//!
//! Starts the real `cloumer-local` binary on a seeded store and reports:
//! - process start → first `200` from `/api/health`;
//! - requests/s, p50 and p99 of `GET /api/v1/directory` (50 channels, 10 live);
//! - the same gzipped, as browsers ask for it, with the bytes sent and its rate as a share of the
//!   plain directory's;
//! - the same for a search (`?q=bench_4`: 11 of the 50 match), which is built on every request
//!   (only the unfiltered first page is kept as bytes), and its rate as a share of the directory's;
//! - requests/s, p50 and p99 of `POST /api/v1/channels/{handle}/chat-token`, signed in;
//! - the reference: a bare axum handler returning the same directory bytes, in a process of its
//!   own (this bench re-run as the server), loaded by the same client in the same run, and the
//!   directory's rate as a share of it;
//! - each server's resident memory (now and peak) after its load.
//!
//! The load generator runs on the same machine (loopback), so client and server share the CPU.
//! Settings: `BENCH_SECONDS` (default 10) and `BENCH_CONCURRENCY` (default 32).

mod support;

use std::net::Ipv4Addr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cloumer_domain::Identity;
use cloumer_domain::ids::{StreamId, UserId};
use cloumer_domain::live::{StreamEvent, StreamEventKind};
use serde_json::Value;
use support::{env_number, free_port, percentile, print_memory, start_server};
use time::OffsetDateTime;

/// 50 channels, 10 of them live, written before the server starts (the store is one process's).
async fn seed(dir: &std::path::Path) {
    let components = cloumer_local::Components::open(
        dir,
        "http://127.0.0.1:1",
        "127.0.0.1",
        1935,
        std::sync::Arc::new(cloumer_domain::ports::SystemClock),
        cloumer_domain::outbound::OutboundDestinations::PublicHttpsOnly,
    )
    .unwrap();
    for i in 0..50 {
        let identity = Identity {
            user_id: UserId::parse(&format!("bench-user-{i}")).unwrap(),
            username: format!("bench{i}"),
            preferred_handle: Some(format!("bench_{i}")),
            nickname: Some(format!("Bench {i}")),
            email: None,
            signed_in_at: None,
            staff: false,
        };
        let account = components.platform.ensure_account(&identity).await.unwrap();
        if i % 5 == 0 {
            let event = StreamEvent {
                channel_id: account.channel.id.clone(),
                stream_id: StreamId::parse(&format!("st-bench-{i}")).unwrap(),
                kind: StreamEventKind::Start,
                at: OffsetDateTime::now_utc(),
            };
            components
                .platform
                .handle_stream_event(&event)
                .await
                .unwrap();
        }
    }
}

struct Report {
    requests: usize,
    errors: usize,
    seconds: f64,
    p50: Duration,
    p99: Duration,
}

async fn load(
    client: reqwest::Client,
    make: MakeRequest,
    seconds: u64,
    concurrency: u64,
) -> Report {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let client = client.clone();
        let make = make.clone();
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            while Instant::now() < deadline {
                let t = Instant::now();
                match make(&client).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        latencies.push(t.elapsed());
                    }
                    _ => errors += 1,
                }
            }
            (latencies, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for worker in workers {
        let (latencies, e) = worker.await.unwrap();
        all.extend(latencies);
        errors += e;
    }
    let seconds = started.elapsed().as_secs_f64();
    all.sort();
    Report {
        requests: all.len(),
        errors,
        seconds,
        p50: percentile(&all, 0.50),
        p99: percentile(&all, 0.99),
    }
}

/// What a load client sends, again and again.
type MakeRequest = Arc<dyn Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + Sync>;

fn get(url: String) -> MakeRequest {
    Arc::new(move |c| c.get(&url))
}

fn print(name: &str, report: &Report) {
    println!(
        "{name:<34} {:>9.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   ({} requests, {} errors)",
        report.requests as f64 / report.seconds,
        report.p50.as_secs_f64() * 1000.0,
        report.p99.as_secs_f64() * 1000.0,
        report.requests,
        report.errors
    );
}

/// Set (to `LISTEN_ADDRESS BODY_FILE`) when this bench is re-run as the reference server.
const REFERENCE_ENV: &str = "CLOUMER_BENCH_REFERENCE";

/// The reference: the same runtime set-up as `cloumer-local` (`#[tokio::main]`), one route
/// answering the directory's bytes, no middleware.
fn serve_reference(spec: &str) -> ! {
    let (listen, body_file) = spec.split_once(' ').expect("LISTEN BODY_FILE");
    let body = axum::body::Bytes::from(std::fs::read(body_file).unwrap());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let app = axum::Router::new().route(
            "/api/v1/directory",
            axum::routing::get(move || {
                let body = body.clone();
                async move {
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        body,
                    )
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind(listen).await.unwrap();
        axum::serve(listener, app).await.unwrap();
    });
    std::process::exit(0)
}

struct Reference {
    child: Child,
    base: String,
}

impl Drop for Reference {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_reference(dir: &std::path::Path, body: &[u8]) -> Reference {
    let body_file = dir.join("reference-directory.json");
    std::fs::write(&body_file, body).unwrap();
    let port = free_port();
    let child = Command::new(std::env::current_exe().unwrap())
        .env(
            REFERENCE_ENV,
            format!("127.0.0.1:{port} {}", body_file.display()),
        )
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "reference did not start"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    Reference {
        child,
        base: format!("http://127.0.0.1:{port}"),
    }
}

fn main() {
    if let Ok(spec) = std::env::var(REFERENCE_ENV) {
        serve_reference(&spec);
    }
    let seconds = env_number("BENCH_SECONDS", 10);
    let concurrency = env_number("BENCH_CONCURRENCY", 32);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    runtime.block_on(seed(dir.path()));
    let (server, first_ok) = start_server(dir.path(), &["--no-ingest"]);
    println!("API benchmark: {seconds} s per scenario, {concurrency} concurrent clients, loopback");
    println!(
        "{:<34} {:>9.1} ms",
        "process start -> first 200",
        first_ok.as_secs_f64() * 1000.0
    );
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(concurrency as usize)
            .build()
            .unwrap();
        let token = support::sign_up(&client, &server, "bench_viewer").await;
        let directory = format!("{}/api/v1/directory?limit=24", server.base);
        let body = client
            .get(&directory)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let check: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(check["items"].as_array().unwrap().len(), 24);
        assert_eq!(check["items"][0]["live"], true);
        let reference = start_reference(dir.path(), &body);
        let reference_url = format!("{}/api/v1/directory", reference.base);
        let get_json = async |url: &str| -> Value {
            client.get(url).send().await.unwrap().json().await.unwrap()
        };
        let same = get_json(&reference_url).await;
        assert_eq!(same, check, "the reference answers the same bytes");
        let measure = async |name: &str, make: MakeRequest| {
            let report = load(client.clone(), make, seconds, concurrency).await;
            print(name, &report);
            report
        };
        // Reference first, then ours, then the reference again: the machine's drift shows as a
        // difference between the two reference runs.
        let before = measure(
            "reference: bare axum, same bytes",
            get(reference_url.clone()),
        )
        .await;
        let report = measure("GET /api/v1/directory", get(directory.clone())).await;
        // What browsers ask for: the same page gzipped (answers of 1 KB or more are).
        let gzipped_size = client
            .get(&directory)
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .len();
        assert!(
            gzipped_size < body.len() / 2,
            "{gzipped_size} of {}",
            body.len()
        );
        let gzipped = measure(
            "GET /api/v1/directory, gzip",
            Arc::new(move |c| c.get(&directory).header("accept-encoding", "gzip")),
        )
        .await;
        let search = format!("{}/api/v1/directory?limit=24&q=bench_4", server.base);
        let found = get_json(&search).await;
        assert_eq!(found["items"].as_array().unwrap().len(), 11, "{found}");
        let searched = measure("GET /api/v1/directory?q=bench_4", get(search)).await;
        let after = measure("reference again", get(reference_url)).await;
        let rate = |r: &Report| r.requests as f64 / r.seconds;
        println!(
            "{:<34} {:>9.2} x the reference's rate (p99 {:.2} x)",
            "directory / reference",
            rate(&report) / ((rate(&before) + rate(&after)) / 2.0),
            report.p99.as_secs_f64() / ((before.p99 + after.p99).as_secs_f64() / 2.0)
        );
        println!(
            "{:<34} {:>9.2} x the directory's rate (p99 {:.2} x), {} of {} bytes sent",
            "gzip / directory",
            rate(&gzipped) / rate(&report),
            gzipped.p99.as_secs_f64() / report.p99.as_secs_f64(),
            gzipped_size,
            body.len()
        );
        println!(
            "{:<34} {:>9.2} x the directory's rate (p99 {:.2} x)",
            "search / directory",
            rate(&searched) / rate(&report),
            searched.p99.as_secs_f64() / report.p99.as_secs_f64()
        );
        print_memory("memory: reference", reference.child.id());
        print_memory("memory: cloumer-local", server.child.id());
        let mint = format!("{}/api/v1/channels/bench_7/chat-token", server.base);
        measure(
            "POST .../chat-token (signed in)",
            Arc::new(move |c| c.post(&mint).bearer_auth(&token)),
        )
        .await;
        print_memory("memory: cloumer-local", server.child.id());
        drop(reference);
    });
    drop(server);
}
