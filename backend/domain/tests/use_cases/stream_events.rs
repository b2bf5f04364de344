use cloumer_domain::ids::{ChannelId, RecordingId, StreamId};
use cloumer_domain::live::{StreamEvent, StreamEventKind};
use cloumer_domain::ports::{StreamHealth, StreamStatus};
use cloumer_domain::recording::{RecordingEvent, RecordingEventKind, RecordingStatus};
use time::Duration;

use crate::world::{ChatCall, World, world};

fn event(world: &World, channel: &ChannelId, stream: &str, kind: StreamEventKind) -> StreamEvent {
    StreamEvent {
        channel_id: channel.clone(),
        stream_id: StreamId::parse(stream).unwrap(),
        kind,
        at: world.platform.now(),
    }
}

fn announced(world: &World) -> Vec<String> {
    world
        .chat
        .calls()
        .into_iter()
        .filter_map(|call| match call {
            ChatCall::Event(_, name, _) => Some(name),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_stream_start_takes_the_channel_live_once_and_tells_the_room() {
    let world = world();
    let (_, account) = world.account("u-owner", "owner").await;
    let id = account.channel.id;
    let start = event(&world, &id, "st-1", StreamEventKind::Start);
    assert!(world.platform.handle_stream_event(&start).await.unwrap());
    assert!(
        !world.platform.handle_stream_event(&start).await.unwrap(),
        "a duplicate"
    );
    assert!(
        world
            .platform
            .channel_page("owner", None)
            .await
            .unwrap()
            .is_live()
    );
    world.advance(Duration::minutes(30));
    let end = event(&world, &id, "st-1", StreamEventKind::End);
    assert!(world.platform.handle_stream_event(&end).await.unwrap());
    assert!(
        !world
            .platform
            .channel_page("owner", None)
            .await
            .unwrap()
            .is_live()
    );
    assert_eq!(announced(&world), ["app:STREAM_START", "app:STREAM_END"]);
}

#[tokio::test]
async fn an_event_for_an_unknown_channel_changes_nothing() {
    let world = world();
    let unknown = ChannelId::parse("chnobody").unwrap();
    let start = event(&world, &unknown, "st-1", StreamEventKind::Start);
    assert!(!world.platform.handle_stream_event(&start).await.unwrap());
    assert_eq!(
        world.platform.broadcast_policy(&unknown).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn broadcasts_the_video_service_no_longer_streams_are_ended() {
    let world = world();
    let (_, quiet) = world.account("u-quiet", "quiet").await;
    let (_, busy) = world.account("u-busy", "busy").await;
    for (account, stream) in [(&quiet, "st-q"), (&busy, "st-b")] {
        let start = event(&world, &account.channel.id, stream, StreamEventKind::Start);
        world.platform.handle_stream_event(&start).await.unwrap();
    }
    world.video.live.lock().unwrap().push(StreamStatus {
        channel_arn: busy.channel.video.clone().unwrap().arn,
        stream_id: StreamId::parse("st-b").unwrap(),
        started_at: world.platform.now(),
        health: StreamHealth::Healthy,
        viewer_count: 3,
        thumbnail_url: None,
    });
    let ended = world.platform.end_stale_broadcasts().await.unwrap();
    assert_eq!(ended, vec![quiet.channel.id.clone()]);
    assert!(
        !world
            .platform
            .channel_page("quiet", None)
            .await
            .unwrap()
            .is_live()
    );
    let busy_page = world.platform.channel_page("busy", None).await.unwrap();
    assert!(busy_page.is_live());
    assert_eq!(busy_page.viewer_count(), 3);
}

#[tokio::test]
async fn recording_events_build_the_past_broadcast_in_any_order() {
    let world = world();
    let (_, account) = world.account("u-owner", "owner").await;
    let channel = account.channel.id.clone();
    assert_eq!(
        world
            .platform
            .broadcast_policy(&channel)
            .await
            .unwrap()
            .map(|p| p.record),
        Some(true)
    );
    let recording = RecordingId::parse("rec-1").unwrap();
    let recording_event = |kind, minutes: i64| RecordingEvent {
        channel_id: channel.clone(),
        recording_id: recording.clone(),
        stream_id: Some(StreamId::parse("st-1").unwrap()),
        kind,
        at: world.platform.now() + Duration::minutes(minutes),
        duration_ms: (kind == RecordingEventKind::Ended).then_some(60_000),
        playlist_url: (kind == RecordingEventKind::Ended).then(|| "/rec-1/index.m3u8".to_owned()),
        thumbnail_url: None,
        live_thumbnail_url: None,
        private: None,
    };
    let started = recording_event(RecordingEventKind::Started, 0);
    assert!(
        world
            .platform
            .handle_recording_event(&started)
            .await
            .unwrap()
    );
    assert_eq!(
        world
            .platform
            .unfinished_recordings(&channel)
            .await
            .unwrap()[0]
            .id,
        recording
    );
    let ended = recording_event(RecordingEventKind::Ended, 1);
    assert!(world.platform.handle_recording_event(&ended).await.unwrap());
    assert!(
        !world
            .platform
            .handle_recording_event(&started)
            .await
            .unwrap(),
        "late and stale"
    );
    let (stored, _) = world.platform.recording(&recording, None).await.unwrap();
    assert_eq!(stored.status, RecordingStatus::Ended);
    assert_eq!(stored.duration_ms, Some(60_000));
    assert!(
        world
            .platform
            .unfinished_recordings(&channel)
            .await
            .unwrap()
            .is_empty()
    );
}
