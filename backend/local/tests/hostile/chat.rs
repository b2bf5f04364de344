//! The chat: who may speak, who may connect, and what one client can do to a room.

use std::time::Duration;

use futures_util::SinkExt;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

use crate::chat_client::{Chat, connect_with, join, token};
use crate::helpers::{TestApp, User, spawn_app};
use crate::streaming;

async fn room(app: &TestApp) -> (User, User, User) {
    let owner = app.user("owner@example.com", "room", "방장").await;
    let alice = app.user("alice@example.com", "alice", "Alice").await;
    let troll = app.user("troll@example.com", "troll", "Troll").await;
    (owner, alice, troll)
}

/// Every MESSAGE content `chat` receives within `window`.
async fn contents(chat: &mut Chat, window: Duration) -> Vec<String> {
    let mut seen = Vec::new();
    let until = tokio::time::Instant::now() + window;
    while let Ok(frame) = tokio::time::timeout_at(until, chat.next()).await {
        if frame["Type"] == "MESSAGE" {
            seen.push(frame["Content"].as_str().unwrap().to_owned());
        }
    }
    seen
}

/// Item 10: the room's rate budget was spent before the review: one viewer sending fast made
/// everyone else's messages fail with 429.
#[tokio::test]
async fn one_viewer_sending_fast_cannot_silence_the_room() {
    let app = spawn_app().await;
    let (owner, alice, troll) = room(&app).await;
    let rules = app
        .put(
            "/api/v1/me/channel/chat-rules",
            owner.auth(),
            json!({"maxMessageLength": 500, "maxMessagesPerSecond": 5, "filteredWords": [], "filterMode": "BLOCK"}),
        )
        .await;
    assert_eq!(rules.status, 200, "{}", rules.text);
    let mut flood = join(&app, "room", Some(&troll)).await;
    let mut boss = join(&app, "room", Some(&owner)).await;
    let mut viewer = join(&app, "room", Some(&alice)).await;
    let mut watcher = join(&app, "room", None).await;
    for second in 0..3 {
        for i in 0..18 {
            flood
                .say(&format!("f{second}-{i}"), &format!("flood {second}-{i}"))
                .await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        boss.say(&format!("o{second}"), &format!("owner {second}"))
            .await;
        viewer
            .say(&format!("a{second}"), &format!("alice {second}"))
            .await;
        tokio::time::sleep(Duration::from_millis(950)).await;
    }
    let seen = contents(&mut watcher, Duration::from_secs(2)).await;
    for expected in [
        "owner 0", "owner 1", "owner 2", "alice 0", "alice 1", "alice 2",
    ] {
        assert!(
            seen.iter().any(|c| c == expected),
            "{expected} missing: {seen:?}"
        );
    }
    let flooded = seen.iter().filter(|c| c.starts_with("flood")).count();
    assert!(flooded < 54, "the flood was limited: {flooded} got through");
}

/// Item 10: messages the review refuses cost the room nothing.
#[tokio::test]
async fn refused_messages_do_not_spend_the_rooms_budget() {
    let app = spawn_app().await;
    let (owner, alice, troll) = room(&app).await;
    let rules = app
        .put(
            "/api/v1/me/channel/chat-rules",
            owner.auth(),
            json!({"maxMessageLength": 500, "maxMessagesPerSecond": 3, "filteredWords": ["spam"], "filterMode": "BLOCK"}),
        )
        .await;
    assert_eq!(rules.status, 200, "{}", rules.text);
    let mut spammer = join(&app, "room", Some(&troll)).await;
    let mut viewer = join(&app, "room", Some(&alice)).await;
    let mut watcher = join(&app, "room", None).await;
    for i in 0..10 {
        spammer.say(&format!("s{i}"), "buy spam").await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    viewer.say("a1", "hello everyone").await;
    let seen = contents(&mut watcher, Duration::from_secs(2)).await;
    assert_eq!(seen, ["hello everyone"]);
}

/// A filtered word got through in disguise: look-alike letters from other alphabets, full-width
/// letters, an accent, an invisible character, digits for letters or the letters spaced out. Each
/// is refused with the protocol's error, and a room that masks gets the word masked.
#[tokio::test]
async fn a_filtered_word_in_disguise_does_not_reach_the_room() {
    let app = spawn_app().await;
    let (owner, alice, troll) = room(&app).await;
    let rules = app
        .put(
            "/api/v1/me/channel/chat-rules",
            owner.auth(),
            json!({"maxMessageLength": 500, "maxMessagesPerSecond": 20, "filteredWords": ["spam", "바보"], "filterMode": "BLOCK"}),
        )
        .await;
    assert_eq!(rules.status, 200, "{}", rules.text);
    let mut spammer = join(&app, "room", Some(&troll)).await;
    let mut viewer = join(&app, "room", Some(&alice)).await;
    let mut watcher = join(&app, "room", None).await;
    let disguises = [
        "buy ѕраm now",
        "buy ＳＰＡＭ now",
        "buy spåm now",
        "buy sp\u{200B}am now",
        "buy 5p4m now",
        "buy s p a m now",
        "buy spaaaam now",
        "너 바 보",
        "너 바\u{3164}보",
    ];
    for (i, disguised) in disguises.iter().enumerate() {
        let request = format!("d{i}");
        spammer.say(&request, disguised).await;
        let refused = loop {
            let frame = spammer.next().await;
            if frame["Type"] == "ERROR" {
                break frame;
            }
            assert_ne!(
                frame["Type"], "MESSAGE",
                "{disguised:?} was delivered: {frame}"
            );
        };
        assert_eq!(refused["RequestId"], request, "{refused}");
        assert_eq!(refused["ErrorCode"], 406, "{disguised:?}: {refused}");
    }
    viewer.say("a1", "is pam here?").await;
    assert_eq!(
        contents(&mut watcher, Duration::from_secs(2)).await,
        ["is pam here?"]
    );

    let masking = app
        .put(
            "/api/v1/me/channel/chat-rules",
            owner.auth(),
            json!({"maxMessageLength": 500, "maxMessagesPerSecond": 20, "filteredWords": ["spam"], "filterMode": "MASK"}),
        )
        .await;
    assert_eq!(masking.status, 200, "{}", masking.text);
    viewer.say("a2", "buy ѕраm and ＳＰＡＭ").await;
    assert_eq!(
        contents(&mut watcher, Duration::from_secs(2)).await,
        ["buy **** and ****"]
    );
    let history = app.get("/api/v1/channels/room/chat/messages", None).await;
    assert_eq!(
        history.body["items"][0]["content"], "buy **** and ****",
        "{}",
        history.text
    );
}

/// Item 11: a token minted before a ban still connected for up to a minute.
#[tokio::test]
async fn a_token_minted_before_a_ban_cannot_connect() {
    let app = spawn_app().await;
    let (owner, _alice, troll) = room(&app).await;
    let minted = token(&app, "room", Some(&troll)).await;
    let ban = app
        .put(
            &format!("/api/v1/me/channel/bans/{}", troll.user_id),
            owner.auth(),
            json!({"reason": "spam"}),
        )
        .await;
    assert_eq!(ban.status, 200, "{}", ban.text);
    let (ws, _) = connect_with(
        minted["endpoint"].as_str().unwrap(),
        minted["token"].as_str().unwrap(),
    )
    .await
    .unwrap();
    let mut banned = Chat {
        ws,
        user_id: troll.user_id.clone(),
    };
    let frame = banned.next().await;
    assert_eq!(frame["Type"], "ERROR");
    assert_eq!(frame["ErrorCode"], 403);
    // The connection ends; nothing sent on it reaches the room.
    let _ = banned
        .ws
        .send(Message::text(
            json!({"Action": "SEND_MESSAGE", "RequestId": "x", "Content": "still here?"})
                .to_string(),
        ))
        .await;
    banned.closed().await;
    let history = app.get("/api/v1/channels/room/chat/messages", None).await;
    assert_eq!(history.body["items"], json!([]), "{}", history.text);
}

/// Item 12: 1,000 anonymous tokens were minted in 1.4 s: nothing limited them.
#[tokio::test]
async fn anonymous_chat_tokens_are_rate_limited_per_client() {
    let app = spawn_app().await;
    room(&app).await;
    let mut limited = None;
    for i in 0..100 {
        let reply = app
            .post("/api/v1/channels/room/chat-token", None, None)
            .await;
        if reply.status == 429 {
            limited = Some((i, reply));
            break;
        }
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    let (after, reply) = limited.expect("anonymous tokens are rate limited");
    assert!(after >= 10, "a page reload or two is fine ({after})");
    assert_eq!(reply.code(), "rate_limited", "{}", reply.text);
    assert!(reply.body["message"].is_string());
}

/// Item 12: viewer counts came from chat connections: one client opening many inflated them.
/// They come from playback now; one client's chat connections and playlist loads count once.
#[tokio::test]
async fn one_client_cannot_inflate_the_viewer_count() {
    let app = streaming::spawn_app().await;
    let (_, key) = app.streamer("counted").await;
    let _ffmpeg = app.go_live("counted", &key, 40).await;
    let mut connections = Vec::new();
    for _ in 0..12 {
        let (status, minted) = app
            .json(
                reqwest::Method::POST,
                "/api/v1/channels/counted/chat-token",
                None,
                None,
            )
            .await;
        if status != 200 {
            break;
        }
        if let Ok((ws, _)) = connect_with(
            minted["endpoint"].as_str().unwrap(),
            minted["token"].as_str().unwrap(),
        )
        .await
        {
            connections.push(ws);
        }
    }
    assert!(connections.len() >= 2, "{} connections", connections.len());
    let (playback, _) = app.playback("counted").await;
    let mut loads = 0;
    for _ in 0..100 {
        if app.get(&playback).await.status() == 200 {
            loads += 1;
            if loads == 20 {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(loads, 20, "the channel's playlist loaded again and again");
    // Counts refresh every two seconds.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let viewers = app.channel("counted").await["viewerCount"]
        .as_u64()
        .unwrap();
    assert_eq!(viewers, 1, "one client, {} connections", connections.len());
}
