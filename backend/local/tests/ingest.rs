//! The local IVS ingest with a real ffmpeg publisher: RTMP in, HLS out, live state, recordings.

#[allow(dead_code)]
#[path = "support/streaming.rs"]
mod streaming;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use streaming::{
    App, probe_url, publish, relative_path, segment_metadata, segments, spawn_app, spawn_app_in,
    spawn_app_with, stop_publishing, video_height,
};

/// A WebSocket on `handle`'s chat room, with a token minted through the API (signed in with
/// `token`, or not).
async fn chat_socket(
    app: &App,
    handle: &str,
    token: Option<&str>,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let (_, chat) = app
        .json(
            reqwest::Method::POST,
            &format!("/api/v1/channels/{handle}/chat-token"),
            token,
            None,
        )
        .await;
    let mut request = chat["endpoint"]
        .as_str()
        .unwrap()
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        chat["token"].as_str().unwrap().parse().unwrap(),
    );
    tokio_tungstenite::connect_async(request).await.unwrap().0
}

/// IVS BASIC channels are not transcoded: the source is the only quality, and no ffmpeg runs.
#[tokio::test]
async fn a_basic_channel_passes_the_source_through_as_its_only_quality() {
    let app = spawn_app().await;
    let (token, key) = app.streamer("frugal").await;
    let (status, mine) = app
        .json(
            reqwest::Method::PATCH,
            "/api/v1/me/channel",
            Some(&token),
            Some(json!({"channelType": "BASIC"})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(mine["channelType"], "BASIC");
    let mut ffmpeg = app.go_live("frugal", &key, 30).await;
    let (playback, base) = app.playback("frugal").await;
    let source = format!("{base}/source/index.m3u8");
    app.wait_for(
        "three source segments",
        Duration::from_secs(10),
        async || {
            let response = app.get(&source).await;
            response.status() == 200 && segments(&response.text().await.unwrap()).len() >= 3
        },
    )
    .await;
    // Only the source, however long the channel has been live.
    let multivariant = app.multivariant(&playback).await;
    assert_eq!(
        segments(&multivariant),
        ["source/index.m3u8"],
        "{multivariant}"
    );
    assert_eq!(
        app.get(&format!("{base}/160p/index.m3u8")).await.status(),
        404
    );
    // No quality but the ladder's may be asked for.
    assert_eq!(
        app.get(&format!("{base}/720p/index.m3u8")).await.status(),
        404
    );
    ffmpeg.kill().await.unwrap();
    app.stack.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_broadcast_goes_live_plays_as_hls_and_is_kept_as_a_recording() {
    // The summaries' timer ticks often here; the domain still keeps samples 45 s apart.
    let app =
        spawn_app_with(|config| config.audience_sample_every = Duration::from_millis(300)).await;
    let (token, key) = app.streamer("caster").await;
    assert_eq!(app.channel("caster").await["live"], false);
    // Broadcast until the test ends it: how long the checks below take depends on the machine.
    let publishing = Instant::now();
    let mut ffmpeg = publish(&format!("{}{key}", app.stack.rtmp_url()), 600);

    app.wait_for(
        "the channel to go live",
        Duration::from_secs(10),
        async || app.channel("caster").await["live"] == true,
    )
    .await;
    let seen_live = Instant::now();
    let page = app.channel("caster").await;
    let playback = page["playbackUrl"].as_str().unwrap().to_owned();
    assert!(
        !playback.contains(&key),
        "the playback URL must not contain the stream key"
    );
    // As with IVS, the playback URL is a multivariant playlist: the source and, the channel
    // being STANDARD (the default), the ladder's 160p once it has a playlist.
    let mut qualities = Vec::new();
    let mut multivariant = String::new();
    app.wait_for(
        "a multivariant playlist with two qualities",
        Duration::from_secs(15),
        async || {
            let response = app.get(&playback).await;
            if response.status() != 200 {
                return false;
            }
            assert_eq!(
                response.headers()["content-type"],
                "application/vnd.apple.mpegurl"
            );
            multivariant = response.text().await.unwrap();
            assert!(
                multivariant.contains("#EXT-X-STREAM-INF:BANDWIDTH="),
                "{multivariant}"
            );
            qualities = segments(&multivariant);
            qualities.len() == 2
        },
    )
    .await;
    assert_eq!(qualities, ["source/index.m3u8", "160p/index.m3u8"]);
    // Each named by its picture (the player labels qualities by it): the 640×360 source, and
    // the rung at 160 lines with the same aspect ratio.
    for size in ["RESOLUTION=640x360", "RESOLUTION=284x160"] {
        assert!(multivariant.contains(size), "{size}:\n{multivariant}");
    }
    let base = playback.rsplit_once('/').unwrap().0;
    for quality in ["source", "160p"] {
        let media = format!("{base}/{quality}/index.m3u8");
        let mut playlist = String::new();
        app.wait_for(
            "a playlist with segments",
            Duration::from_secs(10),
            async || {
                let response = app.get(&media).await;
                if response.status() != 200 {
                    return false;
                }
                playlist = response.text().await.unwrap();
                segments(&playlist).len() >= 3
            },
        )
        .await;
        // Low latency: one-second segments (the first may be longer while the encoder starts),
        // in every quality, so the player can switch at any segment.
        let durations: Vec<f64> = playlist
            .lines()
            .filter_map(|l| l.strip_prefix("#EXTINF:")?.split(',').next()?.parse().ok())
            .collect();
        assert!(
            durations[1..].iter().all(|d| *d <= 1.1),
            "{quality}: 1-second segments:\n{playlist}"
        );
        let segment = format!("{base}/{quality}/{}", segments(&playlist)[1]);
        // Picture, sound, and the timed metadata IVS's live segments carry.
        assert_eq!(
            probe_url(&app, &segment).await,
            ["h264", "aac", "timed_id3"]
        );
        let expected_height = if quality == "source" { 360 } else { 160 };
        assert_eq!(
            video_height(&app, &segment).await,
            expected_height,
            "{quality}"
        );
    }

    // The directory shows it live; the live thumbnail appears within the monitor's period.
    let directory = app.get_json("/api/v1/directory", None).await;
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
    // A link to the channel shows a live card with that picture, by a whole URL that opens it.
    std::fs::write(
        relative_path(&app.data).join("dist/index.html"),
        "<!doctype html><html><head><title>Cloumer</title></head><body></body></html>",
    )
    .unwrap();
    let page = app.get("/caster").await.text().await.unwrap();
    assert!(
        page.contains("<meta name=\"twitter:card\" content=\"summary_large_image\" />"),
        "{page}"
    );
    let card_image = page
        .split("<meta property=\"og:image\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no og:image in {page}"))
        .replace("&amp;", "&");
    assert!(card_image.starts_with("http://127.0.0.1:"), "{card_image}");
    let card_picture = app.get(&card_image).await;
    assert_eq!(card_picture.headers()["content-type"], "image/jpeg");
    let mine = app.get_json("/api/v1/me/channel", Some(&token)).await;
    assert_eq!(mine["health"], "HEALTHY");

    // Viewers are counted from playback, as IVS counts them: this test's client loaded the
    // playlists above, one viewer. A player elsewhere (another address) that holds no chat
    // connection, as an embedded one, counts too; a signed-out chat connection adds nobody.
    app.wait_for("one viewer", Duration::from_secs(6), async || {
        app.channel("caster").await["viewerCount"] == 1
    })
    .await;
    let elsewhere = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap();
    let embedded = elsewhere.get(app.url(&playback)).send().await.unwrap();
    assert_eq!(embedded.status(), 200);
    app.wait_for("two viewers", Duration::from_secs(6), async || {
        app.channel("caster").await["viewerCount"] == 2
    })
    .await;
    let reader = chat_socket(&app, "caster", None).await;
    // Counts refresh every two seconds.
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(app.channel("caster").await["viewerCount"], 2);
    drop(reader);
    // The streamer thanks the room while live: its summary counts the chat.
    let mut own = chat_socket(&app, "caster", Some(&token)).await;
    {
        use futures_util::{SinkExt, StreamExt};
        use tokio_tungstenite::tungstenite::Message;
        let said =
            json!({"Action": "SEND_MESSAGE", "RequestId": "r1", "Content": "thanks for watching"});
        own.send(Message::text(said.to_string())).await.unwrap();
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(5), own.next())
                .await
                .expect("the message back within 5 s")
                .unwrap()
                .unwrap();
            if let Message::Text(text) = frame
                && serde_json::from_str::<Value>(&text).unwrap()["Type"] == "MESSAGE"
            {
                break;
            }
        }
    }

    // The stack's timer has sampled the broadcast's audience onto its recording, once however
    // often it ticked, with what the video service counted then (none to both viewers).
    let live_recording = app.recordings("caster", Some(&token)).await["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let summary_path = format!("/api/v1/me/channel/recordings/{live_recording}/summary");
    let mut summary = Value::Null;
    app.wait_for("a stream summary", Duration::from_secs(10), async || {
        let (status, body) = app
            .json(reqwest::Method::GET, &summary_path, Some(&token), None)
            .await;
        summary = body;
        status == 200
    })
    .await;
    assert_eq!(summary["samples"], 1, "{summary}");
    let peak = summary["peakViewers"].as_u64().unwrap();
    assert!(peak <= 2, "{summary}");
    assert_eq!(summary["viewers"], json!([peak]), "{summary}");
    assert_eq!(
        (
            summary["followersGained"].as_i64(),
            summary["secondsPerPoint"].as_u64(),
            summary["chatMessages"].as_u64(),
            summary["chatters"].as_u64()
        ),
        (Some(0), Some(60), Some(1), Some(1)),
        "{summary}"
    );
    // Its streamer's only: to anyone else it is no broadcast at all.
    let (other, _) = app.streamer("nosy").await;
    let (status, body) = app
        .json(reqwest::Method::GET, &summary_path, Some(&other), None)
        .await;
    assert_eq!(
        (status, &body["code"]),
        (404, &json!("not_found")),
        "{body}"
    );

    // At least 4 s of broadcast, so that the recording has several segments.
    tokio::time::sleep(Duration::from_secs(4).saturating_sub(seen_live.elapsed())).await;
    let stopping = Instant::now();
    stop_publishing(&mut ffmpeg).await;
    let (shortest, longest) = (stopping - seen_live, publishing.elapsed());
    app.wait_for(
        "the channel to go offline",
        Duration::from_secs(10),
        async || app.channel("caster").await["live"] == false,
    )
    .await;

    let mut recording = Value::Null;
    app.wait_for("the recording", Duration::from_secs(20), async || {
        let page = app.recordings("caster", None).await;
        recording = page["items"][0].clone();
        recording["status"] == "ENDED"
    })
    .await;
    // The recording lasts as long as the broadcast: at least from when it was seen live to
    // the stop, at most from the encoder's start to its exit (a second either way for the
    // keyframe its segments start and end on).
    let duration = Duration::from_millis(recording["durationMs"].as_u64().unwrap());
    assert!(
        duration + Duration::from_secs(1) >= shortest
            && duration <= longest + Duration::from_secs(1),
        "a broadcast of {shortest:?} to {longest:?} recorded as {duration:?}"
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

    let mut first = app.go_live("guarded", &key, 30).await;
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
    let mut ffmpeg = app.go_live("hidden", &key, 30).await;
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
    let base = without.rsplit_once('/').unwrap().0.to_owned();
    // Like IVS, the token loads a multivariant playlist whose variants carry a playback session.
    let mut variant = String::new();
    app.wait_for("a playlist", Duration::from_secs(10), async || {
        let response = app.get(&with_token).await;
        if response.status() != 200 {
            return false;
        }
        let multivariant = response.text().await.unwrap();
        assert!(
            multivariant.contains("#EXT-X-STREAM-INF:BANDWIDTH="),
            "{multivariant}"
        );
        variant = segments(&multivariant)[0].clone();
        true
    })
    .await;
    assert!(
        variant.starts_with("source/index.m3u8?session="),
        "{variant}"
    );
    let mut playlist = String::new();
    app.wait_for("a segment", Duration::from_secs(10), async || {
        playlist = app
            .get(&format!("{base}/{variant}"))
            .await
            .text()
            .await
            .unwrap();
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
    // Segment URIs carry the session, and segments need it.
    let segment = &segments(&playlist)[0];
    let (_, session) = variant.split_once('?').unwrap();
    assert!(segment.ends_with(session), "{playlist}");
    assert_eq!(
        app.get(&format!("{base}/source/{segment}")).await.status(),
        200
    );
    assert_eq!(
        app.get(&format!(
            "{base}/source/{}",
            segment.split('?').next().unwrap()
        ))
        .await
        .status(),
        403
    );
    // The segments being written are named with the session too, and need it.
    let coming = playlist
        .lines()
        .filter_map(|line| line.strip_prefix("#EXT-X-PREFETCH:"))
        .collect::<Vec<_>>();
    assert_eq!(coming.len(), 2, "{playlist}");
    assert!(
        coming.iter().all(|uri| uri.ends_with(session)),
        "{playlist}"
    );
    let bare = coming[0].split('?').next().unwrap();
    assert_eq!(
        app.get(&format!("{base}/source/{bare}")).await.status(),
        403
    );
    let growing = app.get(&format!("{base}/source/{}", coming[0])).await;
    assert_eq!(growing.status(), 200);
    assert!(!growing.bytes().await.unwrap().is_empty());
    // The thumbnail of a private channel is not listed publicly.
    let directory = app.get_json("/api/v1/directory", None).await;
    assert!(directory["items"][0]["thumbnailUrl"].is_null());
    ffmpeg.kill().await.unwrap();
    app.stack.shutdown().await.unwrap();
}

/// Markers on a real recording: the streamer marks moments while live (once the recording has
/// started), and the past broadcast lists them in order, inside its length, for anyone who may
/// watch it; a signed-out caller and a streamer who is not live are refused.
#[tokio::test]
async fn a_streamer_marks_moments_of_a_live_broadcast_and_its_recording_lists_them() {
    let app = spawn_app().await;
    let (streamer, key) = app.streamer("caster").await;
    let (idle, _) = app.streamer("idle").await;
    let mut ffmpeg = app.go_live("caster", &key, 600).await;
    let mark = async |token: Option<&str>, note: &str| {
        app.json(
            reqwest::Method::POST,
            "/api/v1/me/channel/markers",
            token,
            Some(json!({"note": note})),
        )
        .await
    };
    let mut first = Value::Null;
    app.wait_for("a first marker", Duration::from_secs(15), async || {
        let (status, body) = mark(Some(&streamer), "opening").await;
        assert!(
            status == 201
                || ["not_live", "not_recording"].contains(&body["code"].as_str().unwrap_or("")),
            "{status} {body}"
        );
        first = body;
        status == 201
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (status, second) = mark(Some(&streamer), "  boss fight ").await;
    assert_eq!(status, 201, "{second}");
    assert_eq!(second["note"], "boss fight");
    assert!(second["atMs"].as_u64() >= Some(first["atMs"].as_u64().unwrap() + 2_500));
    let (status, body) = mark(None, "x").await;
    assert_eq!(status, 401, "{body}");
    let (status, body) = mark(Some(&idle), "x").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("not_live")),
        "{body}"
    );
    let (status, body) = mark(Some(&streamer), "\u{202E}evil").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid_marker")),
        "{body}"
    );

    tokio::time::sleep(Duration::from_secs(2)).await;
    stop_publishing(&mut ffmpeg).await;
    let mut recording = Value::Null;
    app.wait_for("the recording", Duration::from_secs(25), async || {
        recording = app.recordings("caster", None).await["items"][0].clone();
        recording["status"] == "ENDED"
    })
    .await;
    let id = recording["id"].as_str().unwrap();
    let markers = app
        .get_json(&format!("/api/v1/recordings/{id}/markers"), None)
        .await;
    assert_eq!(
        markers["items"].as_array().map(Vec::len),
        Some(2),
        "{markers}"
    );
    assert_eq!(markers["items"][0], first, "{markers}");
    assert_eq!(markers["items"][1], second, "{markers}");
    assert!(
        second["atMs"].as_u64() < recording["durationMs"].as_u64(),
        "{markers} within {recording}"
    );
    let missing = app.get("/api/v1/recordings/nope/markers").await;
    assert_eq!(missing.status(), 404);
    // The first one was a mistake: its streamer takes it off; no one else can.
    let first_at = first["atMs"].as_u64().unwrap();
    let path = format!("/api/v1/me/channel/recordings/{id}/markers/{first_at}");
    let remove =
        async |token: Option<&str>| app.json(reqwest::Method::DELETE, &path, token, None).await;
    assert_eq!(remove(None).await.0, 401);
    let (status, body) = remove(Some(&idle)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("not_found")),
        "{body}"
    );
    assert_eq!(remove(Some(&streamer)).await.0, 204);
    let (status, body) = remove(Some(&streamer)).await;
    assert_eq!(status, 404, "gone already: {body}");
    let markers = app
        .get_json(&format!("/api/v1/recordings/{id}/markers"), None)
        .await;
    assert_eq!(markers["items"], json!([second]), "{markers}");
    // The other one's name put right: it stays at its moment; a bad name changes nothing.
    let second_at = second["atMs"].as_u64().unwrap();
    let path = format!("/api/v1/me/channel/recordings/{id}/markers/{second_at}");
    let rename = async |token: Option<&str>, note: &str| {
        app.json(
            reqwest::Method::PATCH,
            &path,
            token,
            Some(json!({"note": note})),
        )
        .await
    };
    assert_eq!(rename(None, "x").await.0, 401);
    assert_eq!(rename(Some(&idle), "x").await.0, 404);
    let (status, body) = rename(Some(&streamer), "a\u{202E}b").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid_marker")),
        "{body}"
    );
    let (status, renamed) = rename(Some(&streamer), " the boss ").await;
    assert_eq!(status, 200, "{renamed}");
    assert_eq!(renamed, json!({"atMs": second_at, "note": "the boss"}));
    let markers = app
        .get_json(&format!("/api/v1/recordings/{id}/markers"), None)
        .await;
    assert_eq!(markers["items"], json!([renamed]), "{markers}");
    app.stack.shutdown().await.unwrap();
}

/// Clips with a real recording: one of the live broadcast (pending until the recording ends),
/// one of the finished broadcast; each plays from the recording's own segments, and deleting
/// one removes its playlist only.
#[tokio::test]
async fn clips_of_a_live_and_of_a_past_broadcast_play_from_the_recordings_segments() {
    let app = spawn_app().await;
    let (streamer, key) = app.streamer("caster").await;
    let (fan, _) = app.streamer("fan").await;
    let (stranger, _) = app.streamer("stranger").await;
    // Broadcast until the test ends it, at least 12 s (the clips below need that much).
    let mut ffmpeg = app.go_live("caster", &key, 600).await;
    let live = Instant::now();
    let post = async |path: &str, token: Option<&str>, body: Value| {
        app.json(reqwest::Method::POST, path, token, Some(body))
            .await
    };
    // Too early: the broadcast has only just begun.
    let mut live_clip = Value::Null;
    app.wait_for("a live clip", Duration::from_secs(12), async || {
        let (status, body) = post(
            "/api/v1/channels/caster/clips",
            Some(&fan),
            json!({"title": "방금 그거"}),
        )
        .await;
        assert!(
            status == 201 || body["code"] == "invalid_clip_range",
            "{status} {body}"
        );
        live_clip = body;
        status == 201
    })
    .await;
    assert_eq!(live_clip["status"], "PENDING");
    assert_eq!(live_clip["clippedBy"], "fan");
    assert_eq!(live_clip["playlistUrl"], Value::Null);
    let (status, body) = post("/api/v1/channels/caster/clips", None, json!({"title": "x"})).await;
    assert_eq!(status, 401, "{body}");

    tokio::time::sleep(Duration::from_secs(12).saturating_sub(live.elapsed())).await;
    stop_publishing(&mut ffmpeg).await;
    let live_id = live_clip["id"].as_str().unwrap().to_owned();
    let mut ready = Value::Null;
    app.wait_for(
        "the live clip to be ready",
        Duration::from_secs(25),
        async || {
            ready = app
                .get_json(&format!("/api/v1/clips/{live_id}"), None)
                .await;
            ready["status"] == "READY"
        },
    )
    .await;
    let recording_id = ready["recordingId"].as_str().unwrap().to_owned();
    assert!(ready["durationMs"].as_u64().unwrap() >= 5_000, "{ready}");
    let clip_playlist = ready["playlistUrl"].as_str().unwrap().to_owned();
    assert!(
        clip_playlist.ends_with(&format!("/{recording_id}/clip-{live_id}.m3u8")),
        "{clip_playlist}"
    );
    let text = app.get(&clip_playlist).await.text().await.unwrap();
    assert!(text.ends_with("#EXT-X-ENDLIST\n"), "{text}");
    let base = clip_playlist.rsplit_once('/').unwrap().0;
    let first = segments(&text)[0].clone();
    assert_eq!(
        probe_url(&app, &format!("{base}/{first}")).await,
        ["h264", "aac"]
    );
    // Its picture is a frame of its own moment, beside its playlist.
    let picture = ready["thumbnailUrl"].as_str().unwrap();
    assert!(
        picture.ends_with(&format!("/clip-{live_id}.jpg")),
        "{picture}"
    );
    let image = app.get(picture).await;
    assert_eq!(image.headers()["content-type"], "image/jpeg");
    assert!(image.bytes().await.unwrap().starts_with(&[0xFF, 0xD8]));

    // A clip of the finished broadcast, ready at once, listed on the channel.
    let (status, bad) = post(
        &format!("/api/v1/recordings/{recording_id}/clips"),
        Some(&stranger),
        json!({"title": "too long", "startMs": 0, "endMs": 61_000}),
    )
    .await;
    assert_eq!(
        (status, bad["code"].as_str()),
        (400, Some("invalid_clip_range"))
    );
    let (status, past) = post(
        &format!("/api/v1/recordings/{recording_id}/clips"),
        Some(&stranger),
        json!({"title": "the start", "startMs": 0, "endMs": 5_000}),
    )
    .await;
    assert_eq!(status, 201, "{past}");
    assert_eq!(past["status"], "READY");
    assert_eq!(past["startMs"], 0);
    let past_playlist = app
        .get(past["playlistUrl"].as_str().unwrap())
        .await
        .text()
        .await
        .unwrap();
    assert!(past_playlist.contains("seg_00000.ts"), "{past_playlist}");
    let listed = app.get_json("/api/v1/channels/caster/clips", None).await;
    let ids: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [past["id"].as_str().unwrap(), live_id.as_str()]);

    // The fan may not delete the stranger's clip; the streamer may, and its playlist goes.
    let past_id = past["id"].as_str().unwrap();
    let (status, _) = app
        .json(
            reqwest::Method::DELETE,
            &format!("/api/v1/clips/{past_id}"),
            Some(&fan),
            None,
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .json(
            reqwest::Method::DELETE,
            &format!("/api/v1/clips/{past_id}"),
            Some(&streamer),
            None,
        )
        .await;
    assert_eq!(status, 204);
    assert_eq!(
        app.get(past["playlistUrl"].as_str().unwrap())
            .await
            .status(),
        404
    );
    assert_eq!(app.get(&clip_playlist).await.status(), 200);
    app.stack.shutdown().await.unwrap();
}

/// The ffmpeg processes whose command line contains `needle`.
fn processes_with(needle: &str) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|entry| {
            let pid: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            (cmdline.contains("ffmpeg") && cmdline.contains(needle)).then_some(pid)
        })
        .collect()
}

