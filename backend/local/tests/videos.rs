//! Uploaded videos on the local stack, end to end with real ffmpeg: a file sent in signed parts
//! (one refused for a wrong length, one for a URL signed for another part), completed, probed,
//! transcoded into a two-rung HLS ladder that plays with its grant and not without; a file that
//! is not a video refused with its reason; a deleted video's files gone.

#[allow(dead_code)]
#[path = "support/streaming.rs"]
mod streaming;

use std::time::Duration;

use cloumer_domain::outbound::OutboundDestinations;
use cloumer_outbound::testing::TestPushService;
use reqwest::Method;
use serde_json::{Value, json};
use streaming::{App, probe_url, segments, spawn_app, spawn_app_with, video_height};

const PART: usize = 16 << 20;

/// A 20-second 720p MP4 a little over one part long (so it goes in two).
async fn sample_video(dir: &std::path::Path) -> Vec<u8> {
    let path = dir.join("sample.mp4");
    cloumer_test_media::write_mp4(&path, 20).await.unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > PART, "{} bytes", bytes.len());
    bytes
}

async fn start(app: &App, token: &str, title: &str, bytes: &[u8]) -> Value {
    let (status, upload) = app
        .json(
            Method::POST,
            "/api/v1/videos",
            Some(token),
            Some(json!({"title": title, "fileName": "sample.mp4", "sizeBytes": bytes.len()})),
        )
        .await;
    assert_eq!(status, 201, "{upload}");
    upload
}

