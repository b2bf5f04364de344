//! Chat benchmark (`cargo xtask bench chat`, or `cargo bench -p cloumer-local --bench chat`).
//!
//! Scenarios of N WebSocket readers in one room and a steady inbound rate (from at least 4
//! senders), each for `BENCH_SECONDS` (default 20): by default 2,000 readers at 20 and at 100
//! messages/s, and 10,000 readers at 20 messages/s (`BENCH_CHAT_SCENARIOS`, e.g.
//! `2000x20,10000x20`). Each reports delivered messages/s, p50/p99 delivery latency (sender's
//! send → each reader's receive), lost messages, the server's CPU time per million deliveries
//! (user + system, during the load only), its resident memory per connection (growth while the
//! readers connect) and its peak memory (VmHWM); for our server also how fast its HTTP API
//! answers (`GET /api/v1/directory` every 10 ms) while the room chats, against the same before
//! the readers came. The same load then runs against a minimal bare
//! WebSocket broadcast relay (no tokens, review, storage or ordering), written only for this
//! comparison, so the cost of being IVS Chat is visible in one run; and against the same relay
//! served the way our server is (axum's WebSocket upgrade over hyper, our socket options), which
//! splits that cost in two: what the HTTP stack our one port runs on costs, and what our own
//! work (review, history, replies, slow readers) costs on top.
//!
//! Clients and server share the machine (2 cores here): the numbers are a floor, not a ceiling.
//! One file past 400 lines on purpose: the load, the reference relay and the report are read
//! together when a number moves.

mod support;

use std::net::{Ipv4Addr, SocketAddr};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

use support::{cpu_seconds, env_number, free_port, memory_kib, percentile};

/// Senders share the inbound rate; each stays under the server's 20 requests/s per connection.
fn senders_for(rate: u64) -> usize {
    rate.div_ceil(15).max(4) as usize
}

fn now_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_micros() as u64
}

struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for_port(port: u16) {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let started = Instant::now();
    while std::net::TcpStream::connect_timeout(&address, Duration::from_millis(50)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// How a client joins, and how a sender's payload is framed, for one of the two servers.
trait Target: Send + Sync {
    fn url(&self) -> String;
    /// The subprotocol (chat token) for a reader or a sender.
    fn token(&self, sender: bool) -> Option<String>;
    fn frame(&self, seq: u64, sender: usize) -> String;
    /// (sequence, send time in µs) of a received text frame, if it is a benchmark message.
    fn parse(&self, text: &str) -> Option<(u64, u64)>;
    /// A page of the server's HTTP API, to time while it chats (the relays have none).
    fn api_page(&self) -> Option<String> {
        None
    }
}

/// Requests `url` every 10 ms on its own thread, one at a time, timing each, until stopped:
/// what an API client of a server busy with a room's fan-out sees.
struct ApiProbe {
    stop: Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<Vec<Duration>>,
}

impl ApiProbe {
    fn start(url: String) -> Self {
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || {
            let client = reqwest::blocking::Client::new();
            let mut latencies = Vec::new();
            while !stopped.load(Ordering::Relaxed) {
                let started = Instant::now();
                let response = client.get(&url).send().unwrap();
                assert!(response.status().is_success());
                response.bytes().unwrap();
                latencies.push(started.elapsed());
                std::thread::sleep(Duration::from_millis(10));
            }
            latencies.sort_unstable();
            latencies
        });
        Self { stop, thread }
    }

    /// The latencies, sorted.
    fn stop(self) -> Vec<Duration> {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap()
    }
}

// ------------------------------------------------------------------ Cloumer's chat server

struct Cloumer {
    base: String,
    endpoint: String,
    sender_token: String,
    client: reqwest::blocking::Client,
}

impl Cloumer {
    fn mint(&self, bearer: Option<&str>) -> Value {
        let mut request = self.client.post(format!(
            "{}/api/v1/channels/benchroom/chat-token",
            self.base
        ));
        if let Some(bearer) = bearer {
            request = request.bearer_auth(bearer);
        }
        request.send().unwrap().json().unwrap()
    }
}

impl Target for Cloumer {
    fn url(&self) -> String {
        self.endpoint.clone()
    }

    fn api_page(&self) -> Option<String> {
        Some(format!("{}/api/v1/directory", self.base))
    }

    fn token(&self, sender: bool) -> Option<String> {
        let bearer = sender.then_some(self.sender_token.as_str());
        Some(self.mint(bearer)["token"].as_str().unwrap().to_owned())
    }

    fn frame(&self, seq: u64, sender: usize) -> String {
        json!({"Action": "SEND_MESSAGE", "RequestId": format!("{sender}-{seq}"),
               "Content": format!("benchmark message {seq}"),
               "Attributes": {"seq": seq.to_string(), "t": now_micros().to_string()}})
        .to_string()
    }

    fn parse(&self, text: &str) -> Option<(u64, u64)> {
        // Cheap field extraction instead of a full JSON parse, so the clients' cost is about the
        // same for both servers (they share the CPU with the server under test).
        if !text.starts_with("{\"Type\":\"MESSAGE\"") {
            return None;
        }
        let field = |name: &str| -> Option<u64> {
            let start = text.find(name)? + name.len();
            let rest = &text[start..];
            rest[..rest.find('"')?].parse().ok()
        };
        Some((field("\"seq\":\"")?, field("\"t\":\"")?))
    }
}

fn start_cloumer(dir: &std::path::Path) -> (support::Server, Cloumer) {
    // Every reader runs on this machine: the server must not take them for one client.
    let (server, _) = support::start_server(dir, &["--no-ingest", "--no-per-client-limits"]);
    let base = server.base.clone();
    let client = reqwest::blocking::Client::new();
    // The sender is the room's owner: a sender's own rate limit (a flood guard) does not apply
    // to the owner, so the load is the room's limit, which the owner raises to IVS's maximum.
    let sender_token = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(support::sign_up(
            &reqwest::Client::new(),
            &server,
            "benchroom",
        ));
    let rules = client
        .put(format!("{base}/api/v1/me/channel/chat-rules"))
        .bearer_auth(&sender_token)
        .json(
            &json!({"maxMessageLength": 500, "maxMessagesPerSecond": 100,
            "filteredWords": [], "filterMode": "BLOCK"}),
        )
        .send()
        .unwrap();
    assert!(rules.status().is_success(), "{}", rules.text().unwrap());
    let mut target = Cloumer {
        base,
        endpoint: String::new(),
        sender_token,
        client,
    };
    target.endpoint = target.mint(None)["endpoint"].as_str().unwrap().to_owned();
    (server, target)
}

// ------------------------------------------------------------------ the bare relay

struct Bare {
    port: u16,
    /// Frames are padded to the length of the frames Cloumer delivers, so both move the same
    /// bytes per delivery.
    frame_len: usize,
}

impl Target for Bare {
    fn url(&self) -> String {
        format!("ws://127.0.0.1:{}/", self.port)
    }

    fn token(&self, _sender: bool) -> Option<String> {
        None
    }

    fn frame(&self, seq: u64, _sender: usize) -> String {
        let mut frame = format!("{seq} {} ", now_micros());
        let pad = self.frame_len.saturating_sub(frame.len());
        frame.extend(std::iter::repeat_n('x', pad));
        frame
    }

    fn parse(&self, text: &str) -> Option<(u64, u64)> {
        let mut fields = text.split(' ');
        Some((fields.next()?.parse().ok()?, fields.next()?.parse().ok()?))
    }
}

/// The relay itself: every text frame from anyone goes to everyone. Runs in its own process
/// (this binary with `--relay <port>`) so its memory is measured alone.
fn run_relay(port: u16) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))
            .await
            .unwrap();
        let (tx, _) = tokio::sync::broadcast::channel::<Arc<str>>(4096);
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let tx = tx.clone();
            tokio::spawn(async move {
                let Ok(ws) = tokio_tungstenite::accept_async(stream).await else {
                    return;
                };
                let (mut sink, mut source) = ws.split();
                let mut rx = tx.subscribe();
                let writer = tokio::spawn(async move {
                    while let Ok(frame) = rx.recv().await {
                        if sink.send(Message::text(frame.to_string())).await.is_err() {
                            break;
                        }
                    }
                });
                while let Some(Ok(message)) = source.next().await {
                    if let Message::Text(text) = message {
                        let _ = tx.send(Arc::from(text.as_str()));
                    }
                }
                writer.abort();
            });
        }
    });
}

