use std::collections::BTreeMap;

use cloumer_domain::DomainError;
use cloumer_domain::chat_rules::ChatRules;
use cloumer_domain::ids::{MessageId, UserId};
use cloumer_domain::use_cases::chat_moderation::{ChatOf, Restriction};
use cloumer_domain::use_cases::message_review::{ReviewInput, Verdict};
use time::Duration;

use crate::world::{ChatCall, world};

#[tokio::test]
async fn a_ban_disconnects_the_user_and_lapses_from_the_list_when_it_expires() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let room = account.channel.chat_room.unwrap().arn;
    let troll = UserId::parse("u-troll").unwrap();
    let ban = world
        .platform
        .restrict(
            &owner,
            ChatOf::Mine,
            &troll,
            Restriction::Ban(Some(Duration::minutes(5))),
            Some("욕설"),
        )
        .await
        .unwrap();
    assert_eq!(
        ban.expires_at,
        Some(world.platform.now() + Duration::minutes(5))
    );
    assert!(
        world
            .chat
            .calls()
            .contains(&ChatCall::Disconnect(room, troll.clone(), "욕설".into()))
    );
    assert_eq!(
        world
            .platform
            .bans(&owner, ChatOf::Mine)
            .await
            .unwrap()
            .len(),
        1
    );
    world.advance(Duration::minutes(6));
    assert!(
        world
            .platform
            .bans(&owner, ChatOf::Mine)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn nobody_bans_themselves_or_for_a_silly_time() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let someone = UserId::parse("u-x").unwrap();
    for (target, duration, code) in [
        (owner.user_id.clone(), None, "invalid_target"),
        (someone.clone(), Some(Duration::ZERO), "invalid_duration"),
        (
            someone.clone(),
            Some(Duration::days(3651)),
            "invalid_duration",
        ),
    ] {
        let error = world
            .platform
            .restrict(
                &owner,
                ChatOf::Mine,
                &target,
                Restriction::Ban(duration),
                None,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                DomainError::Invalid { code: c, .. } | DomainError::Conflict { code: c, .. } if c == code
            ),
            "{error:?}"
        );
    }
    assert!(matches!(
        world.platform.unban(&owner, ChatOf::Mine, &someone).await,
        Err(DomainError::NotFound("ban"))
    ));
}

#[tokio::test]
async fn a_deleted_message_leaves_history_and_the_room_hears_why() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let room = account.channel.chat_room.unwrap().arn;
    let id = MessageId::generate();
    let Verdict::Allow(message) = world
        .platform
        .review_message(ReviewInput {
            room_arn: room.clone(),
            message_id: id.clone(),
            sender: UserId::parse("u1").unwrap(),
            sender_attributes: BTreeMap::new(),
            content: "delete me".into(),
            attributes: BTreeMap::new(),
            sent_at: world.platform.now(),
        })
        .await
        .unwrap()
    else {
        panic!("allowed");
    };
    world.platform.keep_messages(&[message]).await.unwrap();
    world
        .platform
        .delete_message(&owner, ChatOf::Mine, &id, "rude")
        .await
        .unwrap();
    assert!(
        world
            .chat
            .calls()
            .contains(&ChatCall::Delete(room, id, "rude".into()))
    );
    let history = world
        .platform
        .chat_history("owner", None, None, 10)
        .await
        .unwrap();
    assert!(history.items.is_empty());
    assert!(matches!(
        world
            .platform
            .delete_message(&owner, ChatOf::Mine, &MessageId::generate(), "")
            .await,
        Err(DomainError::Invalid {
            code: "invalid_reason",
            ..
        })
    ));
}