/// The highest segment number in a media playlist.
fn last_segment(playlist: &str) -> u64 {
    segments(playlist)
        .iter()
        .filter_map(|s| s.strip_suffix(".ts")?.parse().ok())
        .max()
        .unwrap_or(0)
}

/// A rung's encoder that dies mid-broadcast is started again: its quality goes on (numbered on
/// from where it stopped, so a player's next playlist load finds newer segments), instead of
/// freezing for the rest of the broadcast while the multivariant playlist still offers it.
#[tokio::test]
async fn a_rung_whose_encoder_dies_comes_back() {
    let app = spawn_app().await;
    let (_, key) = app.streamer("sturdy").await;
    let mut ffmpeg = app.go_live("sturdy", &key, 60).await;
    let (_, base) = app.playback("sturdy").await;
    let channel = base.rsplit_once('/').unwrap().1.to_owned();
    let rung = format!("{base}/160p/index.m3u8");
    let mut before = 0;
    app.wait_for("the rung's segments", Duration::from_secs(15), async || {
        let response = app.get(&rung).await;
        if response.status() != 200 {
            return false;
        }
        before = last_segment(&response.text().await.unwrap());
        before >= 2
    })
    .await;
    let encoders = processes_with(&format!("/ladder/{channel}_160p?"));
    let [encoder] = encoders.as_slice() else {
        panic!("one encoder for the rung: {encoders:?}")
    };
    std::process::Command::new("kill")
        .args(["-9", &encoder.to_string()])
        .status()
        .unwrap();
    app.wait_for(
        "newer segments from a new encoder",
        Duration::from_secs(20),
        async || {
            let response = app.get(&rung).await;
            response.status() == 200 && last_segment(&response.text().await.unwrap()) > before + 2
        },
    )
    .await;
    let now = processes_with(&format!("/ladder/{channel}_160p?"));
    assert_eq!(now.len(), 1, "{now:?}");
    assert_ne!(now[0], *encoder);
    ffmpeg.kill().await.unwrap();
    app.stack.shutdown().await.unwrap();
}

