//! A local stack with the RTMP ingest running, a streamer's account and key, the test publisher,
//! and ffprobe: what the tests that stream share.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::time::{Duration, Instant};

use cloumer_local::{LocalConfig, RunningStack};
use serde_json::{Value, json};
use tokio::process::{Child, Command};

pub struct App {
    pub stack: RunningStack,
    pub client: reqwest::Client,
    pub data: tempfile::TempDir,
}

/// The stack on a fresh data directory given as a relative path, as `cargo xtask dev` gives
/// `.cloumer/data` (nginx would resolve relative paths against its own prefix).
pub async fn spawn_app() -> App {
    spawn_app_with(|_| {}).await
}

/// [`spawn_app`] with a change to the configuration (a manual clock, say).
pub async fn spawn_app_with(configure: impl FnOnce(&mut LocalConfig)) -> App {
    let data = tempfile::Builder::new()
        .prefix(".ingest-test-")
        .tempdir_in(".")
        .unwrap();
    let dist = relative_path(&data).join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html>").unwrap();
    spawn_app_in(data, configure).await
}

/// The data directory as a path relative to the working directory.
pub fn relative_path(data: &tempfile::TempDir) -> std::path::PathBuf {
    Path::new(".").join(data.path().file_name().unwrap())
}

/// The stack on a data directory a previous stack used (made by [`spawn_app_with`]).
pub async fn spawn_app_in(
    data: tempfile::TempDir,
    configure: impl FnOnce(&mut LocalConfig),
) -> App {
    let relative = relative_path(&data);
    let dist = relative.join("dist");
    let mut config = LocalConfig::new(
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        dist,
        relative,
        0,
    );
    configure(&mut config);
    let stack = cloumer_local::start(config).await.unwrap();
    App {
        stack,
        client: reqwest::Client::new(),
        data,
    }
}

