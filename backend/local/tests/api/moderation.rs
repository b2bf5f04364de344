//! Bans and chat rules, and their effect on the review every message passes.

use std::collections::BTreeMap;

use cloumer_domain::ids::{MessageId, UserId};
use cloumer_domain::moderation::DenyReason;
use cloumer_domain::use_cases::message_review::{ReviewInput, Verdict};
use serde_json::{Value, json};

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
            signed_in_at: None,
            staff: false,
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

#[tokio::test]
async fn moderators_are_appointed_by_handle_and_run_the_chat_within_their_bounds() {
    let app = spawn_app().await;
    let owner = app.user("o@example.com", "owner", "Owner").await;
    let moderator = app.user("m@example.com", "helper", "Helper").await;
    let viewer = app.user("v@example.com", "viewer", "Viewer").await;

    for (handle, status, code) in [
        ("nobody_here", 404, "not_found"),
        ("owner", 409, "invalid_target"),
        ("no%20spaces", 404, "not_found"),
    ] {
        let reply = app
            .put(
                &format!("/api/v1/me/channel/moderators/{handle}"),
                owner.auth(),
                json!(null),
            )
            .await;
        assert_eq!(
            (reply.status.as_u16(), reply.code()),
            (status, code),
            "{handle}: {}",
            reply.text
        );
    }
    assert_eq!(
        app.put("/api/v1/me/channel/moderators/helper", None, json!(null))
            .await
            .status,
        401
    );
    let appointed = app
        .put(
            "/api/v1/me/channel/moderators/Helper",
            owner.auth(),
            json!(null),
        )
        .await;
    assert_eq!(appointed.status, 200, "{}", appointed.text);
    assert_eq!(appointed.body["userId"], moderator.user_id.as_str());
    assert_eq!(appointed.body["handle"], "helper");
    let list = app.get("/api/v1/me/channel/moderators", owner.auth()).await;
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    assert_eq!(list.body[0]["nickname"], "Helper");

    let token = app
        .post("/api/v1/channels/owner/chat-token", moderator.auth(), None)
        .await;
    assert_eq!(token.body["role"], "moderator");
    assert_eq!(
        token.body["capabilities"],
        json!(["SEND_MESSAGE", "DELETE_MESSAGE", "DISCONNECT_USER"])
    );

    // The moderator times the viewer out; the viewer's token says until when.
    let timeout = app
        .put(
            &format!("/api/v1/channels/owner/timeouts/{}", viewer.user_id),
            moderator.auth(),
            json!({"durationMinutes": 10, "reason": "도배"}),
        )
        .await;
    assert_eq!(timeout.status, 200, "{}", timeout.text);
    assert_eq!(timeout.body["timeout"], true);
    let viewer_token = app
        .post("/api/v1/channels/owner/chat-token", viewer.auth(), None)
        .await;
    assert_eq!(viewer_token.status, 200, "a timeout is no ban");
    assert_eq!(
        viewer_token.body["timedOutUntil"],
        timeout.body["expiresAt"]
    );
    assert_eq!(viewer_token.body["sendAfter"], timeout.body["expiresAt"]);
    assert_eq!(
        review(&app, &owner, &viewer.user_id, "hi").await,
        Verdict::Deny(DenyReason::TimedOut)
    );

    // What a moderator may not do, and what a viewer may not do.
    for (who, path, body, status, code) in [
        (
            &moderator,
            format!("/api/v1/channels/owner/timeouts/{}", owner.user_id),
            json!({"durationMinutes": 5}),
            403,
            "forbidden",
        ),
        (
            &moderator,
            format!("/api/v1/channels/owner/bans/{}", owner.user_id),
            json!({}),
            403,
            "forbidden",
        ),
        (
            &moderator,
            format!("/api/v1/channels/owner/timeouts/{}", moderator.user_id),
            json!({"durationMinutes": 5}),
            409,
            "invalid_target",
        ),
        (
            &viewer,
            format!("/api/v1/channels/owner/timeouts/{}", moderator.user_id),
            json!({"durationMinutes": 5}),
            403,
            "forbidden",
        ),
        (
            &moderator,
            format!("/api/v1/channels/owner/timeouts/{}", viewer.user_id),
            json!({"durationMinutes": 0}),
            400,
            "invalid_duration",
        ),
        (
            &moderator,
            format!("/api/v1/channels/owner/timeouts/{}", viewer.user_id),
            json!({"durationMinutes": 1441}),
            400,
            "invalid_duration",
        ),
        (
            &moderator,
            format!("/api/v1/channels/owner/timeouts/{}", viewer.user_id),
            json!({"reason": "no duration"}),
            400,
            "invalid_json",
        ),
        (
            &moderator,
            format!("/api/v1/channels/nobody_here/timeouts/{}", viewer.user_id),
            json!({"durationMinutes": 5}),
            404,
            "not_found",
        ),
    ] {
        let reply = app.put(&path, who.auth(), body.clone()).await;
        assert_eq!(
            (reply.status.as_u16(), reply.code()),
            (status, code),
            "{path} {body}: {}",
            reply.text
        );
    }
    for path in [
        "/api/v1/channels/owner/bans",
        "/api/v1/channels/owner/moderation-log",
    ] {
        assert_eq!(app.get(path, viewer.auth()).await.status, 403, "{path}");
        assert_eq!(app.get(path, None).await.status, 401, "{path}");
        assert_eq!(app.get(path, moderator.auth()).await.status, 200, "{path}");
    }

    // The log, newest first, paged.
    let log = app
        .get(
            "/api/v1/channels/owner/moderation-log?limit=1",
            owner.auth(),
        )
        .await;
    assert_eq!(log.status, 200, "{}", log.text);
    assert_eq!(log.body["items"][0]["action"], "timeout");
    assert_eq!(log.body["items"][0]["actorNickname"], "Helper");
    assert_eq!(log.body["items"][0]["targetNickname"], "Viewer");
    assert_eq!(log.body["items"][0]["reason"], "도배");
    let next = log.body["next"].as_str().unwrap().to_owned();
    let older = app
        .get(
            &format!("/api/v1/channels/owner/moderation-log?cursor={next}"),
            owner.auth(),
        )
        .await;
    assert_eq!(older.body["items"][0]["action"], "add_moderator");
    assert!(older.body["next"].is_null());
    let bad = app
        .get(
            "/api/v1/channels/owner/moderation-log?cursor=1:%00",
            owner.auth(),
        )
        .await;
    assert_eq!(bad.status, 400);

    // The moderator lifts the timeout; removed, they run nothing any more.
    assert_eq!(
        app.delete(
            &format!("/api/v1/channels/owner/bans/{}", viewer.user_id),
            moderator.auth()
        )
        .await
        .status,
        204
    );
    assert_eq!(
        app.delete("/api/v1/me/channel/moderators/helper", owner.auth())
            .await
            .status,
        204
    );
    assert_eq!(
        app.get("/api/v1/channels/owner/bans", moderator.auth())
            .await
            .status,
        403
    );
    assert_eq!(
        app.delete("/api/v1/me/channel/moderators/helper", owner.auth())
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn slow_mode_and_account_age_are_saved_checked_and_enforced() {
    let app = spawn_app().await;
    let owner = app.user("o@example.com", "owner", "Owner").await;
    let viewer = app.user("v@example.com", "viewer", "Viewer").await;
    let rules = |slow: Value, age: Value| {
        json!({"maxMessageLength": 500, "maxMessagesPerSecond": 10, "filteredWords": [],
            "filterMode": "BLOCK", "slowModeSeconds": slow, "minAccountAgeMinutes": age})
    };
    for (slow, age) in [
        (json!(601), json!(0)),
        (json!(-1), json!(0)),
        (json!(0), json!(43_201)),
        (json!(1.5), json!(0)),
    ] {
        let reply = app
            .put(
                "/api/v1/me/channel/chat-rules",
                owner.auth(),
                rules(slow.clone(), age.clone()),
            )
            .await;
        assert_eq!(reply.status, 400, "{slow} {age}: {}", reply.text);
    }
    let saved = app
        .put(
            "/api/v1/me/channel/chat-rules",
            owner.auth(),
            rules(json!(30), json!(0)),
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(saved.body["slowModeSeconds"], 30);
    let token = app
        .post("/api/v1/channels/owner/chat-token", viewer.auth(), None)
        .await;
    assert_eq!(token.body["slowModeSeconds"], 30);
    assert!(matches!(
        review(&app, &owner, &viewer.user_id, "one").await,
        Verdict::Allow(_)
    ));
    assert_eq!(
        review(&app, &owner, &viewer.user_id, "two").await,
        Verdict::Deny(DenyReason::SlowMode)
    );
    assert!(
        matches!(
            review(&app, &owner, &owner.user_id, "owner").await,
            Verdict::Allow(_)
        ),
        "the owner is not slowed"
    );

    // Every account here is seconds old: an hour's age keeps the viewer from sending.
    app.put(
        "/api/v1/me/channel/chat-rules",
        owner.auth(),
        rules(json!(0), json!(60)),
    )
    .await;
    let token = app
        .post("/api/v1/channels/owner/chat-token", viewer.auth(), None)
        .await;
    assert!(token.body["sendAfter"].is_string(), "{}", token.text);
    assert!(token.body["timedOutUntil"].is_null());
    assert_eq!(
        review(&app, &owner, &viewer.user_id, "hello").await,
        Verdict::Deny(DenyReason::AccountTooNew)
    );
    // A client that sends neither (the rules are replaced as a whole) turns both off.
    let old_client = app
        .put(
            "/api/v1/me/channel/chat-rules",
            owner.auth(),
            json!({"maxMessageLength": 500, "maxMessagesPerSecond": 10, "filteredWords": [], "filterMode": "BLOCK"}),
        )
        .await;
    assert_eq!(old_client.status, 200);
    assert_eq!(old_client.body["minAccountAgeMinutes"], 0);
    assert!(matches!(
        review(&app, &owner, &viewer.user_id, "hello").await,
        Verdict::Allow(_)
    ));
}
