//! Moderators, timeouts, slow mode, account age and the moderation log: every role boundary.

use cloumer_domain::DomainError;
use cloumer_domain::chat::{ChatCapability, ChatRole};
use cloumer_domain::chat_rules::ChatRules;
use cloumer_domain::ids::UserId;
use cloumer_domain::moderation::DenyReason;
use cloumer_domain::moderation_log::ModerationAction;
use cloumer_domain::use_cases::chat_moderation::{ChatOf, Restriction};
use cloumer_domain::use_cases::message_review::Verdict;
use time::Duration;

use crate::world::{ChatCall, world};

fn denied(verdict: Verdict) -> Option<DenyReason> {
    match verdict {
        Verdict::Deny(reason) => Some(reason),
        Verdict::Allow(_) => None,
    }
}

fn forbidden<T: std::fmt::Debug>(result: Result<T, DomainError>) -> bool {
    matches!(result, Err(DomainError::Forbidden(_)))
}

#[tokio::test]
async fn a_moderator_gets_the_moderation_capabilities_and_runs_the_chat_without_its_owner() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let room = account.channel.chat_room.unwrap().arn;
    let (moderator, _) = world.account("u-mod", "mod").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;

    let appointed = world
        .platform
        .appoint_moderator(&owner, "Mod")
        .await
        .unwrap();
    assert_eq!(appointed.user_id, moderator.user_id);
    assert_eq!(appointed.handle.as_deref(), Some("mod"));
    // Appointing twice is one appointment.
    world
        .platform
        .appoint_moderator(&owner, "mod")
        .await
        .unwrap();
    assert_eq!(world.platform.moderators(&owner).await.unwrap().len(), 1);

    let token = world
        .platform
        .chat_token("owner", Some(&moderator), None)
        .await
        .unwrap();
    assert_eq!(token.role, ChatRole::Moderator);
    assert!(token.capabilities.contains(&ChatCapability::DeleteMessage));
    assert!(token.capabilities.contains(&ChatCapability::DisconnectUser));
    assert!(world.chat.calls().iter().any(|call| matches!(call,
        ChatCall::Token(request) if request.user_id == moderator.user_id
            && request.attributes.get("role").map(String::as_str) == Some("moderator"))));

    // A timeout: the viewer keeps reading, the room hears until when, nobody is disconnected.
    world.advance(Duration::seconds(1));
    let timeout = world
        .platform
        .restrict(
            &moderator,
            ChatOf::Channel("owner"),
            &viewer.user_id,
            Restriction::Timeout(Duration::minutes(10)),
            Some("도배"),
        )
        .await
        .unwrap();
    assert!(timeout.timeout);
    let until = world.platform.now() + Duration::minutes(10);
    assert_eq!(timeout.expires_at, Some(until));
    assert!(world.chat.calls().iter().any(|call| matches!(call,
        ChatCall::Event(r, name, attributes) if r == &room && name == "app:TIMEOUT"
            && attributes["UserId"] == viewer.user_id.as_str())));
    assert!(
        !world
            .chat
            .calls()
            .iter()
            .any(|c| matches!(c, ChatCall::Disconnect(..)))
    );
    assert!(
        !world
            .platform
            .banned_from_room(&room, &viewer.user_id)
            .await
            .unwrap()
    );
    let viewer_token = world
        .platform
        .chat_token("owner", Some(&viewer), None)
        .await
        .unwrap();
    assert_eq!(viewer_token.timed_out_until, Some(until));
    assert_eq!(viewer_token.send_after, Some(until));
    assert_eq!(
        denied(world.verdict(&room, viewer.user_id.as_str(), "hi").await),
        Some(DenyReason::TimedOut)
    );
    world.advance(Duration::minutes(10));
    assert_eq!(
        denied(world.verdict(&room, viewer.user_id.as_str(), "back").await),
        None
    );

    // The log says who did what to whom, and why; the owner and the moderator read it.
    let log = world
        .platform
        .moderation_log(&owner, ChatOf::Mine, None, None)
        .await
        .unwrap();
    let actions: Vec<&ModerationAction> = log.items.iter().map(|e| &e.action).collect();
    assert_eq!(
        actions,
        [
            &ModerationAction::Timeout { until },
            &ModerationAction::AddModerator
        ]
    );
    assert_eq!(log.items[0].actor, moderator.user_id);
    assert_eq!(log.items[0].target.as_ref(), Some(&viewer.user_id));
    assert_eq!(log.items[0].reason.as_deref(), Some("도배"));
    let seen_by_moderator = world
        .platform
        .moderation_log(&moderator, ChatOf::Channel("owner"), None, None)
        .await
        .unwrap();
    assert_eq!(seen_by_moderator, log);
}

