//! Block lists over HTTP: a viewer blocks someone from their chat line's user id, the chat token
//! carries the list, the list names them as they go by now, and every bad request is refused
//! with a JSON error.

use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_viewer_blocks_someone_their_chat_token_carries_it_and_they_unblock_from_the_list() {
    let app = spawn_app().await;
    app.user("sol@example.com", "sol", "Sol").await;
    let mina = app.user("mina@example.com", "mina", "미나").await;
    let troll = app.user("troll@example.com", "troll", "Troll").await;
    let me = Some(mina.token.as_str());
    let path = format!("/api/v1/me/blocks/{}", troll.user_id);

    let blocked = app.put(&path, me, json!(null)).await;
    assert_eq!(blocked.status, 204, "{}", blocked.text);
    let again = app.put(&path, me, json!(null)).await;
    assert_eq!(again.status, 204, "{}", again.text);

    let token = app.post("/api/v1/channels/sol/chat-token", me, None).await;
    assert_eq!(token.status, 200, "{}", token.text);
    assert_eq!(token.body["blocked"], json!([troll.user_id]));
    let theirs = app
        .post(
            "/api/v1/channels/sol/chat-token",
            Some(troll.token.as_str()),
            None,
        )
        .await;
    assert_eq!(theirs.body["blocked"], json!([]), "{}", theirs.text);
    assert!(
        theirs.body["capabilities"]
            .as_array()
            .unwrap()
            .contains(&json!("SEND_MESSAGE")),
        "the blocked person is not told and still chats"
    );

    let list = app.get("/api/v1/me/blocks", me).await;
    assert_eq!(list.status, 200, "{}", list.text);
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", list.text);
    assert_eq!(items[0]["userId"], troll.user_id);
    assert_eq!(items[0]["handle"], "troll");
    assert_eq!(items[0]["nickname"], "Troll");
    assert!(items[0]["avatar"].as_str().unwrap().starts_with("preset:"));
    assert!(items[0]["blockedAt"].is_string());

    let unblocked = app.delete(&path, me).await;
    assert_eq!(unblocked.status, 204, "{}", unblocked.text);
    let list = app.get("/api/v1/me/blocks", me).await;
    assert_eq!(list.body, json!({"items": []}));
    let token = app.post("/api/v1/channels/sol/chat-token", me, None).await;
    assert_eq!(token.body["blocked"], json!([]));
}

#[tokio::test]
async fn bad_block_requests_get_a_json_error_and_change_nothing() {
    let app = spawn_app().await;
    let mina = app.user("mina@example.com", "mina", "Mina").await;
    let troll = app.user("troll@example.com", "troll", "Troll").await;
    let me = Some(mina.token.as_str());

    let signed_out = app
        .put(
            &format!("/api/v1/me/blocks/{}", troll.user_id),
            None,
            json!(null),
        )
        .await;
    assert_eq!(signed_out.status, 401, "{}", signed_out.text);
    assert_eq!(app.get("/api/v1/me/blocks", None).await.status, 401);

    let own = app
        .put(
            &format!("/api/v1/me/blocks/{}", mina.user_id),
            me,
            json!(null),
        )
        .await;
    assert_eq!(own.status, 409, "{}", own.text);
    assert_eq!(own.body["code"], "own_account", "{}", own.text);

    let stranger = app
        .put("/api/v1/me/blocks/no-such-user", me, json!(null))
        .await;
    assert_eq!(stranger.status, 404, "{}", stranger.text);
    assert!(stranger.body["message"].is_string(), "{}", stranger.text);

    for bad in ["a%20b", "..%2F..%2Fetc", &"x".repeat(129)] {
        let refused = app
            .put(&format!("/api/v1/me/blocks/{bad}"), me, json!(null))
            .await;
        assert_eq!(refused.status, 400, "{bad}: {}", refused.text);
        assert!(refused.body["code"].is_string(), "{bad}: {}", refused.text);
    }
    let list = app.get("/api/v1/me/blocks", me).await;
    assert_eq!(list.body, json!({"items": []}), "nothing was written");
}
