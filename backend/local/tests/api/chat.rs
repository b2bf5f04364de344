//! Chat tokens per role, private channels, and history paging with deletions.

use std::collections::BTreeMap;

use cloumer_domain::ids::{MessageId, UserId};
use cloumer_domain::use_cases::message_review::{ReviewInput, Verdict};
use serde_json::json;

use crate::helpers::{TestApp, spawn_app};

fn capabilities(reply: &crate::helpers::Reply) -> Vec<String> {
    reply.body["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn token_capabilities_come_from_the_callers_role() {
    let app = spawn_app().await;
    let owner = app.user("owner@example.com", "streamer", "Streamer").await;
    let viewer = app.user("viewer@example.com", "viewer", "Viewer").await;

    let anonymous = app
        .post("/api/v1/channels/streamer/chat-token", None, None)
        .await;
    assert_eq!(anonymous.status, 200, "{}", anonymous.text);
    assert!(capabilities(&anonymous).is_empty());
    assert_eq!(anonymous.body["role"], "anonymous");
    assert!(
        anonymous.body["userId"]
            .as_str()
            .unwrap()
            .starts_with("anon-")
    );
    assert!(
        anonymous.body["endpoint"]
            .as_str()
            .unwrap()
            .starts_with("ws://127.0.0.1:")
    );

    let signed_in = app
        .post("/api/v1/channels/streamer/chat-token", viewer.auth(), None)
        .await;
    assert_eq!(capabilities(&signed_in), ["SEND_MESSAGE"]);
    assert_eq!(signed_in.body["userId"], viewer.user_id.as_str());

    let mine = app
        .post("/api/v1/channels/streamer/chat-token", owner.auth(), None)
        .await;
    assert_eq!(
        capabilities(&mine),
        ["SEND_MESSAGE", "DELETE_MESSAGE", "DISCONNECT_USER"]
    );
    assert_eq!(mine.body["role"], "owner");

    // Capabilities are never taken from the request.
    let asked = app
        .post(
            "/api/v1/channels/streamer/chat-token",
            viewer.auth(),
            Some(json!({"capabilities": ["DELETE_MESSAGE", "DISCONNECT_USER"]})),
        )
        .await;
    assert_eq!(capabilities(&asked), ["SEND_MESSAGE"]);

    // The owner is a plain viewer in someone else's room.
    let elsewhere = app
        .post("/api/v1/channels/viewer/chat-token", owner.auth(), None)
        .await;
    assert_eq!(capabilities(&elsewhere), ["SEND_MESSAGE"]);

    let tokens: Vec<&str> = [&anonymous, &signed_in, &mine]
        .iter()
        .map(|r| r.body["token"].as_str().unwrap())
        .collect();
    assert!(tokens[0] != tokens[1] && tokens[1] != tokens[2]);
    assert_eq!(
        app.post("/api/v1/channels/nobody_here/chat-token", None, None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn a_banned_user_gets_no_token_until_the_ban_is_lifted() {
    let app = spawn_app().await;
    let owner = app.user("mod@example.com", "moderated", "Mod").await;
    let troll = app.user("troll@example.com", "troll", "Troll").await;
    let ban = app
        .put(
            &format!("/api/v1/me/channel/bans/{}", troll.user_id),
            owner.auth(),
            json!({"reason": "spam", "durationMinutes": 60}),
        )
        .await;
    assert_eq!(ban.status, 200, "{}", ban.text);
    assert_eq!(ban.body["nickname"], "Troll");
    let refused = app
        .post("/api/v1/channels/moderated/chat-token", troll.auth(), None)
        .await;
    assert_eq!((refused.status.as_u16(), refused.code()), (403, "banned"));
    assert!(refused.body["message"].as_str().unwrap().contains("until"));
    // Banned only there.
    assert_eq!(
        app.post("/api/v1/channels/troll/chat-token", troll.auth(), None)
            .await
            .status,
        200
    );

    let lifted = app
        .delete(
            &format!("/api/v1/me/channel/bans/{}", troll.user_id),
            owner.auth(),
        )
        .await;
    assert_eq!(lifted.status, 204);
    assert_eq!(
        app.post("/api/v1/channels/moderated/chat-token", troll.auth(), None)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn a_private_channel_is_watched_and_chatted_only_by_allowed_viewers() {
    let app = spawn_app().await;
    let owner = app.user("p@example.com", "secret_show", "Private").await;
    let friend = app.user("f@example.com", "friend", "Friend").await;
    let stranger = app.user("s@example.com", "stranger", "Stranger").await;
    app.patch("/api/v1/me/channel", owner.auth(), json!({"private": true}))
        .await;

    let page = app.get("/api/v1/channels/secret_show", None).await;
    assert_eq!(page.body["private"], true);
    assert_eq!(page.body["canWatch"], false);
    assert!(page.body["playbackUrl"].is_null());

    assert_eq!(
        app.post("/api/v1/channels/secret_show/playback", None, None)
            .await
            .status,
        401
    );
    assert_eq!(
        app.post(
            "/api/v1/channels/secret_show/playback",
            stranger.auth(),
            None
        )
        .await
        .status,
        403
    );
    assert_eq!(
        app.post(
            "/api/v1/channels/secret_show/chat-token",
            stranger.auth(),
            None
        )
        .await
        .status,
        403
    );
    assert_eq!(
        app.get("/api/v1/channels/secret_show/chat/messages", None)
            .await
            .status,
        403
    );

    let granted = app
        .put("/api/v1/me/channel/viewers/friend", owner.auth(), json!({}))
        .await;
    assert_eq!(granted.status, 200, "{}", granted.text);
    let listed = app.get("/api/v1/me/channel/viewers", owner.auth()).await;
    assert_eq!(listed.body[0]["handle"], "friend");
    let page = app.get("/api/v1/channels/secret_show", friend.auth()).await;
    assert_eq!(page.body["canWatch"], true);
    let playback = app
        .post("/api/v1/channels/secret_show/playback", friend.auth(), None)
        .await;
    assert_eq!(playback.status, 200, "{}", playback.text);
    let url = playback.body["url"].as_str().unwrap();
    let token = playback.body["token"].as_str().unwrap();
    assert!(url.ends_with(&format!("?token={token}")));
    // An ES384 JWT with IVS's header.
    let header: serde_json::Value = serde_json::from_slice(
        &base64::Engine::decode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            token.split('.').next().unwrap(),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(header, json!({"typ": "JWT", "alg": "ES384"}));
    assert_eq!(
        app.post(
            "/api/v1/channels/secret_show/chat-token",
            friend.auth(),
            None
        )
        .await
        .status,
        200
    );
    // The owner can always watch.
    assert_eq!(
        app.post("/api/v1/channels/secret_show/playback", owner.auth(), None)
            .await
            .status,
        200
    );

    assert_eq!(
        app.delete("/api/v1/me/channel/viewers/friend", owner.auth())
            .await
            .status,
        204
    );
    assert_eq!(
        app.post("/api/v1/channels/secret_show/playback", friend.auth(), None)
            .await
            .status,
        403
    );
    assert_eq!(
        app.delete("/api/v1/me/channel/viewers/friend", owner.auth())
            .await
            .status,
        404
    );

    // A public channel's playback needs no token.
    let public = app
        .post("/api/v1/channels/friend/playback", None, None)
        .await;
    assert!(public.body["token"].is_null());
    assert!(
        public.body["url"]
            .as_str()
            .unwrap()
            .ends_with("/index.m3u8")
    );
}

/// Delivers a message the way the chat server (or the cloud review hook) does: reviewed, kept.
async fn say(app: &TestApp, room: &str, sender: &str, text: &str) -> String {
    let id = MessageId::generate();
    let mut attributes = BTreeMap::new();
    attributes.insert("nickname".to_owned(), format!("{sender} nick"));
    let platform = app.stack.platform();
    let verdict = platform
        .review_message(ReviewInput {
            room_arn: room.to_owned(),
            message_id: id.clone(),
            sender: UserId::parse(sender).unwrap(),
            sender_attributes: attributes,
            content: text.to_owned(),
            attributes: BTreeMap::new(),
            sent_at: platform.now(),
        })
        .await
        .unwrap();
    let Verdict::Allow(message) = verdict else {
        panic!("allowed: {verdict:?}");
    };
    platform.keep_messages(&[message]).await.unwrap();
    id.to_string()
}

#[tokio::test]
async fn history_pages_backwards_and_deleted_messages_never_come_back() {
    let app = spawn_app().await;
    let owner = app.user("h@example.com", "history", "History").await;
    let viewer = app.user("v@example.com", "someone", "Someone").await;
    let room = cloumer_local::chat::Rooms::arn(
        &app.stack
            .platform()
            .my_channel(&identity(&owner))
            .await
            .unwrap()
            .channel
            .id,
    );
    let mut ids = Vec::new();
    // Seven viewers, one message each: one viewer sending seven at once would be rate limited.
    for i in 0..7 {
        let sender = format!("viewer-{i}");
        ids.push(say(&app, &room, &sender, &format!("message {i} 안녕")).await);
    }
    let page = app
        .get("/api/v1/channels/history/chat/messages?limit=3", None)
        .await;
    assert_eq!(page.status, 200, "{}", page.text);
    let contents: Vec<&str> = page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap())
        .collect();
    assert_eq!(
        contents,
        ["message 6 안녕", "message 5 안녕", "message 4 안녕"]
    );
    assert_eq!(page.body["items"][0]["sender"]["nickname"], "viewer-6 nick");

    // The viewer may not delete; the owner may.
    let refused = app
        .delete(
            &format!("/api/v1/me/channel/chat/messages/{}", ids[3]),
            viewer.auth(),
        )
        .await;
    assert_eq!(
        refused.status, 204,
        "deleting in one's own (empty) room is allowed but touches nothing"
    );
    let deleted = app
        .delete(
            &format!("/api/v1/me/channel/chat/messages/{}?reason=spam", ids[3]),
            owner.auth(),
        )
        .await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    let long_reason = "r".repeat(257);
    let bad = app
        .delete(
            &format!(
                "/api/v1/me/channel/chat/messages/{}?reason={long_reason}",
                ids[2]
            ),
            owner.auth(),
        )
        .await;
    assert_eq!((bad.status.as_u16(), bad.code()), (400, "invalid_reason"));

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/channels/history/chat/messages?limit=2&before={c}"),
            None => "/api/v1/channels/history/chat/messages?limit=2".to_owned(),
        };
        let page = app.get(&path, None).await;
        for item in page.body["items"].as_array().unwrap() {
            seen.push(item["id"].as_str().unwrap().to_owned());
        }
        match page.body["next"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let expected: Vec<String> = ids
        .iter()
        .rev()
        .filter(|id| *id != &ids[3])
        .cloned()
        .collect();
    assert_eq!(seen, expected);
    // The viewer's own room was untouched by their delete.
    assert_eq!(
        app.get("/api/v1/channels/someone/chat/messages", None)
            .await
            .body["items"],
        json!([])
    );
}

fn identity(user: &crate::helpers::User) -> cloumer_domain::Identity {
    cloumer_domain::Identity {
        user_id: UserId::parse(&user.user_id).unwrap(),
        username: user.user_id.clone(),
        preferred_handle: None,
        nickname: None,
        email: None,
        signed_in_at: None,
        staff: false,
    }
}

/// A recording of `owner`'s channel from `started` for `seconds`, as the recorder reports it.
async fn recorded(
    app: &TestApp,
    owner: &crate::helpers::User,
    id: &str,
    started: time::OffsetDateTime,
    seconds: i64,
) {
    use cloumer_domain::ids::{RecordingId, StreamId};
    use cloumer_domain::recording::{RecordingEvent, RecordingEventKind};
    let platform = app.stack.platform();
    let channel = platform.my_channel(&identity(owner)).await.unwrap().channel;
    for (kind, at) in [
        (RecordingEventKind::Started, 0),
        (RecordingEventKind::Ended, seconds),
    ] {
        let ended = kind == RecordingEventKind::Ended;
        platform
            .handle_recording_event(&RecordingEvent {
                channel_id: channel.id.clone(),
                recording_id: RecordingId::parse(id).unwrap(),
                stream_id: Some(StreamId::parse("st-replay").unwrap()),
                kind,
                at: started + time::Duration::seconds(at),
                duration_ms: ended.then_some(seconds as u64 * 1000),
                playlist_url: ended.then(|| format!("/recordings/{id}/index.m3u8")),
                thumbnail_url: None,
                live_thumbnail_url: None,
                private: None,
            })
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_past_broadcasts_chat_replays_in_order_from_any_moment_without_deleted_messages() {
    let app = spawn_app().await;
    let owner = app.user("r@example.com", "replayed", "Replayed").await;
    let platform = app.stack.platform();
    let channel = platform
        .my_channel(&identity(&owner))
        .await
        .unwrap()
        .channel;
    let room = cloumer_local::chat::Rooms::arn(&channel.id);
    // The broadcast began 10 s ago and lasts a minute; three viewers speak now.
    recorded(
        &app,
        &owner,
        "rec-chat",
        platform.now() - time::Duration::seconds(10),
        60,
    )
    .await;
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(
            say(
                &app,
                &room,
                &format!("viewer-{i}"),
                &format!("replay {i} 다시"),
            )
            .await,
        );
    }
    let deleted = app
        .delete(
            &format!("/api/v1/me/channel/chat/messages/{}?reason=spoiler", ids[1]),
            owner.auth(),
        )
        .await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);

    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let path = match &after {
            Some(cursor) => format!("/api/v1/recordings/rec-chat/chat?limit=1&after={cursor}"),
            None => "/api/v1/recordings/rec-chat/chat?limit=1".to_owned(),
        };
        let page = app.get(&path, None).await;
        assert_eq!(page.status, 200, "{}", page.text);
        for item in page.body["items"].as_array().unwrap() {
            let offset = item["offsetMs"].as_u64().unwrap();
            assert!((10_000..20_000).contains(&offset), "{item}");
            seen.push(item["id"].as_str().unwrap().to_owned());
            assert_eq!(
                item["sender"]["nickname"],
                format!("{} nick", item["sender"]["userId"].as_str().unwrap())
            );
        }
        match page.body["next"].as_str() {
            Some(next) => after = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, [ids[0].clone(), ids[2].clone()]);
    // After a seek past what was said: nothing; far past the end, however far: nothing.
    for from in ["30000", "60001", "18446744073709551615"] {
        let page = app
            .get(
                &format!("/api/v1/recordings/rec-chat/chat?from={from}"),
                None,
            )
            .await;
        assert_eq!(
            (page.status.as_u16(), &page.body["items"]),
            (200, &json!([])),
            "from {from}"
        );
    }
    let early = app
        .get("/api/v1/recordings/rec-chat/chat?from=5000", None)
        .await;
    assert_eq!(early.body["items"].as_array().unwrap().len(), 2);

    // Bad input is refused with its reason; unknown recordings are not found.
    for (path, status) in [
        ("/api/v1/recordings/rec-chat/chat?from=-1", 400),
        (
            "/api/v1/recordings/rec-chat/chat?from=99999999999999999999",
            400,
        ),
        ("/api/v1/recordings/rec-chat/chat?after=not-a-cursor", 400),
        ("/api/v1/recordings/rec-chat/chat?limit=0", 400),
        ("/api/v1/recordings/rec-chat/chat?limit=101", 400),
        ("/api/v1/recordings/rec-chat/chat?surprise=1", 400),
        ("/api/v1/recordings/rec-unknown/chat", 404),
        ("/api/v1/recordings/..%2F..%2Fetc/chat", 404),
    ] {
        let reply = app.get(path, None).await;
        assert_eq!(reply.status.as_u16(), status, "{path}: {}", reply.text);
        assert!(reply.body["message"].is_string(), "{path}: {}", reply.text);
    }
}

#[tokio::test]
async fn a_private_broadcasts_chat_replay_is_for_allowed_viewers_only() {
    let app = spawn_app().await;
    let owner = app.user("p@example.com", "private_replay", "Private").await;
    let stranger = app.user("s@example.com", "stranger", "Stranger").await;
    app.patch("/api/v1/me/channel", owner.auth(), json!({"private": true}))
        .await;
    let platform = app.stack.platform();
    let channel = platform
        .my_channel(&identity(&owner))
        .await
        .unwrap()
        .channel;
    recorded(
        &app,
        &owner,
        "rec-secret",
        platform.now() - time::Duration::seconds(5),
        60,
    )
    .await;
    say(
        &app,
        &cloumer_local::chat::Rooms::arn(&channel.id),
        &owner.user_id,
        "for friends",
    )
    .await;
    for token in [None, stranger.auth()] {
        let reply = app.get("/api/v1/recordings/rec-secret/chat", token).await;
        assert_eq!(reply.status, 404, "{}", reply.text);
    }
    let own = app
        .get("/api/v1/recordings/rec-secret/chat", owner.auth())
        .await;
    assert_eq!(own.body["items"][0]["content"], "for friends");
}
