//! Stream and recording events (what EventBridge delivers in the cloud) and what the API shows.

use cloumer_domain::ids::{ChannelId, RecordingId, StreamId};
use cloumer_domain::live::{StreamEvent, StreamEventKind};
use cloumer_domain::ports::{StreamHealth, StreamStatus};
use cloumer_domain::recording::{RecordingEvent, RecordingEventKind};
use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::helpers::{TestApp, User, channel_of, spawn_app};

async fn channel_id(app: &TestApp, user: &User) -> ChannelId {
    channel_of(app, user).await.id
}

fn event(channel: &ChannelId, stream: &str, kind: StreamEventKind, seconds: i64) -> StreamEvent {
    StreamEvent {
        channel_id: channel.clone(),
        stream_id: StreamId::parse(stream).unwrap(),
        kind,
        at: OffsetDateTime::now_utc() - Duration::minutes(10) + Duration::seconds(seconds),
    }
}

async fn live(app: &TestApp, handle: &str) -> bool {
    app.get(&format!("/api/v1/channels/{handle}"), None)
        .await
        .body["live"]
        .as_bool()
        .unwrap()
}

#[tokio::test]
async fn duplicated_and_out_of_order_stream_events_end_in_the_right_state() {
    let app = spawn_app().await;
    let user = app.user("live@example.com", "live_one", "Live").await;
    let id = channel_id(&app, &user).await;
    let platform = app.stack.platform();
    use StreamEventKind::{End, Start};

    // The end of the first broadcast arrives first, then the second starts, then the first's start.
    let start_1 = event(&id, "st-1", Start, 0);
    let end_1 = event(&id, "st-1", End, 60);
    let start_2 = event(&id, "st-2", Start, 120);
    assert!(platform.handle_stream_event(&end_1).await.unwrap());
    assert!(!live(&app, "live_one").await);
    assert!(platform.handle_stream_event(&start_2).await.unwrap());
    assert!(live(&app, "live_one").await);
    assert!(
        !platform.handle_stream_event(&start_1).await.unwrap(),
        "a stale start changes nothing"
    );
    assert!(
        !platform.handle_stream_event(&end_1).await.unwrap(),
        "a duplicate changes nothing"
    );
    assert!(!platform.handle_stream_event(&start_2).await.unwrap());
    assert!(live(&app, "live_one").await);

    let directory = app.get("/api/v1/directory", None).await;
    assert_eq!(directory.body["items"][0]["handle"], "live_one");
    assert_eq!(directory.body["items"][0]["live"], true);

    assert!(
        platform
            .handle_stream_event(&event(&id, "st-2", End, 180))
            .await
            .unwrap()
    );
    assert!(!live(&app, "live_one").await);
    // Events for channels that do not exist are ignored.
    let unknown = event(&ChannelId::parse("chnothere").unwrap(), "st-9", Start, 0);
    assert!(!platform.handle_stream_event(&unknown).await.unwrap());
}

#[tokio::test]
async fn the_directory_lists_live_channels_by_viewers_then_the_rest_in_pages() {
    let app = spawn_app().await;
    let mut users = Vec::new();
    for name in ["quiet", "popular", "middle", "offline_a", "offline_b"] {
        users.push(app.user(&format!("{name}@example.com"), name, name).await);
    }
    for (index, viewers) in [(0usize, 1u64), (1, 50), (2, 10)] {
        let id = channel_id(&app, &users[index]).await;
        let start = event(
            &id,
            &format!("st-{index}"),
            StreamEventKind::Start,
            index as i64,
        );
        app.stack
            .platform()
            .handle_stream_event(&start)
            .await
            .unwrap();
        app.stack.video().set_status(
            &id,
            Some(StreamStatus {
                channel_arn: cloumer_local::video::arn(&id),
                stream_id: start.stream_id.clone(),
                started_at: start.at,
                health: StreamHealth::Healthy,
                viewer_count: viewers,
                thumbnail_url: Some(format!("/hls/{id}/thumb.jpg")),
            }),
        );
    }
    let mut handles = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/directory?limit=2&cursor={c}"),
            None => "/api/v1/directory?limit=2".to_owned(),
        };
        let page = app.get(&path, None).await;
        assert_eq!(page.status, 200, "{}", page.text);
        pages += 1;
        for item in page.body["items"].as_array().unwrap() {
            handles.push((
                item["handle"].as_str().unwrap().to_owned(),
                item["viewerCount"].as_u64().unwrap(),
                item["live"].as_bool().unwrap(),
            ));
        }
        match page.body["next"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert!(pages >= 3);
    let live: Vec<_> = handles
        .iter()
        .filter(|h| h.2)
        .map(|h| (h.0.as_str(), h.1))
        .collect();
    assert_eq!(live, [("popular", 50), ("middle", 10), ("quiet", 1)]);
    assert_eq!(handles.len(), 5);
    assert!(handles[3..].iter().all(|h| !h.2));
    let first = app.get("/api/v1/directory?limit=1", None).await;
    assert!(
        first.body["items"][0]["thumbnailUrl"]
            .as_str()
            .unwrap()
            .ends_with("/thumb.jpg")
    );
}

