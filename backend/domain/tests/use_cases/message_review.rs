use std::collections::BTreeMap;

use cloumer_domain::DomainError;
use cloumer_domain::chat_rules::{ChatRules, FilterMode, WordFilter};
use cloumer_domain::ids::UserId;
use cloumer_domain::moderation::DenyReason;
use cloumer_domain::use_cases::chat_moderation::{ChatOf, Restriction};
use cloumer_domain::use_cases::message_review::Verdict;
use time::Duration;

use crate::world::{World, world};

#[tokio::test]
async fn a_banned_sender_is_denied_until_the_ban_runs_out() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let room = account.channel.chat_room.unwrap().arn;
    let troll = UserId::parse("u-troll").unwrap();
    world
        .platform
        .restrict(
            &owner,
            ChatOf::Mine,
            &troll,
            Restriction::Ban(Some(Duration::minutes(10))),
            Some("spam"),
        )
        .await
        .unwrap();
    let verdict = world
        .platform
        .review_message(world.message(&room, "u-troll", "hello"))
        .await
        .unwrap();
    assert_eq!(verdict, Verdict::Deny(DenyReason::Banned));
    world.advance(Duration::minutes(11));
    let verdict = world
        .platform
        .review_message(world.message(&room, "u-troll", "sorry"))
        .await
        .unwrap();
    assert!(matches!(verdict, Verdict::Allow(_)), "{verdict:?}");
}

/// A chat connection a deleted account left open (its token still valid) says nothing more,
/// in another's room or as a moderator there; whoever else speaks goes on.
#[tokio::test]
async fn a_deleted_accounts_open_connection_is_refused() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (leaving, _) = world.account("u-leaving", "leaving").await;
    world
        .platform
        .appoint_moderator(&owner, "leaving")
        .await
        .unwrap();
    let room = account.channel.chat_room.unwrap().arn;
    world.said(&room, "u-leaving", "bye all").await;
    let now = cloumer_domain::Identity {
        signed_in_at: Some(world.platform.now()),
        ..leaving.clone()
    };
    world.platform.delete_account(&now).await.unwrap();

    assert_eq!(
        world.verdict(&room, "u-leaving", "still here").await,
        Verdict::Deny(DenyReason::AccountDeleted)
    );
    assert!(matches!(
        world.verdict(&room, "u-owner", "still here").await,
        Verdict::Allow(_)
    ));
}

#[tokio::test]
async fn the_channels_rules_decide_and_an_allowed_message_keeps_its_send_time() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let room = account.channel.chat_room.unwrap().arn;
    let rules = ChatRules {
        max_message_length: 10,
        word_filter: WordFilter::new(&["바보".to_owned()], FilterMode::Block).unwrap(),
        ..ChatRules::default()
    };
    world
        .platform
        .update_chat_rules(&owner, rules)
        .await
        .unwrap();
    let review = |content: &str| {
        world
            .platform
            .review_message(world.message(&room, "u1", content))
    };
    assert_eq!(
        review("너 바보야").await.unwrap(),
        Verdict::Deny(DenyReason::Filtered)
    );
    assert_eq!(
        review("0123456789X").await.unwrap(),
        Verdict::Deny(DenyReason::TooLong)
    );
    assert_eq!(
        review("   ").await.unwrap(),
        Verdict::Deny(DenyReason::Empty)
    );
    let sent = world.message(&room, "u1", "안녕하세요");
    let Verdict::Allow(message) = world.platform.review_message(sent.clone()).await.unwrap() else {
        panic!("allowed");
    };
    assert_eq!(message.sent_at, sent.sent_at);
    assert_eq!(message.id, sent.message_id);
    assert_eq!(message.channel_id, account.channel.id);
    assert_eq!(message.sender_attributes["nickname"], "u1 님");
}

#[tokio::test]
async fn masking_rewrites_the_message_that_history_keeps() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let room = account.channel.chat_room.unwrap().arn;
    let rules = ChatRules {
        word_filter: WordFilter::new(&["spam".to_owned()], FilterMode::Mask).unwrap(),
        ..ChatRules::default()
    };
    world
        .platform
        .update_chat_rules(&owner, rules)
        .await
        .unwrap();
    let Verdict::Allow(message) = world
        .platform
        .review_message(world.message(&room, "u1", "buy SPAM now"))
        .await
        .unwrap()
    else {
        panic!("allowed");
    };
    assert_eq!(message.content, "buy **** now");
    world.platform.keep_messages(&[message]).await.unwrap();
    let history = world
        .platform
        .chat_history("owner", None, None, 10)
        .await
        .unwrap();
    assert_eq!(history.items[0].content, "buy **** now");
}

#[tokio::test]
async fn a_message_for_a_room_nobody_owns_is_not_found() {
    let world = world();
    assert!(matches!(
        world
            .platform
            .review_message(world.message("arn:test:ivschat:room/none", "u1", "hi"))
            .await,
        Err(DomainError::NotFound(_))
    ));
}