/// A streamer who reconnects starts a new broadcast under the same URLs. Its players must get
/// only the new broadcast (nginx lists the last one's final segments before its first, and the
/// last one's playlist is there until then), and under names the last broadcast's segments did
/// not have, which browsers (and any cache) may still hold for 30 s and would play instead.
/// nginx numbers the source and the rungs on from the last broadcast's playlists, which a
/// restart of the stack keeps.
#[tokio::test]
async fn a_new_broadcast_plays_only_itself_under_new_segment_names() {
    let mut app = spawn_app().await;
    let (_, key) = app.streamer("hasty").await;
    let mut names = Vec::new();
    for broadcast in 0..3 {
        if broadcast == 2 {
            // The stack stops and starts again on the same data (`cargo xtask dev` again).
            let App { stack, data, .. } = app;
            stack.shutdown().await.unwrap();
            app = spawn_app_in(data, |_| {}).await;
        }
        let mut ffmpeg = app.go_live("hasty", &key, 30).await;
        let (playback, base) = app.playback("hasty").await;
        for quality in ["source", "160p"] {
            let media = format!("{base}/{quality}/index.m3u8");
            let mut listed = Vec::new();
            app.wait_for(
                &format!("{quality}'s segments"),
                Duration::from_secs(20),
                async || {
                    let response = app.get(&media).await;
                    if response.status() != 200 {
                        return false;
                    }
                    listed = segments(&response.text().await.unwrap());
                    listed.len() >= 2
                },
            )
            .await;
            names.push((broadcast, quality, listed));
        }
        ffmpeg.kill().await.unwrap();
        app.wait_for(
            "the channel to go offline",
            Duration::from_secs(10),
            async || app.channel("hasty").await["live"] == false,
        )
        .await;
        // A player still loading the playlist is told the broadcast ended; none starts anew.
        let source = app.get(&format!("{base}/source/index.m3u8")).await;
        let source = source.text().await.unwrap();
        assert!(source.ends_with("#EXT-X-ENDLIST\n"), "{source}");
        assert_eq!(app.get(&playback).await.status(), 404);
    }
    for (later, quality, again) in &names {
        for (earlier, _, before) in names.iter().filter(|(b, q, _)| b < later && q == quality) {
            assert!(
                again.iter().all(|name| !before.contains(name)),
                "{quality}: broadcast {earlier} had {before:?}, broadcast {later} {again:?}"
            );
        }
    }
    app.stack.shutdown().await.unwrap();
}

