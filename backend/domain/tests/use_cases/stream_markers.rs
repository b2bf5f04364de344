//! A streamer marks moments of their live, recorded broadcast; its past broadcast keeps them in
//! order. Not live, not recorded, a bad note, too many: refused, nothing kept.

use cloumer_domain::DomainError;
use cloumer_domain::ids::RecordingId;
use cloumer_domain::live::StreamEventKind;
use cloumer_domain::recording::{MAX_MARKERS, StreamMarker};
use time::Duration;

use crate::clip_making::{recording_ended, recording_started};
use crate::world::world;

fn refused(result: Result<StreamMarker, DomainError>) -> &'static str {
    match result {
        Err(DomainError::Conflict { code, .. } | DomainError::Invalid { code, .. }) => code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_streamer_marks_moments_of_their_recorded_broadcast() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    let channel = account.channel.id;
    assert_eq!(
        refused(world.platform.add_marker(&owner, "x").await),
        "not_live"
    );
    world
        .stream_event(&channel, "st-rec1", StreamEventKind::Start)
        .await;
    // Live, but its recording has not started yet.
    assert_eq!(
        refused(world.platform.add_marker(&owner, "x").await),
        "not_recording"
    );
    recording_started(&world, &channel, "rec1").await;
    world.advance(Duration::seconds(90));
    let boss = world
        .platform
        .add_marker(&owner, "  boss fight ")
        .await
        .unwrap();
    assert_eq!((boss.at_ms, boss.note.as_str()), (90_000, "boss fight"));
    // Asked twice at one moment (a double click), it is one marker.
    let again = world.platform.add_marker(&owner, "again").await.unwrap();
    assert_eq!(again, boss);
    world.advance(Duration::seconds(30));
    world.platform.add_marker(&owner, "").await.unwrap();
    assert_eq!(
        refused(world.platform.add_marker(&owner, "\u{202E}evil").await),
        "invalid_marker"
    );
    // A viewer marks only their own broadcast, which is not live.
    assert_eq!(
        refused(world.platform.add_marker(&viewer, "x").await),
        "not_live"
    );

    world.advance(Duration::seconds(10));
    recording_ended(&world, &channel, "rec1", 132).await;
    let (recording, _) = world
        .platform
        .recording(&RecordingId::parse("rec1").unwrap(), None)
        .await
        .unwrap();
    let kept: Vec<(u64, &str)> = recording
        .markers
        .iter()
        .map(|m| (m.at_ms, m.note.as_str()))
        .collect();
    assert_eq!(kept, [(90_000, "boss fight"), (120_000, "")]);
    // A marker made by mistake comes off; only its owner may take it, and only one there.
    let rec1 = RecordingId::parse("rec1").unwrap();
    let not_theirs = world.platform.remove_marker(&viewer, &rec1, 120_000).await;
    assert!(
        matches!(not_theirs, Err(DomainError::NotFound("recording"))),
        "{not_theirs:?}"
    );
    let nothing_there = world.platform.remove_marker(&owner, &rec1, 119_999).await;
    assert!(
        matches!(nothing_there, Err(DomainError::NotFound("marker"))),
        "{nothing_there:?}"
    );
    world
        .platform
        .remove_marker(&owner, &rec1, 120_000)
        .await
        .unwrap();
    let (recording, _) = world.platform.recording(&rec1, None).await.unwrap();
    assert_eq!(recording.markers.len(), 1);
    assert_eq!(recording.markers[0].note, "boss fight");
    // Its recording over (the stream not told ended yet), there is nothing to mark it on.
    assert_eq!(
        refused(world.platform.add_marker(&owner, "x").await),
        "not_recording"
    );
}

#[tokio::test]
async fn a_broadcast_takes_at_most_fifty_markers_ten_a_minute() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let channel = account.channel.id;
    world
        .stream_event(&channel, "st-rec1", StreamEventKind::Start)
        .await;
    recording_started(&world, &channel, "rec1").await;
    for minute in 0..MAX_MARKERS / 10 {
        world.advance(Duration::minutes(1));
        for i in 0..10 {
            world.advance(Duration::milliseconds(100));
            world
                .platform
                .add_marker(&owner, &format!("{minute}-{i}"))
                .await
                .unwrap();
        }
    }
    // An eleventh at once waits for the steady rate (one every six seconds); a minute on, the
    // broadcast is full.
    let hurried = world.platform.add_marker(&owner, "one more").await;
    assert!(
        matches!(hurried, Err(DomainError::RateLimited { .. })),
        "{hurried:?}"
    );
    world.advance(Duration::minutes(1));
    assert_eq!(
        refused(world.platform.add_marker(&owner, "one more").await),
        "too_many_markers"
    );
}

/// A chapter's name typed wrong while live is put right on the past broadcast: its streamer
/// renames the marker, which stays at its moment. A bad name, someone else's broadcast or no
/// marker there: refused, nothing changed.
#[tokio::test]
async fn a_streamer_renames_a_marker_of_their_past_broadcast() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    let channel = account.channel.id;
    world
        .stream_event(&channel, "st-rec1", StreamEventKind::Start)
        .await;
    recording_started(&world, &channel, "rec1").await;
    world.advance(Duration::seconds(30));
    world
        .platform
        .add_marker(&owner, "bos fihgt")
        .await
        .unwrap();
    world.advance(Duration::seconds(10));
    recording_ended(&world, &channel, "rec1", 40).await;
    let rec1 = RecordingId::parse("rec1").unwrap();
    let renamed = world
        .platform
        .rename_marker(&owner, &rec1, 30_000, " boss fight ")
        .await
        .unwrap();
    assert_eq!(
        (renamed.at_ms, renamed.note.as_str()),
        (30_000, "boss fight")
    );
    assert_eq!(
        refused(
            world
                .platform
                .rename_marker(&owner, &rec1, 30_000, "\u{202E}evil")
                .await
        ),
        "invalid_marker"
    );
    let not_theirs = world
        .platform
        .rename_marker(&viewer, &rec1, 30_000, "mine")
        .await;
    assert!(
        matches!(not_theirs, Err(DomainError::NotFound("recording"))),
        "{not_theirs:?}"
    );
    let nothing_there = world
        .platform
        .rename_marker(&owner, &rec1, 29_999, "x")
        .await;
    assert!(
        matches!(nothing_there, Err(DomainError::NotFound("marker"))),
        "{nothing_there:?}"
    );
    let (recording, _) = world.platform.recording(&rec1, None).await.unwrap();
    assert_eq!(recording.markers, [renamed]);
}
