use std::collections::BTreeMap;

use cloumer_domain::DomainError;
use cloumer_domain::ids::{MessageId, UserId};
use cloumer_domain::moderation_log::ModerationAction;
use cloumer_domain::use_cases::chat_moderation::ChatOf;
use time::Duration;

use crate::world::{ChatCall, world};

fn pin_event(room: &str, name: &str, id: &MessageId, by: &str) -> ChatCall {
    ChatCall::Event(
        room.to_owned(),
        name.to_owned(),
        BTreeMap::from([
            ("MessageId".to_owned(), id.to_string()),
            ("By".to_owned(), by.to_owned()),
        ]),
    )
}

#[tokio::test]
async fn a_moderator_pins_a_message_for_everyone_who_joins_and_the_room_hears_of_it() {
    let world = world();
    let (owner, account, moderator) = world.owner_and_moderator().await;
    let room = account.channel.chat_room.unwrap().arn;
    let rules = world
        .said(&room, "u-viewer", "오늘 추첨 규칙: 채팅에 !참여")
        .await
        .id;
    let later = world.said(&room, "u-viewer", "link of the day").await.id;

    let pinned = world
        .platform
        .pin_message(&moderator, ChatOf::Channel("owner"), &rules)
        .await
        .unwrap();
    assert_eq!(pinned.message.content, "오늘 추첨 규칙: 채팅에 !참여");
    assert_eq!(pinned.message.sender.as_str(), "u-viewer");
    assert_eq!(pinned.pinned_by_nickname, "u-mod 님");
    assert!(
        world
            .chat
            .calls()
            .contains(&pin_event(&room, "app:PIN", &rules, "u-mod 님"))
    );
    // Whoever joins gets it with their token, signed in or not, and can read it on its own.
    let token = world
        .platform
        .chat_token("owner", None, Some("198.51.100.7"))
        .await
        .unwrap();
    assert_eq!(token.pinned_message, Some(pinned.clone()));
    assert_eq!(
        world.platform.pinned_message("owner", None).await.unwrap(),
        Some(pinned)
    );

    // Pinning another replaces it; the log says who pinned what.
    world.advance(Duration::seconds(1));
    world
        .platform
        .pin_message(&owner, ChatOf::Mine, &later)
        .await
        .unwrap();
    let now_pinned = world.platform.pinned_message("owner", None).await.unwrap();
    assert_eq!(now_pinned.unwrap().message.id, later);
    let log = world
        .platform
        .moderation_log(&owner, ChatOf::Mine, None, None)
        .await
        .unwrap();
    let pins: Vec<_> = log
        .items
        .iter()
        .filter_map(|entry| match &entry.action {
            ModerationAction::PinMessage {
                message_id,
                excerpt,
            } => Some((
                entry.actor_nickname.as_str(),
                message_id.clone(),
                excerpt.clone(),
                entry.target.clone(),
            )),
            _ => None,
        })
        .collect();
    let viewer = Some(UserId::parse("u-viewer").unwrap());
    assert_eq!(
        pins,
        vec![
            (
                "u-owner 님",
                later.clone(),
                Some("link of the day".into()),
                viewer.clone()
            ),
            (
                "u-mod 님",
                rules.clone(),
                Some("오늘 추첨 규칙: 채팅에 !참여".into()),
                viewer
            ),
        ]
    );

    // Taken down: the room hears which, the next token has none, and a second time is a no-op.
    world.advance(Duration::seconds(1));
    world
        .platform
        .unpin_message(&moderator, ChatOf::Channel("owner"), None)
        .await
        .unwrap();
    assert!(
        world
            .chat
            .calls()
            .contains(&pin_event(&room, "app:UNPIN", &later, "u-mod 님"))
    );
    let token = world
        .platform
        .chat_token("owner", Some(&owner), None)
        .await
        .unwrap();
    assert_eq!(token.pinned_message, None);
    let calls = world.chat.calls().len();
    world
        .platform
        .unpin_message(&owner, ChatOf::Mine, None)
        .await
        .unwrap();
    assert_eq!(world.chat.calls().len(), calls, "nothing to take down");
    let log = world
        .platform
        .moderation_log(&owner, ChatOf::Mine, None, None)
        .await
        .unwrap();
    assert!(matches!(
        &log.items[0].action,
        ModerationAction::UnpinMessage { message_id, .. } if *message_id == later
    ));
}

