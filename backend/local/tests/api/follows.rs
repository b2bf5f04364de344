//! Following channels over HTTP: the button's round trip, counts, the Following list, racing
//! requests and every bad input.

use reqwest::Method;

use crate::helpers::{go_live, spawn_app};

fn handles(list: &serde_json::Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["handle"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_viewer_follows_sees_the_count_and_their_following_list_then_unfollows() {
    let app = spawn_app().await;
    let streamer = app.user("sol@example.com", "sol", "Sol").await;
    let quiet = app.user("quiet@example.com", "quiet", "Quiet").await;
    let viewer = app.user("vic@example.com", "vic", "Vic").await;
    let token = Some(viewer.token.as_str());

    let page = app.get("/api/v1/channels/sol", token).await;
    assert_eq!(
        (
            page.body["followers"].as_u64(),
            page.body["following"].as_bool()
        ),
        (Some(0), Some(false))
    );

    let followed = app
        .put(
            "/api/v1/channels/Sol/follow",
            token,
            serde_json::json!(null),
        )
        .await;
    assert_eq!(followed.status, 200, "{}", followed.text);
    assert_eq!(
        followed.body,
        serde_json::json!({"followers": 1, "following": true, "notify": true})
    );
    let quietly = app
        .put(
            "/api/v1/channels/quiet/follow",
            token,
            serde_json::json!(null),
        )
        .await;
    assert_eq!(quietly.status, 200, "{}", quietly.text);

    let page = app.get("/api/v1/channels/sol", token).await;
    assert_eq!(
        (
            page.body["followers"].as_u64(),
            page.body["following"].as_bool()
        ),
        (Some(1), Some(true))
    );
    let anonymous = app.get("/api/v1/channels/sol", None).await;
    assert_eq!(
        (
            anonymous.body["followers"].as_u64(),
            anonymous.body["following"].as_bool()
        ),
        (Some(1), Some(false))
    );
    let dashboard = app.get("/api/v1/me/channel", Some(&streamer.token)).await;
    assert_eq!(dashboard.body["followers"], 1);

    // Sol goes live: first in the live part, though followed first.
    go_live(&app, &streamer, "st-follow").await;
    let following = app.get("/api/v1/me/following", token).await;
    assert_eq!(following.status, 200, "{}", following.text);
    assert_eq!(handles(&following.body["live"]), ["sol"]);
    assert_eq!(handles(&following.body["items"]), ["quiet", "sol"]);
    assert!(following.body["next"].is_null());
    let first = app.get("/api/v1/me/following?limit=1", token).await;
    assert_eq!(handles(&first.body["items"]), ["quiet"]);
    let cursor = first.body["next"].as_str().unwrap().to_owned();
    let rest = app
        .get(
            &format!("/api/v1/me/following?limit=1&cursor={cursor}"),
            token,
        )
        .await;
    assert_eq!(handles(&rest.body["items"]), ["sol"]);
    assert!(rest.body["live"].as_array().unwrap().is_empty());
    // The streamer's own list is their own.
    let theirs = app.get("/api/v1/me/following", Some(&quiet.token)).await;
    assert!(handles(&theirs.body["items"]).is_empty());

    let unfollowed = app.delete("/api/v1/channels/sol/follow", token).await;
    assert_eq!(
        unfollowed.body,
        serde_json::json!({"followers": 0, "following": false, "notify": false})
    );
    let following = app.get("/api/v1/me/following", token).await;
    assert_eq!(handles(&following.body["items"]), ["quiet"]);
    assert!(handles(&following.body["live"]).is_empty());
}

#[tokio::test]
async fn racing_follow_requests_count_once() {
    let app = spawn_app().await;
    app.user("sol@example.com", "sol", "Sol").await;
    let viewer = app.user("vic@example.com", "vic", "Vic").await;
    let requests = (0..8).map(|_| {
        app.request(
            Method::PUT,
            "/api/v1/channels/sol/follow",
            Some(&viewer.token),
            None,
        )
    });
    for reply in futures_util::future::join_all(requests).await {
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    let page = app.get("/api/v1/channels/sol", None).await;
    assert_eq!(page.body["followers"], 1);
}

#[tokio::test]
async fn bad_follow_requests_get_clear_errors_and_change_nothing() {
    let app = spawn_app().await;
    let streamer = app.user("sol@example.com", "sol", "Sol").await;
    let viewer = app.user("vic@example.com", "vic", "Vic").await;
    let token = Some(viewer.token.as_str());

    let cases = [
        (
            Method::PUT,
            "/api/v1/channels/sol/follow",
            None,
            401,
            "unauthenticated",
        ),
        (
            Method::PUT,
            "/api/v1/channels/sol/follow",
            Some("forged.token.here"),
            401,
            "invalid_token",
        ),
        (
            Method::GET,
            "/api/v1/me/following",
            None,
            401,
            "unauthenticated",
        ),
        (
            Method::PUT,
            "/api/v1/channels/nobody_here/follow",
            token,
            404,
            "not_found",
        ),
        (
            Method::PUT,
            "/api/v1/channels/a%20b%00/follow",
            token,
            404,
            "not_found",
        ),
        (
            Method::PUT,
            "/api/v1/channels/sol/follow",
            Some(streamer.token.as_str()),
            409,
            "own_channel",
        ),
        (
            Method::GET,
            "/api/v1/me/following?cursor=12:a%20b",
            token,
            400,
            "invalid_cursor",
        ),
        (
            Method::GET,
            "/api/v1/me/following?cursor=abc",
            token,
            400,
            "invalid_cursor",
        ),
        (
            Method::GET,
            "/api/v1/me/following?limit=0",
            token,
            400,
            "invalid_limit",
        ),
        (
            Method::GET,
            "/api/v1/me/following?limit=101",
            token,
            400,
            "invalid_limit",
        ),
        (
            Method::GET,
            "/api/v1/me/following?sort=desc",
            token,
            400,
            "invalid_parameter",
        ),
    ];
    for (method, path, bearer, status, code) in cases {
        let reply = app.request(method.clone(), path, bearer, None).await;
        assert_eq!(
            (reply.status.as_u16(), reply.code()),
            (status, code),
            "{method} {path}: {}",
            reply.text
        );
    }
    let page = app.get("/api/v1/channels/sol", None).await;
    assert_eq!(page.body["followers"], 0, "nothing was followed");
}

#[tokio::test]
async fn a_go_live_reaches_followers_bell_until_they_have_seen_it() {
    let app = spawn_app().await;
    let streamer = app.user("sol@example.com", "sol", "Sol").await;
    let fan = app.user("vic@example.com", "vic", "Vic").await;
    let other = app.user("oz@example.com", "oz", "Oz").await;
    let token = Some(fan.token.as_str());
    app.put(
        "/api/v1/channels/sol/follow",
        token,
        serde_json::json!(null),
    )
    .await;
    go_live(&app, &streamer, "st-follow").await;

    let bell = app.get("/api/v1/me/notifications", token).await;
    assert_eq!(bell.status, 200, "{}", bell.text);
    assert_eq!(bell.body["unread"], 1);
    let item = &bell.body["items"][0];
    assert_eq!(
        (
            &item["channelHandle"],
            &item["ownerNickname"],
            &item["unread"]
        ),
        (
            &serde_json::json!("sol"),
            &serde_json::json!("Sol"),
            &serde_json::json!(true)
        )
    );
    let nobody = app
        .get("/api/v1/me/notifications", Some(&other.token))
        .await;
    assert_eq!(nobody.body["items"], serde_json::json!([]));

    let seen = app.post("/api/v1/me/notifications/seen", token, None).await;
    assert_eq!(seen.status, 204, "{}", seen.text);
    let bell = app.get("/api/v1/me/notifications", token).await;
    assert_eq!(bell.body["unread"], 0);
    assert_eq!(bell.body["items"][0]["unread"], false);

    for (path, bearer, status, code) in [
        ("/api/v1/me/notifications", None, 401, "unauthenticated"),
        (
            "/api/v1/me/notifications?cursor=x",
            token,
            400,
            "invalid_cursor",
        ),
        (
            "/api/v1/me/notifications?limit=1000",
            token,
            400,
            "invalid_limit",
        ),
    ] {
        let reply = app.get(path, bearer).await;
        assert_eq!(
            (reply.status.as_u16(), reply.code()),
            (status, code),
            "{path}"
        );
    }
    let unsigned = app.post("/api/v1/me/notifications/seen", None, None).await;
    assert_eq!(unsigned.status, 401);
}

/// A go-live stays in the bell for thirty days: it leads to the channel as it is now (a link to
/// its old handle would be a 404) and is gone at once when the streamer deletes their account.
#[tokio::test]
async fn the_bell_follows_a_renamed_channel_and_forgets_a_deleted_one() {
    let app = spawn_app().await;
    let streamer = app.user("sol@example.com", "sol", "Sol").await;
    let fan = app.user("vic@example.com", "vic", "Vic").await;
    let token = Some(fan.token.as_str());
    app.put(
        "/api/v1/channels/sol/follow",
        token,
        serde_json::json!(null),
    )
    .await;
    go_live(&app, &streamer, "st-renamed").await;
    let renamed = app
        .patch(
            "/api/v1/me/channel",
            streamer.auth(),
            serde_json::json!({"handle": "sol_live"}),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);

    let bell = app.get("/api/v1/me/notifications", token).await;
    assert_eq!(bell.status, 200, "{}", bell.text);
    assert_eq!(
        bell.body["items"][0]["channelHandle"], "sol_live",
        "{}",
        bell.text
    );
    assert_eq!(bell.body["unread"], 1);

    let deleted = app.delete("/api/v1/me", streamer.auth()).await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    let bell = app.get("/api/v1/me/notifications", token).await;
    assert_eq!(bell.status, 200, "{}", bell.text);
    assert_eq!(bell.body["items"], serde_json::json!([]), "{}", bell.text);
    assert_eq!(bell.body["unread"], 0);
}

/// A streamer reads who follows them over HTTP, newest first and a page at a time, with each
/// follower's name and channel; signed out nobody does, and a bad page is a clear 400.
#[tokio::test]
async fn a_streamer_lists_their_followers_a_page_at_a_time() {
    let app = spawn_app().await;
    let streamer = app.user("sol@example.com", "sol", "Sol").await;
    let mut fans = Vec::new();
    for (email, handle, nickname) in [
        ("ana@example.com", "ana", "아나"),
        ("bo@example.com", "bo", "Bo"),
        ("cy@example.com", "cy", "Cy"),
    ] {
        let fan = app.user(email, handle, nickname).await;
        let followed = app
            .put(
                "/api/v1/channels/sol/follow",
                fan.auth(),
                serde_json::json!(null),
            )
            .await;
        assert_eq!(followed.status, 200, "{}", followed.text);
        fans.push(fan);
    }
    let nicknames = |items: &serde_json::Value| -> Vec<String> {
        items
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["nickname"].as_str().unwrap().to_owned())
            .collect()
    };
    let path = "/api/v1/me/channel/followers";
    let first = app.get(&format!("{path}?limit=2"), streamer.auth()).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(nicknames(&first.body["items"]), ["Cy", "Bo"]);
    assert!(first.body["items"][0]["followedAt"].is_string());
    // Each with their own channel, to link to.
    let cys_channel = app.get("/api/v1/me/channel", fans[2].auth()).await;
    assert_eq!(first.body["items"][0]["handle"], cys_channel.body["handle"]);
    let next = first.body["next"].as_str().unwrap();
    let rest = app
        .get(&format!("{path}?limit=2&cursor={next}"), streamer.auth())
        .await;
    assert_eq!(nicknames(&rest.body["items"]), ["아나"]);
    assert!(rest.body["next"].is_null());

    let signed_out = app.get(path, None).await;
    assert_eq!(signed_out.status, 401, "{}", signed_out.text);
    for query in [
        "?limit=0",
        "?limit=101",
        "?cursor=nonsense",
        "?cursor=1:bad%20id",
    ] {
        let refused = app.get(&format!("{path}{query}"), streamer.auth()).await;
        assert_eq!(refused.status, 400, "{query}: {}", refused.text);
        assert!(
            refused.body["code"].is_string(),
            "{query}: {}",
            refused.text
        );
    }
}
