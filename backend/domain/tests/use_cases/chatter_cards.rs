use cloumer_domain::DomainError;
use cloumer_domain::chat::ChatRole;
use cloumer_domain::ids::UserId;
use cloumer_domain::moderation_log::ModerationAction;
use cloumer_domain::use_cases::chat_moderation::{ChatOf, Restriction};
use time::Duration;

use crate::world::{start, world};

#[tokio::test]
async fn a_chatters_card_says_who_they_are_and_how_long_they_have_been_around() {
    let world = world();
    let (owner, _, moderator) = world.owner_and_moderator().await;
    world.advance(Duration::days(3));
    let (fan, fan_account) = world.account("u-fan", "fan").await;
    world.advance(Duration::days(1));
    world.platform.follow(&fan, "owner").await.unwrap();
    let followed = world.platform.now();
    world.advance(Duration::hours(5));
    let (stranger, _) = world.account("u-stranger", "stranger").await;

    // Anyone, even signed out, sees who someone is and how long they have been around.
    for who in [None, Some(&stranger.user_id)] {
        let card = world
            .platform
            .chatter_card(who, "owner", &fan.user_id)
            .await
            .unwrap();
        assert_eq!(card.user_id, fan.user_id);
        assert_eq!(card.nickname, fan_account.profile.nickname);
        assert_eq!(card.avatar, fan_account.profile.avatar);
        assert_eq!(card.handle.as_str(), "fan");
        assert_eq!(card.joined_at, start() + Duration::days(3));
        assert_eq!(card.followed_at, Some(followed));
        assert_eq!(card.role, ChatRole::Viewer);
        assert_eq!(card.restriction, None);
    }
    let card = async |of: &UserId| world.platform.chatter_card(None, "owner", of).await;
    assert_eq!(card(&owner.user_id).await.unwrap().role, ChatRole::Owner);
    assert_eq!(
        card(&moderator.user_id).await.unwrap().role,
        ChatRole::Moderator
    );
    let stranger_card = card(&stranger.user_id).await.unwrap();
    assert_eq!(stranger_card.followed_at, None, "follows nobody");
    assert!(matches!(
        card(&UserId::parse("u-nobody").unwrap()).await,
        Err(DomainError::NotFound(_))
    ));
    assert!(matches!(
        world
            .platform
            .chatter_card(None, "nochannel", &fan.user_id)
            .await,
        Err(DomainError::NotFound(_))
    ));
}

#[tokio::test]
async fn only_the_room_s_owner_and_moderators_see_a_timeout_and_what_came_before_on_a_card() {
    let world = world();
    let (owner, account, moderator) = world.owner_and_moderator().await;
    let (troll, _) = world.account("u-troll", "troll").await;
    let (viewer, elsewhere) = world.account("u-viewer", "viewer").await;
    // What the troll said here, and in another room.
    let rooms = [account, elsewhere].map(|a| a.channel.chat_room.unwrap().arn);
    for (room, said) in [
        (&rooms[0], "first here"),
        (&rooms[1], "over there"),
        (&rooms[0], "second here"),
    ] {
        world.said(room, "u-troll", said).await;
        world.advance(Duration::seconds(1));
    }
    // An earlier ban, lifted; and a timeout of someone else, which is not theirs.
    world
        .platform
        .restrict(
            &owner,
            ChatOf::Mine,
            &troll.user_id,
            Restriction::Ban(None),
            Some("slurs"),
        )
        .await
        .unwrap();
    world.advance(Duration::minutes(1));
    world
        .platform
        .unban(&owner, ChatOf::Mine, &troll.user_id)
        .await
        .unwrap();
    world
        .platform
        .restrict(
            &owner,
            ChatOf::Mine,
            &viewer.user_id,
            Restriction::Timeout(Duration::minutes(1)),
            None,
        )
        .await
        .unwrap();
    world.advance(Duration::minutes(1));
    world
        .platform
        .restrict(
            &moderator,
            ChatOf::Channel("owner"),
            &troll.user_id,
            Restriction::Timeout(Duration::minutes(10)),
            Some("spam"),
        )
        .await
        .unwrap();
    for who in [&owner, &moderator] {
        let card = world
            .platform
            .chatter_card(Some(&who.user_id), "owner", &troll.user_id)
            .await
            .unwrap();
        let restriction = card.restriction.expect("a moderator sees the timeout");
        assert!(restriction.timeout);
        assert_eq!(restriction.reason.as_deref(), Some("spam"));
        assert_eq!(
            restriction.expires_at,
            Some(world.platform.now() + Duration::minutes(10))
        );
        // What was done to them before, newest first, with who did it and why.
        let history: Vec<(&str, &str, Option<&str>)> = card
            .history
            .iter()
            .map(|entry| {
                let kind = match entry.action {
                    ModerationAction::Timeout { .. } => "timeout",
                    ModerationAction::Unban => "unban",
                    ModerationAction::Ban { .. } => "ban",
                    _ => "other",
                };
                (kind, entry.actor.as_str(), entry.reason.as_deref())
            })
            .collect();
        assert_eq!(
            history,
            [
                ("timeout", moderator.user_id.as_str(), Some("spam")),
                ("unban", owner.user_id.as_str(), None),
                ("ban", owner.user_id.as_str(), Some("slurs")),
            ]
        );
        // And what they said here lately, newest first.
        let said: Vec<&str> = card
            .recent_messages
            .iter()
            .map(|m| m.content.as_str())
            .collect();
        assert_eq!(said, ["second here", "first here"]);
    }
    for who in [Some(&viewer.user_id), Some(&troll.user_id), None] {
        let card = world
            .platform
            .chatter_card(who, "owner", &troll.user_id)
            .await
            .unwrap();
        assert_eq!(card.restriction, None, "not for viewers to see");
        assert_eq!(card.history, [], "not for viewers to see");
        assert_eq!(card.recent_messages, [], "not for viewers to see");
    }
    // Once over, it is not shown.
    world.advance(Duration::minutes(11));
    let card = world
        .platform
        .chatter_card(Some(&owner.user_id), "owner", &troll.user_id)
        .await
        .unwrap();
    assert_eq!(card.restriction, None);
}

#[tokio::test]
async fn a_private_channel_s_chatters_are_for_those_who_may_watch_it() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let (outsider, _) = world.account("u-outsider", "outsider").await;
    world.set_private(&owner, true).await;
    for who in [None, Some(&outsider.user_id)] {
        assert!(matches!(
            world
                .platform
                .chatter_card(who, "owner", &owner.user_id)
                .await,
            Err(DomainError::Forbidden(_))
        ));
    }
    assert!(
        world
            .platform
            .chatter_card(Some(&owner.user_id), "owner", &owner.user_id)
            .await
            .is_ok()
    );
}