#[tokio::test]
async fn recording_events_make_past_broadcasts_private_ones_only_for_the_owner() {
    let app = spawn_app().await;
    let public = app.user("pub@example.com", "public_one", "Public").await;
    let private = app.user("priv@example.com", "private_one", "Private").await;
    app.patch(
        "/api/v1/me/channel",
        public.auth(),
        json!({"title": "공개 방송"}),
    )
    .await;
    app.patch(
        "/api/v1/me/channel",
        private.auth(),
        json!({"private": true}),
    )
    .await;
    let platform = app.stack.platform();
    for (user, recording) in [(&public, "rec-public"), (&private, "rec-private")] {
        let id = channel_id(&app, user).await;
        for (kind, minute) in [
            (RecordingEventKind::Ended, 30),
            (RecordingEventKind::Started, 0),
            (RecordingEventKind::Ended, 30),
        ] {
            platform
                .handle_recording_event(&RecordingEvent {
                    channel_id: id.clone(),
                    recording_id: RecordingId::parse(recording).unwrap(),
                    stream_id: Some(StreamId::parse("st-1").unwrap()),
                    kind,
                    at: OffsetDateTime::now_utc() - Duration::hours(1) + Duration::minutes(minute),
                    duration_ms: (kind == RecordingEventKind::Ended).then_some(1_800_000),
                    playlist_url: Some(format!("/recordings/{recording}/index.m3u8")),
                    thumbnail_url: Some(format!("/recordings/{recording}/thumb.jpg")),
                    live_thumbnail_url: None,
                    private: None,
                })
                .await
                .unwrap();
        }
    }
    let recent = app.get("/api/v1/recordings", None).await;
    let items = recent.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", recent.text);
    assert_eq!(items[0]["id"], "rec-public");
    assert_eq!(items[0]["status"], "ENDED");
    assert_eq!(items[0]["title"], "공개 방송");
    assert_eq!(items[0]["channelHandle"], "public_one");
    assert_eq!(items[0]["durationMs"], 1_800_000);

    assert_eq!(
        app.get("/api/v1/recordings/rec-public", None).await.status,
        200
    );
    assert_eq!(
        app.get("/api/v1/recordings/rec-private", None).await.status,
        404
    );
    assert_eq!(
        app.get("/api/v1/recordings/rec-private", public.auth())
            .await
            .status,
        404
    );
    assert_eq!(
        app.get("/api/v1/recordings/rec-private", private.auth())
            .await
            .status,
        200
    );
    assert_eq!(
        app.get("/api/v1/channels/private_one/recordings", None)
            .await
            .status,
        403
    );
    let own = app
        .get("/api/v1/channels/private_one/recordings", private.auth())
        .await;
    assert_eq!(own.body["items"][0]["id"], "rec-private");
    assert_eq!(
        app.get("/api/v1/recordings/..%2Fetc", None).await.status,
        404
    );
}