/// The same relay served as our server serves chat: a route of an axum router, upgraded by
/// hyper, on sockets with our server's options (`--axum-relay <port>`).
fn run_axum_relay(port: u16) {
    use axum::extract::ws::{Message as AxumMessage, WebSocket, WebSocketUpgrade};
    use axum::serve::ListenerExt;

    async fn relay(socket: WebSocket, tx: tokio::sync::broadcast::Sender<Arc<str>>) {
        let (mut sink, mut source) = socket.split();
        let mut rx = tx.subscribe();
        let writer = tokio::spawn(async move {
            while let Ok(frame) = rx.recv().await {
                if sink
                    .send(AxumMessage::text(frame.to_string()))
                    .await
                    .is_err()
                {
                    break;
                }
            }
        });
        while let Some(Ok(message)) = source.next().await {
            if let AxumMessage::Text(text) = message {
                let _ = tx.send(Arc::from(text.as_str()));
            }
        }
        writer.abort();
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let (tx, _) = tokio::sync::broadcast::channel::<Arc<str>>(4096);
        let app = axum::Router::new().route(
            "/",
            axum::routing::get(move |ws: WebSocketUpgrade| {
                let tx = tx.clone();
                async move { ws.on_upgrade(move |socket| relay(socket, tx)) }
            }),
        );
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))
            .await
            .unwrap()
            .tap_io(|tcp| {
                let _ = socket2::SockRef::from(&*tcp).set_send_buffer_size(256 * 1024);
                let _ = tcp.set_nodelay(true);
            });
        axum::serve(listener, app).await.unwrap();
    });
}

fn start_relay(flag: &str) -> (Process, u16) {
    let port = free_port();
    let relay = Process(
        Command::new(std::env::current_exe().unwrap())
            .args([flag, &port.to_string()])
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for_port(port);
    (relay, port)
}

// ------------------------------------------------------------------ the load

struct Outcome {
    /// Minting the readers' tokens (ours only: the relay takes none), then opening their
    /// connections, timed apart so the joins compare like for like.
    token_seconds: f64,
    connect_seconds: f64,
    /// The server's CPU time during the load, and its resident growth per reader connected.
    server_cpu_seconds: f64,
    kib_per_connection: f64,
    /// Length of the last message frame a reader received.
    frame_len: usize,
    sent: u64,
    delivered: u64,
    lost: u64,
    refused: u64,
    seconds: f64,
    p50: Duration,
    p99: Duration,
    /// The API's latencies (sorted) before the readers came, and during the load.
    api: Option<(Vec<Duration>, Vec<Duration>)>,
}

async fn connect(
    url: &str,
    token: Option<String>,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    let mut request = url.into_client_request().unwrap();
    if let Some(token) = token {
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_str(&token).unwrap(),
        );
    }
    tokio_tungstenite::connect_async(request).await.unwrap().0
}

