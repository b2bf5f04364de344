//! Reports over HTTP: a viewer reports a channel, the staff the stack was started with see it
//! in their queue and settle it; nobody else reads the queue, and bad input is refused.

use serde_json::{Value, json};

use crate::helpers::spawn_app_with;

fn claims(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[tokio::test]
async fn a_viewer_reports_a_channel_and_staff_settle_it_from_their_queue() {
    let app = spawn_app_with(|config| config.staff = vec!["Sam@Example.com".to_owned()]).await;
    let streamer = app.user("hana@example.com", "hana", "Hana").await;
    let viewer = app.user("oli@example.com", "oli", "Oli").await;
    let staff = app.user("sam@example.com", "sam", "Sam").await;

    // The group is in the staff's tokens, as Cognito puts it, and in nobody else's.
    assert_eq!(claims(&staff.token)["cognito:groups"], json!(["staff"]));
    assert_eq!(
        claims(&staff.access_token)["cognito:groups"],
        json!(["staff"])
    );
    assert_eq!(claims(&viewer.token).get("cognito:groups"), None);
    let me = app.get("/api/v1/me", staff.auth()).await;
    assert_eq!(me.body["staff"], json!(true));
    let me = app.get("/api/v1/me", viewer.auth()).await;
    assert_eq!(me.body["staff"], json!(false));

    let report = json!({"kind": "channel", "id": "hana", "reason": "hate",
        "details": "slurs in the title\nsince 9 pm"});
    let filed = app
        .post("/api/v1/reports", viewer.auth(), Some(report.clone()))
        .await;
    assert_eq!(filed.status, 201, "{}", filed.text);
    assert_eq!(filed.body["alreadyReported"], json!(false));
    let again = app
        .post("/api/v1/reports", viewer.auth(), Some(report.clone()))
        .await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.body["alreadyReported"], json!(true));
    let own = json!({"kind": "channel", "id": "hana", "reason": "spam"});
    let refused = app
        .post("/api/v1/reports", streamer.auth(), Some(own))
        .await;
    assert_eq!(
        (refused.status.as_u16(), refused.code()),
        (409, "own_content")
    );
    assert_eq!(
        app.post("/api/v1/reports", None, Some(report)).await.status,
        401
    );

    // Only staff read the queue.
    assert_eq!(app.get("/api/v1/reports", viewer.auth()).await.status, 403);
    assert_eq!(app.get("/api/v1/reports", None).await.status, 401);
    let queue = app.get("/api/v1/reports", staff.auth()).await;
    assert_eq!(queue.status, 200, "{}", queue.text);
    let items = queue.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", queue.text);
    let item = &items[0];
    assert_eq!(item["kind"], "channel");
    assert_eq!(item["reason"], "hate");
    assert_eq!(item["details"], "slurs in the title since 9 pm");
    assert_eq!(item["channelHandle"], "hana");
    assert_eq!(item["channelNickname"], "Hana");
    assert_eq!(item["reporterHandle"], "oli");
    assert_eq!(queue.body["next"], json!(null));
    let id = item["id"].as_str().unwrap();

    // Settling: not by a viewer, not "remove" for a channel, then dismissed once.
    let path = format!("/api/v1/reports/{id}/settle");
    let dismiss = json!({"decision": "dismiss"});
    let refused = app.post(&path, viewer.auth(), Some(dismiss.clone())).await;
    assert_eq!(refused.status, 403);
    let refused = app
        .post(&path, staff.auth(), Some(json!({"decision": "remove"})))
        .await;
    assert_eq!(
        (refused.status.as_u16(), refused.code()),
        (400, "cannot_remove_channel")
    );
    let settled = app.post(&path, staff.auth(), Some(dismiss.clone())).await;
    assert_eq!(settled.status, 200, "{}", settled.text);
    assert_eq!(settled.body, json!({"decision": "dismiss", "reports": 1}));
    let again = app.post(&path, staff.auth(), Some(dismiss)).await;
    assert_eq!(
        (again.status.as_u16(), again.code()),
        (409, "already_settled")
    );
    let queue = app.get("/api/v1/reports", staff.auth()).await;
    assert_eq!(queue.body["items"], json!([]));
}