#[tokio::test]
async fn new_chat_rules_reach_the_room_and_bad_ones_change_nothing() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let room = account.channel.chat_room.unwrap().arn;
    let rules = ChatRules {
        max_messages_per_second: 3,
        ..ChatRules::default()
    };
    world
        .platform
        .update_chat_rules(&owner, rules.clone())
        .await
        .unwrap();
    assert!(
        world
            .chat
            .calls()
            .contains(&ChatCall::UpdateRoom(room.clone(), rules.clone()))
    );
    assert_eq!(world.platform.room_rules(&room).await.unwrap(), rules);
    let bad = ChatRules {
        max_message_length: 0,
        ..ChatRules::default()
    };
    assert!(world.platform.update_chat_rules(&owner, bad).await.is_err());
    assert_eq!(world.platform.room_rules(&room).await.unwrap(), rules);

    // Rules the room itself does not hold (slow mode is ours) leave the room as it is: no
    // UpdateRoom, which IVS counts against the account's quota.
    let room_updates = |world: &crate::world::World| {
        world
            .chat
            .calls()
            .iter()
            .filter(|call| matches!(call, ChatCall::UpdateRoom(..)))
            .count()
    };
    let before = room_updates(&world);
    let slower = ChatRules {
        slow_mode_seconds: 30,
        ..rules.clone()
    };
    world
        .platform
        .update_chat_rules(&owner, slower.clone())
        .await
        .unwrap();
    assert_eq!(room_updates(&world), before);
    assert_eq!(world.platform.room_rules(&room).await.unwrap(), slower);
    let longer = ChatRules {
        max_message_length: 200,
        ..slower
    };
    world
        .platform
        .update_chat_rules(&owner, longer.clone())
        .await
        .unwrap();
    assert_eq!(room_updates(&world), before + 1);
    assert!(
        world
            .chat
            .calls()
            .contains(&ChatCall::UpdateRoom(room.clone(), longer))
    );
}

#[tokio::test]
async fn a_banned_user_is_kept_out_of_the_room_until_the_ban_ends() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let room = account.channel.chat_room.unwrap().arn;
    let troll = UserId::parse("u-troll").unwrap();
    assert!(
        !world
            .platform
            .banned_from_room(&room, &troll)
            .await
            .unwrap()
    );
    world
        .platform
        .restrict(
            &owner,
            ChatOf::Mine,
            &troll,
            Restriction::Ban(Some(Duration::minutes(1))),
            None,
        )
        .await
        .unwrap();
    assert!(
        world
            .platform
            .banned_from_room(&room, &troll)
            .await
            .unwrap()
    );
    world.advance(Duration::minutes(2));
    assert!(
        !world
            .platform
            .banned_from_room(&room, &troll)
            .await
            .unwrap()
    );
}

/// A timeout lifted early is told to the room (`app:TIMEOUT` until now), so the viewer's page
/// lets them speak at once rather than at the timeout's end; a lifted ban needs no word (the
/// banned were disconnected, and come back with a new token).
#[tokio::test]
async fn a_timeout_lifted_early_is_told_to_the_room() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let room = account.channel.chat_room.unwrap().arn;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    let (troll, _) = world.account("u-troll", "troll").await;
    let timeouts = || {
        world
            .chat
            .calls()
            .into_iter()
            .filter_map(|call| match call {
                ChatCall::Event(r, name, attributes) if r == room && name == "app:TIMEOUT" => {
                    Some((attributes["UserId"].clone(), attributes["Until"].clone()))
                }
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    for (who, restriction) in [
        (&viewer, Restriction::Timeout(Duration::minutes(10))),
        (&troll, Restriction::Ban(None)),
    ] {
        world
            .platform
            .restrict(&owner, ChatOf::Mine, &who.user_id, restriction, None)
            .await
            .unwrap();
    }
    assert_eq!(timeouts().len(), 1);
    world.advance(Duration::minutes(2));
    world
        .platform
        .unban(&owner, ChatOf::Mine, &viewer.user_id)
        .await
        .unwrap();
    let now = world
        .platform
        .now()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    assert_eq!(timeouts()[1], (viewer.user_id.to_string(), now));
    world
        .platform
        .unban(&owner, ChatOf::Mine, &troll.user_id)
        .await
        .unwrap();
    assert_eq!(timeouts().len(), 2, "a lifted ban sends no timeout");
}
