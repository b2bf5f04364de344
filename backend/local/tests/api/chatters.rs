//! A chatter's card over real HTTP: what anyone who may watch sees, what only the room's owner
//! and moderators see, and who may not look.

use cloumer_api_types as api;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_chatters_card_over_http() {
    let app = spawn_app().await;
    let owner = app.user("host@example.com", "host", "Host").await;
    let moderator = app.user("mod@example.com", "helper", "Helper").await;
    let fan = app.user("fan@example.com", "fan", "Fan 팬").await;
    let appointed = app
        .put(
            "/api/v1/me/channel/moderators/helper",
            owner.auth(),
            json!(null),
        )
        .await;
    assert_eq!(appointed.status, 200, "{}", appointed.text);
    let followed = app
        .put("/api/v1/channels/host/follow", fan.auth(), json!(null))
        .await;
    assert_eq!(followed.status, 200, "{}", followed.text);
    let path = |user: &str| format!("/api/v1/channels/host/chatters/{user}");

    // Signed out, anyone sees who the fan is, since when they joined and follow.
    let reply = app.get(&path(&fan.user_id), None).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let card: api::ChatterCard = serde_json::from_value(reply.body.clone()).unwrap();
    assert_eq!(card.user_id, fan.user_id);
    assert_eq!(card.nickname, "Fan 팬");
    assert_eq!(card.handle, "fan");
    assert_eq!(card.role, "viewer");
    assert!(card.avatar.starts_with("preset:"), "{}", card.avatar);
    let joined = time::OffsetDateTime::parse(
        &card.joined_at,
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let since = card.followed_at.as_deref().expect("follows the channel");
    let since =
        time::OffsetDateTime::parse(since, &time::format_description::well_known::Rfc3339).unwrap();
    assert!(joined <= since, "{card:?}");
    assert_eq!(card.restriction, None);
    let roles = [(&owner, "owner"), (&moderator, "moderator")];
    for (user, role) in roles {
        let reply = app.get(&path(&user.user_id), fan.auth()).await;
        assert_eq!(reply.body["role"], role, "{}", reply.text);
        assert_eq!(reply.body["followedAt"], json!(null), "{}", reply.text);
    }

    // A timeout shows to the room's owner and moderators, not to the fan it concerns.
    let timeout = app
        .put(
            &format!("/api/v1/channels/host/timeouts/{}", fan.user_id),
            moderator.auth(),
            json!({"durationMinutes": 10, "reason": "도배"}),
        )
        .await;
    assert_eq!(timeout.status, 200, "{}", timeout.text);
    for user in [&owner, &moderator] {
        let reply = app.get(&path(&fan.user_id), user.auth()).await;
        assert_eq!(reply.body["restriction"]["timeout"], true, "{}", reply.text);
        assert_eq!(
            reply.body["restriction"]["reason"], "도배",
            "{}",
            reply.text
        );
        // And the log's entry for it, as the moderation log words it.
        let history = reply.body["history"].as_array().unwrap();
        assert_eq!(history.len(), 1, "{}", reply.text);
        assert_eq!(history[0]["action"], "timeout", "{}", reply.text);
        assert_eq!(history[0]["reason"], "도배", "{}", reply.text);
        assert_eq!(
            history[0]["targetUserId"],
            fan.user_id.as_str(),
            "{}",
            reply.text
        );
    }
    for token in [fan.auth(), None] {
        let reply = app.get(&path(&fan.user_id), token).await;
        assert_eq!(reply.body["restriction"], json!(null), "{}", reply.text);
        assert_eq!(reply.body["history"], json!([]), "{}", reply.text);
    }

    // Nobody by that id, no such channel, a bad token.
    for (path, status, code) in [
        (path("u-nobody"), 404, "not_found"),
        (path("no%20spaces"), 404, "not_found"),
        (
            format!("/api/v1/channels/nochannel/chatters/{}", fan.user_id),
            404,
            "not_found",
        ),
    ] {
        let reply = app.get(&path, None).await;
        assert_eq!(
            (reply.status.as_u16(), reply.code()),
            (status, code),
            "{path}: {}",
            reply.text
        );
    }
    let reply = app.get(&path(&fan.user_id), Some("not-a-token")).await;
    assert_eq!(reply.status, 401, "{}", reply.text);

    // A private channel's chatters are for those who may watch it.
    let private = app
        .patch("/api/v1/me/channel", owner.auth(), json!({"private": true}))
        .await;
    assert_eq!(private.status, 200, "{}", private.text);
    for token in [None, fan.auth()] {
        let reply = app.get(&path(&moderator.user_id), token).await;
        assert_eq!(reply.status, 403, "{}", reply.text);
    }
    let reply = app.get(&path(&moderator.user_id), owner.auth()).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}