#[tokio::test]
async fn moderators_never_act_on_the_owner_or_each_other_and_viewers_not_at_all() {
    let world = world();
    let (owner, account, moderator) = world.owner_and_moderator().await;
    let room = account.channel.chat_room.unwrap().arn;
    let (other_moderator, _) = world.account("u-mod2", "mod2").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    world
        .platform
        .appoint_moderator(&owner, "mod2")
        .await
        .unwrap();
    let of = ChatOf::Channel("owner");
    let timeout = Restriction::Timeout(Duration::minutes(5));

    for target in [&owner.user_id, &other_moderator.user_id] {
        assert!(forbidden(
            world
                .platform
                .restrict(&moderator, of, target, timeout, None)
                .await
        ));
        assert!(forbidden(
            world
                .platform
                .restrict(&moderator, of, target, Restriction::Ban(None), None)
                .await
        ));
    }
    assert!(matches!(
        world
            .platform
            .restrict(&moderator, of, &moderator.user_id, timeout, None)
            .await,
        Err(DomainError::Conflict {
            code: "invalid_target",
            ..
        })
    ));

    // The owner's and another moderator's messages stay; a viewer's goes.
    let mut kept = Vec::new();
    for sender in [&owner.user_id, &other_moderator.user_id, &viewer.user_id] {
        kept.push(world.said(&room, sender.as_str(), "message").await.id);
    }
    for id in &kept[..2] {
        assert!(forbidden(
            world
                .platform
                .delete_message(&moderator, of, id, "no")
                .await
        ));
    }
    world
        .platform
        .delete_message(&moderator, of, &kept[2], "spam")
        .await
        .unwrap();
    let history = world
        .platform
        .chat_history("owner", None, None, 10)
        .await
        .unwrap();
    assert_eq!(history.items.len(), 2);

    // The owner may act on a moderator.
    world
        .platform
        .restrict(
            &owner,
            ChatOf::Mine,
            &other_moderator.user_id,
            timeout,
            None,
        )
        .await
        .unwrap();

    // A viewer runs nothing: not the chat, not its log, not its bans.
    assert!(forbidden(
        world
            .platform
            .restrict(&viewer, of, &moderator.user_id, timeout, None)
            .await
    ));
    assert!(forbidden(
        world
            .platform
            .delete_message(&viewer, of, &kept[0], "x")
            .await
    ));
    assert!(forbidden(world.platform.bans(&viewer, of).await));
    assert!(forbidden(
        world.platform.moderation_log(&viewer, of, None, None).await
    ));
    assert!(forbidden(
        world
            .platform
            .unban(&viewer, of, &other_moderator.user_id)
            .await
    ));

    // Removed, a moderator is a viewer again.
    world
        .platform
        .remove_moderator(&owner, "mod")
        .await
        .unwrap();
    assert!(forbidden(world.platform.bans(&moderator, of).await));
    assert!(matches!(
        world.platform.remove_moderator(&owner, "mod").await,
        Err(DomainError::NotFound("moderator"))
    ));
}