async fn part_urls(app: &App, token: &str, id: &str, parts: &[u32]) -> Vec<String> {
    let (status, body) = app
        .json(
            Method::POST,
            &format!("/api/v1/videos/{id}/upload/parts"),
            Some(token),
            Some(json!({"parts": parts})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["url"].as_str().unwrap().to_owned())
        .collect()
}

async fn put(app: &App, url: &str, body: Vec<u8>) -> reqwest::Response {
    app.client.put(url).body(body).send().await.unwrap()
}

async fn until_settled(app: &App, token: &str, id: &str) -> Value {
    let mut seen = Value::Null;
    app.wait_for(
        "the video to be processed",
        Duration::from_secs(180),
        async || {
            let video = app
                .get_json(&format!("/api/v1/videos/{id}"), Some(token))
                .await;
            seen = video;
            seen["status"] == "READY" || seen["status"] == "FAILED"
        },
    )
    .await;
    seen
}

#[tokio::test]
async fn a_video_is_uploaded_in_parts_transcoded_and_played_with_its_grant() {
    // The test's own push service is on a loopback port: allowed only through the setting.
    let app = spawn_app_with(|config| {
        config.outbound_destinations = OutboundDestinations::AlsoLoopback;
    })
    .await;
    let (token, _) = app.streamer("uploader").await;
    // The uploader turned push on in a browser.
    let push_service = TestPushService::start().await;
    let browser = push_service.subscribe();
    let (status, _) = app
        .json(
            Method::PUT,
            "/api/v1/me/push-subscription",
            Some(&token),
            Some(json!({"endpoint": browser.endpoint, "expirationTime": null,
                "keys": {"p256dh": browser.p256dh, "auth": browser.auth}})),
        )
        .await;
    assert_eq!(status, 204);
    let bytes = sample_video(app.data.path()).await;
    let upload = start(&app, &token, "Test pattern", &bytes).await;
    assert_eq!(upload["partCount"], 2);
    assert_eq!(upload["partBytes"], PART);
    assert_eq!(upload["video"]["status"], "UPLOADING");
    let id = upload["video"]["id"].as_str().unwrap().to_owned();
    let urls = part_urls(&app, &token, &id, &[1, 2]).await;

    // A part of the wrong length is refused and kept nowhere; so is a URL altered to another part.
    let short = put(&app, &urls[1], bytes[PART..bytes.len() - 1].to_vec()).await;
    assert_eq!(short.status(), 400);
    let forged = urls[1].replacen(&format!("/{id}/"), &format!("/{id}/x/"), 1);
    assert!(
        put(&app, &forged, bytes[PART..].to_vec())
            .await
            .status()
            .is_client_error()
    );
    let other_part = urls[0].replace("/1/16777216?", "/2/16777216?");
    assert_eq!(
        put(&app, &other_part, bytes[..PART].to_vec())
            .await
            .status(),
        403
    );
    let state = app
        .get_json(&format!("/api/v1/videos/{id}/upload"), Some(&token))
        .await;
    assert_eq!(state["uploadedParts"], json!([]));

    // The second part first, then an early completion says what is missing.
    let sent = put(&app, &urls[1], bytes[PART..].to_vec()).await;
    assert_eq!(sent.status(), 200);
    assert!(sent.headers().contains_key("etag"));
    let (status, early) = app
        .json(
            Method::POST,
            &format!("/api/v1/videos/{id}/upload/complete"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(
        (status, early["code"].as_str()),
        (409, Some("upload_incomplete")),
        "{early}"
    );
    assert_eq!(
        put(&app, &urls[0], bytes[..PART].to_vec()).await.status(),
        200
    );
    let state = app
        .get_json(&format!("/api/v1/videos/{id}/upload"), Some(&token))
        .await;
    assert_eq!(state["uploadedParts"], json!([1, 2]));
    let (status, completed) = app
        .json(
            Method::POST,
            &format!("/api/v1/videos/{id}/upload/complete"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 200, "{completed}");

    let ready = until_settled(&app, &token, &id).await;
    assert_eq!(ready["status"], "READY", "{ready}");
    assert_eq!(ready["durationMs"].as_u64().map(|ms| ms / 1000), Some(20));
    // The uploader's browser is told, opening the video.
    app.wait_for(
        "a push to the uploader",
        Duration::from_secs(10),
        async || !push_service.received().is_empty(),
    )
    .await;
    let pushed = push_service.received();
    assert_eq!(
        (pushed.len(), pushed[0].message.title.as_str()),
        (1, "Your video is ready")
    );
    assert!(
        pushed[0].message.url.ends_with(&format!("/videos/{id}")),
        "{:?}",
        pushed[0].message
    );
    // Viewers find it on the channel page, signed out too.
    let listed = app.get_json("/api/v1/channels/uploader/videos", None).await;
    assert_eq!(listed["items"][0]["id"], id.as_str());
    assert_eq!(listed["items"][0]["fileName"], Value::Null);

    let playlist_url = ready["playlistUrl"].as_str().unwrap();
    let (base, grant) = playlist_url.split_once('?').unwrap();
    let multivariant = app.get(playlist_url).await.text().await.unwrap();
    let variants = segments(&multivariant);
    assert_eq!(
        variants,
        ["720p/index.m3u8", "360p/index.m3u8"],
        "{multivariant}"
    );
    // Each quality named as IVS names them, so the same player lists them.
    assert!(multivariant.contains("NAME=\"720p\""), "{multivariant}");
    assert!(
        multivariant.contains("RESOLUTION=640x360"),
        "{multivariant}"
    );
    let folder = base.trim_end_matches("index.m3u8");
    let mut heights = Vec::new();
    for variant in &variants {
        let media = app
            .get(&format!("{folder}{variant}?{grant}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(media.contains("#EXT-X-ENDLIST"), "{media}");
        let quality = variant.trim_end_matches("index.m3u8");
        let first = format!("{folder}{quality}{}?{grant}", segments(&media)[0]);
        assert_eq!(probe_url(&app, &first).await, ["h264", "aac"]);
        heights.push(video_height(&app, &first).await);
    }
    assert_eq!(heights, [720, 360]);
    let picture = app.get(ready["thumbnailUrl"].as_str().unwrap()).await;
    assert_eq!(picture.headers()["content-type"], "image/jpeg");
    // Without the grant, nothing.
    assert_eq!(app.get(base).await.status(), 403);

    // The uploader is told, once the local topic has delivered the announcement: by email (the
    // local outbox) with a link to the video's page, and on their bell.
    let mut told = None;
    for _ in 0..100 {
        let outbox: Vec<String> = std::fs::read_dir(app.data.path().join("outbox"))
            .map(|dir| {
                dir.map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
                    .collect()
            })
            .unwrap_or_default();
        told = outbox
            .into_iter()
            .find(|mail| mail.contains("Subject: Your video is ready: Test pattern"));
        if told.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let told = told.expect("the ready email in the outbox");
    assert!(told.contains("To: uploader@example.com"), "{told}");
    assert!(told.contains(&format!("/videos/{id}")), "{told}");
    let (status, bell) = app
        .json(Method::GET, "/api/v1/me/notifications", Some(&token), None)
        .await;
    assert_eq!(status, 200, "{bell}");
    assert_eq!(bell["unread"], 1, "{bell}");
    assert_eq!(bell["items"][0]["kind"], "VIDEO_READY", "{bell}");
    assert_eq!(bell["items"][0]["videoId"], id, "{bell}");
    assert_eq!(bell["items"][0]["title"], "Test pattern", "{bell}");

    let (status, _) = app
        .json(
            Method::DELETE,
            &format!("/api/v1/videos/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 204);
    assert_eq!(app.get(playlist_url).await.status(), 404);
    let (status, _) = app
        .json(
            Method::GET,
            &format!("/api/v1/videos/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 404);
}

/// Uploads started all at once over HTTP (a hostile client) stay within the 20 GiB quota
/// together: of eight 4 GiB files, five start and three are refused with the quota's reason,
/// and their begun uploads are aborted (no directory left for them).
#[tokio::test]
async fn uploads_started_at_once_stay_within_the_quota() {
    let app = spawn_app().await;
    let (token, _) = app.streamer("hoarder").await;
    let body = json!({"title": "Big", "fileName": "big.mp4", "sizeBytes": 4u64 << 30});
    let answers = futures_util::future::join_all((0..8).map(|_| {
        app.json(
            Method::POST,
            "/api/v1/videos",
            Some(&token),
            Some(body.clone()),
        )
    }))
    .await;
    let mut statuses: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        [201, 201, 201, 201, 201, 409, 409, 409],
        "{answers:?}"
    );
    for (_, refused) in answers.iter().filter(|(status, _)| *status == 409) {
        assert_eq!(refused["code"], "video_quota_exceeded", "{refused}");
    }
    let uploads = std::fs::read_dir(app.data.path().join("video-uploads"))
        .map(|dir| dir.count())
        .unwrap_or(0);
    assert_eq!(uploads, 5);
}

#[tokio::test]
async fn a_file_that_is_not_a_video_is_refused_with_its_reason() {
    let app = spawn_app().await;
    let (token, _) = app.streamer("prankster").await;
    // A playlist naming a file outside the upload: ffprobe must not read it as a video.
    let bytes = b"#EXTM3U\n#EXTINF:10,\n/etc/passwd\n#EXT-X-ENDLIST\n".to_vec();
    let upload = start(&app, &token, "Not a video", &bytes).await;
    let id = upload["video"]["id"].as_str().unwrap().to_owned();
    let urls = part_urls(&app, &token, &id, &[1]).await;
    assert_eq!(put(&app, &urls[0], bytes).await.status(), 200);
    let (status, _) = app
        .json(
            Method::POST,
            &format!("/api/v1/videos/{id}/upload/complete"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let failed = until_settled(&app, &token, &id).await;
    assert_eq!(failed["status"], "FAILED");
    assert!(
        failed["failure"].as_str().unwrap().contains("not a video"),
        "{failed}"
    );
    assert_eq!(failed["failureCode"], "unreadable", "{failed}");
    assert_eq!(failed["playlistUrl"], Value::Null);
    // Nothing of it is kept, and viewers never see it.
    let upload_dir = app.data.path().join("video-uploads").join(&id);
    assert!(!upload_dir.exists());
    let listed = app
        .get_json("/api/v1/channels/prankster/videos", None)
        .await;
    assert_eq!(listed["items"], json!([]));
}

/// Signs `handle` in again (after a restart the stack has another address, and its tokens another
/// issuer).
async fn sign_in(app: &App, handle: &str) -> String {
    let auth = app
        .cognito(
            "InitiateAuth",
            json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": cloumer_local::identity::CLIENT_ID,
                "AuthParameters": {"USERNAME": format!("{handle}@example.com"), "PASSWORD": "Stream-Key-99"}}),
        )
        .await;
    auth["AuthenticationResult"]["IdToken"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn an_upload_and_its_job_survive_restarts_of_the_stack() {
    let app = spawn_app().await;
    let (token, _) = app.streamer("restarter").await;
    let bytes = sample_video(app.data.path()).await;
    let upload = start(&app, &token, "Through restarts", &bytes).await;
    let id = upload["video"]["id"].as_str().unwrap().to_owned();
    let urls = part_urls(&app, &token, &id, &[1]).await;
    assert_eq!(
        put(&app, &urls[0], bytes[..PART].to_vec()).await.status(),
        200
    );

    // Stopped mid-upload: the part already sent is still there.
    let App { stack, data, .. } = app;
    stack.shutdown().await.unwrap();
    let app = streaming::spawn_app_in(data, |_| {}).await;
    let token = sign_in(&app, "restarter").await;
    let state = app
        .get_json(&format!("/api/v1/videos/{id}/upload"), Some(&token))
        .await;
    assert_eq!(state["uploadedParts"], json!([1]), "{state}");
    let urls = part_urls(&app, &token, &id, &[2]).await;
    assert_eq!(
        put(&app, &urls[0], bytes[PART..].to_vec()).await.status(),
        200
    );
    let (status, _) = app
        .json(
            Method::POST,
            &format!("/api/v1/videos/{id}/upload/complete"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, 200);

    // Stopped mid-transcode: the job starts again with the stack, and finishes.
    app.wait_for("the job to start", Duration::from_secs(60), async || {
        let video = app
            .get_json(&format!("/api/v1/videos/{id}"), Some(&token))
            .await;
        video["status"] == "PROCESSING"
    })
    .await;
    assert!(app.data.path().join("video-jobs").join(&id).is_file());
    let App { stack, data, .. } = app;
    stack.shutdown().await.unwrap();
    let app = streaming::spawn_app_in(data, |_| {}).await;
    let token = sign_in(&app, "restarter").await;
    let ready = until_settled(&app, &token, &id).await;
    assert_eq!(ready["status"], "READY", "{ready}");
    let playlist = app.get(ready["playlistUrl"].as_str().unwrap()).await;
    assert_eq!(playlist.status(), 200);
    assert!(!app.data.path().join("video-jobs").join(&id).exists());
}
