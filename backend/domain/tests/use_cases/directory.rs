use cloumer_domain::ids::StreamId;
use cloumer_domain::live::{StreamEvent, StreamEventKind};
use cloumer_domain::ports::{StreamHealth, StreamStatus};
use time::Duration;

use crate::world::world;

#[tokio::test]
async fn live_channels_come_first_by_viewers_then_the_rest_by_activity_across_pages() {
    let world = world();
    let mut accounts = Vec::new();
    for (user, handle) in [
        ("u-a", "aaa"),
        ("u-b", "bbb"),
        ("u-c", "ccc"),
        ("u-d", "ddd"),
    ] {
        world.advance(Duration::minutes(1));
        accounts.push(world.account(user, handle).await.1);
    }
    for (account, viewers) in [(&accounts[0], 5), (&accounts[1], 50)] {
        let stream = StreamId::parse(&format!("st-{}", account.channel.handle)).unwrap();
        let start = StreamEvent {
            channel_id: account.channel.id.clone(),
            stream_id: stream.clone(),
            kind: StreamEventKind::Start,
            at: world.platform.now(),
        };
        world.platform.handle_stream_event(&start).await.unwrap();
        world.video.live.lock().unwrap().push(StreamStatus {
            channel_arn: account.channel.video.clone().unwrap().arn,
            stream_id: stream,
            started_at: world.platform.now(),
            health: StreamHealth::Healthy,
            viewer_count: viewers,
            thumbnail_url: None,
        });
    }
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = world.platform.directory(cursor, 1).await.unwrap();
        seen.extend(page.items.iter().map(|v| v.channel.handle.to_string()));
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, ["bbb", "aaa", "ddd", "ccc"]);
}

#[tokio::test]
async fn a_page_filled_by_live_channels_ends_the_directory_when_nobody_else_is_there() {
    let world = world();
    let (_, account) = world.account("u-a", "aaa").await;
    let start = StreamEvent {
        channel_id: account.channel.id.clone(),
        stream_id: StreamId::parse("st-a").unwrap(),
        kind: StreamEventKind::Start,
        at: world.platform.now(),
    };
    world.platform.handle_stream_event(&start).await.unwrap();
    let page = world.platform.directory(None, 1).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.next, None);
}

#[tokio::test]
async fn every_channel_write_moves_the_generation_and_reads_do_not() {
    let world = world();
    let before = world.platform.channels_generation();
    let (owner, account) = world.account("u-g", "ggg").await;
    let created = world.platform.channels_generation();
    assert!(created > before, "creating and provisioning a channel");
    world.platform.directory(None, 10).await.unwrap();
    world.platform.channel_page("ggg", None).await.unwrap();
    world.platform.ensure_account(&owner).await.unwrap();
    assert_eq!(world.platform.channels_generation(), created, "reads");
    world.set_private(&owner, true).await;
    let changed = world.platform.channels_generation();
    assert!(changed > created, "a settings change");
    let start = StreamEvent {
        channel_id: account.channel.id.clone(),
        stream_id: StreamId::parse("st-g").unwrap(),
        kind: StreamEventKind::Start,
        at: world.platform.now(),
    };
    world.platform.handle_stream_event(&start).await.unwrap();
    assert!(world.platform.channels_generation() > changed, "going live");
}
