//! A live, recorded broadcast's audience is sampled each minute onto its recording; its
//! streamer alone reads the summary. A tick again within the gap, a broadcast the video service
//! does not stream and one with no recording yet are not sampled.

use cloumer_domain::DomainError;
use cloumer_domain::ids::RecordingId;
use cloumer_domain::ports::ChatRepository;
use time::Duration;

use crate::clip_making::{recording_ended, recording_started};
use crate::world::world;

#[tokio::test]
async fn a_streamer_reads_who_watched_their_broadcast() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    let (fan, _) = world.account("u-fan", "fan").await;
    world.platform.follow(&fan, "owner").await.unwrap();
    let channel = account.channel;
    // Named as `go_live` names the stream, which the recorder says it records.
    let rec1 = RecordingId::parse("owner").unwrap();

    let room = channel.chat_room.clone().unwrap().arn;
    // Nothing live: nothing sampled (and the chat before the broadcast is not its chat).
    world.said(&room, "u-fan", "see you tonight").await;
    world.advance(Duration::seconds(1));
    assert_eq!(world.platform.sample_audiences().await.unwrap(), 0);
    world.go_live(&channel, 5).await;
    // Live, but its recording has not started: there is no record to keep a sample on.
    assert_eq!(world.platform.sample_audiences().await.unwrap(), 0);
    recording_started(&world, &channel.id, "owner").await;
    assert_eq!(world.platform.sample_audiences().await.unwrap(), 1);
    // The same tick again (a retried schedule): counted once.
    world.advance(Duration::seconds(30));
    world.video.live.lock().unwrap()[0].viewer_count = 500;
    assert_eq!(world.platform.sample_audiences().await.unwrap(), 0);

    world.advance(Duration::seconds(30));
    world.video.live.lock().unwrap()[0].viewer_count = 12;
    world.platform.follow(&viewer, "owner").await.unwrap();
    // Its chat: four messages from three people, one deleted by the streamer since (its
    // sender said nothing else, so counts as no chatter).
    world.said(&room, "u-viewer", "hello!").await;
    world.said(&room, "u-fan", "first time here").await;
    world.said(&room, "u-viewer", "love this song").await;
    let rude = world.said(&room, "u-troll", "something rude").await;
    world
        .platform
        .delete_message(
            &owner,
            cloumer_domain::use_cases::chat_moderation::ChatOf::Mine,
            &rude.id,
            "rude",
        )
        .await
        .unwrap();
    assert_eq!(world.platform.sample_audiences().await.unwrap(), 1);
    world.advance(Duration::minutes(1));
    world.video.live.lock().unwrap()[0].viewer_count = 7;
    assert_eq!(world.platform.sample_audiences().await.unwrap(), 1);

    // The live broadcast's summary so far, then the past broadcast's: the recording's end keeps
    // it.
    let live = world.platform.stream_summary(&owner, &rec1).await.unwrap();
    recording_ended(&world, &channel.id, "owner", 150).await;
    let summary = world.platform.stream_summary(&owner, &rec1).await.unwrap();
    assert_eq!(summary, live);
    assert_eq!(summary.peak_viewers, 12);
    assert_eq!(summary.average_viewers, 8);
    assert_eq!(summary.followers_gained, 1);
    assert_eq!(summary.graph, [5, 12, 7]);
    assert_eq!((summary.samples, summary.seconds_per_point), (3, 60));
    assert_eq!((summary.chat_messages, summary.chatters), (3, 2));

    // Only its streamer reads it: to anyone else, signed in, there is no such broadcast.
    let theirs = world.platform.stream_summary(&viewer, &rec1).await;
    assert!(
        matches!(theirs, Err(DomainError::NotFound("recording"))),
        "{theirs:?}"
    );
    // The recording over, nothing more is added to it however long the stream (or its chat)
    // runs.
    world.advance(Duration::minutes(1));
    world.said(&room, "u-fan", "gg").await;
    assert_eq!(world.platform.sample_audiences().await.unwrap(), 0);
    assert_eq!(
        world.platform.stream_summary(&owner, &rec1).await.unwrap(),
        summary
    );
    // Counted once it was over, the chat is kept with the summary: the room's history (however
    // long) is not read again.
    world.store.erase_chat(&channel.id).await.unwrap();
    assert_eq!(
        world.platform.stream_summary(&owner, &rec1).await.unwrap(),
        summary
    );
}

#[tokio::test]
async fn a_broadcast_never_sampled_has_no_summary_and_others_are_unaffected() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (_, other) = world.account("u-other", "other").await;
    let channel = account.channel;
    world.go_live(&channel, 3).await;
    recording_started(&world, &channel.id, "owner").await;
    // Over before its first sample.
    world.advance(Duration::seconds(20));
    recording_ended(&world, &channel.id, "owner", 20).await;
    // Named as `go_live` names the stream, which the recorder says it records.
    let rec1 = RecordingId::parse("owner").unwrap();
    let none = world.platform.stream_summary(&owner, &rec1).await;
    assert!(
        matches!(none, Err(DomainError::NotFound("summary"))),
        "{none:?}"
    );

    // A channel the store counts live but the video service does not stream (its end event on
    // the way): not sampled, nor is the first one, whose recording ended.
    world
        .stream_event(
            &other.channel.id,
            "st-other",
            cloumer_domain::live::StreamEventKind::Start,
        )
        .await;
    recording_started(&world, &other.channel.id, "rec2").await;
    assert_eq!(world.platform.sample_audiences().await.unwrap(), 0);
}