#[tokio::test]
async fn appointments_refuse_unknown_handles_the_owner_and_more_than_fifty() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    assert!(matches!(
        world
            .platform
            .appoint_moderator(&owner, "nobody_here")
            .await,
        Err(DomainError::NotFound("channel"))
    ));
    assert!(matches!(
        world
            .platform
            .appoint_moderator(&owner, "not a handle!")
            .await,
        Err(DomainError::NotFound("channel"))
    ));
    assert!(matches!(
        world.platform.appoint_moderator(&owner, "owner").await,
        Err(DomainError::Conflict {
            code: "invalid_target",
            ..
        })
    ));
    for i in 0..50 {
        world.account(&format!("u-m{i}"), &format!("mod{i}")).await;
        world
            .platform
            .appoint_moderator(&owner, &format!("mod{i}"))
            .await
            .unwrap();
    }
    world.account("u-m50", "mod50").await;
    assert!(matches!(
        world.platform.appoint_moderator(&owner, "mod50").await,
        Err(DomainError::Conflict {
            code: "too_many_moderators",
            ..
        })
    ));
    assert_eq!(world.platform.moderators(&owner).await.unwrap().len(), 50);
}

#[tokio::test]
async fn timeouts_last_a_minute_to_a_day() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let target = UserId::parse("u-x").unwrap();
    for minutes in [0, -5, 24 * 60 + 1] {
        let result = world
            .platform
            .restrict(
                &owner,
                ChatOf::Mine,
                &target,
                Restriction::Timeout(Duration::minutes(minutes)),
                None,
            )
            .await;
        assert!(
            matches!(
                result,
                Err(DomainError::Invalid {
                    code: "invalid_duration",
                    ..
                })
            ),
            "{minutes}"
        );
    }
    for minutes in [1, 24 * 60] {
        world
            .platform
            .restrict(
                &owner,
                ChatOf::Mine,
                &target,
                Restriction::Timeout(Duration::minutes(minutes)),
                None,
            )
            .await
            .unwrap();
    }
    assert!(
        world
            .platform
            .moderation_log(&owner, ChatOf::Mine, None, None)
            .await
            .unwrap()
            .items
            .len()
            == 2
    );
}

#[tokio::test]
async fn slow_mode_allows_one_message_per_interval_and_not_to_those_who_run_the_room() {
    let world = world();
    let (owner, account, moderator) = world.owner_and_moderator().await;
    let room = account.channel.chat_room.unwrap().arn;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    let mut rules = ChatRules {
        slow_mode_seconds: 30,
        ..ChatRules::default()
    };
    rules.word_filter = cloumer_domain::chat_rules::WordFilter::new(
        &["spam".to_owned()],
        cloumer_domain::chat_rules::FilterMode::Block,
    )
    .unwrap();
    world
        .platform
        .update_chat_rules(&owner, rules)
        .await
        .unwrap();
    assert!(world.chat.calls().iter().any(|call| matches!(call,
        ChatCall::Event(r, name, attributes) if r == &room && name == "app:CHAT_RULES"
            && attributes["SlowModeSeconds"] == "30")));

    // A refused message does not use up the turn.
    assert_eq!(
        denied(world.verdict(&room, viewer.user_id.as_str(), "spam").await),
        Some(DenyReason::Filtered)
    );
    assert_eq!(
        denied(world.verdict(&room, viewer.user_id.as_str(), "first").await),
        None
    );
    world.advance(Duration::seconds(29));
    assert_eq!(
        denied(
            world
                .verdict(&room, viewer.user_id.as_str(), "second")
                .await
        ),
        Some(DenyReason::SlowMode)
    );
    world.advance(Duration::seconds(1));
    assert_eq!(
        denied(world.verdict(&room, viewer.user_id.as_str(), "third").await),
        None
    );

    for runner in [&owner.user_id, &moderator.user_id] {
        for _ in 0..3 {
            assert_eq!(
                denied(world.verdict(&room, runner.as_str(), "fast").await),
                None
            );
        }
    }
    let token = world
        .platform
        .chat_token("owner", Some(&viewer), None)
        .await
        .unwrap();
    assert_eq!(token.slow_mode_seconds, 30);
    let token = world
        .platform
        .chat_token("owner", Some(&moderator), None)
        .await
        .unwrap();
    assert_eq!(token.slow_mode_seconds, 0, "moderators are not slowed");
}

