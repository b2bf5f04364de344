use std::collections::BTreeMap;

use cloumer_domain::DomainError;
use cloumer_domain::chat::StoredMessage;
use cloumer_domain::ids::{ChannelId, MessageId, RecordingId, StreamId, UserId};
use cloumer_domain::recording::{RecordingEvent, RecordingEventKind};
use cloumer_domain::use_cases::chat_moderation::ChatOf;
use cloumer_domain::use_cases::chat_replay::ReplayedMessage;
use time::Duration;

use crate::world::{World, world};

/// A message said `seconds` after the world's clock now, kept as the review keeps it.
async fn say(world: &World, channel: &ChannelId, id: &str, seconds: i64) {
    let message = StoredMessage {
        channel_id: channel.clone(),
        id: MessageId::parse(id).unwrap(),
        sent_at: world.platform.now() + Duration::seconds(seconds),
        sender: UserId::parse("u-viewer").unwrap(),
        sender_attributes: BTreeMap::from([("nickname".into(), "시청자".into())]),
        content: format!("{id} at {seconds} s"),
        attributes: BTreeMap::new(),
    };
    world.platform.keep_messages(&[message]).await.unwrap();
}

/// A broadcast recorded from the world's clock now for `seconds`.
async fn recording(world: &World, channel: &ChannelId, seconds: i64) -> RecordingId {
    let id = RecordingId::parse("rec-replay").unwrap();
    for (kind, at) in [
        (RecordingEventKind::Started, 0),
        (RecordingEventKind::Ended, seconds),
    ] {
        let event = RecordingEvent {
            channel_id: channel.clone(),
            recording_id: id.clone(),
            stream_id: Some(StreamId::parse("st-replay").unwrap()),
            kind,
            at: world.platform.now() + Duration::seconds(at),
            duration_ms: (kind == RecordingEventKind::Ended).then_some(seconds as u64 * 1000),
            playlist_url: (kind == RecordingEventKind::Ended)
                .then(|| "/rec-replay/index.m3u8".to_owned()),
            thumbnail_url: None,
            live_thumbnail_url: None,
            private: None,
        };
        world.platform.handle_recording_event(&event).await.unwrap();
    }
    id
}

fn seen(items: &[ReplayedMessage]) -> Vec<(String, u64)> {
    items
        .iter()
        .map(|r| (r.message.id.to_string(), r.offset_ms))
        .collect()
}

#[tokio::test]
async fn a_past_broadcast_replays_its_own_chat_in_order_without_deleted_messages() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let channel = account.channel.id.clone();
    say(&world, &channel, "before", -5).await;
    let id = recording(&world, &channel, 60).await;
    for (message, second) in [("hello", 1), ("deleted", 3), ("middle", 30), ("last", 60)] {
        say(&world, &channel, message, second).await;
    }
    say(&world, &channel, "after", 61).await;
    world
        .platform
        .delete_message(
            &owner,
            ChatOf::Mine,
            &MessageId::parse("deleted").unwrap(),
            "spoiler",
        )
        .await
        .unwrap();

    let page = world
        .platform
        .chat_replay(&id, None, 0, None, 2)
        .await
        .unwrap();
    assert_eq!(
        seen(&page.items),
        [("hello".into(), 1000), ("middle".into(), 30_000)]
    );
    let rest = world
        .platform
        .chat_replay(&id, None, 0, page.next, 2)
        .await
        .unwrap();
    assert_eq!(seen(&rest.items), [("last".into(), 60_000)]);
    assert_eq!(rest.next, None);
    assert_eq!(rest.items[0].message.content, "last at 60 s");

    // After a seek: from that moment on.
    let later = world
        .platform
        .chat_replay(&id, None, 2_000, None, 10)
        .await
        .unwrap();
    assert_eq!(
        seen(&later.items),
        [("middle".into(), 30_000), ("last".into(), 60_000)]
    );
    // Past the end, however far, is an empty page, not an error.
    for from in [61_000, u64::MAX] {
        let page = world
            .platform
            .chat_replay(&id, None, from, None, 10)
            .await
            .unwrap();
        assert_eq!(seen(&page.items), [], "from {from}");
    }
}

#[tokio::test]
async fn a_private_recordings_chat_is_for_those_who_may_watch_it() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (stranger, _) = world.account("u-stranger", "stranger").await;
    world.set_private(&owner, true).await;
    let channel = account.channel.id.clone();
    let id = recording(&world, &channel, 60).await;
    say(&world, &channel, "secret", 10).await;
    for who in [None, Some(&stranger.user_id)] {
        assert!(matches!(
            world.platform.chat_replay(&id, who, 0, None, 10).await,
            Err(DomainError::NotFound(_))
        ));
    }
    let own = world
        .platform
        .chat_replay(&id, Some(&owner.user_id), 0, None, 10)
        .await
        .unwrap();
    assert_eq!(seen(&own.items), [("secret".into(), 10_000)]);
    let unknown = RecordingId::parse("rec-unknown").unwrap();
    assert!(matches!(
        world
            .platform
            .chat_replay(&unknown, None, 0, None, 10)
            .await,
        Err(DomainError::NotFound(_))
    ));
}