impl App {
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.stack.url())
        }
    }

    pub async fn json(
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

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn cognito(&self, target: &str, body: Value) -> Value {
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
    pub async fn streamer(&self, handle: &str) -> (String, String) {
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
        let key = self
            .get_json("/api/v1/me/channel/stream-key", Some(&token))
            .await;
        assert_eq!(key["ingestServer"], self.stack.rtmp_url());
        (token, key["streamKey"].as_str().unwrap().to_owned())
    }

    /// A channel's recordings page, as `token`'s holder (or the public) sees it.
    /// The body of a GET on the API, signed in with `token` if given.
    pub async fn get_json(&self, path: &str, token: Option<&str>) -> Value {
        self.json(reqwest::Method::GET, path, token, None).await.1
    }

    pub async fn recordings(&self, handle: &str, token: Option<&str>) -> Value {
        self.get_json(&format!("/api/v1/channels/{handle}/recordings"), token)
            .await
    }

    pub async fn channel(&self, handle: &str) -> Value {
        self.get_json(&format!("/api/v1/channels/{handle}"), None)
            .await
    }

    /// The test pattern published with `key` for `seconds`, once `handle`'s channel is live.
    pub async fn go_live(&self, handle: &str, key: &str, seconds: u32) -> Child {
        let ffmpeg = publish(&format!("{}{key}", self.stack.rtmp_url()), seconds);
        self.wait_for(
            "the channel to go live",
            Duration::from_secs(10),
            async || self.channel(handle).await["live"] == true,
        )
        .await;
        ffmpeg
    }

    /// A live public channel's playback URL (its multivariant playlist) and the URL its
    /// qualities' directories are under.
    pub async fn playback(&self, handle: &str) -> (String, String) {
        let playback = self.channel(handle).await["playbackUrl"]
            .as_str()
            .expect("a live channel's playback URL")
            .to_owned();
        let base = playback.rsplit_once('/').unwrap().0.to_owned();
        (playback, base)
    }

    /// The multivariant playlist at `playback`, once there is one (the first segment is cut).
    pub async fn multivariant(&self, playback: &str) -> String {
        let mut multivariant = String::new();
        self.wait_for("the playback URL", Duration::from_secs(20), async || {
            let response = self.get(playback).await;
            let found = response.status() == 200;
            multivariant = response.text().await.unwrap();
            found
        })
        .await;
        multivariant
    }

    pub async fn wait_for(
        &self,
        what: &str,
        timeout: Duration,
        mut check: impl AsyncFnMut() -> bool,
    ) {
        let deadline = Instant::now() + timeout;
        while !check().await {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

/// The shared test publisher (`cloumer-test-media`).
pub fn publish(url: &str, seconds: u32) -> Child {
    cloumer_test_media::publish(url, seconds).expect("ffmpeg is installed by cargo xtask setup")
}

/// Ends a broadcast as an encoder's Stop button does: ffmpeg, interrupted, closes its stream and
/// its connection. Waits for it to exit.
pub async fn stop_publishing(ffmpeg: &mut Child) {
    let pid = ffmpeg.id().expect("the publisher is running").to_string();
    let interrupted = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .await
        .unwrap();
    assert!(interrupted.success());
    tokio::time::timeout(Duration::from_secs(10), ffmpeg.wait())
        .await
        .expect("ffmpeg ends within 10 s of an interrupt")
        .unwrap();
}

/// The codecs ffprobe finds in a file.
pub async fn probe(path: &Path) -> Vec<String> {
    let report = ffprobe(path, "stream=codec_name").await;
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
    report["streams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["codec_name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Downloads a segment at `url` into a temporary file.
async fn download_segment(app: &App, url: &str) -> tempfile::NamedTempFile {
    let bytes = app.get(url).await.bytes().await.unwrap();
    let file = tempfile::Builder::new().suffix(".ts").tempfile().unwrap();
    std::fs::write(file.path(), &bytes).unwrap();
    file
}

/// Downloads a URL into a temporary file and returns the codecs in it.
pub async fn probe_url(app: &App, url: &str) -> Vec<String> {
    probe(download_segment(app, url).await.path()).await
}

/// The height of the first video stream of the file at `url`.
pub async fn video_height(app: &App, url: &str) -> u32 {
    let file = download_segment(app, url).await;
    let output = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0", "-show_entries"])
        .args(["stream=height", "-of", "csv=p=0"])
        .arg(file.path())
        .output()
        .await
        .unwrap();
    // MPEG-TS lists its streams twice (once in its program).
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .find(|line| !line.trim().is_empty())
        .and_then(|line| line.trim().parse().ok())
        .unwrap_or_else(|| panic!("no height in {text:?}"))
}

pub fn segments(playlist: &str) -> Vec<String> {
    playlist
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// Writes `script` to `path` as an executable: a stand-in for a tool the stack runs (named by
/// `CLOUMER_FFMPEG`, `CLOUMER_FFPROBE`).
pub fn executable(path: &std::path::Path, script: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, script).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// The timed metadata of a live segment as ffprobe reads it: the presentation time of its
/// first video frame and of its ID3 packet (90 kHz ticks), and when the tag says the first
/// frame arrived (`transc_r`: milliseconds since the epoch, as IVS's segments say it).
#[derive(Debug)]
pub struct SegmentMetadata {
    pub first_frame_pts: i64,
    pub tag_pts: i64,
    pub first_frame_arrived_ms: u64,
}

pub async fn segment_metadata(path: &Path) -> SegmentMetadata {
    let codecs = probe(path).await;
    assert!(
        codecs.iter().any(|codec| codec == "timed_id3"),
        "an ID3 stream in {codecs:?}"
    );
    let report = ffprobe(path, "packet=codec_type,pts").await;
    let first_pts = |kind: &str| {
        report["packets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["codec_type"] == kind)
            .and_then(|p| p["pts"].as_i64())
            .unwrap_or_else(|| panic!("a {kind} packet with a time: {report}"))
    };
    let bytes = std::fs::read(path).unwrap();
    let marker = b"segmentmetadata\0{\"cmd\":\"ld_lat_data\",\"ingest_r\":";
    let at = bytes
        .windows(marker.len())
        .position(|w| w == marker)
        .expect("the segment's metadata frame")
        + marker.len();
    let digits: String = bytes[at..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| char::from(b))
        .collect();
    SegmentMetadata {
        first_frame_pts: first_pts("video"),
        tag_pts: first_pts("data"),
        first_frame_arrived_ms: digits.parse().unwrap(),
    }
}

/// What ffprobe reports of `entries` in a file, as JSON.
async fn ffprobe(path: &Path, entries: &str) -> Value {
    let output = Command::new("ffprobe")
        .args(["-v", "error", "-show_entries", entries, "-of", "json"])
        .arg(path)
        .output()
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "ffprobe: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}
