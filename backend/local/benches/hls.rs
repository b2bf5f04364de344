//! HLS serving benchmark (`cargo xtask bench hls`, or `cargo bench -p cloumer-local --bench hls`).
//!
//! The real `cloumer-local` binary with its ingest; ffmpeg publishes the test pattern (1 s
//! segments). `BENCH_HLS_PLAYERS` players (default 1,000) then watch the channel for
//! `BENCH_SECONDS` (default 30) as an HLS player does, through the path the browser uses: the
//! playback URL from the API (`POST …/playback`, one per player), its playlist (following a
//! multivariant playlist to its media playlist), reloaded once per target duration (half of it
//! when nothing was new), and every new segment downloaded whole; then, as the IVS player does,
//! the segment the playlist names as being written (`#EXT-X-PREFETCH`), read as it is written,
//! and the playlist again at once (`BENCH_HLS_COMING=0`: listed segments only, as a plain HLS
//! player). A probe reloads the playlist every 100 ms to know the live edge. Reports requests/s, bytes/s, p50/p99 per kind of request, and how far behind the edge
//! players were after each reload: a player is *behind* when its newest segment is more than
//! one segment older than the edge. Target: no player falls behind. Runs twice, a broadcast
//! each: the channel public, then private (each player with its own playback token and
//! session, as the owner; the privacy is set between broadcasts, as IVS requires);
//! `BENCH_HLS_RUNS=private` runs one; `BENCH_HLS_ARRIVAL_MS` spreads the arrivals (default 1000).
//!
//! Players and server share the machine (2 cores here): the numbers are a floor.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{env_number, percentile, print_memory, start_server};

/// A media playlist as a player reads it: the sequence number of its last segment and the
/// segments' URIs with their sequence numbers.
struct Playlist {
    target_duration: Duration,
    segments: Vec<(u64, String)>,
    /// The segment being written, after the last listed one.
    coming: Option<String>,
}

impl Playlist {
    fn parse(text: &str) -> Option<Playlist> {
        let mut sequence = None;
        let mut target = 1.0;
        let mut uris = Vec::new();
        let mut coming = None;
        for line in text.lines() {
            if let Some(uri) = line.strip_prefix("#EXT-X-PREFETCH:") {
                coming = coming.or_else(|| Some(uri.trim().to_owned()));
            } else if let Some(v) = line.strip_prefix("#EXT-X-MEDIA-SEQUENCE:") {
                sequence = v.trim().parse::<u64>().ok();
            } else if let Some(v) = line.strip_prefix("#EXT-X-TARGETDURATION:") {
                target = v.trim().parse().unwrap_or(1.0);
            } else if !line.starts_with('#') && !line.trim().is_empty() {
                uris.push(line.trim().to_owned());
            }
        }
        let first = sequence?;
        Some(Playlist {
            target_duration: Duration::from_secs_f64(target),
            segments: (first..).zip(uris).collect(),
            coming,
        })
    }

    fn edge(&self) -> u64 {
        self.segments.last().map_or(0, |(seq, _)| *seq)
    }
}

/// A URI in a playlist, resolved against the playlist's URL.
fn resolve(base: &reqwest::Url, uri: &str) -> reqwest::Url {
    base.join(uri).expect("a playlist URI")
}

#[derive(Default)]
struct Tally {
    playlists: Vec<Duration>,
    segments: Vec<Duration>,
    /// Time to the first byte of each segment taken while it was written.
    coming: Vec<Duration>,
    bytes: u64,
    errors: u64,
    /// Segments behind the edge after each reload.
    lags: Vec<u64>,
}

