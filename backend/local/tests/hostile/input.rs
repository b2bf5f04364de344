//! Request bodies, headers and text users type.

use serde_json::json;

use crate::helpers::spawn_app;

/// Item 14: a JSON array once passed for a body, positionally filling the fields.
#[tokio::test]
async fn a_json_array_is_not_a_request_body() {
    let app = spawn_app().await;
    let owner = app.user("a@example.com", "arrays", "Arrays").await;
    let reply = app
        .patch("/api/v1/me/channel", owner.auth(), json!([null, "title"]))
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert_eq!(reply.code(), "invalid_json");
    for body in [
        json!("title"),
        json!(7),
        json!(null),
        json!([{"title": "x"}]),
    ] {
        let reply = app.patch("/api/v1/me", owner.auth(), body.clone()).await;
        assert_eq!(
            (reply.status.as_u16(), reply.code()),
            (400, "invalid_json"),
            "{body}"
        );
    }
    let channel = app.get("/api/v1/channels/arrays", None).await;
    assert_eq!(channel.body["title"], "", "nothing changed");
}

/// Item 16: the identity stand-in's answers carry tokens; nothing may cache them.
#[tokio::test]
async fn token_answers_are_never_cached() {
    let app = spawn_app().await;
    app.user("c@example.com", "cached", "Cached").await;
    let response = app
        .client
        .post(app.url("/cognito/"))
        .header("X-Amz-Target", "AWSCognitoIdentityProviderService.InitiateAuth")
        .header("Content-Type", "application/x-amz-json-1.1")
        .body(
            json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": app.client_id(),
                "AuthParameters": {"USERNAME": "c@example.com", "PASSWORD": crate::helpers::PASSWORD}})
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"].to_str().unwrap(),
        "no-store"
    );
}