/// Low latency as IVS does it (LHLS): a live playlist names the segment being written and the
/// next, and each is served while it is written, over one chunked response whose first bytes
/// come before the playlist lists the segment, and whose whole is the segment as listed later:
/// the source and a rung (both written in place by nginx as the frames come).
#[tokio::test]
async fn live_segments_are_served_while_they_are_written() {
    let app = spawn_app().await;
    let (_, key) = app.streamer("prompt").await;
    let mut ffmpeg = app.go_live("prompt", &key, 60).await;
    let (playback, base) = app.playback("prompt").await;
    // The server's clock, as IVS gives it, for the player to tell how far behind live it is.
    let multivariant = app.multivariant(&playback).await;
    let server_time: f64 = multivariant
        .lines()
        .find_map(|line| line.strip_prefix("#EXT-X-TWITCH-INFO:SERVER-TIME=\""))
        .and_then(|time| time.strip_suffix('"')?.parse().ok())
        .unwrap_or_else(|| panic!("the server's time in {multivariant}"));
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    assert!(
        (now.as_secs_f64() - server_time).abs() < 5.0,
        "{server_time} is now"
    );
    for quality in ["source", "160p"] {
        let media = format!("{base}/{quality}/index.m3u8");
        let mut playlist = String::new();
        let mut listed_at = SystemTime::now();
        app.wait_for(
            &format!("two {quality} segments"),
            Duration::from_secs(20),
            async || {
                listed_at = SystemTime::now();
                let response = app.get(&media).await;
                if response.status() != 200 {
                    return false;
                }
                playlist = response.text().await.unwrap();
                segments(&playlist).len() >= 2
            },
        )
        .await;
        let last = last_segment(&playlist);
        assert!(
            playlist.ends_with(&format!(
                "\n{last}.ts\n#EXT-X-PREFETCH:{}.ts\n#EXT-X-PREFETCH:{}.ts\n",
                last + 1,
                last + 2
            )),
            "{playlist}"
        );
        // The one after the segment being written: asked for before it starts.
        let ahead = format!("{}.ts", last + 2);
        let mut response = app.get(&format!("{base}/{quality}/{ahead}")).await;
        assert_eq!(response.status(), 200, "{quality} {ahead}");
        assert_eq!(response.content_length(), None, "streamed, not read whole");
        let first = response.chunk().await.unwrap().expect("a first piece");
        let first_piece_at = SystemTime::now();
        let listed = app.get(&media).await.text().await.unwrap();
        // nginx writes the source's segments and the rungs' as the frames come.
        assert!(
            !segments(&listed).contains(&ahead),
            "{quality}: the first bytes of {ahead} came before it was listed: {listed}"
        );
        let mut streamed = first.to_vec();
        while let Some(piece) = response.chunk().await.unwrap() {
            streamed.extend_from_slice(&piece);
        }
        let listed = app.get(&media).await.text().await.unwrap();
        assert!(segments(&listed).contains(&ahead), "{listed}");
        let whole = app.get(&format!("{base}/{quality}/{ahead}")).await;
        assert!(whole.content_length().is_some());
        let whole = whole.bytes().await.unwrap();
        assert!(whole.len() > 188 && whole.len() % 188 == 0 && whole[0] == 0x47);
        assert!(
            streamed == whole,
            "{quality}: streamed {} bytes, the file has {}",
            streamed.len(),
            whole.len()
        );
        // Only the two coming segments are waited for; nothing else that is not there.
        let newest = last_segment(&listed);
        for never in [format!("{}.ts", newest + 3), format!("0{}.ts", newest + 1)] {
            let started = std::time::Instant::now();
            let status = app.get(&format!("{base}/{quality}/{never}")).await.status();
            assert_eq!(status, 404, "{quality} {never}");
            assert!(
                started.elapsed() < Duration::from_secs(1),
                "{never} was waited for"
            );
        }
        // Stamped as IVS stamps its segments: an ID3 tag at the first frame saying when that
        // frame arrived, which was after the playlist that did not name the segment yet, and
        // before its first bytes reached us.
        let saved = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(saved.path(), &whole).unwrap();
        let metadata = segment_metadata(saved.path()).await;
        assert_eq!(metadata.tag_pts, metadata.first_frame_pts, "{metadata:?}");
        let millis = |at: SystemTime| at.duration_since(UNIX_EPOCH).unwrap().as_millis() as u64;
        assert!(
            (millis(listed_at)..=millis(first_piece_at)).contains(&metadata.first_frame_arrived_ms),
            "{quality} {ahead}: its first frame arrived at {} ms, between {} and {} ms",
            metadata.first_frame_arrived_ms,
            millis(listed_at),
            millis(first_piece_at)
        );
    }
    ffmpeg.kill().await.unwrap();
    app.stack.shutdown().await.unwrap();
}