#[tokio::test]
async fn accounts_younger_than_the_room_asks_wait_and_are_told_until_when() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let room = account.channel.chat_room.unwrap().arn;
    let rules = ChatRules {
        min_account_age_minutes: 10,
        ..ChatRules::default()
    };
    world
        .platform
        .update_chat_rules(&owner, rules)
        .await
        .unwrap();
    world.advance(Duration::minutes(3));
    let (newcomer, _) = world.account("u-new", "newcomer").await;
    let stranger = UserId::parse("u-no-account").unwrap();
    assert_eq!(
        denied(world.verdict(&room, newcomer.user_id.as_str(), "hi").await),
        Some(DenyReason::AccountTooNew)
    );
    assert_eq!(
        denied(world.verdict(&room, stranger.as_str(), "hi").await),
        Some(DenyReason::AccountTooNew),
        "a sender without an account is no older"
    );
    let token = world
        .platform
        .chat_token("owner", Some(&newcomer), None)
        .await
        .unwrap();
    assert_eq!(
        token.send_after,
        Some(world.platform.now() + Duration::minutes(10))
    );
    assert_eq!(token.timed_out_until, None);
    assert_eq!(
        token.account_old_enough_at(world.platform.now()),
        token.send_after
    );
    assert_eq!(token.min_account_age_minutes, 10);
    assert_eq!(
        token.joined_at,
        Some(world.platform.now()),
        "the page works the wait out again when the room changes the age"
    );
    let anonymous = world
        .platform
        .chat_token("owner", None, Some("192.0.2.9"))
        .await
        .unwrap();
    assert_eq!(anonymous.joined_at, None);
    // Timed out for a minute meanwhile: the token keeps the two waits apart.
    world
        .platform
        .restrict(
            &owner,
            ChatOf::Mine,
            &newcomer.user_id,
            Restriction::Timeout(Duration::minutes(1)),
            None,
        )
        .await
        .unwrap();
    let token = world
        .platform
        .chat_token("owner", Some(&newcomer), None)
        .await
        .unwrap();
    assert_eq!(
        (
            token.timed_out_until,
            token.account_old_enough_at(world.platform.now()),
            token.send_after
        ),
        (
            Some(world.platform.now() + Duration::minutes(1)),
            Some(world.platform.now() + Duration::minutes(10)),
            Some(world.platform.now() + Duration::minutes(10))
        )
    );
    world.advance(Duration::minutes(10));
    assert_eq!(
        denied(world.verdict(&room, newcomer.user_id.as_str(), "hi").await),
        None
    );
    let token = world
        .platform
        .chat_token("owner", Some(&newcomer), None)
        .await
        .unwrap();
    assert_eq!(
        (
            token.send_after,
            token.account_old_enough_at(world.platform.now())
        ),
        (None, None)
    );
    // The owner's own account is as old as the channel, and the owner is never held back.
    assert_eq!(
        denied(world.verdict(&room, owner.user_id.as_str(), "hi").await),
        None
    );
}