#[tokio::test]
async fn bad_reports_are_refused_with_what_is_wrong_and_file_nothing() {
    let app = spawn_app_with(|config| config.staff = vec!["sam@example.com".to_owned()]).await;
    app.user("hana@example.com", "hana", "Hana").await;
    let viewer = app.user("oli@example.com", "oli", "Oli").await;
    let staff = app.user("sam@example.com", "sam", "Sam").await;
    for (body, status) in [
        (
            json!({"kind": "channel", "id": "hana", "reason": "bad vibes"}),
            400,
        ),
        (json!({"kind": "user", "id": "hana", "reason": "spam"}), 400),
        (json!({"kind": "channel", "id": "hana"}), 400),
        (
            json!({"kind": "channel", "id": "hana", "reason": "spam", "extra": 1}),
            400,
        ),
        (
            json!({"kind": "channel", "id": "hana", "reason": "spam", "details": "x".repeat(1001)}),
            400,
        ),
        (
            json!({"kind": "channel", "id": "hana", "reason": "spam", "details": "a\u{0}b"}),
            400,
        ),
        (
            json!({"kind": "channel", "id": "nobody", "reason": "spam"}),
            404,
        ),
        // Not an id of its kind: it names nothing (the schema has one pattern for every kind).
        (
            json!({"kind": "clip", "id": "../../etc/passwd", "reason": "spam"}),
            404,
        ),
        (
            json!({"kind": "clip", "id": "8b75e268-f6f1-439b-8361-817dfc0dda7b", "reason": "spam"}),
            404,
        ),
        (
            json!({"kind": "video", "id": "vdnothing", "reason": "spam"}),
            404,
        ),
        (
            json!({"kind": "recording", "id": "nothing", "reason": "spam"}),
            404,
        ),
        (json!([1, 2]), 400),
    ] {
        let reply = app
            .post("/api/v1/reports", viewer.auth(), Some(body.clone()))
            .await;
        assert_eq!(reply.status.as_u16(), status, "{body}: {}", reply.text);
        assert!(reply.body["message"].is_string(), "{body}: {}", reply.text);
    }
    for path in [
        "/api/v1/reports/rpAAAAAAAAAAAAAAAA/settle",
        "/api/v1/reports/x%2F..%2Fy/settle",
    ] {
        let reply = app
            .post(path, staff.auth(), Some(json!({"decision": "dismiss"})))
            .await;
        assert!(
            [400, 404].contains(&reply.status.as_u16()),
            "{path}: {}",
            reply.text
        );
    }
    let reply = app
        .get("/api/v1/reports?cursor=nonsense", staff.auth())
        .await;
    assert_eq!(
        (reply.status.as_u16(), reply.code()),
        (400, "invalid_cursor")
    );
    let queue = app.get("/api/v1/reports", staff.auth()).await;
    assert_eq!(queue.body["items"], json!([]), "nothing refused was filed");
}