async fn play(
    client: reqwest::Client,
    url: reqwest::Url,
    edge: Arc<AtomicU64>,
    deadline: Instant,
) -> Tally {
    let mut tally = Tally::default();
    let mut newest = None;
    let take_coming = env_number("BENCH_HLS_COMING", 1) == 1;
    while Instant::now() < deadline {
        let started = Instant::now();
        let text = match client.get(url.clone()).send().await {
            Ok(r) if r.status().is_success() => r.text().await.unwrap_or_default(),
            _ => {
                tally.errors += 1;
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
        };
        tally.playlists.push(started.elapsed());
        let Some(playlist) = Playlist::parse(&text) else {
            tally.errors += 1;
            continue;
        };
        // A player starts a few segments back from the edge, then takes each new one.
        let from = newest.map_or(playlist.edge().saturating_sub(2), |n: u64| n + 1);
        let fresh: Vec<_> = playlist
            .segments
            .iter()
            .filter(|(seq, _)| *seq >= from)
            .collect();
        for (seq, uri) in &fresh {
            let started = Instant::now();
            match client.get(resolve(&url, uri)).send().await {
                Ok(r) if r.status().is_success() => {
                    tally.bytes += r.bytes().await.map_or(0, |b| b.len() as u64);
                    tally.segments.push(started.elapsed());
                    newest = Some(*seq);
                }
                _ => tally.errors += 1,
            }
        }
        if let Some(newest) = newest {
            tally
                .lags
                .push(edge.load(Ordering::Relaxed).saturating_sub(newest));
        }
        // Caught up with the playlist: the segment being written, then the playlist at once.
        if let Some(uri) = playlist.coming.as_deref().filter(|_| take_coming)
            && newest == Some(playlist.edge())
        {
            let started = Instant::now();
            match client.get(resolve(&url, uri)).send().await {
                Ok(mut r) if r.status().is_success() => {
                    let mut first = true;
                    while let Ok(Some(piece)) = r.chunk().await {
                        if std::mem::take(&mut first) {
                            tally.coming.push(started.elapsed());
                        }
                        tally.bytes += piece.len() as u64;
                    }
                    newest = Some(playlist.edge() + 1);
                }
                _ => tally.errors += 1,
            }
            continue;
        }
        let wait = if fresh.is_empty() {
            playlist.target_duration / 2
        } else {
            playlist.target_duration
        };
        tokio::time::sleep(wait.saturating_sub(started.elapsed())).await;
    }
    tally
}

/// What a player loads, asked for as the browser does: the playback URL from the API (with a
/// token for a private channel), then the media playlist it names.
async fn start_watching(
    client: &reqwest::Client,
    base: &reqwest::Url,
    bearer: Option<&str>,
) -> Option<reqwest::Url> {
    let mut request = client.post(resolve(base, "/api/v1/channels/bench_streamer/playback"));
    if let Some(bearer) = bearer {
        request = request.bearer_auth(bearer);
    }
    let response = request.send().await.ok()?;
    if !response.status().is_success() {
        return None;
    }
    let body: Value = response.json().await.ok()?;
    let playback = resolve(base, body["url"].as_str()?);
    Some(media_playlist(client, playback).await)
}

/// The media playlist players reload: the playback URL, or the first variant it lists.
async fn media_playlist(client: &reqwest::Client, playback: reqwest::Url) -> reqwest::Url {
    let text = client
        .get(playback.clone())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    if !text.contains("#EXT-X-STREAM-INF") {
        return playback;
    }
    let variant = text
        .lines()
        .find(|l| !l.starts_with('#') && !l.trim().is_empty())
        .expect("a variant");
    resolve(&playback, variant.trim())
}

fn main() {
    let players = env_number("BENCH_HLS_PLAYERS", 1000) as usize;
    let seconds = env_number("BENCH_SECONDS", 30);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (server, _) = start_server(dir.path(), &[]);
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(players)
            .build()
            .unwrap();
        let token = support::sign_up(&client, &server, "bench_streamer").await;
        let key: Value = client
            .get(format!("{}/api/v1/me/channel/stream-key", server.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let ingest = format!(
            "{}/{}",
            key["ingestServer"].as_str().unwrap(),
            key["streamKey"].as_str().unwrap()
        );
        let base = reqwest::Url::parse(&server.base).unwrap();
        println!(
            "HLS benchmark: {players} players of one live channel for {seconds} s each run, loopback"
        );
        let runs = std::env::var("BENCH_HLS_RUNS").unwrap_or_else(|_| "public,private".to_owned());
        for private in runs.split(',').map(|run| run.trim() == "private") {
            // Set while offline: like IVS, a live channel's privacy cannot change.
            let changed = client
                .patch(format!("{}/api/v1/me/channel", server.base))
                .bearer_auth(&token)
                .json(&serde_json::json!({"private": private}))
                .send()
                .await
                .unwrap();
            assert!(changed.status().is_success());
            let publisher = cloumer_test_media::publish(&ingest, seconds as u32 + 30)
                .expect("ffmpeg is installed by cargo xtask setup");
            let bearer = private.then_some(token.as_str());
            let media = until_playable(&client, &base, bearer).await;
            // Let the playlist fill to its usual length before the players arrive.
            tokio::time::sleep(Duration::from_secs(4)).await;
            // A new client each run: its players start with no pooled connections, as new
            // viewers do.
            let viewers = reqwest::Client::builder()
                .pool_max_idle_per_host(players)
                .build()
                .unwrap();
            let mut tally = watch(&viewers, &base, bearer, &media, players, seconds, &server).await;
            println!("{}", if private { "private channel" } else { "public channel" });
            tally.print(players);
            drop(publisher);
            until_offline(&client, &server.base).await;
        }
        print_memory("server memory", server.child.id());
    });
}

/// Waits until the channel plays: its media playlist, found as a player finds it, answers.
async fn until_playable(
    client: &reqwest::Client,
    base: &reqwest::Url,
    bearer: Option<&str>,
) -> reqwest::Url {
    let started = Instant::now();
    loop {
        if let Some(media) = start_watching(client, base, bearer).await {
            let ready = client.get(media.clone()).send().await;
            if ready.is_ok_and(|r| r.status().is_success()) {
                return media;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the stream did not go live"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits until the channel is offline again.
async fn until_offline(client: &reqwest::Client, server: &str) {
    let started = Instant::now();
    loop {
        let channel: Value = client
            .get(format!("{server}/api/v1/channels/bench_streamer"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if channel["live"] == false {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the stream did not end"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The whole load: a probe keeping the live edge, and `players` players arriving over a second.
async fn watch(
    client: &reqwest::Client,
    base: &reqwest::Url,
    bearer: Option<&str>,
    media: &reqwest::Url,
    players: usize,
    seconds: u64,
    server: &support::Server,
) -> Summary {
    let edge = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let probe = {
        let (client, media, edge) = (client.clone(), media.clone(), edge.clone());
        tokio::spawn(async move {
            loop {
                if let Ok(r) = client.get(media.clone()).send().await
                    && let Ok(text) = r.text().await
                    && let Some(playlist) = Playlist::parse(&text)
                {
                    edge.fetch_max(playlist.edge(), Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    };
    let cpu_before = support::cpu_seconds(server.child.id());
    let load_started = Instant::now();
    let mut tasks = Vec::with_capacity(players);
    for i in 0..players {
        let (client, base, edge) = (client.clone(), base.clone(), edge.clone());
        let bearer = bearer.map(str::to_owned);
        tasks.push(tokio::spawn(async move {
            // Players arrive over the first second (a raid), not all at one instant.
            let arrival = env_number("BENCH_HLS_ARRIVAL_MS", 1000) * 1000;
            tokio::time::sleep(Duration::from_micros((i as u64 * arrival) / players as u64)).await;
            match start_watching(&client, &base, bearer.as_deref()).await {
                Some(media) => play(client, media, edge, deadline).await,
                None => Tally {
                    errors: 1,
                    ..Tally::default()
                },
            }
        }));
    }
    let mut summary = Summary::default();
    for task in tasks {
        summary.add(task.await.unwrap());
    }
    summary.seconds = load_started.elapsed().as_secs_f64();
    summary.server_cpu = support::cpu_seconds(server.child.id()) - cpu_before;
    probe.abort();
    summary
}

#[derive(Default)]
struct Summary {
    all: Tally,
    behind_players: usize,
    worst: u64,
    seconds: f64,
    server_cpu: f64,
}

impl Summary {
    fn add(&mut self, tally: Tally) {
        let player_worst = tally.lags.iter().copied().max().unwrap_or(u64::MAX);
        if player_worst > 1 {
            self.behind_players += 1;
        }
        self.worst = self.worst.max(player_worst);
        self.all.playlists.extend(tally.playlists);
        self.all.segments.extend(tally.segments);
        self.all.coming.extend(tally.coming);
        self.all.bytes += tally.bytes;
        self.all.errors += tally.errors;
    }

    fn print(&mut self, players: usize) {
        let rate = |n: usize| n as f64 / self.seconds;
        self.all.playlists.sort_unstable();
        self.all.segments.sort_unstable();
        self.all.coming.sort_unstable();
        let all = &self.all;
        println!(
            "  {:<22} {:>8.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms",
            "playlists",
            rate(all.playlists.len()),
            percentile(&all.playlists, 0.5).as_secs_f64() * 1000.0,
            percentile(&all.playlists, 0.99).as_secs_f64() * 1000.0,
        );
        println!(
            "  {:<22} {:>8.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms   {:.1} MB/s",
            "segments",
            rate(all.segments.len()),
            percentile(&all.segments, 0.5).as_secs_f64() * 1000.0,
            percentile(&all.segments, 0.99).as_secs_f64() * 1000.0,
            all.bytes as f64 / self.seconds / 1e6,
        );
        if !all.coming.is_empty() {
            println!(
                "  {:<22} {:>8.0} req/s   first byte p50 {:>7.2} ms   p99 {:>7.2} ms",
                "segments being written",
                rate(all.coming.len()),
                percentile(&all.coming, 0.5).as_secs_f64() * 1000.0,
                percentile(&all.coming, 0.99).as_secs_f64() * 1000.0,
            );
        }
        println!(
            "  {:<22} {} of {players} fell more than one segment behind (worst {}); {} failed requests",
            "behind the live edge", self.behind_players, self.worst, all.errors,
        );
        println!(
            "  {:<22} {:.2} CPU-seconds per second of load",
            "server CPU",
            self.server_cpu / self.seconds
        );
    }
}
