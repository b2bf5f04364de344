//! The local IVS Chat messaging endpoint with real WebSocket clients: every request, event and
//! error code, capabilities per role, tokens, disconnects, ordering and history.

#[path = "api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

#[path = "support/chat_client.rs"]
#[allow(dead_code)]
mod chat_client;

use std::collections::BTreeMap;
use std::time::Duration;

use chat_client::{Chat, connect_with, join, token};
use cloumer_domain::channel::ChatRoom;
use cloumer_domain::chat::{ChatCapability, ChatTokenRequest};
use cloumer_domain::ids::UserId;
use cloumer_domain::ports::ChatService;
use futures_util::{SinkExt, StreamExt};
use helpers::{TestApp, User, spawn_app};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

async fn room(app: &TestApp) -> (User, User, User) {
    let owner = app.user("owner@example.com", "room", "방장").await;
    let alice = app.user("alice@example.com", "alice", "Alice").await;
    let bob = app.user("bob@example.com", "bob", "Bob").await;
    (owner, alice, bob)
}

/// Sets the room's chat rules: the fields a streamer starts with, `changes` over them.
async fn set_rules(app: &TestApp, owner: &User, changes: Value) -> helpers::Reply {
    let mut body = json!({"maxMessageLength": 500, "maxMessagesPerSecond": 10,
        "filteredWords": [], "filterMode": "BLOCK"});
    for (field, value) in changes.as_object().expect("an object of rule fields") {
        body[field] = value.clone();
    }
    app.put("/api/v1/me/channel/chat-rules", owner.auth(), body)
        .await
}

/// Messages one sender may send in a burst (`cloumer_domain::limits::CHAT_SENDER`).
const SENDER_LIMIT: u32 = cloumer_domain::limits::CHAT_SENDER.max;

fn is_send_time(value: &str) -> bool {
    // 2026-11-22T12:34:56.123456789Z
    value.len() == 30 && value.ends_with('Z') && value.as_bytes()[19] == b'.'
}

#[tokio::test]
async fn messages_reach_everyone_with_the_ivs_fields() {
    let app = spawn_app().await;
    let (_owner, alice, bob) = room(&app).await;
    let mut a = join(&app, "room", Some(&alice)).await;
    let mut b = join(&app, "room", Some(&bob)).await;
    let mut reader = join(&app, "room", None).await;
    // An application's own attributes pass through; a reply to a message the room never had goes
    // as a plain message.
    a.send(json!({"Action": "SEND_MESSAGE", "RequestId": "req-1", "Content": "안녕하세요 👋", "Attributes": {"replyTo": "x", "colour": "teal"}}))
        .await;
    for client in [&mut a, &mut b, &mut reader] {
        let frame = client.next().await;
        assert_eq!(frame["Type"], "MESSAGE");
        assert_eq!(frame["RequestId"], "req-1");
        assert_eq!(frame["Content"], "안녕하세요 👋");
        assert_eq!(frame["Attributes"], json!({"colour": "teal"}));
        let id = frame["Id"].as_str().unwrap();
        assert!(
            id.len() == 12 && id.bytes().all(|c| c.is_ascii_alphanumeric()),
            "{id}"
        );
        assert!(
            is_send_time(frame["SendTime"].as_str().unwrap()),
            "{}",
            frame["SendTime"]
        );
        assert_eq!(frame["Sender"]["UserId"], alice.user_id.as_str());
        assert_eq!(frame["Sender"]["Attributes"]["nickname"], "Alice");
        assert_eq!(frame["Sender"]["Attributes"]["role"], "viewer");
    }
    // A signed-out reader has no SEND_MESSAGE capability.
    reader.say("req-2", "let me in").await;
    assert_eq!(
        reader.error().await,
        (
            403,
            "req-2".to_owned(),
            "this connection may not send messages".to_owned()
        )
    );
    assert!(reader.user_id.starts_with("anon-"));
}