#[tokio::test]
async fn staff_suspend_a_reported_channel_and_lift_it_and_only_staff_may() {
    let app = spawn_app_with(|config| config.staff = vec!["sam@example.com".to_owned()]).await;
    let streamer = app.user("hana@example.com", "hana", "Hana").await;
    let viewer = app.user("oli@example.com", "oli", "Oli").await;
    let staff = app.user("sam@example.com", "sam", "Sam").await;
    let report = json!({"kind": "channel", "id": "hana", "reason": "violence"});
    let filed = app
        .post("/api/v1/reports", viewer.auth(), Some(report))
        .await;
    assert_eq!(filed.status, 201, "{}", filed.text);
    let id = filed.body["id"].as_str().unwrap();
    let key = app
        .get("/api/v1/me/channel/stream-key", streamer.auth())
        .await;
    assert_eq!(key.status, 200, "{}", key.text);

    let path = format!("/api/v1/reports/{id}/settle");
    let suspend = json!({"decision": "suspend"});
    assert_eq!(
        app.post(&path, viewer.auth(), Some(suspend.clone()))
            .await
            .status,
        403
    );
    let settled = app.post(&path, staff.auth(), Some(suspend)).await;
    assert_eq!(settled.status, 200, "{}", settled.text);
    assert_eq!(settled.body["decision"], "suspend");

    let page = app.get("/api/v1/channels/hana", viewer.auth()).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert_eq!(page.body["suspended"], json!(true));
    assert_eq!(page.body["canWatch"], json!(false));
    assert_eq!(page.body["playbackUrl"], json!(null));
    let token = app
        .post("/api/v1/channels/hana/chat-token", viewer.auth(), None)
        .await;
    assert_eq!(token.status, 403, "{}", token.text);
    let key = app
        .get("/api/v1/me/channel/stream-key", streamer.auth())
        .await;
    assert_eq!(key.status, 403, "{}", key.text);
    let directory = app.get("/api/v1/directory", None).await;
    assert!(!directory.text.contains("\"hana\""), "{}", directory.text);
    let mine = app.get("/api/v1/me/channel", streamer.auth()).await;
    assert_eq!(
        mine.body["suspended"],
        json!(true),
        "the owner's dashboard says so"
    );
    // And why, to its owner only; the owner's and the reporter's bells say what was decided.
    assert_eq!(mine.body["suspendedFor"], json!("violence"));
    assert!(mine.body["suspendedSince"].is_string(), "{}", mine.text);
    assert!(!page.text.contains("violence"), "{}", page.text);
    let bell = app.get("/api/v1/me/notifications", streamer.auth()).await;
    assert_eq!(bell.status, 200, "{}", bell.text);
    assert_eq!(bell.body["unread"], json!(1));
    let told = &bell.body["items"][0];
    assert_eq!(
        (&told["kind"], &told["ground"], &told["channelHandle"]),
        (&json!("SUSPENDED"), &json!("violence"), &json!("hana"))
    );
    let bell = app.get("/api/v1/me/notifications", viewer.auth()).await;
    let told = &bell.body["items"][0];
    assert_eq!(
        (&told["kind"], &told["about"], &told["decision"]),
        (
            &json!("REPORT_REVIEWED"),
            &json!("channel"),
            &json!("suspend")
        )
    );
    assert_eq!(told["ground"], json!(null), "{}", bell.text);
    let bell = app.get("/api/v1/me/notifications", staff.auth()).await;
    assert_eq!(bell.body["items"], json!([]));

    // Lifting: staff only, then all is back.
    let lift = "/api/v1/channels/hana/suspension";
    assert_eq!(app.delete(lift, streamer.auth()).await.status, 403);
    assert_eq!(app.delete(lift, staff.auth()).await.status, 204);
    let page = app.get("/api/v1/channels/hana", viewer.auth()).await;
    assert_eq!(page.body["suspended"], json!(false));
    let token = app
        .post("/api/v1/channels/hana/chat-token", viewer.auth(), None)
        .await;
    assert_eq!(token.status, 200, "{}", token.text);
    let key = app
        .get("/api/v1/me/channel/stream-key", streamer.auth())
        .await;
    assert_eq!(key.status, 200, "{}", key.text);
    let directory = app.get("/api/v1/directory", None).await;
    assert!(directory.text.contains("\"hana\""), "{}", directory.text);
    let mine = app.get("/api/v1/me/channel", streamer.auth()).await;
    assert_eq!(mine.body["suspendedFor"], json!(null), "{}", mine.text);
    let bell = app.get("/api/v1/me/notifications", streamer.auth()).await;
    assert_eq!(bell.body["items"][0]["kind"], json!("SUSPENSION_LIFTED"));
    assert_eq!(bell.body["items"][1]["kind"], json!("SUSPENDED"));
}

