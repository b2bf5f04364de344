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

#[tokio::test]
async fn allowed_viewers_get_private_recordings_with_a_grant_that_expires() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (friend, _) = world.account("u-friend", "friend").await;
    let (stranger, _) = world.account("u-stranger", "stranger").await;
    world.set_private(&owner, true).await;
    world.platform.grant_viewer(&owner, "friend").await.unwrap();
    record(&world, &account.channel.id, "rec-private").await;
    // The channel goes public; the recording stays as it was made.
    world.set_private(&owner, false).await;
    record(&world, &account.channel.id, "rec-public").await;

    let grant = format!(
        "grant={}&until={}",
        account.channel.id,
        (world.platform.now() + Duration::hours(6)).unix_timestamp()
    );
    let (page, _) = world
        .platform
        .channel_recordings("owner", Some(&friend.user_id), None, 10)
        .await
        .unwrap();
    let urls: Vec<(&str, Option<&str>)> = page
        .items
        .iter()
        .map(|r| (r.id.as_str(), r.playlist_url.as_deref()))
        .collect();
    let private_url = format!("/rec-private/index.m3u8?{grant}");
    assert_eq!(
        urls,
        [
            ("rec-public", Some("/rec-public/index.m3u8")),
            ("rec-private", Some(private_url.as_str())),
        ],
        "only private recordings carry the grant"
    );
    let private = RecordingId::parse("rec-private").unwrap();
    let (recording, _) = world
        .platform
        .recording(&private, Some(&friend.user_id))
        .await
        .unwrap();
    assert_eq!(
        recording.playlist_url.as_deref(),
        Some(private_url.as_str())
    );
    for nobody in [Some(&stranger.user_id), None] {
        assert!(matches!(
            world.platform.recording(&private, nobody).await,
            Err(DomainError::NotFound(_))
        ));
    }
    // Revoked, the friend is a stranger again.
    world
        .platform
        .revoke_viewer(&owner, "friend")
        .await
        .unwrap();
    let (page, _) = world
        .platform
        .channel_recordings("owner", Some(&friend.user_id), None, 10)
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
}

#[tokio::test]
async fn a_broadcast_with_nothing_to_play_is_shown_to_its_owner_only() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    world.advance(Duration::minutes(1));
    let failed = RecordingEvent {
        channel_id: account.channel.id.clone(),
        recording_id: RecordingId::parse("rec-failed").unwrap(),
        stream_id: None,
        kind: RecordingEventKind::Failed,
        at: world.platform.now(),
        duration_ms: Some(20_000),
        playlist_url: None,
        thumbnail_url: None,
        live_thumbnail_url: None,
        private: None,
    };
    world
        .platform
        .handle_recording_event(&failed)
        .await
        .unwrap();
    record(&world, &account.channel.id, "rec-good").await;

    let listed = async |who: Option<&cloumer_domain::ids::UserId>| {
        let (page, _) = world
            .platform
            .channel_recordings("owner", who, None, 10)
            .await
            .unwrap();
        page.items
            .iter()
            .map(|r| r.id.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        listed(Some(&owner.user_id)).await,
        ["rec-good", "rec-failed"]
    );
    assert_eq!(listed(Some(&viewer.user_id)).await, ["rec-good"]);
    assert_eq!(listed(None).await, ["rec-good"]);
    let recent = world.platform.recent_recordings(None, 10).await.unwrap();
    assert_eq!(recent.items.len(), 1);
    let id = RecordingId::parse("rec-failed").unwrap();
    assert!(matches!(
        world.platform.recording(&id, Some(&viewer.user_id)).await,
        Err(DomainError::NotFound(_))
    ));
    assert!(
        world
            .platform
            .recording(&id, Some(&owner.user_id))
            .await
            .is_ok()
    );
}
