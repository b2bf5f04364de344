//! The ingest: RTMP, nginx's callbacks, and the files the stack keeps.

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use serde_json::json;
use tokio::process::Command;

use crate::streaming::{App, publish, spawn_app};

async fn channel_id(app: &App, handle: &str) -> String {
    app.stack
        .platform()
        .channel_page(handle, None)
        .await
        .unwrap()
        .channel
        .id
        .to_string()
}

async fn live(app: &App, handle: &str) -> bool {
    app.channel(handle).await["live"] == true
}

/// The per-run secret nginx's callbacks carry, as someone who could read the config would.
fn callback_secret(app: &App) -> String {
    let config =
        std::fs::read_to_string(app.data.path().join("ingest/nginx.conf")).expect("nginx.conf");
    let hook = config
        .split("/internal/ingest/")
        .nth(1)
        .expect("a callback URL");
    hook.split('/').next().unwrap().to_owned()
}

async fn callback(app: &App, event: &str, form: &[(&str, &str)]) -> u16 {
    app.client
        .post(app.url(&format!(
            "/internal/ingest/{}/{event}",
            callback_secret(app)
        )))
        .form(form)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Item 2: the `live` application played to anyone on the machine, private channels included.
#[tokio::test]
async fn nobody_reads_the_live_video_over_rtmp() {
    let app = spawn_app().await;
    let (token, key) = app.streamer("secretive").await;
    let (status, _) = app
        .json(
            reqwest::Method::PATCH,
            "/api/v1/me/channel",
            Some(&token),
            Some(json!({"private": true})),
        )
        .await;
    assert_eq!(status, 200);
    let _ffmpeg = publish(&format!("{}{key}", app.stack.rtmp_url()), 30);
    app.wait_for(
        "the channel to go live",
        Duration::from_secs(10),
        async || live(&app, "secretive").await,
    )
    .await;
    let channel = channel_id(&app, "secretive").await;
    let port = app.stack.rtmp_url();
    let base = port.trim_end_matches("/app/");
    for url in [
        format!("{base}/live/{channel}"),
        format!("{base}/app/{key}"),
    ] {
        let probe = Command::new("ffprobe")
            .args(["-v", "error", "-rw_timeout", "4000000", "-i", &url])
            .kill_on_drop(true)
            .output();
        let outcome = tokio::time::timeout(Duration::from_secs(15), probe).await;
        let read = matches!(&outcome, Ok(Ok(output)) if output.status.success());
        assert!(!read, "{url} must not play");
    }
}

/// Item 4: a reset key left the running broadcast on air.
#[tokio::test]
async fn resetting_the_stream_key_ends_the_broadcast() {
    let app = spawn_app().await;
    let (token, key) = app.streamer("leaky").await;
    let mut ffmpeg = publish(&format!("{}{key}", app.stack.rtmp_url()), 60);
    app.wait_for(
        "the channel to go live",
        Duration::from_secs(10),
        async || live(&app, "leaky").await,
    )
    .await;
    let (status, reset) = app
        .json(
            reqwest::Method::POST,
            "/api/v1/me/channel/stream-key/reset",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_ne!(reset["streamKey"], key.as_str());
    app.wait_for(
        "the broadcast to end",
        Duration::from_secs(10),
        async || !live(&app, "leaky").await,
    )
    .await;
    let ended = tokio::time::timeout(Duration::from_secs(10), ffmpeg.wait()).await;
    assert!(
        matches!(ended, Ok(Ok(status)) if !status.success()),
        "the old key's encoder is cut off: {ended:?}"
    );
}

/// Item 13: the store (password hashes, stream keys, refresh tokens), the signing keys and
/// nginx's config (the callback secret) were readable by every user of the machine.
#[tokio::test]
async fn secrets_are_readable_only_by_the_stack() {
    let app = spawn_app().await;
    app.streamer("owner").await;
    let mode = |path: &str| {
        let metadata =
            std::fs::metadata(app.data.path().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        metadata.permissions().mode() & 0o777
    };
    assert_eq!(mode(""), 0o700, "the data directory");
    for file in [
        "cloumer.redb",
        "ingest/nginx.conf",
        "keys/identity-rsa.pem",
        "keys/playback-ec.pem",
    ] {
        assert_eq!(mode(file), 0o600, "{file}");
    }
}

/// Item 13: with the callback secret, `record-done` deleted any file its `path` named.
#[tokio::test]
async fn a_callback_cannot_touch_files_outside_the_recordings() {
    let app = spawn_app().await;
    app.streamer("victim").await;
    let channel = channel_id(&app, "victim").await;
    let outside = tempfile::tempdir().unwrap();
    let precious = outside.path().join("precious.txt");
    std::fs::write(&precious, "keep me").unwrap();
    let flv_dir = app.data.path().join("ingest/flv");
    let sneaky = flv_dir.join("../../cloumer.redb");
    for path in [precious.to_str().unwrap(), sneaky.to_str().unwrap()] {
        let status = callback(
            &app,
            "record-done",
            &[("app", "live"), ("name", &channel), ("path", path)],
        )
        .await;
        assert_eq!(status, 403, "{path}");
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(precious.exists(), "a file outside the stack's data");
    assert!(app.data.path().join("cloumer.redb").exists(), "the store");
}

/// Item 13: with the callback secret, `publish-done` ended someone else's broadcast.
#[tokio::test]
async fn a_callback_cannot_end_a_broadcast_it_did_not_start() {
    let app = spawn_app().await;
    let (_, key) = app.streamer("onair").await;
    let _ffmpeg = publish(&format!("{}{key}", app.stack.rtmp_url()), 30);
    app.wait_for(
        "the channel to go live",
        Duration::from_secs(10),
        async || live(&app, "onair").await,
    )
    .await;
    let channel = channel_id(&app, "onair").await;
    for clientid in ["", "999999"] {
        callback(
            &app,
            "publish-done",
            &[("app", "live"), ("name", &channel), ("clientid", clientid)],
        )
        .await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(live(&app, "onair").await, "still on air");
}
