//! The local IVS ingest with a real ffmpeg publisher: RTMP in, HLS out, live state, recordings.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::time::{Duration, Instant};

use cloumer_local::{LocalConfig, RunningStack};
use serde_json::{Value, json};
use tokio::process::{Child, Command};

struct App {
    stack: RunningStack,
    client: reqwest::Client,
    _data: tempfile::TempDir,
}

/// The stack on a fresh data directory given as a relative path, as `cargo xtask dev` gives
/// `.cloumer/data` (nginx would resolve relative paths against its own prefix).
async fn spawn_app() -> App {
    let data = tempfile::Builder::new()
        .prefix(".ingest-test-")
        .tempdir_in(".")
        .unwrap();
    let relative = Path::new(".").join(data.path().file_name().unwrap());
    let dist = relative.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html>").unwrap();
    let stack = cloumer_local::start(LocalConfig::new(
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        dist,
        relative,
        0,
    ))
    .await
    .unwrap();
    App {
        stack,
        client: reqwest::Client::new(),
        _data: data,
    }
}

impl App {
    fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.stack.url())
        }
    }

    async fn json(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    async fn cognito(&self, target: &str, body: Value) -> Value {
        self.client
            .post(self.url("/cognito/"))
            .header(
                "X-Amz-Target",
                format!("AWSCognitoIdentityProviderService.{target}"),
            )
            .header("Content-Type", "application/x-amz-json-1.1")
            .body(body.to_string())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// A confirmed, signed-in streamer: (ID token, stream key).
    async fn streamer(&self, handle: &str) -> (String, String) {
        let email = format!("{handle}@example.com");
        let client_id = cloumer_local::identity::CLIENT_ID;
        self.cognito(
            "SignUp",
            json!({"ClientId": client_id, "Username": email, "Password": "Stream-Key-99",
            "UserAttributes": [{"Name": "preferred_username", "Value": handle}]}),
        )
        .await;
        let code = self.stack.identity().pending_code(&email).unwrap();
        self.cognito(
            "ConfirmSignUp",
            json!({"ClientId": client_id, "Username": email, "ConfirmationCode": code}),
        )
        .await;
        let auth = self
            .cognito(
                "InitiateAuth",
                json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
                "AuthParameters": {"USERNAME": email, "PASSWORD": "Stream-Key-99"}}),
            )
            .await;
        let token = auth["AuthenticationResult"]["IdToken"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, key) = self
            .json(
                reqwest::Method::GET,
                "/api/v1/me/channel/stream-key",
                Some(&token),
                None,
            )
            .await;
        assert_eq!(key["ingestServer"], self.stack.rtmp_url());
        (token, key["streamKey"].as_str().unwrap().to_owned())
    }

    async fn channel(&self, handle: &str) -> Value {
        self.json(
            reqwest::Method::GET,
            &format!("/api/v1/channels/{handle}"),
            None,
            None,
        )
        .await
        .1
    }

    async fn wait_for(&self, what: &str, timeout: Duration, mut check: impl AsyncFnMut() -> bool) {
        let deadline = Instant::now() + timeout;
        while !check().await {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// The shared test publisher (`cloumer-test-media`).
fn publish(url: &str, seconds: u32) -> Child {
    cloumer_test_media::publish(url, seconds).expect("ffmpeg is installed by cargo xtask setup")
}

/// The codecs ffprobe finds in a file.
async fn probe(path: &Path) -> Vec<String> {
    let output = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "stream=codec_name",
            "-of",
            "json",
        ])
        .arg(path)
        .output()
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "ffprobe: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Every frame must decode, not just the headers parse.
    let decoded = Command::new("ffmpeg")
        .args(["-hide_banner", "-v", "error", "-xerror", "-i"])
        .arg(path)
        .args(["-f", "null", "-"])
        .output()
        .await
        .unwrap();
    assert!(
        decoded.status.success(),
        "decoding failed: {}",
        String::from_utf8_lossy(&decoded.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    report["streams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["codec_name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Downloads a URL into a temporary file and returns the codecs in it.
async fn probe_url(app: &App, url: &str) -> Vec<String> {
    let bytes = app.get(url).await.bytes().await.unwrap();
    let file = tempfile::Builder::new().suffix(".ts").tempfile().unwrap();
    std::fs::write(file.path(), &bytes).unwrap();
    probe(file.path()).await
}

fn segments(playlist: &str) -> Vec<String> {
    playlist
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn a_broadcast_goes_live_plays_as_hls_and_is_kept_as_a_recording() {
    let app = spawn_app().await;
    let (token, key) = app.streamer("caster").await;
    assert_eq!(app.channel("caster").await["live"], false);
    let mut ffmpeg = publish(&format!("{}{key}", app.stack.rtmp_url()), 8);

    app.wait_for(
        "the channel to go live",
        Duration::from_secs(10),
        async || app.channel("caster").await["live"] == true,
    )
    .await;
    let page = app.channel("caster").await;
    let playback = page["playbackUrl"].as_str().unwrap().to_owned();
    assert!(
        !playback.contains(&key),
        "the playback URL must not contain the stream key"
    );
    let mut playlist = String::new();
    app.wait_for(
        "a playlist with segments",
        Duration::from_secs(10),
        async || {
            let response = app.get(&playback).await;
            if response.status() != 200 {
                return false;
            }
            assert_eq!(
                response.headers()["content-type"],
                "application/vnd.apple.mpegurl"
            );
            playlist = response.text().await.unwrap();
            segments(&playlist).len() >= 3
        },
    )
    .await;
    // Low latency: one-second segments (the first may be longer while the encoder starts).
    let durations: Vec<f64> = playlist
        .lines()
        .filter_map(|l| l.strip_prefix("#EXTINF:")?.split(',').next()?.parse().ok())
        .collect();
    assert!(
        durations[1..].iter().all(|d| *d <= 1.1),
        "1-second segments:\n{playlist}"
    );
    let base = playback.rsplit_once('/').unwrap().0;
    let codecs = probe_url(&app, &format!("{base}/{}", segments(&playlist)[0])).await;
    assert_eq!(codecs, ["h264", "aac"]);

    // The directory shows it live; the live thumbnail appears within the monitor's period.
    let directory = app
        .json(reqwest::Method::GET, "/api/v1/directory", None, None)
        .await
        .1;
    assert_eq!(directory["items"][0]["handle"], "caster");
    assert_eq!(directory["items"][0]["live"], true);
    app.wait_for("a live thumbnail", Duration::from_secs(15), async || {
        app.channel("caster").await["thumbnailUrl"].is_string()
    })
    .await;
    let thumbnail = app.channel("caster").await["thumbnailUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let image = app.get(&thumbnail).await;
    assert_eq!(image.headers()["content-type"], "image/jpeg");
    assert!(image.bytes().await.unwrap().starts_with(&[0xFF, 0xD8]));
    let (_, mine) = app
        .json(
            reqwest::Method::GET,
            "/api/v1/me/channel",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(mine["health"], "HEALTHY");

    // Viewers are counted from open chat connections (every channel page holds one).
    let (_, chat) = app
        .json(
            reqwest::Method::POST,
            "/api/v1/channels/caster/chat-token",
            None,
            None,
        )
        .await;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = chat["endpoint"]
        .as_str()
        .unwrap()
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        chat["token"].as_str().unwrap().parse().unwrap(),
    );
    let (viewer, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    app.wait_for("one viewer", Duration::from_secs(6), async || {
        app.channel("caster").await["viewerCount"] == 1
    })
    .await;
    drop(viewer);
    app.wait_for("no viewers", Duration::from_secs(6), async || {
        app.channel("caster").await["viewerCount"] == 0
    })
    .await;

    let status = ffmpeg.wait().await.unwrap();
    assert!(status.success());
    app.wait_for(
        "the channel to go offline",
        Duration::from_secs(10),
        async || app.channel("caster").await["live"] == false,
    )
    .await;

    let mut recording = Value::Null;
    app.wait_for("the recording", Duration::from_secs(20), async || {
        let (_, page) = app
            .json(
                reqwest::Method::GET,
                "/api/v1/channels/caster/recordings",
                None,
                None,
            )
            .await;
        recording = page["items"][0].clone();
        recording["status"] == "ENDED"
    })
    .await;
    let duration = recording["durationMs"].as_u64().unwrap();
    assert!(
        (6_000..=10_000).contains(&duration),
        "an 8 s broadcast recorded as {duration} ms"
    );
    let vod = recording["playlistUrl"].as_str().unwrap();
    let vod_playlist = app.get(vod).await.text().await.unwrap();
    assert!(vod_playlist.contains("#EXT-X-ENDLIST"), "{vod_playlist}");
    let vod_base = vod.rsplit_once('/').unwrap().0;
    assert_eq!(
        probe_url(&app, &format!("{vod_base}/{}", segments(&vod_playlist)[0])).await,
        ["h264", "aac"]
    );
    let thumb = app.get(recording["thumbnailUrl"].as_str().unwrap()).await;
    assert_eq!(thumb.status(), 200);
    app.stack.shutdown().await.unwrap();
}

#[tokio::test]
async fn an_unknown_or_reset_key_and_a_second_publisher_are_refused() {
    let app = spawn_app().await;
    let (token, key) = app.streamer("guarded").await;

    let mut wrong = publish(&format!("{}sk_local_notakey", app.stack.rtmp_url()), 5);
    let status = tokio::time::timeout(Duration::from_secs(10), wrong.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(
        !status.success(),
        "publishing with an unknown key must fail"
    );
    assert_eq!(app.channel("guarded").await["live"], false);

    let mut first = publish(&format!("{}{key}", app.stack.rtmp_url()), 30);
    app.wait_for(
        "the channel to go live",
        Duration::from_secs(10),
        async || app.channel("guarded").await["live"] == true,
    )
    .await;
    let stream_id_before = app
        .stack
        .platform()
        .channel_page("guarded", None)
        .await
        .unwrap()
        .channel
        .live
        .stream_id;
    let mut second = publish(&format!("{}{key}", app.stack.rtmp_url()), 5);
    let status = tokio::time::timeout(Duration::from_secs(10), second.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(
        !status.success(),
        "a second publisher on a live channel must be refused"
    );
    let stream_id_after = app
        .stack
        .platform()
        .channel_page("guarded", None)
        .await
        .unwrap()
        .channel
        .live
        .stream_id;
    assert_eq!(
        stream_id_before, stream_id_after,
        "the first broadcast goes on"
    );
    assert!(
        first.try_wait().unwrap().is_none(),
        "the first publisher is still connected"
    );
    first.kill().await.unwrap();
    app.wait_for(
        "the channel to go offline",
        Duration::from_secs(15),
        async || app.channel("guarded").await["live"] == false,
    )
    .await;

    let (_, reset) = app
        .json(
            reqwest::Method::POST,
            "/api/v1/me/channel/stream-key/reset",
            Some(&token),
            None,
        )
        .await;
    assert_ne!(reset["streamKey"], key.as_str());
    let mut old = publish(&format!("{}{key}", app.stack.rtmp_url()), 5);
    let status = tokio::time::timeout(Duration::from_secs(10), old.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(!status.success(), "the reset key must no longer work");
    assert_eq!(app.channel("guarded").await["live"], false);
    app.stack.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_private_channel_plays_only_with_a_playback_token() {
    let app = spawn_app().await;
    let (token, key) = app.streamer("hidden").await;
    app.json(
        reqwest::Method::PATCH,
        "/api/v1/me/channel",
        Some(&token),
        Some(json!({"private": true, "recording": false})),
    )
    .await;
    let mut ffmpeg = publish(&format!("{}{key}", app.stack.rtmp_url()), 30);
    app.wait_for(
        "the channel to go live",
        Duration::from_secs(10),
        async || app.channel("hidden").await["live"] == true,
    )
    .await;
    let (_, playback) = app
        .json(
            reqwest::Method::POST,
            "/api/v1/channels/hidden/playback",
            Some(&token),
            None,
        )
        .await;
    let with_token = playback["url"].as_str().unwrap().to_owned();
    let without = with_token.split('?').next().unwrap().to_owned();
    let mut playlist = String::new();
    app.wait_for("a playlist", Duration::from_secs(10), async || {
        let response = app.get(&with_token).await;
        if response.status() != 200 {
            return false;
        }
        playlist = response.text().await.unwrap();
        !segments(&playlist).is_empty()
    })
    .await;
    assert_eq!(app.get(&without).await.status(), 403);
    assert_eq!(
        app.get(&format!("{without}?token=forged.token.value"))
            .await
            .status(),
        403
    );
    // Segment URIs carry the token, and segments need it.
    let segment = &segments(&playlist)[0];
    assert!(segment.contains("?token="), "{playlist}");
    let base = without.rsplit_once('/').unwrap().0;
    assert_eq!(app.get(&format!("{base}/{segment}")).await.status(), 200);
    assert_eq!(
        app.get(&format!("{base}/{}", segment.split('?').next().unwrap()))
            .await
            .status(),
        403
    );
    // The thumbnail of a private channel is not listed publicly.
    let directory = app
        .json(reqwest::Method::GET, "/api/v1/directory", None, None)
        .await
        .1;
    assert!(directory["items"][0]["thumbnailUrl"].is_null());
    ffmpeg.kill().await.unwrap();
    app.stack.shutdown().await.unwrap();
}
