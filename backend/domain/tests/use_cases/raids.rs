//! Raids: who may send their viewers where, and what each room hears.

use std::collections::BTreeMap;

use cloumer_domain::DomainError;
use cloumer_domain::channel::{ChannelChange, RaidPolicy};
use cloumer_domain::notification::NotificationKind;
use cloumer_domain::use_cases::chat_moderation::{ChatOf, Restriction};

use crate::world::{ChatCall, World, world};

/// The room events named `name` sent to `handle`'s room, their attributes.
async fn heard(world: &World, handle: &str, name: &str) -> Vec<BTreeMap<String, String>> {
    let (_, account) = world.account(handle, handle).await;
    let room = account.channel.chat_room.unwrap().arn;
    world
        .chat
        .calls()
        .into_iter()
        .filter_map(|call| match call {
            ChatCall::Event(r, n, attributes) if r == room && n == name => Some(attributes),
            _ => None,
        })
        .collect()
}

fn refused_with<T: std::fmt::Debug>(result: Result<T, DomainError>) -> String {
    match result {
        Err(DomainError::Invalid { code, .. } | DomainError::Conflict { code, .. }) => code.into(),
        Err(DomainError::NotFound(what)) => format!("not found: {what}"),
        Err(DomainError::RateLimited { .. }) => "rate limited".into(),
        other => panic!("not refused: {other:?}"),
    }
}

fn attributes(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test]
async fn a_live_streamer_sends_their_viewers_to_another_live_channel_and_both_rooms_hear_it() {
    let world = world();
    let (mina, from) = world.account("mina", "mina").await;
    let (_, to) = world.account("jun", "jun").await;
    world.go_live(&from.channel, 12).await;
    world.go_live(&to.channel, 3).await;

    let raid = world.platform.raid(&mina, "JUN").await.unwrap();
    assert_eq!(raid.target.handle.as_str(), "jun");
    assert_eq!(raid.viewers, 12);
    assert_eq!(
        heard(&world, "mina", "app:RAID").await,
        [attributes(&[
            ("Handle", "jun"),
            ("Nickname", to.channel.owner_nickname.as_str())
        ])]
    );
    assert_eq!(
        heard(&world, "jun", "app:RAIDED").await,
        [attributes(&[
            ("Handle", "mina"),
            ("Nickname", from.channel.owner_nickname.as_str()),
            ("Viewers", "12")
        ])]
    );
    // Jun's notifications say who raided, with how many; Mina's say nothing.
    let (jun, _) = world.account("jun", "jun").await;
    let told = world.platform.notifications(&jun, None, 10).await.unwrap();
    let raid = &told.page.items[0];
    assert_eq!(raid.kind, NotificationKind::Raided { raid_viewers: 12 });
    assert_eq!(
        (raid.channel_handle.as_str(), raid.channel_id.clone()),
        ("mina", from.channel.id.clone())
    );
    assert_eq!(told.unread, 1);
    let mine = world.platform.notifications(&mina, None, 10).await.unwrap();
    assert!(mine.page.items.is_empty());
}

#[tokio::test]
async fn a_raid_needs_both_channels_live_another_public_channel_and_a_pause_between_floods() {
    let world = world();
    let (mina, from) = world.account("mina", "mina").await;
    let (_, to) = world.account("jun", "jun").await;
    let (secret, hidden) = world.account("secret", "secret").await;
    world.go_live(&to.channel, 0).await;
    let raid = |target: &'static str| world.platform.raid(&mina, target);
    // Nobody is watching an offline streamer: there is no one to send.
    assert_eq!(refused_with(raid("jun").await), "raider_offline");
    world.go_live(&from.channel, 1).await;
    assert_eq!(refused_with(raid("mina").await), "raid_self");
    assert_eq!(refused_with(raid("nobody").await), "not found: channel");
    assert_eq!(refused_with(raid("../jun").await), "not found: channel");
    world.set_private(&secret, true).await;
    world.go_live(&hidden.channel, 0).await;
    assert_eq!(refused_with(raid("secret").await), "raid_target_private");
    world.account("offline", "offline").await;
    assert_eq!(refused_with(raid("offline").await), "raid_target_offline");
    // Refusals send nothing.
    assert!(heard(&world, "mina", "app:RAID").await.is_empty());
    assert!(heard(&world, "jun", "app:RAIDED").await.is_empty());

    for _ in 0..5 {
        raid("jun").await.unwrap();
    }
    assert_eq!(refused_with(raid("jun").await), "rate limited");
    assert_eq!(heard(&world, "jun", "app:RAIDED").await.len(), 5);
    world.advance(time::Duration::minutes(10));
    raid("jun").await.unwrap();
}

