//! Bans and chat rules, and their effect on the review every message passes.

use std::collections::BTreeMap;

use cloumer_domain::ids::{MessageId, UserId};
use cloumer_domain::moderation::DenyReason;
use cloumer_domain::use_cases::message_review::{ReviewInput, Verdict};
use serde_json::json;

use crate::helpers::{TestApp, User, spawn_app};

async fn review(app: &TestApp, owner: &User, sender: &str, text: &str) -> Verdict {
    let channel = app
        .get(&format!("/api/v1/channels/{}", owner.handle), None)
        .await;
    assert_eq!(channel.status, 200);
    let room = app
        .stack
        .platform()
        .ensure_account(&cloumer_domain::Identity {
            user_id: UserId::parse(&owner.user_id).unwrap(),
            username: owner.user_id.clone(),
            preferred_handle: None,
            nickname: None,
            email: None,
        })
        .await
        .unwrap()
        .channel
        .chat_room
        .unwrap()
        .arn;
    app.stack
        .platform()
        .review_message(ReviewInput {
            room_arn: room,
            message_id: MessageId::generate(),
            sender: UserId::parse(sender).unwrap(),
            sender_attributes: BTreeMap::new(),
            content: text.to_owned(),
            attributes: BTreeMap::new(),
            sent_at: app.stack.platform().now(),
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn bans_are_listed_lifted_and_checked() {
    let app = spawn_app().await;
    let owner = app.user("o@example.com", "owner", "Owner").await;
    let troll = app.user("t@example.com", "troll", "Troll").await;
    assert!(
        app.get("/api/v1/me/channel/bans", owner.auth())
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );

    let ban = app
        .put(
            &format!("/api/v1/me/channel/bans/{}", troll.user_id),
            owner.auth(),
            json!({"reason": "욕설"}),
        )
        .await;
    assert_eq!(ban.status, 200, "{}", ban.text);
    assert!(ban.body["expiresAt"].is_null());
    let list = app.get("/api/v1/me/channel/bans", owner.auth()).await;
    assert_eq!(list.body[0]["userId"], troll.user_id.as_str());
    assert_eq!(list.body[0]["reason"], "욕설");
    // Messages from a banned user are denied by the review too (e.g. a connection opened before).
    assert_eq!(
        review(&app, &owner, &troll.user_id, "hi").await,
        Verdict::Deny(DenyReason::Banned)
    );

    for (path_user, body, status, code) in [
        (owner.user_id.clone(), json!({}), 409, "invalid_target"),
        (
            troll.user_id.clone(),
            json!({"durationMinutes": 0}),
            400,
            "invalid_duration",
        ),
        (
            troll.user_id.clone(),
            json!({"reason": ""}),
            400,
            "invalid_reason",
        ),
        (
            troll.user_id.clone(),
            json!({"minutes": 5}),
            400,
            "invalid_json",
        ),
        ("bad user".to_owned(), json!({}), 400, "invalid_id"),
    ] {
        let reply = app
            .put(
                &format!("/api/v1/me/channel/bans/{}", path_user.replace(' ', "%20")),
                owner.auth(),
                body.clone(),
            )
            .await;
        assert_eq!(
            (reply.status.as_u16(), reply.code()),
            (status, code),
            "{body}: {}",
            reply.text
        );
    }
    assert_eq!(
        app.delete(
            &format!("/api/v1/me/channel/bans/{}", troll.user_id),
            owner.auth()
        )
        .await
        .status,
        204
    );
    assert_eq!(
        app.delete(
            &format!("/api/v1/me/channel/bans/{}", troll.user_id),
            owner.auth()
        )
        .await
        .status,
        404
    );
    assert!(matches!(
        review(&app, &owner, &troll.user_id, "sorry").await,
        Verdict::Allow(_)
    ));
    assert_eq!(app.get("/api/v1/me/channel/bans", None).await.status, 401);
}

#[tokio::test]
async fn chat_rules_drive_the_review() {
    let app = spawn_app().await;
    let owner = app.user("r@example.com", "rules", "Rules").await;
    let rules = app
        .put(
            "/api/v1/me/channel/chat-rules",
            owner.auth(),
            json!({"maxMessageLength": 10, "maxMessagesPerSecond": 5, "filteredWords": ["바보", "Spam"], "filterMode": "BLOCK"}),
        )
        .await;
    assert_eq!(rules.status, 200, "{}", rules.text);
    assert_eq!(rules.body["filteredWords"], json!(["바보", "spam"]));
    assert_eq!(
        app.get("/api/v1/me/channel/chat-rules", owner.auth())
            .await
            .body["maxMessagesPerSecond"],
        5
    );

    assert_eq!(
        review(&app, &owner, "u1", "너 바보야").await,
        Verdict::Deny(DenyReason::Filtered)
    );
    // Other senders: every attempt counts against a sender's own rate (two a second here).
    assert_eq!(
        review(&app, &owner, "u2", "0123456789X").await,
        Verdict::Deny(DenyReason::TooLong)
    );
    assert!(matches!(
        review(&app, &owner, "u3", "안녕하세요").await,
        Verdict::Allow(_)
    ));

    app.put(
        "/api/v1/me/channel/chat-rules",
        owner.auth(),
        json!({"maxMessageLength": 500, "maxMessagesPerSecond": 10, "filteredWords": ["spam"], "filterMode": "MASK"}),
    )
    .await;
    match review(&app, &owner, "u4", "buy SPAM now").await {
        Verdict::Allow(message) => assert_eq!(message.content, "buy **** now"),
        other => panic!("expected a masked message, got {other:?}"),
    }

    for (body, code) in [
        (
            json!({"maxMessageLength": 0, "maxMessagesPerSecond": 10, "filteredWords": [], "filterMode": "BLOCK"}),
            "invalid_chat_rules",
        ),
        (
            json!({"maxMessageLength": 501, "maxMessagesPerSecond": 10, "filteredWords": [], "filterMode": "BLOCK"}),
            "invalid_chat_rules",
        ),
        (
            json!({"maxMessageLength": 500, "maxMessagesPerSecond": 101, "filteredWords": [], "filterMode": "BLOCK"}),
            "invalid_chat_rules",
        ),
        (
            json!({"maxMessageLength": 500, "maxMessagesPerSecond": 10, "filteredWords": [], "filterMode": "HIDE"}),
            "invalid_chat_rules",
        ),
        (
            json!({"maxMessageLength": 500, "maxMessagesPerSecond": 10, "filteredWords": ["  "], "filterMode": "BLOCK"}),
            "invalid_word_filter",
        ),
        (
            json!({"maxMessageLength": 500, "maxMessagesPerSecond": 10, "filterMode": "BLOCK"}),
            "invalid_json",
        ),
    ] {
        let reply = app
            .put("/api/v1/me/channel/chat-rules", owner.auth(), body.clone())
            .await;
        assert_eq!(
            (reply.status.as_u16(), reply.code()),
            (400, code),
            "{body}: {}",
            reply.text
        );
    }
    assert_eq!(
        app.get("/api/v1/me/channel/chat-rules", owner.auth())
            .await
            .body["filterMode"],
        "MASK"
    );
}