#[tokio::test]
async fn a_followers_only_room_hears_only_those_who_have_followed_long_enough() {
    let world = world();
    let (owner, account, moderator) = world.owner_and_moderator().await;
    let room = account.channel.chat_room.unwrap().arn;
    let (fan, _) = world.account("u-fan", "fan").await;
    let (raider, _) = world.account("u-raider", "raider").await;
    world.platform.follow(&fan, "owner").await.unwrap();
    world.advance(Duration::minutes(30));
    world
        .platform
        .update_chat_rules(
            &owner,
            ChatRules {
                followers_only_minutes: Some(10),
                ..ChatRules::default()
            },
        )
        .await
        .unwrap();
    assert!(world.chat.calls().iter().any(|call| matches!(call,
        ChatCall::Event(r, name, attributes) if r == &room && name == "app:CHAT_RULES"
            && attributes.get("FollowersOnlyMinutes").map(String::as_str) == Some("10"))));

    // A follower of 30 minutes speaks; a stranger does not, nor one who follows just now.
    assert_eq!(
        denied(world.verdict(&room, fan.user_id.as_str(), "hi").await),
        None
    );
    assert_eq!(
        denied(world.verdict(&room, raider.user_id.as_str(), "hi").await),
        Some(DenyReason::FollowersOnly)
    );
    let token = world
        .platform
        .chat_token("owner", Some(&raider), None)
        .await
        .unwrap();
    assert_eq!(token.followers_only_minutes, Some(10));
    assert_eq!(token.followed_at, None, "not a follower yet");
    world.platform.follow(&raider, "owner").await.unwrap();
    let followed_at = world.platform.now();
    assert_eq!(
        denied(world.verdict(&room, raider.user_id.as_str(), "hi").await),
        Some(DenyReason::FollowersOnly)
    );
    let token = world
        .platform
        .chat_token("owner", Some(&raider), None)
        .await
        .unwrap();
    assert_eq!(token.followed_at, Some(followed_at));
    assert_eq!(token.send_after, Some(followed_at + Duration::minutes(10)));
    world.advance(Duration::minutes(10));
    assert_eq!(
        denied(world.verdict(&room, raider.user_id.as_str(), "hi").await),
        None
    );

    // Unfollowing and following again starts the wait over.
    world.platform.unfollow(&raider, "owner").await.unwrap();
    world.platform.follow(&raider, "owner").await.unwrap();
    assert_eq!(
        denied(world.verdict(&room, raider.user_id.as_str(), "hi").await),
        Some(DenyReason::FollowersOnly)
    );

    // Those who run the room follow nobody and are never held back, nor told to follow.
    for runner in [&owner, &moderator] {
        assert_eq!(
            denied(world.verdict(&room, runner.user_id.as_str(), "hi").await),
            None
        );
        let token = world
            .platform
            .chat_token("owner", Some(runner), None)
            .await
            .unwrap();
        assert_eq!(token.followers_only_minutes, None);
    }

    // "Any follower" lets a follow of a moment through; off lets everyone through.
    for (rule, raider_denied) in [(Some(0), false), (None, false)] {
        world
            .platform
            .update_chat_rules(
                &owner,
                ChatRules {
                    followers_only_minutes: rule,
                    ..ChatRules::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            denied(world.verdict(&room, raider.user_id.as_str(), "hi").await).is_some(),
            raider_denied
        );
    }
    let (stranger, _) = world.account("u-stranger", "stranger").await;
    assert_eq!(
        denied(world.verdict(&room, stranger.user_id.as_str(), "hi").await),
        None,
        "the room is open again"
    );
    let token = world
        .platform
        .chat_token("owner", Some(&stranger), None)
        .await
        .unwrap();
    assert_eq!(token.followers_only_minutes, None);
    assert!(world.chat.calls().iter().any(|call| matches!(call,
        ChatCall::Event(r, name, attributes) if r == &room && name == "app:CHAT_RULES"
            && !attributes.contains_key("FollowersOnlyMinutes"))));
}

#[tokio::test]
async fn a_ban_replaces_a_timeout_and_keeps_the_user_out() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let room = account.channel.chat_room.unwrap().arn;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    world
        .platform
        .restrict(
            &owner,
            ChatOf::Mine,
            &viewer.user_id,
            Restriction::Timeout(Duration::minutes(5)),
            None,
        )
        .await
        .unwrap();
    world.advance(Duration::seconds(1));
    world
        .platform
        .restrict(
            &owner,
            ChatOf::Mine,
            &viewer.user_id,
            Restriction::Ban(None),
            Some("again"),
        )
        .await
        .unwrap();
    assert!(
        world
            .platform
            .banned_from_room(&room, &viewer.user_id)
            .await
            .unwrap()
    );
    assert!(matches!(
        world
            .platform
            .chat_token("owner", Some(&viewer), None)
            .await,
        Err(DomainError::Banned { until: None })
    ));
    let bans = world.platform.bans(&owner, ChatOf::Mine).await.unwrap();
    assert_eq!(bans.len(), 1);
    assert!(!bans[0].timeout);
    world.advance(Duration::seconds(1));
    world
        .platform
        .unban(&owner, ChatOf::Mine, &viewer.user_id)
        .await
        .unwrap();
    let log = world
        .platform
        .moderation_log(&owner, ChatOf::Mine, None, None)
        .await
        .unwrap();
    assert_eq!(log.items[0].action, ModerationAction::Unban);
    assert_eq!(log.items[1].action, ModerationAction::Ban { until: None });
}