#[tokio::test]
async fn a_sender_gets_half_the_rooms_rate_and_ten_a_ten_seconds_and_the_owner_no_limit() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let room = account.channel.chat_room.unwrap().arn;
    let verdict = |sender: &'static str| {
        let sent = world.message(&room, sender, "hi");
        let platform = world.platform.clone();
        async move { platform.review_message(sent).await.unwrap() }
    };
    // The default room allows 10 a second: a sender gets 5 of them.
    for _ in 0..5 {
        assert!(matches!(verdict("u-fast").await, Verdict::Allow(_)));
    }
    assert_eq!(
        verdict("u-fast").await,
        Verdict::Deny(DenyReason::RateLimited)
    );
    assert!(
        matches!(verdict("u-other").await, Verdict::Allow(_)),
        "others still speak"
    );
    world.advance(Duration::seconds(1));
    for _ in 0..5 {
        assert!(matches!(verdict("u-fast").await, Verdict::Allow(_)));
    }
    // Ten at once, then one a second: the eleventh waits.
    assert_eq!(
        verdict("u-fast").await,
        Verdict::Deny(DenyReason::RateLimited)
    );
    for _ in 0..20 {
        assert!(
            matches!(verdict(owner_id(&owner)).await, Verdict::Allow(_)),
            "the owner is not limited in their own room"
        );
    }
}

#[tokio::test]
async fn a_flood_gets_ten_then_one_a_second_across_a_windows_edge_too() {
    let world = world();
    let (_, account) = world.account("u-owner", "owner").await;
    let room = account.channel.chat_room.unwrap().arn;
    let verdict = || {
        let sent = world.message(&room, "u-fast", "hi");
        let platform = world.platform.clone();
        async move { platform.review_message(sent).await.unwrap() }
    };
    let send = |n: usize| async move {
        for _ in 0..n {
            assert!(matches!(verdict().await, Verdict::Allow(_)));
        }
        assert_eq!(verdict().await, Verdict::Deny(DenyReason::RateLimited));
    };
    // Eight seconds into a ten-second window: five (a second's most), and five a second later.
    let now = world.platform.now();
    let into = Duration::seconds(now.unix_timestamp().rem_euclid(10))
        + Duration::nanoseconds(i64::from(now.nanosecond()));
    world.advance(Duration::seconds(18) - into);
    send(5).await;
    world.advance(Duration::seconds(1));
    send(5).await;
    // A second later a new window starts, which would let ten more through; the steady rate
    // lets one a second since the flood began: two.
    world.advance(Duration::seconds(1));
    send(2).await;
    // Knocking meanwhile uses nothing up.
    world.advance(Duration::milliseconds(500));
    send(0).await;
    world.advance(Duration::milliseconds(500));
    send(1).await;
    // After ten quiet seconds, a whole burst (five in a second).
    world.advance(Duration::seconds(10));
    send(5).await;
}

fn owner_id(owner: &cloumer_domain::Identity) -> &'static str {
    assert_eq!(owner.user_id.as_str(), "u-owner");
    "u-owner"
}

/// Keeps one message from `sender` with `attributes`, as the review hook does.
async fn said_with(
    world: &World,
    room: &str,
    sender: &str,
    content: &str,
    attributes: &[(&str, &str)],
) -> cloumer_domain::chat::StoredMessage {
    let mut said = world.message(room, sender, content);
    said.sender_attributes
        .insert("handle".into(), format!("{sender}_handle"));
    said.attributes = attributes
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    world.keep(said).await
}

#[tokio::test]
async fn a_reply_names_whom_it_answers_from_history_and_never_what_a_client_claims() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let room = account.channel.chat_room.clone().unwrap().arn;
    let asked = said_with(&world, &room, "u1", "who is playing?", &[]).await;
    let id = asked.id.to_string();

    let reply = said_with(
        &world,
        &room,
        "u2",
        "준 is",
        &[
            ("replyTo", &id),
            ("replyToNickname", "the owner"),
            ("replyToSender", "u-owner"),
        ],
    )
    .await;
    let expected: BTreeMap<String, String> = [
        ("replyTo", id.as_str()),
        ("replyToSender", "u1"),
        ("replyToNickname", "u1 님"),
        ("replyToHandle", "u1_handle"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(reply.attributes, expected);
    // History keeps the reply as delivered.
    let history = world
        .platform
        .chat_history("owner", Some(&owner.user_id), None, 10)
        .await
        .unwrap();
    assert!(
        history
            .items
            .iter()
            .any(|m| m.id == reply.id && m.attributes == expected),
        "{history:?}"
    );

    // Once a moderator deletes the question, a reply to it goes as a plain message; so does one
    // to a message of another room, or to no message at all.
    world
        .platform
        .delete_message(&owner, ChatOf::Mine, &asked.id, "off topic")
        .await
        .unwrap();
    let (_, other) = world.account("u-other", "other").await;
    let elsewhere = said_with(
        &world,
        &other.channel.chat_room.unwrap().arn,
        "u3",
        "hi",
        &[],
    )
    .await;
    for answered in [id.as_str(), elsewhere.id.as_str(), "nothing-here", "../x"] {
        let late = said_with(
            &world,
            &room,
            "u2",
            "too late",
            &[("replyTo", answered), ("replyToHandle", "jun")],
        )
        .await;
        assert_eq!(late.attributes, BTreeMap::new(), "{answered}");
    }
}