#[tokio::test]
async fn a_streamer_takes_raids_from_everyone_from_channels_they_follow_or_from_nobody() {
    let world = world();
    let (mina, from) = world.account("mina", "mina").await;
    let (jun, to) = world.account("jun", "jun").await;
    world.go_live(&from.channel, 4).await;
    world.go_live(&to.channel, 0).await;
    // While live, too: it is no video setting.
    let takes = async |raids| {
        let change = ChannelChange {
            raids: Some(raids),
            ..ChannelChange::default()
        };
        world.platform.update_channel(&jun, change).await.unwrap();
    };
    takes(RaidPolicy::Nobody).await;
    assert_eq!(
        refused_with(world.platform.raid(&mina, "jun").await),
        "raids_off"
    );
    takes(RaidPolicy::Followed).await;
    assert_eq!(
        refused_with(world.platform.raid(&mina, "jun").await),
        "raids_followed_only"
    );
    assert!(heard(&world, "jun", "app:RAIDED").await.is_empty());
    world.platform.follow(&jun, "mina").await.unwrap();
    world.platform.raid(&mina, "jun").await.unwrap();
    // A streamer Jun banned from their chat may not raid it, whatever the policy.
    world
        .platform
        .restrict(
            &jun,
            ChatOf::Mine,
            &mina.user_id,
            Restriction::Ban(None),
            Some("hate raid"),
        )
        .await
        .unwrap();
    assert_eq!(
        refused_with(world.platform.raid(&mina, "jun").await),
        "raid_banned"
    );
    world
        .platform
        .unban(&jun, ChatOf::Mine, &mina.user_id)
        .await
        .unwrap();
    takes(RaidPolicy::Everyone).await;
    world.platform.raid(&mina, "jun").await.unwrap();
    assert_eq!(heard(&world, "jun", "app:RAIDED").await.len(), 2);
}

/// Staff suspended a channel while it was live: until the video service's end arrives the store
/// still counts it live, but nobody is sent to it, and it sends nobody.
#[tokio::test]
async fn a_suspended_channel_neither_takes_nor_sends_a_raid() {
    use crate::reports::suspend_reported;
    let world = world();
    let (mina, from) = world.account("mina", "mina").await;
    let (jun, to) = world.account("jun", "jun").await;
    let (oli, _) = world.account("oli", "oli").await;
    world.go_live(&from.channel, 12).await;
    world.go_live(&to.channel, 3).await;
    suspend_reported(&world, &oli, "jun", None).await;
    assert!(
        world
            .platform
            .channel_page("jun", None)
            .await
            .unwrap()
            .is_live(),
        "the end has not arrived yet"
    );

    assert_eq!(
        refused_with(world.platform.raid(&mina, "jun").await),
        "raid_target_offline"
    );
    let refused = world.platform.raid(&jun, "mina").await;
    assert!(
        matches!(refused, Err(DomainError::Forbidden(_))),
        "{refused:?}"
    );
    assert!(heard(&world, "mina", "app:RAID").await.is_empty());
    assert!(heard(&world, "jun", "app:RAID").await.is_empty());
}
