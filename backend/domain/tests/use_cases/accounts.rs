use cloumer_domain::DomainError;
use cloumer_domain::profile::{Nickname, ProfileChange};

use crate::world::{ChatCall, person, world};

#[tokio::test]
async fn confirming_a_sign_up_creates_one_provisioned_channel_however_often_it_runs() {
    let world = world();
    let who = person("u-alice", "alice");
    let (first, second) = tokio::join!(
        world.platform.ensure_account(&who),
        world.platform.ensure_account(&who)
    );
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!(first.channel.id, second.channel.id, "one channel per user");
    assert_eq!(first.channel.handle.as_str(), "alice");
    assert_eq!(first.profile.nickname.as_str(), "u-alice 님");
    let video = first.channel.video.as_ref().expect("a video resource");
    assert!(world.video.specs.lock().unwrap().contains_key(&video.arn));
    let room = first.channel.chat_room.as_ref().expect("a chat room");
    assert!(
        world
            .chat
            .calls()
            .contains(&ChatCall::CreateRoom(room.arn.clone()))
    );
}

#[tokio::test]
async fn a_handle_taken_since_sign_up_falls_back_to_a_numbered_one() {
    let world = world();
    world.account("u-first", "popular").await;
    let (_, second) = world.account("u-second", "popular").await;
    assert_eq!(second.channel.handle.as_str(), "popular_2");
    let (handle, available) = world.platform.handle_available("Popular").await.unwrap();
    assert_eq!((handle.as_str(), available), ("popular", false));
    assert!(world.platform.handle_available("unused").await.unwrap().1);
    assert!(matches!(
        world.platform.handle_available("no spaces").await,
        Err(DomainError::Invalid { .. })
    ));
}

#[tokio::test]
async fn a_new_nickname_shows_on_the_channel_too() {
    let world = world();
    let (who, _) = world.account("u-bob", "bob").await;
    let account = world
        .platform
        .update_profile(
            &who,
            ProfileChange {
                nickname: Some(Nickname::parse("바비").unwrap()),
                ..ProfileChange::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(account.profile.nickname.as_str(), "바비");
    let page = world.platform.channel_page("bob", None).await.unwrap();
    assert_eq!(page.channel.owner_nickname.as_str(), "바비");
}