fn run_load(
    target: Arc<dyn Target>,
    server: u32,
    readers: usize,
    rate: u64,
    seconds: u64,
) -> Outcome {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let api_idle = match target.api_page() {
            Some(url) => {
                let probe = ApiProbe::start(url);
                tokio::time::sleep(Duration::from_secs(3)).await;
                Some(probe.stop())
            }
            None => None,
        };
        let resident_before = memory_kib(server, "VmRSS:");
        let minting = Instant::now();
        // Tokens are minted one by one (blocking HTTP), connections opened concurrently.
        let mut tokens = Vec::with_capacity(readers);
        for _ in 0..readers {
            let target = target.clone();
            tokens.push(
                tokio::task::spawn_blocking(move || target.token(false))
                    .await
                    .unwrap(),
            );
        }
        let token_seconds = minting.elapsed().as_secs_f64();
        let started = Instant::now();
        let delivered = Arc::new(AtomicU64::new(0));
        let mut tasks = Vec::with_capacity(readers);
        let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(readers);
        // A watch, not a Notify: a reader busy when the stop comes must still see it.
        let (stop_tx, stop) = tokio::sync::watch::channel(false);
        for token in tokens {
            let url = target.url();
            let target = target.clone();
            let delivered = delivered.clone();
            let ready = ready_tx.clone();
            let mut stop = stop.clone();
            tasks.push(tokio::spawn(async move {
                let mut ws = connect(&url, token).await;
                let _ = ready.send(()).await;
                let mut latencies = Vec::new();
                let mut frame_len = 0;
                loop {
                    tokio::select! {
                        message = ws.next() => match message {
                            Some(Ok(Message::Text(text))) => {
                                if let Some((_, sent)) = target.parse(&text) {
                                    latencies.push(now_micros().saturating_sub(sent));
                                    frame_len = text.len();
                                    delivered.fetch_add(1, Ordering::Relaxed);
                                }
                            }
                            Some(Ok(_)) => {}
                            _ => break,
                        },
                        _ = stop.wait_for(|stopped| *stopped) => break,
                    }
                }
                (latencies, frame_len)
            }));
        }
        for _ in 0..readers {
            ready_rx.recv().await.unwrap();
        }
        let connect_seconds = started.elapsed().as_secs_f64();
        let kib_per_connection = (memory_kib(server, "VmRSS:") - resident_before) / readers as f64;

        let refused = Arc::new(AtomicU64::new(0));
        let mut senders = Vec::new();
        let sender_count = senders_for(rate);
        for _ in 0..sender_count {
            let target2 = target.clone();
            let token = tokio::task::spawn_blocking(move || target2.token(true))
                .await
                .unwrap();
            let ws = connect(&target.url(), token).await;
            let (sink, mut source) = ws.split();
            // Messages the server refused by rule (the room's rate limit answers ERROR 429) are
            // counted apart from losses.
            let refused = refused.clone();
            tokio::spawn(async move {
                while let Some(Ok(message)) = source.next().await {
                    if let Message::Text(text) = message
                        && text.contains("\"ErrorCode\":429")
                    {
                        refused.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
            senders.push(sink);
        }
        let total = rate * seconds;
        let interval = Duration::from_secs_f64(1.0 / rate as f64);
        let load_started = Instant::now();
        let cpu_before = cpu_seconds(server);
        let api_probe = target.api_page().map(ApiProbe::start);
        let mut tick = tokio::time::interval(interval);
        for seq in 0..total {
            tick.tick().await;
            let sender = (seq as usize) % sender_count;
            senders[sender]
                .send(Message::text(target.frame(seq, sender)))
                .await
                .unwrap();
        }
        let api_busy = api_probe.map(ApiProbe::stop);
        // Let the last messages arrive.
        tokio::time::sleep(Duration::from_secs(3)).await;
        let load_seconds = load_started.elapsed().as_secs_f64() - 3.0;
        let server_cpu_seconds = cpu_seconds(server) - cpu_before;
        stop_tx.send_replace(true);
        let mut all = Vec::with_capacity((total as usize) * readers);
        let mut frame_len = 0;
        for task in tasks {
            let (latencies, len) = task.await.unwrap();
            all.extend(latencies);
            frame_len = frame_len.max(len);
        }
        all.sort_unstable();
        let at = |q: f64| {
            Duration::from_micros(
                all.get(((all.len() as f64) * q) as usize)
                    .copied()
                    .unwrap_or_default(),
            )
        };
        let delivered = delivered.load(Ordering::Relaxed);
        let refused = refused.load(Ordering::Relaxed);
        let expected = (total - refused) * readers as u64;
        Outcome {
            token_seconds,
            connect_seconds,
            server_cpu_seconds,
            kib_per_connection,
            frame_len,
            sent: total,
            delivered,
            lost: expected.saturating_sub(delivered),
            refused,
            seconds: load_seconds,
            p50: at(0.5),
            p99: at(0.99),
            api: api_idle.zip(api_busy),
        }
    })
}

fn report(name: &str, outcome: &Outcome, server: u32) {
    let cpu_per_million = outcome.server_cpu_seconds / (outcome.delivered as f64 / 1e6);
    println!(
        "  {name:<20} {:>8.0} msg/s delivered   p50 {:>7.2} ms   p99 {:>8.2} ms   lost {:>6}   CPU {:>6.2} s per million deliveries   {:>5.1} KiB per connection   peak {:>6.1} MiB",
        outcome.delivered as f64 / outcome.seconds,
        outcome.p50.as_secs_f64() * 1000.0,
        outcome.p99.as_secs_f64() * 1000.0,
        outcome.lost,
        cpu_per_million,
        outcome.kib_per_connection,
        memory_kib(server, "VmHWM:") / 1024.0,
    );
    println!(
        "  {:<20} (frames of {} bytes; sent {}, refused by rate limit {}, delivered {}, readers' tokens minted in {:.1} s, readers connected in {:.1} s)",
        "",
        outcome.frame_len,
        outcome.sent,
        outcome.refused,
        outcome.delivered,
        outcome.token_seconds,
        outcome.connect_seconds,
    );
    if let Some((idle, busy)) = &outcome.api {
        let ms = |sorted: &[Duration], q: f64| percentile(sorted, q).as_secs_f64() * 1000.0;
        println!(
            "  {:<20} GET /api/v1/directory while it chats: p50 {:.2} ms, p99 {:.2} ms, max {:.1} ms ({} requests); before the readers came: p50 {:.2} ms, p99 {:.2} ms, max {:.1} ms",
            "",
            ms(busy, 0.5),
            ms(busy, 0.99),
            ms(busy, 1.0),
            busy.len(),
            ms(idle, 0.5),
            ms(idle, 0.99),
            ms(idle, 1.0),
        );
    }
}

/// `READERSxRATE` pairs, comma-separated.
fn scenarios() -> Vec<(usize, u64)> {
    let spec = std::env::var("BENCH_CHAT_SCENARIOS")
        .unwrap_or_else(|_| "2000x20,2000x100,10000x20".to_owned());
    spec.split(',')
        .map(|pair| {
            let (readers, rate) = pair
                .split_once('x')
                .expect("BENCH_CHAT_SCENARIOS: READERSxRATE,…");
            (
                readers.trim().parse().unwrap(),
                rate.trim().parse().unwrap(),
            )
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let port_after = |flag: &str| {
        let at = args.iter().position(|a| a == flag)?;
        args.get(at + 1)?.parse::<u16>().ok()
    };
    if let Some(port) = port_after("--relay") {
        return run_relay(port);
    }
    if let Some(port) = port_after("--axum-relay") {
        return run_axum_relay(port);
    }
    let seconds = env_number("BENCH_SECONDS", 20);
    println!(
        "Chat benchmark: one room, {seconds} s of load per scenario, loopback, both servers in one run"
    );
    for (readers, rate) in scenarios() {
        println!(
            "{readers} readers, {rate} messages/s from {} senders",
            senders_for(rate)
        );
        let dir = tempfile::tempdir().unwrap();
        let (server, target) = start_cloumer(dir.path());
        let ours = run_load(Arc::new(target), server.child.id(), readers, rate, seconds);
        report("cloumer (IVS Chat)", &ours, server.child.id());
        drop(server);

        let relay_load = |flag: &str, name: &str| {
            let (relay, port) = start_relay(flag);
            let target = Bare {
                port,
                frame_len: ours.frame_len,
            };
            let outcome = run_load(Arc::new(target), relay.0.id(), readers, rate, seconds);
            report(name, &outcome, relay.0.id());
            outcome
        };
        let bare = relay_load("--relay", "bare broadcast relay");
        let axum_relay = relay_load("--axum-relay", "relay served by axum");
        let per_million = |o: &Outcome| o.server_cpu_seconds / o.delivered as f64;
        let ratio = |name: &str, a: &Outcome, b: &Outcome| {
            println!(
                "  {name:<20} p99 {:.2} x, CPU per delivery {:.2} x, memory per connection {:.2} x",
                a.p99.as_secs_f64() / b.p99.as_secs_f64(),
                per_million(a) / per_million(b),
                a.kib_per_connection / b.kib_per_connection,
            );
        };
        ratio("cloumer / relay", &ours, &bare);
        ratio("axum relay / relay", &axum_relay, &bare);
        ratio("cloumer / axum relay", &ours, &axum_relay);
    }
}
