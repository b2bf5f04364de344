//! The ingest: RTMP, nginx's callbacks, and the files the stack keeps.

use std::os::unix::fs::PermissionsExt;
use std::sync::Arc;
use std::time::Duration;

use cloumer_domain::testkit::ManualClock;
use serde_json::json;
use time::OffsetDateTime;
use tokio::process::Command;

use crate::streaming::{
    App, publish, relative_path, segments, spawn_app, spawn_app_in, spawn_app_with,
};

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
    let _ffmpeg = app.go_live("secretive", &key, 30).await;
    let channel = channel_id(&app, "secretive").await;
    let port = app.stack.rtmp_url();
    let base = port.trim_end_matches("/app/");
    // Our transcoder plays from `live` with the per-run secret: a guess is not it.
    for url in [
        format!("{base}/live/{channel}"),
        format!("{base}/live/{channel}?secret=guess"),
        format!("{base}/app/{key}"),
        format!("{base}/ladder/{channel}_160p"),
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

/// Only our transcoder publishes a live channel's rungs (into nginx's `ladder` application, with
/// the per-run secret): anyone else's picture there would be played to its viewers.
#[tokio::test]
async fn nobody_else_publishes_a_channels_rung() {
    let app = spawn_app().await;
    let (token, key) = app.streamer("laddered").await;
    // A BASIC channel has no ladder: its rungs' names are free to take, were they not guarded.
    let (status, _) = app
        .json(
            reqwest::Method::PATCH,
            "/api/v1/me/channel",
            Some(&token),
            Some(json!({"channelType": "BASIC"})),
        )
        .await;
    assert_eq!(status, 200);
    let _ffmpeg = app.go_live("laddered", &key, 40).await;
    let channel = channel_id(&app, "laddered").await;
    let port = app.stack.rtmp_url();
    let base = port.trim_end_matches("/app/");
    for url in [
        format!("{base}/ladder/{channel}_160p"),
        format!("{base}/ladder/{channel}_160p?secret=guess"),
        format!("{base}/ladder/{channel}_720p"),
    ] {
        let mut intruder = publish(&url, 20);
        let ended = tokio::time::timeout(Duration::from_secs(15), intruder.wait()).await;
        let refused = matches!(&ended, Ok(Ok(status)) if !status.success());
        assert!(refused, "{url} must refuse the publisher: {ended:?}");
    }
    let (playback, _) = app.playback("laddered").await;
    let multivariant = app.get(&playback).await.text().await.unwrap();
    assert!(!multivariant.contains("160p"), "{multivariant}");
}

/// Item 4: a reset key left the running broadcast on air.
#[tokio::test]
async fn resetting_the_stream_key_ends_the_broadcast() {
    let app = spawn_app().await;
    let (token, key) = app.streamer("leaky").await;
    let mut ffmpeg = app.go_live("leaky", &key, 60).await;
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
    let _ffmpeg = app.go_live("onair", &key, 30).await;
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

async fn go_private_and_live(app: &App, handle: &str) -> (String, tokio::process::Child) {
    let (token, key) = app.streamer(handle).await;
    let (status, _) = app
        .json(
            reqwest::Method::PATCH,
            "/api/v1/me/channel",
            Some(&token),
            Some(json!({"private": true, "recording": false})),
        )
        .await;
    assert_eq!(status, 200);
    let ffmpeg = publish(&format!("{}{key}", app.stack.rtmp_url()), 120);
    app.wait_for(
        "the channel to go live",
        Duration::from_secs(10),
        async || live(app, handle).await,
    )
    .await;
    (token, ffmpeg)
}

async fn playback_url(app: &App, handle: &str, token: &str) -> String {
    let (status, playback) = app
        .json(
            reqwest::Method::POST,
            &format!("/api/v1/channels/{handle}/playback"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, 200, "{playback}");
    playback["url"].as_str().unwrap().to_owned()
}

async fn status_of(app: &App, url: &str) -> u16 {
    app.get(url).await.status().as_u16()
}

/// Item 1: a playback token, once used, was cached by its text alone: it then opened every
/// private channel (not only the one it names), and went on working after it expired for as
/// long as anyone kept using it. Now a token starts a playback session for its own channel
/// while it is valid (IVS's rule), and only that session goes on past the token's expiry.
#[tokio::test]
async fn a_playback_token_opens_only_its_channel_and_only_while_valid() {
    let clock = Arc::new(ManualClock::at(OffsetDateTime::now_utc()));
    let app = spawn_app_with(|config| config.clock = clock.clone()).await;
    let (vault_owner, _vault_stream) = go_private_and_live(&app, "vault").await;
    let (safe_owner, _safe_stream) = go_private_and_live(&app, "safe").await;
    let vault = playback_url(&app, "vault", &vault_owner).await;
    let safe = playback_url(&app, "safe", &safe_owner).await;
    let vault_token = vault.split_once("?token=").unwrap().1.to_owned();
    let safe_base = safe.split_once('?').unwrap().0.rsplit_once('/').unwrap().0;
    let vault_base = vault.split_once('?').unwrap().0.rsplit_once('/').unwrap().0;
    // Where the source quality's playlist and segments are.
    let safe_media = format!("{safe_base}/source");
    let vault_media = format!("{vault_base}/source");

    // Playing the vault with its own token works, segments included.
    let mut playlist = String::new();
    app.wait_for(
        "the vault's playlist",
        Duration::from_secs(10),
        async || {
            playlist = media_playlist(&app, &vault).await;
            !segments(&playlist).is_empty()
        },
    )
    .await;
    let segment = segments(&playlist)[0].clone();
    assert_eq!(
        status_of(&app, &format!("{vault_media}/{segment}")).await,
        200
    );

    // The vault's token, even after use, does not open the safe: playlist, segments, thumbnail.
    app.wait_for(
        "the safe's first segment",
        Duration::from_secs(10),
        async || !segments(&media_playlist(&app, &safe).await).is_empty(),
    )
    .await;
    let safe_segment = segments(&media_playlist(&app, &safe).await)[0].clone();
    let safe_segment = safe_segment.split('?').next().unwrap();
    let (_, vault_credential) = segment.split_once('?').unwrap();
    for file in [
        format!("{safe_base}/index.m3u8"),
        format!("{safe_media}/index.m3u8"),
        format!("{safe_media}/{safe_segment}"),
        format!("{safe_base}/thumb.jpg"),
    ] {
        for credential in [format!("token={vault_token}"), vault_credential.to_owned()] {
            let url = format!("{file}?{credential}");
            assert_eq!(status_of(&app, &url).await, 403, "{url}");
        }
    }

    // Playback that started goes on while the player keeps loading, past the token's expiry.
    let ten_minutes_and_a_half = 21;
    for _ in 0..ten_minutes_and_a_half {
        clock.advance(time::Duration::seconds(30));
        assert!(!segments(&follow_playlist(&app, &vault_media, &segment).await).is_empty());
    }
    // The expired token itself starts nothing, however recently it was used.
    assert_eq!(status_of(&app, &vault).await, 403, "an expired token");
    // A playback left idle for over a minute has ended.
    clock.advance(time::Duration::seconds(61));
    let (_, credential) = segment.split_once('?').unwrap();
    assert_eq!(
        status_of(&app, &format!("{vault_media}/index.m3u8?{credential}")).await,
        403,
        "an idle playback"
    );
    assert_eq!(
        status_of(&app, &format!("{vault_media}/index.m3u8?session=guess")).await,
        403
    );
    // A token starts playback at the playback URL only; a quality's playlist wants a session.
    assert_eq!(
        status_of(
            &app,
            &format!("{vault_media}/index.m3u8?token={vault_token}")
        )
        .await,
        403
    );
}

/// The media playlist a player ends up with from a playback URL: the URL itself, or its single
/// variant when it answers with a multivariant playlist.
async fn media_playlist(app: &App, url: &str) -> String {
    let response = app.get(url).await;
    if response.status() != 200 {
        return String::new();
    }
    let text = response.text().await.unwrap();
    if !text.contains("#EXT-X-STREAM-INF") {
        return text;
    }
    let variant = segments(&text)[0].clone();
    let base = url.split_once('?').map_or(url, |(base, _)| base);
    let base = base.rsplit_once('/').unwrap().0;
    let response = app.get(&format!("{base}/{variant}")).await;
    assert_eq!(response.status(), 200, "the variant {variant}");
    response.text().await.unwrap()
}

/// Reloads the media playlist with the credentials a segment URI of it carried.
async fn follow_playlist(app: &App, base: &str, segment: &str) -> String {
    let (_, credential) = segment.split_once('?').unwrap();
    let response = app.get(&format!("{base}/index.m3u8?{credential}")).await;
    assert_eq!(response.status(), 200, "reloading the playlist");
    response.text().await.unwrap()
}

/// Item 3: a recording made while the channel was private became public when the channel did
/// (its files were served by the channel's current privacy). It stays private, and its files
/// open only with the grant the API gives allowed viewers, until the grant expires.
#[tokio::test]
async fn a_recording_keeps_the_privacy_it_was_made_with() {
    let clock = Arc::new(ManualClock::at(OffsetDateTime::now_utc()));
    let app = spawn_app_with(|config| config.clock = clock.clone()).await;
    let (token, key) = app.streamer("diarist").await;
    let set_private = async |private: bool| {
        let (status, _) = app
            .json(
                reqwest::Method::PATCH,
                "/api/v1/me/channel",
                Some(&token),
                Some(json!({"private": private, "recording": true})),
            )
            .await;
        assert_eq!(status, 200);
    };
    set_private(true).await;
    let mut ffmpeg = app.go_live("diarist", &key, 30).await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    ffmpeg.kill().await.unwrap();
    let owners_list = async || app.recordings("diarist", Some(&token)).await;
    app.wait_for("the recording", Duration::from_secs(30), async || {
        owners_list().await["items"][0]["status"] == "ENDED"
    })
    .await;
    set_private(false).await;

    let recording = owners_list().await["items"][0].clone();
    assert_eq!(recording["private"], true);
    let signed = recording["playlistUrl"].as_str().unwrap().to_owned();
    let (path, grant) = signed.split_once('?').unwrap();
    let directory = path.rsplit_once('/').unwrap().0.to_owned();
    // The public sees nothing of it, under either root, however the URL is put.
    let public_list = app.recordings("diarist", None).await;
    assert_eq!(public_list["items"], json!([]));
    let public_root = path.replacen("/private-recordings/", "/recordings/", 1);
    assert_eq!(status_of(&app, &public_root).await, 403, "{public_root}");
    for file in ["index.m3u8", "thumb.jpg", "0.ts"] {
        let url = format!("{directory}/{file}");
        assert_eq!(status_of(&app, &url).await, 403, "{url}");
    }
    let tampered = signed.replace("Signature=", "Signature=x");
    assert_eq!(status_of(&app, &tampered).await, 403);

    // With the grant: the playlist, and then the segments by cookie, as a player loads them.
    let response = app.get(&signed).await;
    assert_eq!(response.status(), 200);
    let set_cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(set_cookies.len(), 3, "{set_cookies:?}");
    let channel_root = directory.rsplit_once('/').unwrap().0;
    assert!(
        set_cookies
            .iter()
            .all(|c| c.contains(&format!("Path={channel_root}/")) && c.contains("HttpOnly")),
        "{set_cookies:?}"
    );
    let cookie = set_cookies
        .iter()
        .map(|c| c.split(';').next().unwrap())
        .collect::<Vec<_>>()
        .join("; ");
    let with_cookies = async |url: &str| {
        app.client
            .get(app.url(url))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    let playlist = response.text().await.unwrap();
    let first = segments(&playlist)[0].clone();
    let segment = format!("{directory}/{first}");
    assert_eq!(with_cookies(&segment).await, 200);
    assert_eq!(status_of(&app, &segment).await, 403, "not without them");

    // The grant expires.
    clock.advance(time::Duration::hours(6) + time::Duration::seconds(1));
    assert_eq!(
        status_of(&app, &signed).await,
        403,
        "an expired grant: {grant}"
    );
    assert_eq!(with_cookies(&segment).await, 403);
}

/// A free TCP port on loopback.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Item 17: a crash of the local stack during a broadcast lost its recording (the partly
/// written FLV was deleted at the next start and the broadcast listed as FAILED, with nothing to
/// play, on the home page too). The stack here is the real binary, killed with SIGKILL.
#[tokio::test]
async fn a_crash_during_a_broadcast_keeps_what_was_recorded() {
    // Accounts first, on a stack that stops cleanly.
    let app = spawn_app().await;
    let (_, survivor_key) = app.streamer("survivor").await;
    let (_, unlucky_key) = app.streamer("unlucky").await;
    let unlucky = channel_id(&app, "unlucky").await;
    let App { stack, data, .. } = app;
    stack.shutdown().await.unwrap();

    // The binary on that data, both channels broadcasting, then killed.
    let (http, rtmp) = (free_port(), free_port());
    let relative = relative_path(&data);
    let mut binary = Command::new(env!("CARGO_BIN_EXE_cloumer-local"))
        .arg("--listen")
        .arg(format!("127.0.0.1:{http}"))
        .arg("--data-dir")
        .arg(&relative)
        .arg("--dist")
        .arg(relative.join("dist"))
        .arg("--rtmp-port")
        .arg(rtmp.to_string())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{http}");
    let client = reqwest::Client::new();
    let live_there = async |handle: &str| {
        let Ok(response) = client
            .get(format!("{base}/api/v1/channels/{handle}"))
            .send()
            .await
        else {
            return false;
        };
        response
            .json::<serde_json::Value>()
            .await
            .unwrap_or_default()["live"]
            == true
    };
    let mut publishers = Vec::new();
    for key in [&survivor_key, &unlucky_key] {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        // The binary needs a moment to listen.
        while client
            .get(format!("{base}/config.json"))
            .send()
            .await
            .is_err()
        {
            assert!(std::time::Instant::now() < deadline, "the binary started");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        publishers.push(publish(&format!("rtmp://127.0.0.1:{rtmp}/app/{key}"), 60));
    }
    for handle in ["survivor", "unlucky"] {
        let deadline = std::time::Instant::now() + Duration::from_secs(15);
        while !live_there(handle).await {
            assert!(std::time::Instant::now() < deadline, "{handle} went live");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    tokio::time::sleep(Duration::from_secs(6)).await;
    binary.start_kill().unwrap();
    binary.wait().await.unwrap();
    drop(publishers);
    // One channel's recording is lost with the crash (nothing reached the disk, say).
    let flv_dir = data.path().join("ingest/flv");
    let mut left = Vec::new();
    for entry in std::fs::read_dir(&flv_dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(&unlucky) {
            std::fs::remove_file(entry.path()).unwrap();
        } else {
            left.push((name, entry.metadata().unwrap().len()));
        }
    }
    assert_eq!(left.len(), 1, "the survivor's FLV: {left:?}");
    assert!(left[0].1 > 50_000, "something was recorded: {left:?}");

    // The next start: the broadcasts are over, and what was recorded plays.
    let app = spawn_app_in(data, |_| {}).await;
    assert!(!live(&app, "survivor").await && !live(&app, "unlucky").await);
    let list = app.recordings("survivor", None).await;
    let recording = &list["items"][0];
    assert_eq!(recording["status"], "ENDED", "{list}");
    assert!(
        recording["durationMs"].as_u64().unwrap() >= 3_000,
        "{recording}"
    );
    let playlist_url = recording["playlistUrl"].as_str().unwrap();
    let response = app.get(playlist_url).await;
    assert_eq!(response.status(), 200);
    let playlist = response.text().await.unwrap();
    let first = &segments(&playlist)[0];
    let directory = playlist_url.rsplit_once('/').unwrap().0;
    assert_eq!(status_of(&app, &format!("{directory}/{first}")).await, 200);
    let recent = app.get_json("/api/v1/recordings", None).await;
    assert_eq!(recent["items"].as_array().unwrap().len(), 1, "{recent}");

    // The broadcast with nothing to play: failed, shown to its owner only.
    let theirs = app
        .get_json("/api/v1/channels/unlucky/recordings", None)
        .await;
    assert_eq!(theirs["items"], json!([]));
    // Tokens name the stack that issued them (its address changed): sign in again.
    let auth = app
        .cognito(
            "InitiateAuth",
            json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": cloumer_local::identity::CLIENT_ID,
            "AuthParameters": {"USERNAME": "unlucky@example.com", "PASSWORD": "Stream-Key-99"}}),
        )
        .await;
    let token = auth["AuthenticationResult"]["IdToken"].as_str().unwrap();
    let own = app
        .get_json("/api/v1/channels/unlucky/recordings", Some(token))
        .await;
    assert_eq!(own["items"][0]["status"], "FAILED", "{own}");
    assert!(
        std::fs::read_dir(&flv_dir).unwrap().next().is_none(),
        "no FLV left"
    );
}