#[tokio::test]
async fn a_suspension_for_days_says_until_when_and_other_lengths_are_refused() {
    use time::format_description::well_known::Rfc3339;
    let app = spawn_app_with(|config| config.staff = vec!["sam@example.com".to_owned()]).await;
    let streamer = app.user("hana@example.com", "hana", "Hana").await;
    let viewer = app.user("oli@example.com", "oli", "Oli").await;
    let staff = app.user("sam@example.com", "sam", "Sam").await;
    let report = json!({"kind": "channel", "id": "hana", "reason": "spam"});
    let filed = app
        .post("/api/v1/reports", viewer.auth(), Some(report))
        .await;
    assert_eq!(filed.status, 201, "{}", filed.text);
    let path = format!(
        "/api/v1/reports/{}/settle",
        filed.body["id"].as_str().unwrap()
    );

    // Out of range, not a number, or with a decision that has no length: a 400 that settles
    // nothing.
    for (body, code) in [
        (
            json!({"decision": "suspend", "suspendDays": 0}),
            "invalid_days",
        ),
        (
            json!({"decision": "suspend", "suspendDays": 366}),
            "invalid_days",
        ),
        (
            json!({"decision": "dismiss", "suspendDays": 3}),
            "invalid_days",
        ),
        (
            json!({"decision": "suspend", "suspendDays": -1}),
            "invalid_json",
        ),
        (
            json!({"decision": "suspend", "suspendDays": "7"}),
            "invalid_json",
        ),
        (
            json!({"decision": "suspend", "suspendDays": 4_294_967_296_u64}),
            "invalid_json",
        ),
    ] {
        let refused = app.post(&path, staff.auth(), Some(body.clone())).await;
        assert_eq!(
            (refused.status.as_u16(), refused.code()),
            (400, code),
            "{body}: {}",
            refused.text
        );
    }
    let queue = app.get("/api/v1/reports", staff.auth()).await;
    assert_eq!(
        queue.body["items"].as_array().unwrap().len(),
        1,
        "{}",
        queue.text
    );
    assert_eq!(
        app.get("/api/v1/channels/hana", None).await.body["suspended"],
        json!(false)
    );

    let before = time::OffsetDateTime::now_utc();
    let settled = app
        .post(
            &path,
            staff.auth(),
            Some(json!({"decision": "suspend", "suspendDays": 7})),
        )
        .await;
    assert_eq!(settled.status, 200, "{}", settled.text);
    let after = time::OffsetDateTime::now_utc();
    let week = time::Duration::days(7);
    let ends_between = |at: &Value| {
        let at = time::OffsetDateTime::parse(at.as_str().unwrap(), &Rfc3339).unwrap();
        // RFC 3339 here is to the second.
        before + week - time::Duration::seconds(1) <= at && at <= after + week
    };
    // Its owner reads until when, on the dashboard and in the bell; viewers read only that it
    // is suspended.
    let mine = app.get("/api/v1/me/channel", streamer.auth()).await;
    assert_eq!(mine.body["suspended"], json!(true));
    assert!(ends_between(&mine.body["suspendedUntil"]), "{}", mine.text);
    let bell = app.get("/api/v1/me/notifications", streamer.auth()).await;
    assert_eq!(bell.body["items"][0]["kind"], json!("SUSPENDED"));
    assert!(
        ends_between(&bell.body["items"][0]["until"]),
        "{}",
        bell.text
    );
    let page = app.get("/api/v1/channels/hana", viewer.auth()).await;
    assert_eq!(page.body["suspended"], json!(true));
    assert_eq!(page.body.get("suspendedUntil"), None, "{}", page.text);
    let token = app
        .post("/api/v1/channels/hana/chat-token", viewer.auth(), None)
        .await;
    assert_eq!(token.status, 403, "{}", token.text);
}