#[tokio::test]
async fn an_emote_only_room_takes_only_emotes_and_emoji_from_viewers_and_tells_the_room() {
    let world = world();
    let (owner, account, moderator) = world.owner_and_moderator().await;
    world
        .platform
        .put_emote(&owner, "Hype", &cloumer_test_media::images::png(56, 56))
        .await
        .unwrap();
    let room = account.channel.chat_room.unwrap().arn;
    let viewer = UserId::parse("u-viewer").unwrap();
    let rules = ChatRules {
        emote_only: true,
        ..ChatRules::default()
    };
    world
        .platform
        .update_chat_rules(&owner, rules.clone())
        .await
        .unwrap();
    let told = world
        .rules_told(&room)
        .iter()
        .any(|attributes| attributes.get("EmoteOnly").map(String::as_str) == Some("true"));
    assert!(told, "the room hears the room went emote-only");

    // A second apart: the sender's own rate is not what this is about.
    for words in ["gg", "🎉 gg", ":Kappa:", "ㅋㅋㅋ"] {
        world.advance(Duration::seconds(2));
        assert_eq!(
            denied(world.verdict(&room, viewer.as_str(), words).await),
            Some(DenyReason::EmoteOnly),
            "{words}"
        );
    }
    for emotes in ["🎉🔥", ":Hype: :Hype:", "👏🏽 :Hype:"] {
        world.advance(Duration::seconds(2));
        assert_eq!(
            denied(world.verdict(&room, viewer.as_str(), emotes).await),
            None,
            "{emotes}"
        );
    }
    // The owner and the moderators write as they like; a viewer's token says the rule.
    for runner in [&owner.user_id, &moderator.user_id] {
        assert_eq!(
            denied(
                world
                    .verdict(&room, runner.as_str(), "Welcome, raiders!")
                    .await
            ),
            None
        );
    }
    let token = world
        .platform
        .chat_token("owner", None, Some("203.0.113.9"))
        .await
        .unwrap();
    assert!(token.emote_only);
    let token = world
        .platform
        .chat_token("owner", Some(&moderator), None)
        .await
        .unwrap();
    assert!(!token.emote_only);

    // Off again: words are welcome, and the room hears the rule's absence.
    world
        .platform
        .update_chat_rules(&owner, ChatRules::default())
        .await
        .unwrap();
    assert_eq!(
        denied(world.verdict(&room, viewer.as_str(), "gg").await),
        None
    );
    let last_rules = world.rules_told(&room).pop().unwrap();
    assert!(!last_rules.contains_key("EmoteOnly"), "{last_rules:?}");
}

