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