#[tokio::test]
async fn a_suspended_streamer_appeals_once_and_staff_reinstate_them_from_the_queue() {
    let app = spawn_app_with(|config| config.staff = vec!["sam@example.com".to_owned()]).await;
    let streamer = app.user("hana@example.com", "hana", "Hana").await;
    let viewer = app.user("oli@example.com", "oli", "Oli").await;
    let staff = app.user("sam@example.com", "sam", "Sam").await;
    let appeal = "/api/v1/me/channel/suspension/appeal";
    let words = json!({"words": "It was a film trailer."});
    // Nothing to appeal yet.
    let refused = app.post(appeal, streamer.auth(), Some(words.clone())).await;
    assert_eq!(
        (refused.status.as_u16(), refused.code()),
        (409, "not_suspended")
    );
    assert_eq!(
        app.post(appeal, None, Some(words.clone())).await.status,
        401
    );

    let filed = app
        .post(
            "/api/v1/reports",
            viewer.auth(),
            Some(json!({"kind": "channel", "id": "hana", "reason": "violence"})),
        )
        .await;
    let id = filed.body["id"].as_str().unwrap();
    let settled = app
        .post(
            &format!("/api/v1/reports/{id}/settle"),
            staff.auth(),
            Some(json!({"decision": "suspend"})),
        )
        .await;
    assert_eq!(settled.status, 200, "{}", settled.text);

    // Bad appeals are refused with what is wrong, and use up nothing.
    for body in [
        json!({}),
        json!({"words": ""}),
        json!({"words": " \n "}),
        json!({"words": "x".repeat(1001)}),
        json!({"words": "a\u{202e}b"}),
        json!({"words": "ok", "extra": true}),
        json!({"words": 7}),
    ] {
        let refused = app.post(appeal, streamer.auth(), Some(body.clone())).await;
        assert_eq!(refused.status, 400, "{body}: {}", refused.text);
        assert!(refused.body["code"].is_string(), "{}", refused.text);
    }
    let filed = app.post(appeal, streamer.auth(), Some(words.clone())).await;
    assert_eq!(filed.status, 201, "{}", filed.text);
    let appealed_at = filed.body["appealedAt"].clone();
    let again = app.post(appeal, streamer.auth(), Some(words)).await;
    assert_eq!(
        (again.status.as_u16(), again.code()),
        (409, "already_appealed")
    );
    let mine = app.get("/api/v1/me/channel", streamer.auth()).await;
    assert_eq!(mine.body["appealedAt"], appealed_at);

    // In the staff's queue as an appeal, by the owner, for the suspension's reason.
    let queue = app.get("/api/v1/reports", staff.auth()).await;
    let item = &queue.body["items"][0];
    assert_eq!(
        (
            &item["appeal"],
            &item["kind"],
            &item["reporterHandle"],
            &item["reason"],
            &item["details"]
        ),
        (
            &json!(true),
            &json!("channel"),
            &json!("hana"),
            &json!("violence"),
            &json!("It was a film trailer.")
        ),
        "{}",
        queue.text
    );
    let path = format!("/api/v1/reports/{}/settle", item["id"].as_str().unwrap());
    let refused = app
        .post(&path, staff.auth(), Some(json!({"decision": "suspend"})))
        .await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    let refused = app
        .post(
            &path,
            streamer.auth(),
            Some(json!({"decision": "reinstate"})),
        )
        .await;
    assert_eq!(
        refused.status, 403,
        "the owner does not judge their own appeal"
    );
    let settled = app
        .post(&path, staff.auth(), Some(json!({"decision": "reinstate"})))
        .await;
    assert_eq!(settled.status, 200, "{}", settled.text);
    assert_eq!(settled.body, json!({"decision": "reinstate", "reports": 1}));

    let mine = app.get("/api/v1/me/channel", streamer.auth()).await;
    assert_eq!(mine.body["suspended"], json!(false));
    assert_eq!(mine.body["appealedAt"], json!(null));
    let bell = app.get("/api/v1/me/notifications", streamer.auth()).await;
    assert_eq!(bell.body["items"][0]["kind"], json!("SUSPENSION_LIFTED"));
    assert_eq!(bell.body["items"][0]["ground"], json!("violence"));
    let queue = app.get("/api/v1/reports", staff.auth()).await;
    assert_eq!(queue.body["items"], json!([]));
}
