use cloumer_domain::DomainError;
use cloumer_domain::ids::{ChannelId, RecordingId, StreamId};
use cloumer_domain::recording::{RecordingEvent, RecordingEventKind};
use time::Duration;

use crate::world::{World, world};

fn event(channel: &ChannelId, id: &str, kind: RecordingEventKind, at: i64) -> RecordingEvent {
    let ended = kind != RecordingEventKind::Started;
    RecordingEvent {
        channel_id: channel.clone(),
        recording_id: RecordingId::parse(id).unwrap(),
        stream_id: Some(StreamId::parse("st-managed").unwrap()),
        kind,
        at: crate::world::start() + Duration::seconds(at),
        duration_ms: ended.then_some(60_000),
        playlist_url: ended.then(|| format!("/recordings/{id}/index.m3u8")),
        thumbnail_url: None,
        live_thumbnail_url: None,
        private: None,
    }
}

/// A broadcast of `channel` recorded to its end, with two files.
async fn recorded(world: &World, channel: &ChannelId, id: &str) -> RecordingId {
    for (kind, at) in [
        (RecordingEventKind::Started, 0),
        (RecordingEventKind::Ended, 60),
    ] {
        world
            .platform
            .handle_recording_event(&event(channel, id, kind, at))
            .await
            .unwrap();
    }
    for file in ["index.m3u8", "seg_00000.ts"] {
        world.files.kept.lock().unwrap().insert(
            format!("recordings/{id}/{file}"),
            (Vec::new(), "video/mp2t".into()),
        );
    }
    RecordingId::parse(id).unwrap()
}

#[tokio::test]
async fn the_owner_renames_a_past_broadcast_and_nobody_else_can() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (other, _) = world.account("u-other", "other").await;
    let id = recorded(&world, &account.channel.id, "rec-named").await;

    let renamed = world
        .platform
        .rename_recording(&owner, &id, "  Best of the 첫 방송  ")
        .await
        .unwrap();
    assert_eq!(renamed.title.as_str(), "Best of the 첫 방송");
    let (seen, _) = world.platform.recording(&id, None).await.unwrap();
    assert_eq!(seen.title.as_str(), "Best of the 첫 방송");
    // Someone else's broadcast does not exist for them; a bad title is refused.
    assert!(matches!(
        world
            .platform
            .rename_recording(&other, &id, "mine now")
            .await,
        Err(DomainError::NotFound(_))
    ));
    let long = "x".repeat(200);
    assert!(matches!(
        world.platform.rename_recording(&owner, &id, &long).await,
        Err(DomainError::Invalid { .. })
    ));
    let (seen, _) = world.platform.recording(&id, None).await.unwrap();
    assert_eq!(seen.title.as_str(), "Best of the 첫 방송");
}

#[tokio::test]
async fn a_deleted_broadcast_is_gone_with_its_files_and_stays_gone() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (other, _) = world.account("u-other", "other").await;
    let channel = account.channel.id.clone();
    let id = recorded(&world, &channel, "rec-gone").await;
    let kept = recorded(&world, &channel, "rec-kept").await;

    assert!(matches!(
        world.platform.delete_recording(&other, &id).await,
        Err(DomainError::NotFound(_))
    ));
    world.platform.delete_recording(&owner, &id).await.unwrap();
    assert_eq!(
        world.files.keys(),
        [
            "recordings/rec-kept/index.m3u8",
            "recordings/rec-kept/seg_00000.ts"
        ]
    );
    for who in [None, Some(&owner.user_id)] {
        assert!(matches!(
            world.platform.recording(&id, who).await,
            Err(DomainError::NotFound(_))
        ));
        let (list, _) = world
            .platform
            .channel_recordings("owner", who, None, 10)
            .await
            .unwrap();
        let ids: Vec<_> = list.items.iter().map(|r| r.id.clone()).collect();
        assert_eq!(ids, std::slice::from_ref(&kept));
    }
    let recent = world.platform.recent_recordings(None, 10).await.unwrap();
    assert_eq!(recent.items.len(), 1);
    assert!(matches!(
        world.platform.rename_recording(&owner, &id, "back?").await,
        Err(DomainError::NotFound(_))
    ));

    // The recorder repeats its events (EventBridge delivers at least once): no resurrection.
    world.advance(Duration::minutes(5));
    for kind in [RecordingEventKind::Started, RecordingEventKind::Ended] {
        world
            .platform
            .handle_recording_event(&event(&channel, "rec-gone", kind, 60))
            .await
            .unwrap();
    }
    assert!(world.platform.recording(&id, None).await.is_err());
    // Deleting again is fine (nothing left to remove).
    world.platform.delete_recording(&owner, &id).await.unwrap();
}

#[tokio::test]
async fn files_that_fail_to_go_are_removed_by_asking_again() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let id = recorded(&world, &account.channel.id, "rec-stuck").await;
    world
        .files
        .fail_deletes
        .store(true, std::sync::atomic::Ordering::SeqCst);
    assert!(matches!(
        world.platform.delete_recording(&owner, &id).await,
        Err(DomainError::Port(_))
    ));
    // Already gone for viewers, files still there.
    assert!(world.platform.recording(&id, None).await.is_err());
    assert_eq!(world.files.keys().len(), 2);
    world
        .files
        .fail_deletes
        .store(false, std::sync::atomic::Ordering::SeqCst);
    world.platform.delete_recording(&owner, &id).await.unwrap();
    assert_eq!(world.files.keys(), Vec::<String>::new());
}

#[tokio::test]
async fn a_broadcast_still_being_recorded_cannot_be_deleted() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    world
        .platform
        .handle_recording_event(&event(
            &account.channel.id,
            "rec-live",
            RecordingEventKind::Started,
            0,
        ))
        .await
        .unwrap();
    let id = RecordingId::parse("rec-live").unwrap();
    assert!(matches!(
        world.platform.delete_recording(&owner, &id).await,
        Err(DomainError::Conflict {
            code: "still_recording",
            ..
        })
    ));
}
