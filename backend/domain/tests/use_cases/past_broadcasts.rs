use cloumer_domain::DomainError;
use cloumer_domain::ids::{ChannelId, RecordingId, StreamId};
use cloumer_domain::recording::{RecordingEvent, RecordingEventKind};
use time::Duration;

use crate::world::World;
use crate::world::world;

async fn record(world: &World, channel: &ChannelId, id: &str) {
    world.advance(Duration::minutes(1));
    let event = RecordingEvent {
        channel_id: channel.clone(),
        recording_id: RecordingId::parse(id).unwrap(),
        stream_id: Some(StreamId::parse(&format!("st-{id}")).unwrap()),
        kind: RecordingEventKind::Ended,
        at: world.platform.now(),
        duration_ms: Some(1_000),
        playlist_url: Some(format!("/{id}/index.m3u8")),
        thumbnail_url: None,
        live_thumbnail_url: None,
        private: None,
    };
    world.platform.handle_recording_event(&event).await.unwrap();
}

#[tokio::test]
async fn recordings_made_while_private_are_for_their_owner_only() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    record(&world, &account.channel.id, "rec-public").await;
    world.set_private(&owner, true).await;
    record(&world, &account.channel.id, "rec-private").await;
    world.set_private(&owner, false).await;

    let ids = |page: &cloumer_domain::page::Page<cloumer_domain::recording::Recording, _>| {
        page.items
            .iter()
            .map(|r| r.id.to_string())
            .collect::<Vec<_>>()
    };
    let (theirs, _) = world
        .platform
        .channel_recordings("owner", Some(&viewer.user_id), None, 10)
        .await
        .unwrap();
    assert_eq!(ids(&theirs), ["rec-public"]);
    let (own, _) = world
        .platform
        .channel_recordings("owner", Some(&owner.user_id), None, 10)
        .await
        .unwrap();
    assert_eq!(ids(&own), ["rec-private", "rec-public"]);
    let recent = world.platform.recent_recordings(None, 10).await.unwrap();
    let recent: Vec<String> = recent.items.iter().map(|(r, _)| r.id.to_string()).collect();
    assert_eq!(recent, ["rec-public"]);
    let private = RecordingId::parse("rec-private").unwrap();
    assert!(matches!(
        world
            .platform
            .recording(&private, Some(&viewer.user_id))
            .await,
        Err(DomainError::NotFound(_))
    ));
    assert!(
        world
            .platform
            .recording(&private, Some(&owner.user_id))
            .await
            .is_ok()
    );
}