/// Item 16: the app may not be framed (clickjacking), locally as behind CloudFront; only the
/// embeddable player, which acts for nobody, may.
#[tokio::test]
async fn the_app_refuses_to_be_framed() {
    let app = spawn_app().await;
    for path in [
        "/",
        "/dashboard",
        "/config.json",
        "/embed",
        "/clips/clAb1",
        "/embedded/x",
        "/x/embed/y",
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        let headers = response.headers();
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    }
    // The embeddable players alone may be framed, by any site (the app shows nothing else there).
    for path in [
        "/embed/mina",
        "/embed/clips/clAb1",
        "/embed/videos/vdAb1",
        "/embed/x/y",
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers();
        assert!(headers.get("x-frame-options").is_none(), "{path}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.starts_with("frame-ancestors *;"), "{path}: {csp}");
        assert!(csp.contains("object-src 'none'"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
    }
}

/// Item 15: an avatar URL of the user's choosing loaded in every viewer's browser (a tracking
/// pixel); avatars are the built-in pictures.
#[tokio::test]
async fn an_avatar_is_one_of_the_built_in_pictures() {
    let app = spawn_app().await;
    let user = app.user("p@example.com", "pixel", "Pixel").await;
    for avatar in [
        "https://tracker.example/pixel.gif",
        "http://tracker.example/pixel.gif",
        "preset:../../etc/passwd",
        "data:image/png;base64,AAAA",
    ] {
        let reply = app
            .patch("/api/v1/me", user.auth(), json!({ "avatar": avatar }))
            .await;
        assert_eq!(
            (reply.status.as_u16(), reply.code()),
            (400, "invalid_avatar"),
            "{avatar}: {}",
            reply.text
        );
    }
    let reply = app
        .patch(
            "/api/v1/me",
            user.auth(),
            json!({ "avatar": "preset:whale" }),
        )
        .await;
    assert_eq!(reply.body["avatar"], "preset:whale", "{}", reply.text);
}

/// Item 15: nicknames with direction overrides or invisible characters read as someone else's.
#[tokio::test]
async fn a_nickname_cannot_hide_or_reverse_its_text() {
    let app = spawn_app().await;
    let user = app.user("n@example.com", "names", "Names").await;
    for nickname in [
        "owner\u{202E}resu",     // right-to-left override
        "ad\u{200B}min",         // zero-width space
        "\u{2066}admin\u{2069}", // isolates
        "\u{3164}",              // Hangul filler: a blank name
        "adm\u{00AD}in",         // soft hyphen
    ] {
        let reply = app
            .patch("/api/v1/me", user.auth(), json!({ "nickname": nickname }))
            .await;
        assert_eq!(
            (reply.status.as_u16(), reply.code()),
            (400, "invalid_nickname"),
            "{nickname:?}: {}",
            reply.text
        );
    }
    // Korean, emoji (with their joiners) and combining marks written two ways stay welcome,
    // stored in one (composed) form.
    for (nickname, stored) in [
        ("민지 👩‍💻", "민지 👩‍💻"),
        ("Cafe\u{301}", "Café"),
        ("ㅋㅋㅋ", "ㅋㅋㅋ"),
    ] {
        let reply = app
            .patch("/api/v1/me", user.auth(), json!({ "nickname": nickname }))
            .await;
        assert_eq!(reply.body["nickname"], stored, "{}", reply.text);
    }
}

/// Item 15, the same class: titles and categories show in everyone's directory.
#[tokio::test]
async fn titles_and_categories_cannot_hide_or_reverse_text_either() {
    let app = spawn_app().await;
    let user = app.user("t@example.com", "titles", "Titles").await;
    for (field, value) in [
        ("title", "free \u{202E}sknid"),
        ("category", "Mu\u{200B}sic"),
    ] {
        let reply = app
            .patch("/api/v1/me/channel", user.auth(), json!({ field: value }))
            .await;
        assert_eq!(reply.status, 400, "{field}: {}", reply.text);
    }
}

/// A path longer than any file name may be, under every prefix the stack serves files from: a
/// file that is not there (or a page of the app), never a server error (the file servers of
/// the app's files and of emotes passed such names to the file system, which refused them, and
/// answered 500).
#[tokio::test]
async fn a_path_too_long_for_a_file_is_missing_not_a_server_error() {
    let app = spawn_app().await;
    let name = "a".repeat(4000);
    let deep = "/a".repeat(2500);
    for prefix in [
        "",
        "/emotes",
        "/emotes/chAbc",
        "/avatars",
        "/hls/chAbc",
        "/recordings/chAbc/rec1",
        "/private-recordings/chAbc/rec1",
        "/video-files/vdAbc",
    ] {
        for path in [
            format!("{prefix}/{name}"),
            format!("{prefix}/{name}.png"),
            format!("{prefix}{deep}"),
            format!("{prefix}{deep}.png"),
        ] {
            let response = app.client.get(app.url(&path)).send().await.unwrap();
            let status = response.status().as_u16();
            // A file that is not there; without a dot, a path that names no file may be a page
            // of the app instead.
            let file = path.ends_with(".png");
            assert!(
                if file {
                    (400..500).contains(&status)
                } else {
                    status < 500
                },
                "{prefix}/…: {status} {}",
                response.text().await.unwrap()
            );
        }
    }
}

/// A streamer's script saving settings in a loop: each new chat rule set is an UpdateRoom on
/// IVS (a per-account quota) and an event to everyone in the room, each key reset a new key.
/// Channel changes share one budget (60 in ten minutes); past it each is refused with 429 and
/// changes nothing, while other streamers carry on.
#[tokio::test]
async fn a_script_cannot_change_channel_settings_in_a_loop() {
    let app = spawn_app().await;
    let looper = app.user("loop@example.com", "looper", "Looper").await;
    let other = app.user("other@example.com", "other_one", "Other").await;
    let rules = |slow: u32| {
        json!({"maxMessageLength": 500, "maxMessagesPerSecond": 10, "filteredWords": [],
               "filterMode": "BLOCK", "slowModeSeconds": slow})
    };
    let mut refused = None;
    for i in 0..100 {
        let reply = app
            .put("/api/v1/me/channel/chat-rules", looper.auth(), rules(i % 2))
            .await;
        if reply.status == 429 {
            refused = Some((i, reply));
            break;
        }
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    let (after, reply) = refused.expect("settings changes are limited");
    assert_eq!(after, 60, "a busy afternoon of settings is fine");
    assert_eq!(reply.code(), "rate_limited", "{}", reply.text);
    assert!(reply.body["message"].is_string(), "{}", reply.text);
    let kept = app
        .get("/api/v1/me/channel/chat-rules", looper.auth())
        .await;
    assert_eq!(kept.body["slowModeSeconds"], 1, "the last one let through");
    let key = app
        .get("/api/v1/me/channel/stream-key", looper.auth())
        .await;
    let reset = app
        .post("/api/v1/me/channel/stream-key/reset", looper.auth(), None)
        .await;
    assert_eq!(reset.status, 429, "{}", reset.text);
    let title = app
        .patch(
            "/api/v1/me/channel",
            looper.auth(),
            json!({"title": "again"}),
        )
        .await;
    assert_eq!(title.status, 429, "{}", title.text);
    assert_eq!(
        app.get("/api/v1/me/channel/stream-key", looper.auth())
            .await
            .body,
        key.body,
        "the key still works"
    );
    let theirs = app
        .patch("/api/v1/me/channel", other.auth(), json!({"title": "mine"}))
        .await;
    assert_eq!(theirs.status, 200, "{}", theirs.text);
}