/// Links off: a viewer's message with a link is refused (a spam raid's `bit.ly/...` as much as a
/// full address), the room hears the rule, and those who run the room still post links.
#[tokio::test]
async fn a_room_with_links_off_refuses_viewers_links_and_tells_the_room() {
    let world = world();
    let (owner, account, moderator) = world.owner_and_moderator().await;
    let room = account.channel.chat_room.unwrap().arn;
    let viewer = UserId::parse("u-viewer").unwrap();
    let rules = ChatRules {
        links_off: true,
        ..ChatRules::default()
    };
    world
        .platform
        .update_chat_rules(&owner, rules)
        .await
        .unwrap();
    let told = world
        .rules_told(&room)
        .iter()
        .any(|attributes| attributes.get("LinksOff").map(String::as_str) == Some("true"));
    assert!(told, "the room hears links went off");

    // A second apart: the sender's own rate is not what this is about.
    for spam in [
        "free followers at bit.ly/abc",
        "https://example.com/win",
        "visit WWW.EXAMPLE.COM now",
    ] {
        world.advance(Duration::seconds(2));
        assert_eq!(
            denied(world.verdict(&room, viewer.as_str(), spam).await),
            Some(DenyReason::LinksOff),
            "{spam}"
        );
    }
    for words in [
        "gg",
        "v1.2.3 is out",
        "e.g. this one",
        "mail me@example.com",
    ] {
        world.advance(Duration::seconds(2));
        assert_eq!(
            denied(world.verdict(&room, viewer.as_str(), words).await),
            None,
            "{words}"
        );
    }
    for runner in [&owner.user_id, &moderator.user_id] {
        assert_eq!(
            denied(
                world
                    .verdict(&room, runner.as_str(), "My schedule: example.com/schedule")
                    .await
            ),
            None
        );
    }
    let token = world
        .platform
        .chat_token("owner", None, Some("203.0.113.9"))
        .await
        .unwrap();
    assert!(token.links_off);
    let token = world
        .platform
        .chat_token("owner", Some(&moderator), None)
        .await
        .unwrap();
    assert!(!token.links_off);

    // On again for everyone: links are welcome, and the room hears the rule's absence.
    world
        .platform
        .update_chat_rules(&owner, ChatRules::default())
        .await
        .unwrap();
    world.advance(Duration::seconds(2));
    assert_eq!(
        denied(
            world
                .verdict(&room, viewer.as_str(), "https://example.com")
                .await
        ),
        None
    );
    let last_rules = world.rules_told(&room).pop().unwrap();
    assert!(!last_rules.contains_key("LinksOff"), "{last_rules:?}");
}

/// Unique chat: a viewer's message the room saw in the last 30 seconds (the same words, any
/// case or spacing) is refused, whoever said it first; it may be said again once that time has
/// passed; short reactions and those who run the room are not held to it (what they say is
/// remembered, though).
#[tokio::test]
async fn unique_chat_refuses_what_the_room_just_saw() {
    let world = world();
    let (owner, account, moderator) = world.owner_and_moderator().await;
    let room = account.channel.chat_room.unwrap().arn;
    let rules = ChatRules {
        unique_chat: true,
        ..ChatRules::default()
    };
    world
        .platform
        .update_chat_rules(&owner, rules)
        .await
        .unwrap();
    let told = world
        .rules_told(&room)
        .iter()
        .any(|attributes| attributes.get("UniqueChat").map(String::as_str) == Some("true"));
    assert!(told, "the room hears unique chat went on");

    const SPAM: &str = "FREE followers at my channel!!";
    assert_eq!(denied(world.verdict(&room, "u-bot1", SPAM).await), None);
    world.advance(Duration::seconds(2));
    for (sender, copy) in [
        ("u-bot2", SPAM),
        ("u-bot3", "free   followers at MY channel!!"),
        ("u-bot1", SPAM),
    ] {
        assert_eq!(
            denied(world.verdict(&room, sender, copy).await),
            Some(DenyReason::NotUnique),
            "{sender}: {copy}"
        );
    }
    for short in ["gg", "gg", "lol"] {
        assert_eq!(denied(world.verdict(&room, "u-fan", short).await), None);
    }
    assert_eq!(
        denied(world.verdict(&room, moderator.user_id.as_str(), SPAM).await),
        None,
        "a moderator may quote it"
    );
    // What those who run the room say is remembered too.
    const GIVEAWAY: &str = "Giveaway at 9 PM, stay tuned!";
    assert_eq!(
        denied(world.verdict(&room, "u-owner", GIVEAWAY).await),
        None
    );
    assert_eq!(
        denied(world.verdict(&room, "u-fan", GIVEAWAY).await),
        Some(DenyReason::NotUnique)
    );
    // Thirty seconds after it was first said, it may be said again.
    world.advance(Duration::seconds(28));
    assert_eq!(denied(world.verdict(&room, "u-bot2", SPAM).await), None);

    let token = world
        .platform
        .chat_token("owner", None, Some("203.0.113.9"))
        .await
        .unwrap();
    assert!(token.unique_chat);
    let token = world
        .platform
        .chat_token("owner", Some(&owner), None)
        .await
        .unwrap();
    assert!(!token.unique_chat);
}
