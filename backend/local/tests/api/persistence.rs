//! A restart keeps users, channels, keys, bans and history.

use std::collections::BTreeMap;

use cloumer_domain::ids::{MessageId, UserId};
use cloumer_domain::use_cases::message_review::{ReviewInput, Verdict};
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, start_on};

#[tokio::test]
async fn a_restart_keeps_users_channels_keys_bans_and_history() {
    let data = tempfile::tempdir().unwrap();
    let app = TestApp {
        stack: start_on(data.path()).await,
        client: reqwest::Client::new(),
        _data: None,
    };
    let owner = app.user("keep@example.com", "keeper", "Keeper").await;
    let troll = app.user("gone@example.com", "gone", "Gone").await;
    app.patch(
        "/api/v1/me/channel",
        owner.auth(),
        json!({"title": "still here"}),
    )
    .await;
    let key = app
        .get("/api/v1/me/channel/stream-key", owner.auth())
        .await
        .body["streamKey"]
        .clone();
    app.put(
        &format!("/api/v1/me/channel/bans/{}", troll.user_id),
        owner.auth(),
        json!({}),
    )
    .await;
    let channel = app
        .stack
        .platform()
        .channel_page("keeper", None)
        .await
        .unwrap()
        .channel;
    let platform = app.stack.platform();
    let verdict = platform
        .review_message(ReviewInput {
            room_arn: channel.chat_room.unwrap().arn,
            message_id: MessageId::generate(),
            sender: UserId::parse("someone").unwrap(),
            sender_attributes: BTreeMap::new(),
            content: "remember me".into(),
            attributes: BTreeMap::new(),
            sent_at: platform.now(),
        })
        .await
        .unwrap();
    let Verdict::Allow(message) = verdict else {
        panic!("allowed: {verdict:?}");
    };
    platform.keep_messages(&[message]).await.unwrap();
    app.stack.shutdown().await.unwrap();

    let app = TestApp {
        stack: start_on(data.path()).await,
        client: reqwest::Client::new(),
        _data: None,
    };
    // The user can sign in again with the same password; their channel and settings are there.
    let signed_in = app.sign_in("keep@example.com", PASSWORD).await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text);
    let token = signed_in.body["AuthenticationResult"]["IdToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.body["userId"], owner.user_id.as_str());
    assert_eq!(me.body["handle"], "keeper");
    assert_eq!(
        app.get("/api/v1/channels/keeper", None).await.body["title"],
        "still here"
    );
    assert_eq!(
        app.get("/api/v1/me/channel/stream-key", Some(&token))
            .await
            .body["streamKey"],
        key
    );
    assert_eq!(
        app.get("/api/v1/me/channel/bans", Some(&token)).await.body[0]["userId"],
        troll.user_id.as_str()
    );
    let history = app.get("/api/v1/channels/keeper/chat/messages", None).await;
    assert_eq!(history.body["items"][0]["content"], "remember me");
    app.stack.shutdown().await.unwrap();
}