/// nginx's own clean-up of old segments never runs in our one-process nginx: the monitor
/// removes the source's and the rungs' segments some seconds after they leave the playlist, so
/// a long broadcast keeps a bounded directory rather than every segment since it began.
#[tokio::test]
async fn a_long_broadcast_keeps_only_its_recent_segments() {
    let app = spawn_app().await;
    let (_, key) = app.streamer("lasting").await;
    let mut ffmpeg = app.go_live("lasting", &key, 60).await;
    let (_, base) = app.playback("lasting").await;
    let channel = base.rsplit_once('/').unwrap().1.to_owned();
    let qualities = [
        ("source", app.data.path().join("ingest/hls").join(&channel)),
        (
            "160p",
            app.data
                .path()
                .join("ingest/renditions")
                .join(format!("{channel}_160p")),
        ),
    ];
    for (quality, dir) in qualities {
        let media = format!("{base}/{quality}/index.m3u8");
        let mut newest = 0;
        app.wait_for(
            &format!("thirty {quality} segments"),
            Duration::from_secs(45),
            async || {
                let response = app.get(&media).await;
                if response.status() != 200 {
                    return false;
                }
                newest = last_segment(&response.text().await.unwrap());
                newest >= 30
            },
        )
        .await;
        let on_disk: Vec<u64> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|entry| {
                entry
                    .unwrap()
                    .file_name()
                    .to_str()?
                    .strip_suffix(".ts")?
                    .parse()
                    .ok()
            })
            .collect();
        let oldest = *on_disk.iter().min().unwrap();
        // The playlist's three, ten after them, the one being written, and a monitor tick (2 s).
        assert!(
            newest - oldest <= 16 && on_disk.len() <= 17,
            "{quality}: segment {newest} is listed; on disk: {on_disk:?}"
        );
    }
    ffmpeg.kill().await.unwrap();
    app.stack.shutdown().await.unwrap();
}
