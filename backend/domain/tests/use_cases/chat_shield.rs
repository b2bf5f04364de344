use cloumer_domain::DomainError;
use cloumer_domain::chat_rules::{ChatRules, FilterMode, WordFilter};
use cloumer_domain::moderation::DenyReason;
use cloumer_domain::moderation_log::ModerationAction;
use cloumer_domain::use_cases::chat_moderation::ChatOf;
use cloumer_domain::use_cases::message_review::Verdict;
use time::Duration;

use crate::world::{ChatCall, world};

/// A moderator raises shield mode on a raided room: viewers are held to its rules at once (a
/// fresh account is refused), the room hears it, and the log says who; raising it again does
/// nothing; lowering it returns the rules from before, keeping a word filter set meanwhile.
#[tokio::test]
async fn shield_mode_holds_a_raided_room_to_strict_rules_until_it_is_lowered() {
    let world = world();
    let (owner, account, moderator) = world.owner_and_moderator().await;
    let room = account.channel.chat_room.unwrap().arn;
    let (raider, _) = world.account("u-raider", "raider").await;
    world
        .platform
        .update_chat_rules(
            &owner,
            ChatRules {
                slow_mode_seconds: 60,
                ..ChatRules::default()
            },
        )
        .await
        .unwrap();
    assert!(matches!(
        world.verdict(&room, "u-raider", "hello").await,
        Verdict::Allow(_)
    ));

    // A viewer may not raise it.
    assert!(matches!(
        world
            .platform
            .set_shield(&raider, ChatOf::Channel("owner"), true)
            .await,
        Err(DomainError::Forbidden(_))
    ));
    let raised = world
        .platform
        .set_shield(&moderator, ChatOf::Channel("owner"), true)
        .await
        .unwrap();
    let shield = raised.shield.as_ref().expect("raised");
    assert_eq!(shield.raised_by, "u-mod 님");
    assert_eq!(raised.chat_rules.slow_mode_seconds, 60, "already stricter");
    assert_eq!(raised.chat_rules.min_account_age_minutes, 1_440);
    assert_eq!(raised.chat_rules.followers_only_minutes, Some(10));
    assert!(raised.chat_rules.links_off && raised.chat_rules.unique_chat);
    world.advance(Duration::minutes(2));
    assert_eq!(
        world.verdict(&room, "u-raider", "hello again").await,
        Verdict::Deny(DenyReason::AccountTooNew)
    );
    let told = |shielded: bool| {
        world.chat.calls().into_iter().any(|call| {
            matches!(&call, ChatCall::Event(to, name, attributes)
                if to == &room && name == "app:CHAT_RULES"
                    && attributes.get("Shield").is_some() == shielded
                    && attributes.get("FollowersOnlyMinutes").is_some() == shielded)
        })
    };
    assert!(told(true), "{:?}", world.chat.calls());

    // Raising it again changes nothing, and is not logged twice.
    world
        .platform
        .set_shield(&owner, ChatOf::Mine, true)
        .await
        .unwrap();
    // The owner sets a word filter while it is up.
    let filter = WordFilter::new(&["raid".to_owned()], FilterMode::Block).unwrap();
    let current = world
        .platform
        .set_shield(&owner, ChatOf::Mine, true)
        .await
        .unwrap()
        .chat_rules;
    world
        .platform
        .update_chat_rules(
            &owner,
            ChatRules {
                word_filter: filter.clone(),
                ..current
            },
        )
        .await
        .unwrap();

    let lowered = world
        .platform
        .set_shield(&owner, ChatOf::Mine, false)
        .await
        .unwrap();
    assert_eq!(lowered.shield, None);
    assert_eq!(
        lowered.chat_rules,
        ChatRules {
            slow_mode_seconds: 60,
            word_filter: filter,
            ..ChatRules::default()
        }
    );
    assert!(told(false));
    world.advance(Duration::minutes(2));
    assert!(matches!(
        world.verdict(&room, "u-raider", "back to normal").await,
        Verdict::Allow(_)
    ));
    let log = world
        .platform
        .moderation_log(&owner, ChatOf::Mine, None, Some(10))
        .await
        .unwrap();
    let shield_lines: Vec<(&ModerationAction, &str)> = log
        .items
        .iter()
        .filter(|entry| {
            matches!(
                entry.action,
                ModerationAction::RaiseShield | ModerationAction::LowerShield
            )
        })
        .map(|entry| (&entry.action, entry.actor.as_str()))
        .collect();
    assert_eq!(
        shield_lines,
        [
            (&ModerationAction::LowerShield, "u-owner"),
            (&ModerationAction::RaiseShield, "u-mod"),
        ]
    );
}