#[tokio::test]
async fn messages_keep_one_order_for_everyone_and_history_matches_delivery() {
    let app = spawn_app().await;
    let (owner, alice, bob) = room(&app).await;
    set_rules(&app, &owner, json!({"maxMessagesPerSecond": 100})).await;
    let mut a = join(&app, "room", Some(&alice)).await;
    let mut b = join(&app, "room", Some(&bob)).await;
    let mut watcher = join(&app, "room", None).await;
    // Two senders at once, interleaving, each as much as a sender may send at once.
    let send_a = async {
        for i in 0..SENDER_LIMIT {
            a.say(&format!("a{i}"), &format!("from alice {i}")).await;
        }
    };
    let send_b = async {
        for i in 0..SENDER_LIMIT {
            b.say(&format!("b{i}"), &format!("from bob {i}")).await;
        }
    };
    tokio::join!(send_a, send_b);
    let mut delivered = Vec::new();
    for _ in 0..2 * SENDER_LIMIT {
        let frame = watcher.next_of("MESSAGE").await;
        delivered.push(frame["Id"].as_str().unwrap().to_owned());
    }
    let mut seen_by_a = Vec::new();
    for _ in 0..2 * SENDER_LIMIT {
        seen_by_a.push(
            a.next_of("MESSAGE").await["Id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    assert_eq!(seen_by_a, delivered, "every client sees one order");
    // Each sender's own messages stay in the order they were sent.
    let history = app
        .get("/api/v1/channels/room/chat/messages?limit=100", None)
        .await;
    let mut stored: Vec<String> = history.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect();
    stored.reverse();
    assert_eq!(
        stored, delivered,
        "history holds what was delivered, in delivery order"
    );
    let contents: Vec<String> = history.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|m| m["content"].as_str().unwrap().to_owned())
        .collect();
    let alice_order: Vec<&String> = contents
        .iter()
        .filter(|c| c.starts_with("from alice"))
        .collect();
    let expected: Vec<String> = (0..SENDER_LIMIT)
        .map(|i| format!("from alice {i}"))
        .collect();
    assert_eq!(alice_order, expected.iter().collect::<Vec<_>>());
}

#[tokio::test]
async fn the_owner_deletes_messages_for_everyone_and_viewers_may_not() {
    let app = spawn_app().await;
    let (owner, alice, bob) = room(&app).await;
    let mut boss = join(&app, "room", Some(&owner)).await;
    let mut a = join(&app, "room", Some(&alice)).await;
    let mut b = join(&app, "room", Some(&bob)).await;
    a.say("m1", "delete me").await;
    let id = b.next_of("MESSAGE").await["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    boss.next_of("MESSAGE").await;
    a.next_of("MESSAGE").await;

    b.send(json!({"Action": "DELETE_MESSAGE", "RequestId": "d0", "Id": id, "Reason": "mine now"}))
        .await;
    assert_eq!(b.error().await.0, 403);

    boss.send(json!({"Action": "DELETE_MESSAGE", "RequestId": "d1", "Id": id, "Reason": "spam"}))
        .await;
    for client in [&mut boss, &mut a, &mut b] {
        let event = client.next_of("EVENT").await;
        assert_eq!(event["EventName"], "aws:DELETE_MESSAGE");
        assert_eq!(event["Attributes"]["MessageId"], id.as_str());
        assert_eq!(event["Attributes"]["MessageID"], id.as_str());
        assert_eq!(event["Attributes"]["Reason"], "spam");
        assert_eq!(event["RequestId"], "d1");
        assert!(is_send_time(event["SendTime"].as_str().unwrap()));
    }
    let history = app.get("/api/v1/channels/room/chat/messages", None).await;
    assert!(
        history.body["items"].as_array().unwrap().is_empty(),
        "{}",
        history.text
    );

    boss.send(json!({"Action": "DELETE_MESSAGE", "RequestId": "d2"}))
        .await;
    assert_eq!(
        boss.error().await,
        (400, "d2".to_owned(), "Id must name a message".to_owned())
    );

    // Deleting through the API reaches the room the same way.
    a.say("m2", "and me").await;
    let id = b.next_of("MESSAGE").await["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = app
        .delete(
            &format!("/api/v1/me/channel/chat/messages/{id}?reason=rude"),
            owner.auth(),
        )
        .await;
    assert_eq!(reply.status, 204);
    let event = b.next_of("EVENT").await;
    assert_eq!(
        (
            event["EventName"].as_str().unwrap(),
            event["Attributes"]["MessageId"].as_str().unwrap()
        ),
        ("aws:DELETE_MESSAGE", id.as_str())
    );
}

#[tokio::test]
async fn disconnect_user_closes_all_of_their_connections() {
    let app = spawn_app().await;
    let (owner, alice, bob) = room(&app).await;
    let mut boss = join(&app, "room", Some(&owner)).await;
    let mut alice_tab1 = join(&app, "room", Some(&alice)).await;
    let mut alice_tab2 = join(&app, "room", Some(&alice)).await;
    let mut b = join(&app, "room", Some(&bob)).await;

    b.send(json!({"Action": "DISCONNECT_USER", "RequestId": "x", "UserId": alice.user_id, "Reason": "bye"})).await;
    assert_eq!(b.error().await.0, 403);

    boss.send(json!({"Action": "DISCONNECT_USER", "RequestId": "k1", "UserId": alice.user_id, "Reason": "calm down"})).await;
    for client in [&mut alice_tab1, &mut alice_tab2, &mut b] {
        let event = client.next_of("EVENT").await;
        assert_eq!(event["EventName"], "aws:DISCONNECT_USER");
        assert_eq!(event["Attributes"]["UserId"], alice.user_id.as_str());
        assert_eq!(event["Attributes"]["Reason"], "calm down");
    }
    assert_eq!(alice_tab1.closed().await, Some(1000));
    assert_eq!(alice_tab2.closed().await, Some(1000));
    // Bob stays.
    boss.say("s", "still here?").await;
    assert_eq!(b.next_of("MESSAGE").await["Content"], "still here?");
}

/// A close frame carries at most 123 bytes of reason, and a moderator may give 256 characters
/// (768 bytes in Korean): the room's event has all of it, the close a shortened one, still
/// valid UTF-8, rather than a frame the client must fail the connection on.
#[tokio::test]
async fn a_long_disconnect_reason_is_shortened_in_the_close_frame_only() {
    let app = spawn_app().await;
    let (owner, alice, _bob) = room(&app).await;
    let mut boss = join(&app, "room", Some(&owner)).await;
    let mut a = join(&app, "room", Some(&alice)).await;
    let reason = "진정".repeat(128);
    boss.send(json!({"Action": "DISCONNECT_USER", "RequestId": "k", "UserId": alice.user_id, "Reason": reason})).await;
    let event = a.next_of("EVENT").await;
    assert_eq!(event["Attributes"]["Reason"], reason.as_str());
    let frame = loop {
        match tokio::time::timeout(Duration::from_secs(5), a.ws.next())
            .await
            .expect("closed within 5 s")
        {
            Some(Ok(Message::Close(frame))) => break frame.expect("a close code"),
            Some(Ok(_)) => {}
            other => panic!("expected a close frame, got {other:?}"),
        }
    };
    assert_eq!(u16::from(frame.code), 1000);
    assert!(frame.reason.len() <= 123, "{} bytes", frame.reason.len());
    assert!(reason.starts_with(frame.reason.as_str()) && !frame.reason.is_empty());
}

#[tokio::test]
async fn a_ban_through_the_api_disconnects_and_locks_the_user_out() {
    let app = spawn_app().await;
    let (owner, alice, _bob) = room(&app).await;
    let mut a = join(&app, "room", Some(&alice)).await;
    let reply = app
        .put(
            &format!("/api/v1/me/channel/bans/{}", alice.user_id),
            owner.auth(),
            json!({"reason": "spam"}),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(a.next_of("EVENT").await["EventName"], "aws:DISCONNECT_USER");
    assert_eq!(a.closed().await, Some(1000));
    let refused = app
        .post("/api/v1/channels/room/chat-token", alice.auth(), None)
        .await;
    assert_eq!(refused.code(), "banned");
}

#[tokio::test]
async fn a_timeout_keeps_the_user_reading_and_refuses_what_they_send_with_a_406() {
    let app = spawn_app().await;
    let (owner, alice, bob) = room(&app).await;
    let appointed = app
        .put(
            &format!("/api/v1/me/channel/moderators/{}", bob.handle),
            owner.auth(),
            json!(null),
        )
        .await;
    assert_eq!(appointed.status, 200, "{}", appointed.text);
    let mut a = join(&app, "room", Some(&alice)).await;
    let mut b = join(&app, "room", Some(&bob)).await;
    let reply = app
        .put(
            &format!("/api/v1/channels/room/timeouts/{}", alice.user_id),
            bob.auth(),
            json!({"durationMinutes": 5, "reason": "calm down"}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    for client in [&mut a, &mut b] {
        let event = client.next_of("EVENT").await;
        assert_eq!(event["EventName"], "app:TIMEOUT");
        assert_eq!(event["Attributes"]["UserId"], alice.user_id.as_str());
        assert_eq!(event["Attributes"]["Until"], reply.body["expiresAt"]);
    }
    a.say("t1", "let me talk").await;
    let (code, request, message) = a.error().await;
    assert_eq!((code, request.as_str()), (406, "t1"));
    assert!(message.contains("timed out"), "{message}");
    // Still connected and reading: the moderator's next message reaches the timed-out user.
    b.say("b1", "rules are rules").await;
    assert_eq!(a.next_of("MESSAGE").await["Content"], "rules are rules");
}

#[tokio::test]
async fn slow_mode_refuses_a_second_message_within_the_interval_with_a_406() {
    let app = spawn_app().await;
    let (owner, alice, bob) = room(&app).await;
    let rules = set_rules(&app, &owner, json!({"slowModeSeconds": 60})).await;
    assert_eq!(rules.status, 200, "{}", rules.text);
    let mut a = join(&app, "room", Some(&alice)).await;
    let mut b = join(&app, "room", Some(&bob)).await;
    let mut boss = join(&app, "room", Some(&owner)).await;
    a.say("s1", "first").await;
    assert_eq!(b.next_of("MESSAGE").await["Content"], "first");
    a.say("s2", "second").await;
    let (code, request, message) = a.error().await;
    assert_eq!((code, request.as_str()), (406, "s2"));
    assert!(message.contains("slow mode"), "{message}");
    // Another viewer has their own turn; the owner is not slowed.
    b.say("b1", "mine").await;
    boss.say("o1", "one").await;
    boss.say("o2", "two").await;
    let mut seen = Vec::new();
    for _ in 0..3 {
        seen.push(
            a.next_of("MESSAGE").await["Content"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    seen.sort();
    assert_eq!(seen, ["mine", "one", "two"]);
}

#[tokio::test]
async fn a_followers_only_room_refuses_a_stranger_with_a_406_and_hears_them_once_they_follow() {
    let app = spawn_app().await;
    let (owner, alice, bob) = room(&app).await;
    for bad in [json!(-1), json!(1.5), json!(129_601), json!("10")] {
        let refused = set_rules(&app, &owner, json!({"followersOnlyMinutes": bad})).await;
        assert_eq!(refused.status, 400, "{bad}: {}", refused.text);
    }
    let mut b = join(&app, "room", Some(&bob)).await;
    let saved = set_rules(&app, &owner, json!({"followersOnlyMinutes": 0})).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(saved.body["followersOnlyMinutes"], 0);
    // The room hears of it, as of every change to what viewers wait for.
    let event = b.next_of("EVENT").await;
    assert_eq!(event["EventName"], "app:CHAT_RULES");
    assert_eq!(event["Attributes"]["FollowersOnlyMinutes"], "0");

    let token = app
        .post("/api/v1/channels/room/chat-token", alice.auth(), None)
        .await;
    assert_eq!(token.body["followersOnlyMinutes"], 0, "{}", token.text);
    assert!(token.body.get("followedAt").is_none(), "{}", token.text);
    let mut a = join(&app, "room", Some(&alice)).await;
    a.say("f1", "let me in").await;
    let (code, request, message) = a.error().await;
    assert_eq!((code, request.as_str()), (406, "f1"));
    assert!(message.contains("followers"), "{message}");

    let followed = app
        .put("/api/v1/channels/room/follow", alice.auth(), json!(null))
        .await;
    assert_eq!(followed.status, 200, "{}", followed.text);
    let token = app
        .post("/api/v1/channels/room/chat-token", alice.auth(), None)
        .await;
    assert!(token.body["followedAt"].is_string(), "{}", token.text);
    assert!(
        token.body["sendAfter"].is_null(),
        "any follower may send at once"
    );
    a.say("f2", "following now").await;
    assert_eq!(b.next_of("MESSAGE").await["Content"], "following now");
    // The owner follows nobody and is never held back; nor is the owner told of the rule.
    let mut boss = join(&app, "room", Some(&owner)).await;
    boss.say("o1", "welcome").await;
    assert_eq!(b.next_of("MESSAGE").await["Content"], "welcome");
    let token = app
        .post("/api/v1/channels/room/chat-token", owner.auth(), None)
        .await;
    assert!(
        token.body.get("followersOnlyMinutes").is_none(),
        "{}",
        token.text
    );
}

/// Raises or lowers shield mode on `room`'s chat as `user`.
async fn shield(app: &TestApp, user: &User, body: Value) -> helpers::Reply {
    app.put("/api/v1/channels/room/chat/shield", user.auth(), body)
        .await
}

/// Shield mode over HTTP and real sockets: a moderator raises it, the room hears the strict rules
/// with `Shield`, a stranger's message is refused and their token says why; a viewer may not
/// touch it; lowering it brings back the rules from before.
#[tokio::test]
async fn shield_mode_raised_by_a_moderator_holds_the_room_until_it_is_lowered() {
    let app = spawn_app().await;
    let (owner, alice, bob) = room(&app).await;
    let appointed = app
        .put(
            "/api/v1/me/channel/moderators/alice",
            owner.auth(),
            json!(null),
        )
        .await;
    assert_eq!(appointed.status, 200, "{}", appointed.text);
    let saved = set_rules(&app, &owner, json!({"slowModeSeconds": 5})).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    let mut b = join(&app, "room", Some(&bob)).await;
    for (who, body, status) in [
        (&bob, json!({"raised": true}), 403),
        (&alice, json!({"raised": "yes"}), 400),
        (&alice, json!({"raised": true, "more": 1}), 400),
    ] {
        let refused = shield(&app, who, body.clone()).await;
        assert_eq!(refused.status, status, "{body}: {}", refused.text);
        assert!(refused.body["code"].is_string(), "{}", refused.text);
    }
    let raised = shield(&app, &alice, json!({"raised": true})).await;
    assert_eq!(raised.status, 200, "{}", raised.text);
    assert_eq!(raised.body["raised"], true);
    assert_eq!(raised.body["raisedBy"], "Alice");
    assert_eq!(raised.body["rules"]["followersOnlyMinutes"], 10);
    assert_eq!(raised.body["rules"]["slowModeSeconds"], 30);
    let told = b.next_of("EVENT").await;
    assert_eq!(told["EventName"], "app:CHAT_RULES");
    assert_eq!(told["Attributes"]["Shield"], "true", "{told}");
    assert_eq!(told["Attributes"]["LinksOff"], "true", "{told}");

    b.say("s1", "hi from a raid").await;
    let (code, request, _) = b.error().await;
    assert_eq!((code, request.as_str()), (406, "s1"));
    let token = app
        .post("/api/v1/channels/room/chat-token", bob.auth(), None)
        .await;
    assert_eq!(token.body["shield"], true, "{}", token.text);
    assert_eq!(token.body["minAccountAgeMinutes"], 1_440, "{}", token.text);

    let lowered = shield(&app, &owner, json!({"raised": false})).await;
    assert_eq!(lowered.status, 200, "{}", lowered.text);
    assert_eq!(lowered.body["raised"], false);
    assert_eq!(lowered.body["raisedBy"], Value::Null);
    assert_eq!(lowered.body["rules"]["slowModeSeconds"], 5);
    assert_eq!(lowered.body["rules"]["followersOnlyMinutes"], Value::Null);
    let told = b.next_of("EVENT").await;
    assert_eq!(told["EventName"], "app:CHAT_RULES");
    assert!(told["Attributes"].get("Shield").is_none(), "{told}");
    let mut a = join(&app, "room", Some(&alice)).await;
    b.say("s3", "now heard").await;
    assert_eq!(a.next_of("MESSAGE").await["Content"], "now heard");
    let log = app
        .get("/api/v1/channels/room/moderation-log", owner.auth())
        .await;
    let actions: Vec<&str> = log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions[..2],
        ["lower_shield", "raise_shield"],
        "{}",
        log.text
    );
}

#[tokio::test]
async fn an_emote_only_room_refuses_words_with_a_406_and_delivers_emoji() {
    let app = spawn_app().await;
    let (owner, alice, bob) = room(&app).await;
    for bad in [json!("true"), json!(1), json!(null)] {
        let refused = set_rules(&app, &owner, json!({"emoteOnly": bad})).await;
        assert_eq!(refused.status, 400, "{bad}: {}", refused.text);
    }
    let mut a = join(&app, "room", Some(&alice)).await;
    let mut b = join(&app, "room", Some(&bob)).await;
    let saved = set_rules(&app, &owner, json!({"emoteOnly": true})).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(saved.body["emoteOnly"], true);
    let told = b.next_of("EVENT").await;
    assert_eq!(told["EventName"], "app:CHAT_RULES");
    assert_eq!(told["Attributes"]["EmoteOnly"], "true", "{told}");

    b.say("w1", "gg everyone").await;
    let (code, request, message) = b.error().await;
    assert_eq!((code, request.as_str()), (406, "w1"));
    assert!(message.contains("emote-only"), "{message}");
    b.say("e1", "🎉🔥 👏🏽").await;
    assert_eq!(a.next_of("MESSAGE").await["Content"], "🎉🔥 👏🏽");
    // The owner's words still go out.
    let mut boss = join(&app, "room", Some(&owner)).await;
    boss.say("o1", "Welcome, raiders!").await;
    assert_eq!(a.next_of("MESSAGE").await["Content"], "Welcome, raiders!");
    let token = app
        .post("/api/v1/channels/room/chat-token", bob.auth(), None)
        .await;
    assert_eq!(token.body["emoteOnly"], true, "{}", token.text);
}

/// Links off: a viewer's message with a web address is refused with the reason (a 406, as IVS
/// answers a review's refusal), words go out, and the owner still posts links.
#[tokio::test]
async fn a_room_with_links_off_refuses_a_viewers_link_with_a_406() {
    let app = spawn_app().await;
    let (owner, alice, bob) = room(&app).await;
    for bad in [json!("true"), json!(1), json!(null)] {
        let refused = set_rules(&app, &owner, json!({"linksOff": bad})).await;
        assert_eq!(refused.status, 400, "{bad}: {}", refused.text);
    }
    let mut a = join(&app, "room", Some(&alice)).await;
    let mut b = join(&app, "room", Some(&bob)).await;
    let saved = set_rules(&app, &owner, json!({"linksOff": true})).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(saved.body["linksOff"], true);
    let told = b.next_of("EVENT").await;
    assert_eq!(told["EventName"], "app:CHAT_RULES");
    assert_eq!(told["Attributes"]["LinksOff"], "true", "{told}");

    b.say("l1", "free followers at bit.ly/abc").await;
    let (code, request, message) = b.error().await;
    assert_eq!((code, request.as_str()), (406, "l1"));
    assert!(message.contains("links are off"), "{message}");
    b.say("w1", "v1.2.3 is out, gg").await;
    assert_eq!(a.next_of("MESSAGE").await["Content"], "v1.2.3 is out, gg");
    let mut boss = join(&app, "room", Some(&owner)).await;
    boss.say("o1", "Merch: example.com/shop").await;
    assert_eq!(
        a.next_of("MESSAGE").await["Content"],
        "Merch: example.com/shop"
    );
    let token = app
        .post("/api/v1/channels/room/chat-token", bob.auth(), None)
        .await;
    assert_eq!(token.body["linksOff"], true, "{}", token.text);
    let own = app
        .post("/api/v1/channels/room/chat-token", owner.auth(), None)
        .await;
    assert_eq!(own.body["linksOff"], false, "{}", own.text);
}

/// Unique chat: a copy of what someone just said is refused with the reason (a 406), whoever
/// sends it; other words go out.
#[tokio::test]
async fn unique_chat_refuses_a_copy_of_what_the_room_just_heard() {
    let app = spawn_app().await;
    let (owner, alice, bob) = room(&app).await;
    let mut a = join(&app, "room", Some(&alice)).await;
    let mut b = join(&app, "room", Some(&bob)).await;
    let saved = set_rules(&app, &owner, json!({"uniqueChat": true})).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(saved.body["uniqueChat"], true);
    let told = b.next_of("EVENT").await;
    assert_eq!(told["Attributes"]["UniqueChat"], "true", "{told}");

    a.say("s1", "Follow my channel for free stuff").await;
    for client in [&mut a, &mut b] {
        assert_eq!(
            client.next_of("MESSAGE").await["Content"],
            "Follow my channel for free stuff"
        );
    }
    b.say("s2", "follow my   channel for FREE stuff").await;
    let (code, request, message) = b.error().await;
    assert_eq!((code, request.as_str()), (406, "s2"));
    assert!(message.contains("unique chat"), "{message}");
    b.say("s3", "something else entirely").await;
    assert_eq!(
        a.next_of("MESSAGE").await["Content"],
        "something else entirely"
    );
    let token = app
        .post("/api/v1/channels/room/chat-token", bob.auth(), None)
        .await;
    assert_eq!(token.body["uniqueChat"], true, "{}", token.text);
}

#[tokio::test]
async fn a_reply_reaches_everyone_naming_whom_it_answers_as_history_has_it() {
    let app = spawn_app().await;
    let (owner, alice, bob) = room(&app).await;
    let mut a = join(&app, "room", Some(&alice)).await;
    let mut b = join(&app, "room", Some(&bob)).await;
    a.say("q1", "who is playing tonight?").await;
    let asked = b.next_of("MESSAGE").await;
    let asked_id = asked["Id"].as_str().unwrap().to_owned();
    a.next_of("MESSAGE").await;
    // Bob answers, and claims the question was the owner's: the room says whose it was.
    b.send(json!({"Action": "SEND_MESSAGE", "RequestId": "r1", "Content": "준 is!",
        "Attributes": {"replyTo": asked_id, "replyToNickname": "방장", "replyToSender": owner.user_id}}))
        .await;
    let expected = json!({"replyTo": asked_id, "replyToSender": alice.user_id,
        "replyToNickname": "Alice", "replyToHandle": "alice"});
    for client in [&mut a, &mut b] {
        let reply = client.next_of("MESSAGE").await;
        assert_eq!(reply["Content"], "준 is!");
        assert_eq!(reply["Attributes"], expected);
    }
    // History keeps it as delivered.
    let history = app.get("/api/v1/channels/room/chat/messages", None).await;
    assert_eq!(
        history.body["items"][0]["attributes"], expected,
        "{}",
        history.text
    );

    // Once the owner deletes the question, a reply to it is a plain message.
    let deleted = app
        .delete(
            &format!("/api/v1/channels/room/chat/messages/{asked_id}"),
            owner.auth(),
        )
        .await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    b.next_of("EVENT").await;
    b.send(
        json!({"Action": "SEND_MESSAGE", "RequestId": "r2", "Content": "anyway",
        "Attributes": {"replyTo": asked_id}}),
    )
    .await;
    let late = a.next_of("MESSAGE").await;
    assert_eq!(late["Content"], "anyway");
    assert!(late["Attributes"].get("replyTo").is_none(), "{late}");

    // Once Alice deletes her account, Bob's reply stays but names her no more, nor her message:
    // her nickname and handle were hers.
    let deleted = app.delete("/api/v1/me", alice.auth()).await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    let history = app.get("/api/v1/channels/room/chat/messages", None).await;
    let reply = history.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["content"] == "준 is!")
        .expect("Bob's reply stays");
    assert_eq!(reply["attributes"], json!({}), "{}", history.text);
}

#[tokio::test]
async fn a_pinned_message_reaches_the_room_and_whoever_joins_until_it_is_deleted() {
    let app = spawn_app().await;
    let (owner, alice, bob) = room(&app).await;
    let mut a = join(&app, "room", Some(&alice)).await;
    let mut b = join(&app, "room", Some(&bob)).await;
    a.say("p1", "giveaway at 9: type !enter").await;
    let id = b.next_of("MESSAGE").await["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    a.next_of("MESSAGE").await;
    let pin = "/api/v1/channels/room/chat/pin";

    // Viewers do not pin, signed out nobody does, and what is not a message id is refused.
    let refused = app.put(pin, bob.auth(), json!({"messageId": id})).await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    let refused = app.put(pin, None, json!({"messageId": id})).await;
    assert_eq!(refused.status, 401, "{}", refused.text);
    for body in [
        json!({"messageId": "../../x"}),
        json!({"messageId": ""}),
        json!({"messageId": 7}),
        json!({"messageId": id, "pinnedBy": "방장"}),
        json!({}),
    ] {
        let bad = app.put(pin, owner.auth(), body.clone()).await;
        assert_eq!(bad.status, 400, "{body}: {}", bad.text);
        assert!(bad.body["message"].is_string(), "{}", bad.text);
    }
    let missing = app
        .put(pin, owner.auth(), json!({"messageId": "never-sent"}))
        .await;
    assert_eq!(missing.status, 404, "{}", missing.text);
    assert_eq!(app.get(pin, None).await.body, json!({"pinned": null}));

    let pinned = app.put(pin, owner.auth(), json!({"messageId": id})).await;
    assert_eq!(pinned.status, 200, "{}", pinned.text);
    assert_eq!(
        pinned.body["message"]["content"],
        "giveaway at 9: type !enter"
    );
    assert_eq!(pinned.body["message"]["sender"]["nickname"], "Alice");
    assert_eq!(pinned.body["pinnedBy"], "방장");
    for client in [&mut a, &mut b] {
        let event = client.next_of("EVENT").await;
        assert_eq!(event["EventName"], "app:PIN");
        assert_eq!(
            event["Attributes"],
            json!({"MessageId": id, "By": "방장"}),
            "{event}"
        );
    }
    // Whoever joins now gets it with their token, signed out too; anyone may read it.
    let token = app
        .post("/api/v1/channels/room/chat-token", None, None)
        .await;
    assert_eq!(token.body["pinned"], pinned.body, "{}", token.text);
    assert_eq!(app.get(pin, None).await.body["pinned"], pinned.body);

    // Deleting the message takes it down with it.
    let deleted = app
        .delete(
            &format!("/api/v1/channels/room/chat/messages/{id}"),
            owner.auth(),
        )
        .await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    assert_eq!(app.get(pin, None).await.body, json!({"pinned": null}));
    let token = app
        .post("/api/v1/channels/room/chat-token", None, None)
        .await;
    assert!(token.body.get("pinned").is_none(), "{}", token.text);

    // Unpinning tells the room which message went.
    b.say("p2", "second pin").await;
    let second = a.next_of("MESSAGE").await["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    let pinned = app
        .put(pin, owner.auth(), json!({"messageId": second}))
        .await;
    assert_eq!(pinned.status, 200, "{}", pinned.text);
    // An unpin meant for the message pinned before (a page that missed the new pin) leaves
    // this one, and a made-up id is refused; naming the pin takes it down.
    let stale = app
        .delete(&format!("{pin}?messageId={id}"), owner.auth())
        .await;
    assert_eq!(stale.status, 409, "{}", stale.text);
    assert_eq!(stale.body["code"], "pin_changed", "{}", stale.text);
    assert_eq!(
        app.get(pin, None).await.body["pinned"]["message"]["id"],
        second.as_str()
    );
    for bad in ["..%2Fx", "", "a%20b"] {
        let refused = app
            .delete(&format!("{pin}?messageId={bad}"), owner.auth())
            .await;
        assert_eq!(refused.status, 400, "{bad}: {}", refused.text);
    }
    let unpinned = app
        .delete(&format!("{pin}?messageId={second}"), owner.auth())
        .await;
    assert_eq!(unpinned.status, 204, "{}", unpinned.text);
    let mut names = Vec::new();
    while names.len() < 2 {
        let event = a.next_of("EVENT").await;
        if event["EventName"] != "aws:DELETE_MESSAGE" {
            assert_eq!(event["Attributes"]["MessageId"], second.as_str());
            names.push(event["EventName"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(names, ["app:PIN", "app:UNPIN"]);
    assert_eq!(app.get(pin, None).await.body, json!({"pinned": null}));
}

#[tokio::test]
async fn a_poll_reaches_the_room_counts_one_vote_each_and_ends_for_everyone() {
    let app = spawn_app().await;
    let (owner, alice, bob) = room(&app).await;
    let mut a = join(&app, "room", Some(&alice)).await;
    let mut b = join(&app, "room", Some(&bob)).await;
    let poll = "/api/v1/channels/room/chat/poll";
    let opening = json!({"question": "다음 게임?", "choices": ["Tetris", "테트리스 99"],
        "durationSeconds": 120});

    // Viewers do not open polls, signed out nobody does, and a bad poll is a clear 400.
    let refused = app.post(poll, bob.auth(), Some(opening.clone())).await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    let refused = app.post(poll, None, Some(opening.clone())).await;
    assert_eq!(refused.status, 401, "{}", refused.text);
    for body in [
        json!({"question": "", "choices": ["a", "b"], "durationSeconds": 60}),
        json!({"question": "q", "choices": ["a"], "durationSeconds": 60}),
        json!({"question": "q", "choices": ["a", "A"], "durationSeconds": 60}),
        json!({"question": "q", "choices": ["a", "b"], "durationSeconds": 5}),
        json!({"question": "q", "choices": ["a", "b"], "durationSeconds": -1}),
        json!({"question": "q", "choices": ["a", "b"]}),
        json!({"question": "q", "choices": "a,b", "durationSeconds": 60}),
        json!({"question": "q", "choices": ["a", "b"], "durationSeconds": 60, "open": true}),
    ] {
        let bad = app.post(poll, owner.auth(), Some(body.clone())).await;
        assert_eq!(bad.status, 400, "{body}: {}", bad.text);
        assert!(bad.body["message"].is_string(), "{}", bad.text);
    }
    assert_eq!(app.get(poll, None).await.body, json!({"poll": null}));

    let opened = app.post(poll, owner.auth(), Some(opening.clone())).await;
    assert_eq!(opened.status, 201, "{}", opened.text);
    assert_eq!(opened.body["votes"], json!([0, 0]));
    assert_eq!(opened.body["open"], true);
    let id = opened.body["id"].as_str().unwrap().to_owned();
    for client in [&mut a, &mut b] {
        let event = client.next_of("EVENT").await;
        assert_eq!(event["EventName"], "app:POLL");
        let attributes = &event["Attributes"];
        assert_eq!(attributes["PollId"], id.as_str());
        assert_eq!(attributes["Question"], "다음 게임?");
        assert_eq!(attributes["Choice2"], "테트리스 99");
        assert_eq!(attributes["By"], "방장");
        assert_eq!(attributes["EndsAt"], opened.body["endsAt"]);
    }
    let busy = app.post(poll, owner.auth(), Some(opening.clone())).await;
    assert_eq!(busy.status, 409, "{}", busy.text);
    assert_eq!(busy.body["code"], "poll_open");

    // Votes: signed in only, one each, an answer the poll has.
    let vote = format!("{poll}/vote");
    let refused = app
        .put(&vote, None, json!({"pollId": id, "choice": 0}))
        .await;
    assert_eq!(refused.status, 401, "{}", refused.text);
    for body in [
        json!({"pollId": id, "choice": 2}),
        json!({"pollId": id, "choice": -1}),
        json!({"pollId": id, "choice": 256}),
        json!({"pollId": "../x", "choice": 0}),
        json!({"pollId": id}),
    ] {
        let bad = app.put(&vote, alice.auth(), body.clone()).await;
        assert_eq!(bad.status, 400, "{body}: {}", bad.text);
    }
    let other = app
        .put(
            &vote,
            alice.auth(),
            json!({"pollId": "po0000", "choice": 0}),
        )
        .await;
    assert_eq!(other.status, 404, "{}", other.text);
    let voted = app
        .put(&vote, alice.auth(), json!({"pollId": id, "choice": 1}))
        .await;
    assert_eq!(voted.status, 200, "{}", voted.text);
    assert_eq!(voted.body["votes"], json!([0, 1]));
    assert_eq!(voted.body["myVote"], 1);
    let count = b.next_of("EVENT").await;
    assert_eq!(count["EventName"], "app:POLL_VOTES");
    assert_eq!(count["Attributes"], json!({"PollId": id, "Votes": "0,1"}));
    let changed = app
        .put(&vote, alice.auth(), json!({"pollId": id, "choice": 0}))
        .await;
    assert_eq!(changed.status, 409, "{}", changed.text);
    assert_eq!(changed.body["code"], "already_voted");
    // Many votes at once from one viewer count once.
    let racing = (0..8).map(|_| app.put(&vote, bob.auth(), json!({"pollId": id, "choice": 0})));
    for reply in futures_util::future::join_all(racing).await {
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    let seen = app.get(poll, bob.auth()).await;
    assert_eq!(seen.body["poll"]["votes"], json!([1, 1]), "{}", seen.text);
    assert_eq!(seen.body["poll"]["myVote"], 0);
    assert!(
        app.get(poll, None).await.body["poll"]
            .get("myVote")
            .is_none()
    );
    let token = app
        .post("/api/v1/channels/room/chat-token", alice.auth(), None)
        .await;
    assert_eq!(token.body["poll"]["myVote"], 1, "{}", token.text);

    // Ending it: the owner's or a moderator's, naming the poll; the room hears the result.
    let end = format!("{poll}/end");
    let refused = app
        .post(&end, alice.auth(), Some(json!({"pollId": id})))
        .await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    let ended = app
        .post(&end, owner.auth(), Some(json!({"pollId": id})))
        .await;
    assert_eq!(ended.status, 200, "{}", ended.text);
    assert_eq!(ended.body["open"], false);
    assert_eq!(ended.body["votes"], json!([1, 1]));
    loop {
        let event = a.next_of("EVENT").await;
        if event["EventName"] == "app:POLL_END" {
            assert_eq!(event["Attributes"], json!({"PollId": id, "Votes": "1,1"}));
            break;
        }
    }
    let late = app
        .put(&vote, owner.auth(), json!({"pollId": id, "choice": 0}))
        .await;
    assert_eq!(late.status, 409, "{}", late.text);
    assert_eq!(late.body["code"], "poll_closed");
    // The next poll may open now.
    let next = app.post(poll, owner.auth(), Some(opening)).await;
    assert_eq!(next.status, 201, "{}", next.text);
    assert_ne!(next.body["id"], id.as_str());
    // The moderation log says who opened and ended them, with the question.
    let log = app
        .get("/api/v1/channels/room/moderation-log", owner.auth())
        .await;
    assert_eq!(log.status, 200, "{}", log.text);
    let polls: Vec<(&str, &str)> = log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["excerpt"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        polls,
        [
            ("open_poll", "다음 게임?"),
            ("end_poll", "다음 게임?"),
            ("open_poll", "다음 게임?")
        ]
    );
}

#[tokio::test]
async fn who_is_here_follows_the_rooms_connections_as_they_come_and_go() {
    let app = spawn_app().await;
    let (owner, alice, bob) = room(&app).await;
    let here = |who: Option<&User>| {
        let path = match who {
            Some(_) => "/api/v1/channels/room/presence".to_owned(),
            None => "/api/v1/channels/room/presence?session=guestSession00001".to_owned(),
        };
        let token = who.and_then(User::auth).map(str::to_owned);
        let app = &app;
        async move { app.post(&path, token.as_deref(), None).await }
    };
    let empty = here(Some(&owner)).await;
    assert_eq!(empty.status, 200, "{}", empty.text);
    assert_eq!(empty.body["users"], json!([]));
    assert_eq!(empty.body["heartbeatSeconds"], 10);

    let _boss = join(&app, "room", Some(&owner)).await;
    let a = join(&app, "room", Some(&alice)).await;
    let _a_second_tab = join(&app, "room", Some(&alice)).await;
    let b = join(&app, "room", Some(&bob)).await;
    let _guest = join(&app, "room", None).await;
    let presence = here(None).await;
    assert_eq!(presence.status, 200, "{}", presence.text);
    let listed: Vec<(&str, &str)> = presence.body["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["nickname"].as_str().unwrap(), u["role"].as_str().unwrap()))
        .collect();
    assert_eq!(
        listed,
        [("방장", "owner"), ("Alice", "viewer"), ("Bob", "viewer")]
    );
    assert_eq!(presence.body["userCount"], 3);
    assert_eq!(presence.body["readers"], 1);

    // Bob closes his page: gone at once. Alice closes one of two tabs: still here.
    drop(b);
    drop(a);
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let presence = here(Some(&owner)).await;
        let names: Vec<&str> = presence.body["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["nickname"].as_str().unwrap())
            .collect();
        if names == ["방장", "Alice"] {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{names:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Signed out without a session: nobody to count (401); a bad one: 400; an unknown room: 404.
    assert_eq!(
        app.post("/api/v1/channels/room/presence", None, None)
            .await
            .status,
        401
    );
    for path in [
        "/api/v1/channels/room/presence?session=short",
        "/api/v1/channels/room/presence?session=has%20a%20space%20in%20it",
    ] {
        let reply = app.post(path, None, None).await;
        assert_eq!(
            (reply.status.as_u16(), reply.code()),
            (400, "invalid_session"),
            "{path}"
        );
    }
    assert_eq!(
        app.post("/api/v1/channels/nobody_here/presence", owner.auth(), None)
            .await
            .status,
        404
    );
    assert_eq!(
        app.delete("/api/v1/channels/room/presence", owner.auth())
            .await
            .status,
        204
    );
}

#[tokio::test]
async fn tokens_are_single_use_and_bad_ones_get_error_401() {
    let app = spawn_app().await;
    let (_owner, alice, _bob) = room(&app).await;
    let minted = token(&app, "room", Some(&alice)).await;
    let endpoint = minted["endpoint"].as_str().unwrap();
    let token = minted["token"].as_str().unwrap();
    let (_first, _) = connect_with(endpoint, token).await.unwrap();
    for bad in [token, "AQICAHnot-a-token"] {
        let (ws, echoed) = connect_with(endpoint, bad).await.unwrap();
        assert_eq!(echoed, bad);
        let mut chat = Chat {
            ws,
            user_id: String::new(),
        };
        let frame = chat.next().await;
        assert_eq!(frame["Type"], "ERROR");
        assert_eq!(frame["ErrorCode"], 401);
        assert!(chat.closed().await.is_some());
    }
    // No subprotocol at all.
    let (ws, _) = tokio_tungstenite::connect_async(endpoint).await.unwrap();
    let mut chat = Chat {
        ws,
        user_id: String::new(),
    };
    assert_eq!(chat.next().await["ErrorCode"], 401);
}

#[tokio::test]
async fn sessions_end_when_their_time_is_up() {
    let data = tempfile::tempdir().unwrap();
    let dist = data.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "x").unwrap();
    let mut config =
        cloumer_local::LocalConfig::new(([127, 0, 0, 1], 0).into(), dist, data.path().into(), 0);
    config.ingest = false;
    config.chat.session_cap = Some(Duration::from_millis(1500));
    let stack = cloumer_local::start(config).await.unwrap();
    let app = TestApp {
        stack,
        client: reqwest::Client::new(),
        _data: None,
    };
    let (_owner, alice, _bob) = room(&app).await;
    let mut chat = join(&app, "room", Some(&alice)).await;
    let started = std::time::Instant::now();
    assert_eq!(chat.closed().await, Some(1000));
    assert!(started.elapsed() >= Duration::from_millis(1400));
}

#[tokio::test]
async fn bad_requests_get_the_protocol_error_codes_and_the_connection_survives() {
    let app = spawn_app().await;
    let (owner, alice, _bob) = room(&app).await;
    set_rules(
        &app,
        &owner,
        json!({"maxMessageLength": 20, "maxMessagesPerSecond": 3, "filteredWords": ["바보"]}),
    )
    .await;
    let mut a = join(&app, "room", Some(&alice)).await;

    a.ws.send(Message::text("{not json")).await.unwrap();
    assert_eq!(a.error().await.0, 400);
    a.send(json!({"Action": "DANCE", "RequestId": "r1"})).await;
    assert_eq!(
        a.error().await,
        (
            400,
            "r1".to_owned(),
            "unknown or malformed action; expected SEND_MESSAGE, DELETE_MESSAGE or DISCONNECT_USER"
                .to_owned()
        )
    );
    a.send(json!({"Action": "SEND_MESSAGE", "RequestId": "r2"}))
        .await;
    assert_eq!(a.error().await.0, 400);
    a.say("r3", &"가".repeat(21)).await;
    assert_eq!(
        a.error().await,
        (
            400,
            "r3".to_owned(),
            "Messages must be at most 20 characters".to_owned()
        )
    );
    let mut big = BTreeMap::new();
    big.insert("blob".to_owned(), "x".repeat(1100));
    a.send(
        json!({"Action": "SEND_MESSAGE", "RequestId": "r4", "Content": "hi", "Attributes": big}),
    )
    .await;
    assert_eq!(a.error().await.0, 413);
    a.ws.send(Message::text(format!(
        "{{\"Action\":\"SEND_MESSAGE\",\"Content\":\"{}\"}}",
        "y".repeat(10_000)
    )))
    .await
    .unwrap();
    assert_eq!(a.error().await.0, 413);
    a.ws.send(Message::binary(vec![1, 2, 3])).await.unwrap();
    assert_eq!(a.error().await.0, 400);
    a.say("r5", "너 바보").await;
    assert_eq!(a.error().await.0, 406);

    // Over the room's rate: 3 per second.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    for i in 0..5 {
        a.say(&format!("rate{i}"), "fast").await;
    }
    let mut delivered = 0;
    let mut limited = 0;
    for _ in 0..5 {
        let frame = a.next().await;
        match (frame["Type"].as_str().unwrap(), frame["ErrorCode"].as_u64()) {
            ("MESSAGE", _) => delivered += 1,
            ("ERROR", Some(429)) => limited += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(
        (1..=3).contains(&delivered) && limited >= 2,
        "{delivered} delivered, {limited} limited"
    );

    // After all that, the connection still works.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    a.say("ok", "still fine").await;
    assert_eq!(a.next_of("MESSAGE").await["Content"], "still fine");
}

/// The endpoint speaks WebSocket only: anything else is told so in JSON, and a WebSocket client's
/// pings are answered in line with the room's frames.
#[tokio::test]
async fn the_chat_endpoint_refuses_plain_requests_in_json_and_answers_pings() {
    let app = spawn_app().await;
    let (_owner, alice, _bob) = room(&app).await;
    let plain = app.get("/chat", None).await;
    assert_eq!(plain.status, 426, "{}", plain.text);
    assert_eq!(plain.headers["upgrade"], "websocket");
    assert_eq!(plain.body["code"], "not_a_websocket_request");
    let old = app
        .client
        .get(format!("http://{}/chat", app.stack.addr))
        .header("Connection", "keep-alive, Upgrade")
        .header("Upgrade", "websocket")
        .header("Sec-WebSocket-Version", "8")
        .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 400);
    let body: serde_json::Value = old.json().await.unwrap();
    assert_eq!(body["message"], "Sec-WebSocket-Version must be 13");

    let mut a = join(&app, "room", Some(&alice)).await;
    a.ws.send(Message::Ping(b"are you there".to_vec().into()))
        .await
        .unwrap();
    let pong = loop {
        match tokio::time::timeout(Duration::from_secs(5), a.ws.next())
            .await
            .expect("answered within 5 s")
        {
            Some(Ok(Message::Pong(payload))) => break payload,
            Some(Ok(_)) => {}
            other => panic!("expected a pong, got {other:?}"),
        }
    };
    assert_eq!(&pong[..], b"are you there");
    a.say("p", "still talking").await;
    assert_eq!(a.next_of("MESSAGE").await["Content"], "still talking");
}

#[tokio::test]
async fn a_room_that_does_not_exist_answers_404() {
    let app = spawn_app().await;
    let (_owner, alice, _bob) = room(&app).await;
    let token = app
        .stack
        .chat()
        .create_token(&ChatTokenRequest {
            room: ChatRoom {
                arn: "arn:cloumer:ivschat:local:room/chgone".into(),
            },
            user_id: UserId::parse(&alice.user_id).unwrap(),
            capabilities: vec![ChatCapability::SendMessage],
            session_duration_minutes: 60,
            attributes: BTreeMap::new(),
        })
        .await
        .unwrap();
    let (ws, _) = connect_with(&token.endpoint, &token.token).await.unwrap();
    let mut client = Chat {
        ws,
        user_id: alice.user_id.clone(),
    };
    client.say("nf", "anyone?").await;
    assert_eq!(client.error().await.0, 404);
}

#[tokio::test]
async fn a_flooding_client_is_cut_off_and_others_are_unaffected() {
    let app = spawn_app().await;
    let (_owner, alice, bob) = room(&app).await;
    let mut flooder = join(&app, "room", Some(&alice)).await;
    let mut b = join(&app, "room", Some(&bob)).await;
    for _ in 0..400 {
        if flooder.ws.send(Message::text("{}")).await.is_err() {
            break;
        }
    }
    let mut cut = false;
    for _ in 0..500 {
        match tokio::time::timeout(Duration::from_secs(5), flooder.ws.next())
            .await
            .unwrap()
        {
            None | Some(Err(_)) | Some(Ok(Message::Close(_))) => {
                cut = true;
                break;
            }
            Some(Ok(_)) => {}
        }
    }
    assert!(cut, "the flooding connection is closed");
    b.say("b1", "business as usual").await;
    assert_eq!(b.next_of("MESSAGE").await["Content"], "business as usual");
}

#[tokio::test]
async fn a_reader_that_stops_reading_is_dropped_without_stalling_the_room() {
    let data = tempfile::tempdir().unwrap();
    let dist = data.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "x").unwrap();
    let mut config =
        cloumer_local::LocalConfig::new(([127, 0, 0, 1], 0).into(), dist, data.path().into(), 0);
    config.ingest = false;
    // With the default backlog (64 KiB): the stalled client overflows it and its socket
    // buffers (300 frames of ~2.5 KB), and the reading client keeps up on a loaded machine.
    let stack = cloumer_local::start(config).await.unwrap();
    let app = TestApp {
        stack,
        client: reqwest::Client::new(),
        _data: None,
    };
    let (owner, _alice, bob) = room(&app).await;
    set_rules(&app, &owner, json!({"maxMessagesPerSecond": 100})).await;
    // A client with a tiny receive buffer that never reads.
    let minted = token(&app, "room", Some(&bob)).await;
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(2048).unwrap();
    let stream = socket.connect(app.stack.addr).await.unwrap();
    let mut request = minted["endpoint"]
        .as_str()
        .unwrap()
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_str(minted["token"].as_str().unwrap()).unwrap(),
    );
    let (_stalled, _) = tokio_tungstenite::client_async(request, stream)
        .await
        .unwrap();

    // Two tabs of the owner, who has no sender limit in their own room.
    let a = join(&app, "room", Some(&owner)).await;
    let o = join(&app, "room", Some(&owner)).await;
    let mut reader = join(&app, "room", None).await;
    let big = "가".repeat(500);
    let count = 300;
    let padding: BTreeMap<String, String> = [("pad".to_owned(), "p".repeat(1000))].into();
    // Everyone but the stalled client reads as frames arrive.
    let expected = big.clone();
    let reading = tokio::spawn(async move {
        for _ in 0..count {
            assert_eq!(
                reader.next_of("MESSAGE").await["Content"],
                expected.as_str()
            );
        }
        reader
    });
    let mut senders = Vec::new();
    for chat in [a, o] {
        let (sink, mut stream) = chat.ws.split();
        tokio::spawn(async move { while let Some(Ok(_)) = stream.next().await {} });
        senders.push(sink);
    }
    let started = std::time::Instant::now();
    // Two connections at 18 messages a second each, under every rate limit, ~2.5 KB a message:
    // more than the stalled socket's buffers and queue can hold.
    for i in 0..count / 2 {
        for sink in &mut senders {
            let frame = json!({"Action": "SEND_MESSAGE", "RequestId": format!("m{i}"), "Content": big, "Attributes": padding});
            sink.send(Message::text(frame.to_string())).await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(55)).await;
    }
    let _reader = tokio::time::timeout(Duration::from_secs(10), reading)
        .await
        .expect("the reader got every message")
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the room kept flowing: {:?}",
        started.elapsed()
    );
    let room = app
        .stack
        .chat_rooms()
        .room(&cloumer_local::chat::Rooms::arn(
            &app.stack
                .platform()
                .channel_page("room", None)
                .await
                .unwrap()
                .channel
                .id,
        ));
    assert_eq!(
        room.connection_count(),
        3,
        "the stalled reader was dropped; the others stay"
    );
}

#[tokio::test]
async fn room_limits_come_back_from_the_channel_after_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let app = TestApp {
        stack: helpers::start_on(data.path()).await,
        client: reqwest::Client::new(),
        _data: None,
    };
    let (owner, _alice, _bob) = room(&app).await;
    set_rules(&app, &owner, json!({"maxMessageLength": 10})).await;
    app.stack.shutdown().await.unwrap();
    let app = TestApp {
        stack: helpers::start_on(data.path()).await,
        client: reqwest::Client::new(),
        _data: None,
    };
    let signed_in = app.sign_in("alice@example.com", helpers::PASSWORD).await;
    let alice = User {
        token: signed_in.body["AuthenticationResult"]["IdToken"]
            .as_str()
            .unwrap()
            .to_owned(),
        access_token: String::new(),
        refresh_token: String::new(),
        user_id: String::new(),
        handle: "alice".into(),
    };
    let mut a = join(&app, "room", Some(&alice)).await;
    a.say("long", "eleven chars").await;
    assert_eq!(
        a.error().await,
        (
            400,
            "long".to_owned(),
            "Messages must be at most 10 characters".to_owned()
        )
    );
    app.stack.shutdown().await.unwrap();
}

/// A stop (Ctrl-C on `cargo xtask dev`) tells every chat connection the server is going away
/// (1001, on which clients reconnect), rather than leaving them open holding the stack's data:
/// a start on the same data right after opens it.
#[tokio::test]
async fn a_stop_closes_chat_connections_as_going_away_and_a_restart_opens_the_data() {
    let data = tempfile::tempdir().unwrap();
    let app = TestApp {
        stack: helpers::start_on(data.path()).await,
        client: reqwest::Client::new(),
        _data: None,
    };
    let (owner, alice, _bob) = room(&app).await;
    let mut boss = join(&app, "room", Some(&owner)).await;
    let mut reader = join(&app, "room", Some(&alice)).await;
    app.stack.shutdown().await.unwrap();
    assert_eq!(reader.closed().await, Some(1001));
    assert_eq!(boss.closed().await, Some(1001));
    let restarted = helpers::start_on(data.path()).await;
    restarted.shutdown().await.unwrap();
}

/// What a viewer said in every room is theirs to read back (GET /api/v1/me/messages, the data
/// download's source), newest first, a page at a time; deleting their account takes it out of
/// every room's history.
#[tokio::test]
async fn what_a_viewer_said_everywhere_is_theirs_to_download_and_goes_with_their_account() {
    let app = spawn_app().await;
    let (owner, alice, bob) = room(&app).await;
    let mut in_room = join(&app, "room", Some(&alice)).await;
    let mut in_bobs = join(&app, "bob", Some(&alice)).await;
    let mut bob_in_bobs = join(&app, "bob", Some(&bob)).await;
    in_room.say("r1", "hello room 안녕").await;
    in_room.next_of("MESSAGE").await;
    in_bobs.say("b1", "hello bob").await;
    in_bobs.next_of("MESSAGE").await;
    bob_in_bobs.say("b2", "hi alice").await;
    bob_in_bobs.next_of("MESSAGE").await;
    in_room.say("r2", "bye").await;
    in_room.next_of("MESSAGE").await;

    let first = app.get("/api/v1/me/messages?limit=2", alice.auth()).await;
    assert_eq!(first.status, 200, "{}", first.text);
    let said = |page: &helpers::Reply| -> Vec<(String, String)> {
        page.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["channel"].as_str().unwrap_or("?").to_owned(),
                    m["message"]["content"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(
        said(&first),
        [
            ("room".into(), "bye".into()),
            ("bob".into(), "hello bob".into())
        ]
    );
    assert_eq!(
        first.body["items"][0]["message"]["sender"]["userId"],
        in_room.user_id.as_str()
    );
    let next = first.body["next"].as_str().unwrap();
    let rest = app
        .get(
            &format!("/api/v1/me/messages?limit=2&before={next}"),
            alice.auth(),
        )
        .await;
    assert_eq!(said(&rest), [("room".into(), "hello room 안녕".into())]);
    assert!(
        rest.body.get("next").is_none_or(Value::is_null),
        "{}",
        rest.text
    );
    // Each reads their own; the owner said nothing.
    let bobs = app.get("/api/v1/me/messages", bob.auth()).await;
    assert_eq!(said(&bobs), [("bob".into(), "hi alice".into())]);
    let owners = app.get("/api/v1/me/messages", owner.auth()).await;
    assert_eq!(said(&owners), []);

    // Refused: no token, a cursor or a page size that is not one.
    assert_eq!(app.get("/api/v1/me/messages", None).await.status, 401);
    for bad in [
        "before=yesterday",
        "before=1:..%2F",
        "limit=0",
        "limit=101",
        "limit=x",
        "page=2",
    ] {
        let refused = app
            .get(&format!("/api/v1/me/messages?{bad}"), alice.auth())
            .await;
        assert_eq!(refused.status, 400, "{bad}: {}", refused.text);
        assert!(refused.body["code"].is_string(), "{bad}: {}", refused.text);
    }

    // Her account deleted, nothing she said is left in either room; Bob's words stay. The
    // connection she left open (its token still valid) says nothing more.
    let deleted = app.delete("/api/v1/me", alice.auth()).await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    in_bobs.say("b3", "still here").await;
    let (code, request, message) = in_bobs.error().await;
    assert_eq!((code, request.as_str()), (406, "b3"), "{message}");
    assert!(message.contains("account was deleted"), "{message}");
    for (handle, left) in [("room", vec![]), ("bob", vec!["hi alice"])] {
        let history = app
            .get(&format!("/api/v1/channels/{handle}/chat/messages"), None)
            .await;
        let contents: Vec<&str> = history.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["content"].as_str().unwrap())
            .collect();
        assert_eq!(contents, left, "{handle}");
    }
}
