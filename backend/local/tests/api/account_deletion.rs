//! Deleting an account over HTTP, as the app does it: DELETE /api/v1/me with a fresh sign-in's
//! token, then Cognito `DeleteUser` with its access token.

use serde_json::json;

use crate::helpers::{PASSWORD, channel_of, spawn_app};

#[tokio::test]
async fn a_user_deletes_their_account_and_its_tokens_bring_nothing_back() {
    let app = spawn_app().await;
    let star = app.user("star@example.com", "star", "Star").await;
    let fan = app.user("fan@example.com", "fan", "Fan").await;
    let followed = app
        .put("/api/v1/channels/star/follow", fan.auth(), json!(null))
        .await;
    assert_eq!(followed.status, 200, "{}", followed.text);
    let key = app.get("/api/v1/me/channel/stream-key", star.auth()).await;
    let key = key.body["streamKey"].as_str().unwrap().to_owned();
    let channel = channel_of(&app, &star).await;
    assert_eq!(
        app.stack.video().channel_for_key(&key).unwrap(),
        Some(channel.id.clone())
    );

    // Without a token: 401, and nothing happens.
    let anonymous = app.delete("/api/v1/me", None).await;
    assert_eq!(anonymous.status, 401, "{}", anonymous.text);
    assert_eq!(app.get("/api/v1/channels/star", None).await.status, 200);

    let deleted = app.delete("/api/v1/me", star.auth()).await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    assert_eq!(app.get("/api/v1/channels/star", None).await.status, 404);
    assert_eq!(app.stack.video().channel_for_key(&key).unwrap(), None);
    let free = app.get("/api/v1/handles/star", None).await;
    assert_eq!(free.body["available"], json!(true), "{}", free.text);
    let following = app.get("/api/v1/me/following", fan.auth()).await;
    assert_eq!(following.status, 200, "{}", following.text);
    assert!(
        !following.text.contains(channel.id.as_str()),
        "{}",
        following.text
    );
    let fan_page = app.get("/api/v1/me", fan.auth()).await;
    assert_eq!(fan_page.status, 200, "{}", fan_page.text);

    // The old ID token, still valid for a while, brings nothing back; it is told the account
    // was deleted, so that a client can finish deleting the sign-in.
    for _ in 0..2 {
        let me = app.get("/api/v1/me", star.auth()).await;
        assert_eq!(me.status, 401, "{}", me.text);
        assert_eq!(me.body["code"], "account_deleted", "{}", me.text);
    }
    assert_eq!(app.get("/api/v1/channels/star", None).await.status, 404);
    // Asking again is harmless.
    let again = app.delete("/api/v1/me", star.auth()).await;
    assert_eq!(again.status, 204, "{}", again.text);

    // Then the sign-in itself goes: the password and the refresh token stop working.
    let gone = app
        .cognito("DeleteUser", json!({"AccessToken": star.access_token}))
        .await;
    assert_eq!(gone.status, 200, "{}", gone.text);
    let sign_in = app.sign_in("star@example.com", PASSWORD).await;
    assert_eq!(sign_in.status, 400, "{}", sign_in.text);
    let refresh = app
        .cognito(
            "InitiateAuth",
            json!({
                "AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": app.client_id(),
                "AuthParameters": {"REFRESH_TOKEN": star.refresh_token}
            }),
        )
        .await;
    assert_eq!(refresh.status, 400, "{}", refresh.text);
    let twice = app
        .cognito("DeleteUser", json!({"AccessToken": star.access_token}))
        .await;
    assert_eq!(
        twice.body["__type"], "NotAuthorizedException",
        "{}",
        twice.text
    );

    // The address may sign up again: a new user, who may take the handle back.
    let reborn = app.user("star@example.com", "star", "Star").await;
    assert_ne!(reborn.user_id, star.user_id);
    assert_eq!(reborn.handle, "star");
    let page = app.get("/api/v1/channels/star", None).await;
    assert_eq!(page.body["followers"], json!(0), "{}", page.text);
}