/// A past broadcast of `user`'s channel whose files the recorder wrote to the data directory.
async fn recorded_on_disk(app: &TestApp, user: &User, id: &str) -> std::path::PathBuf {
    let channel = channel_id(app, user).await;
    let dir = app
        ._data
        .as_ref()
        .unwrap()
        .path()
        .join("recordings")
        .join(channel.as_str())
        .join(id);
    std::fs::create_dir_all(&dir).unwrap();
    for file in ["index.m3u8", "seg_00000.ts", "thumb.jpg"] {
        std::fs::write(dir.join(file), b"data").unwrap();
    }
    for (kind, minute) in [
        (RecordingEventKind::Started, 0),
        (RecordingEventKind::Ended, 30),
    ] {
        app.stack
            .platform()
            .handle_recording_event(&RecordingEvent {
                channel_id: channel.clone(),
                recording_id: RecordingId::parse(id).unwrap(),
                stream_id: Some(StreamId::parse("st-1").unwrap()),
                kind,
                at: OffsetDateTime::now_utc() - Duration::hours(1) + Duration::minutes(minute),
                duration_ms: (kind == RecordingEventKind::Ended).then_some(1_800_000),
                playlist_url: Some(format!("/recordings/{channel}/{id}/index.m3u8")),
                thumbnail_url: Some(format!("/recordings/{channel}/{id}/thumb.jpg")),
                live_thumbnail_url: None,
                private: None,
            })
            .await
            .unwrap();
    }
    dir
}

#[tokio::test]
async fn the_owner_renames_and_deletes_a_past_broadcast_and_its_files_leave_the_disk() {
    let app = spawn_app().await;
    let owner = app.user("own@example.com", "owner_one", "Owner").await;
    let other = app.user("oth@example.com", "other_one", "Other").await;
    let gone = recorded_on_disk(&app, &owner, "rec-gone").await;
    let kept = recorded_on_disk(&app, &owner, "rec-kept").await;
    let playlist_path = {
        let body = app.get("/api/v1/recordings/rec-gone", None).await.body;
        body["playlistUrl"].as_str().unwrap().to_owned()
    };
    assert_eq!(app.get(&playlist_path, None).await.status, 200);

    let renamed = app
        .patch(
            "/api/v1/me/channel/recordings/rec-gone",
            owner.auth(),
            json!({"title": "  하이라이트 Highlights  "}),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(renamed.body["title"], "하이라이트 Highlights");
    assert_eq!(
        app.get("/api/v1/recordings/rec-gone", None).await.body["title"],
        "하이라이트 Highlights"
    );
    // Someone else, a bad title, an unknown field, nobody signed in: refused, nothing changed.
    for (token, body, status) in [
        (other.auth(), json!({"title": "mine"}), 404),
        (owner.auth(), json!({"title": "x".repeat(141)}), 400),
        (owner.auth(), json!({"title": "ok", "private": true}), 400),
        (owner.auth(), json!({}), 400),
        (None, json!({"title": "anon"}), 401),
    ] {
        let reply = app
            .patch("/api/v1/me/channel/recordings/rec-gone", token, body)
            .await;
        assert_eq!(reply.status.as_u16(), status, "{}", reply.text);
        assert!(reply.body["message"].is_string(), "{}", reply.text);
    }
    assert_eq!(
        app.get("/api/v1/recordings/rec-gone", None).await.body["title"],
        "하이라이트 Highlights"
    );

    for (token, status) in [(other.auth(), 404), (None, 401)] {
        let reply = app
            .delete("/api/v1/me/channel/recordings/rec-gone", token)
            .await;
        assert_eq!(reply.status.as_u16(), status, "{}", reply.text);
    }
    assert!(gone.is_dir());
    let deleted = app
        .delete("/api/v1/me/channel/recordings/rec-gone", owner.auth())
        .await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    assert!(!gone.exists(), "the files left the disk");
    assert!(
        kept.join("index.m3u8").is_file(),
        "the other broadcast's files stay"
    );
    assert_eq!(app.get(&playlist_path, None).await.status, 404);
    for token in [None, owner.auth()] {
        assert_eq!(
            app.get("/api/v1/recordings/rec-gone", token).await.status,
            404
        );
        assert_eq!(
            app.get("/api/v1/recordings/rec-gone/chat", token)
                .await
                .status,
            404
        );
        let list = app
            .get("/api/v1/channels/owner_one/recordings", token)
            .await;
        let ids: Vec<&str> = list.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["rec-kept"]);
    }
    // Again: nothing left to do, and no error.
    let again = app
        .delete("/api/v1/me/channel/recordings/rec-gone", owner.auth())
        .await;
    assert_eq!(again.status, 204, "{}", again.text);
    for path in [
        "/api/v1/me/channel/recordings/..",
        "/api/v1/me/channel/recordings/rec-unknown",
    ] {
        let reply = app.delete(path, owner.auth()).await;
        assert_eq!(reply.status, 404, "{path}: {}", reply.text);
    }
    assert!(kept.join("index.m3u8").is_file());
}