#[tokio::test]
async fn only_those_who_run_the_room_pin_and_only_a_message_its_history_holds() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (viewer, other) = world.account("u-viewer", "viewer").await;
    let room = account.channel.chat_room.unwrap().arn;
    let other_room = other.channel.chat_room.unwrap().arn;
    let id = world.said(&room, "u-viewer", "pin me please").await.id;
    let elsewhere = world
        .said(&other_room, "u-owner", "in another room")
        .await
        .id;

    assert!(matches!(
        world
            .platform
            .pin_message(&viewer, ChatOf::Channel("owner"), &id)
            .await,
        Err(DomainError::Forbidden(_))
    ));
    for missing in [MessageId::generate(), elsewhere] {
        assert!(matches!(
            world
                .platform
                .pin_message(&owner, ChatOf::Mine, &missing)
                .await,
            Err(DomainError::NotFound("message"))
        ));
    }
    assert_eq!(
        world.platform.pinned_message("owner", None).await.unwrap(),
        None
    );
    world
        .platform
        .pin_message(&owner, ChatOf::Mine, &id)
        .await
        .unwrap();
    assert!(matches!(
        world
            .platform
            .unpin_message(&viewer, ChatOf::Channel("owner"), None)
            .await,
        Err(DomainError::Forbidden(_))
    ));
    assert!(
        world
            .platform
            .pinned_message("owner", None)
            .await
            .unwrap()
            .is_some()
    );
    // A private channel's pin is for those who may watch it.
    world.set_private(&owner, true).await;
    assert!(matches!(
        world
            .platform
            .pinned_message("owner", Some(&viewer.user_id))
            .await,
        Err(DomainError::Forbidden(_))
    ));
}

#[tokio::test]
async fn deleting_the_pinned_message_unpins_it_and_deleting_another_does_not() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let room = account.channel.chat_room.unwrap().arn;
    let pinned = world
        .said(&room, "u-viewer", "pinned, then deleted")
        .await
        .id;
    let other = world.said(&room, "u-viewer", "just a message").await.id;
    world
        .platform
        .pin_message(&owner, ChatOf::Mine, &pinned)
        .await
        .unwrap();
    world
        .platform
        .delete_message(&owner, ChatOf::Mine, &other, "spam")
        .await
        .unwrap();
    assert!(
        world
            .platform
            .pinned_message("owner", None)
            .await
            .unwrap()
            .is_some()
    );
    // Through the API…
    world
        .platform
        .delete_message(&owner, ChatOf::Mine, &pinned, "spoiler")
        .await
        .unwrap();
    assert_eq!(
        world.platform.pinned_message("owner", None).await.unwrap(),
        None
    );
    // …and over the chat protocol, which the chat service reports.
    let again = world
        .said(&room, "u-viewer", "pinned, deleted in the room")
        .await
        .id;
    world
        .platform
        .pin_message(&owner, ChatOf::Mine, &again)
        .await
        .unwrap();
    world.platform.record_deletion(&room, &again).await.unwrap();
    assert_eq!(
        world.platform.pinned_message("owner", None).await.unwrap(),
        None
    );
    // A deleted message cannot be pinned again.
    assert!(matches!(
        world
            .platform
            .pin_message(&owner, ChatOf::Mine, &again)
            .await,
        Err(DomainError::NotFound("message"))
    ));
}

/// Two moderators at once: one takes down the pin they see while the other pins a new message.
/// The unpin names the message it meant, so it cannot take down the newer pin it never saw.
#[tokio::test]
async fn an_unpin_meant_for_an_older_pin_leaves_the_newer_one() {
    let world = world();
    let (owner, account, moderator) = world.owner_and_moderator().await;
    let room = account.channel.chat_room.unwrap().arn;
    let first = world.said(&room, "u-viewer", "first pin").await.id;
    let second = world.said(&room, "u-viewer", "second pin").await.id;
    world
        .platform
        .pin_message(&owner, ChatOf::Mine, &first)
        .await
        .unwrap();
    // The moderator's page still shows the first when the owner pins the second.
    world
        .platform
        .pin_message(&owner, ChatOf::Mine, &second)
        .await
        .unwrap();
    let calls = world.chat.calls().len();
    match world
        .platform
        .unpin_message(&moderator, ChatOf::Channel("owner"), Some(&first))
        .await
    {
        Err(DomainError::Conflict { code, .. }) => assert_eq!(code, "pin_changed"),
        other => panic!("expected the pin to have changed, got {other:?}"),
    }
    assert_eq!(world.chat.calls().len(), calls, "the room hears nothing");
    let token = world
        .platform
        .chat_token("owner", Some(&owner), None)
        .await
        .unwrap();
    assert_eq!(
        token.pinned_message.map(|p| p.message.id),
        Some(second.clone()),
        "the newer pin stays"
    );

    // Naming the pin that is there takes it down; naming one when nothing is pinned is no error.
    world
        .platform
        .unpin_message(&moderator, ChatOf::Channel("owner"), Some(&second))
        .await
        .unwrap();
    world
        .platform
        .unpin_message(&moderator, ChatOf::Channel("owner"), Some(&second))
        .await
        .unwrap();
    let token = world
        .platform
        .chat_token("owner", Some(&owner), None)
        .await
        .unwrap();
    assert_eq!(token.pinned_message, None);
}
