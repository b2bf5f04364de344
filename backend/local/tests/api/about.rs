//! A channel's bio and links over HTTP: kept tidied, shown on the channel page (a private one's
//! only to those who may watch), removed when emptied, and every bad request refused with a JSON
//! error that changes nothing.

use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_streamer_writes_a_bio_and_links_and_the_channel_page_shows_them() {
    let app = spawn_app().await;
    let star = app.user("star@example.com", "star", "Star").await;
    let fan = app.user("fan@example.com", "fan", "Fan").await;
    let written = json!({
        "bio": "  Speedruns every night.\r\n\r\n\r\n한국어도 해요  \n",
        "links": [
            {"label": " YouTube ", "url": "https://www.YouTube.com/@star"},
            {"url": "https://discord.gg/abc"},
        ],
    });
    let saved = app
        .put("/api/v1/me/channel/about", star.auth(), written)
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    let kept = json!({
        "bio": "Speedruns every night.\n\n한국어도 해요",
        "links": [
            {"label": "YouTube", "url": "https://www.youtube.com/@star"},
            {"label": "", "url": "https://discord.gg/abc"},
        ],
    });
    assert_eq!(saved.body, kept);
    let mine = app.get("/api/v1/me/channel", star.auth()).await;
    assert_eq!(mine.body["about"], kept, "{}", mine.text);
    // Once, as the browser app reads it (a second `about` beside the page's would be refused).
    let typed: cloumer_api_types::MyChannel = serde_json::from_str(&mine.text).unwrap();
    assert_eq!(typed.page.about.unwrap().links.len(), 2);
    let page = app.get("/api/v1/channels/star", None).await;
    assert_eq!(page.body["about"], kept, "{}", page.text);
    let other = app.get("/api/v1/channels/fan", None).await;
    assert!(other.body.get("about").is_none(), "{}", other.text);
    // The directory's listing carries no bio.
    let listed = app.get("/api/v1/directory", None).await;
    assert!(!listed.text.contains("Speedruns"), "{}", listed.text);

    // A private channel's bio and links are for those who may watch it.
    let private = app
        .patch("/api/v1/me/channel", star.auth(), json!({"private": true}))
        .await;
    assert_eq!(private.status, 200, "{}", private.text);
    for stranger in [None, fan.auth()] {
        let page = app.get("/api/v1/channels/star", stranger).await;
        assert!(page.body.get("about").is_none(), "{}", page.text);
    }
    let own = app.get("/api/v1/channels/star", star.auth()).await;
    assert_eq!(own.body["about"], kept, "{}", own.text);

    // Emptied, there is none.
    let cleared = app
        .put(
            "/api/v1/me/channel/about",
            star.auth(),
            json!({"bio": " \n ", "links": []}),
        )
        .await;
    assert_eq!(cleared.status, 200, "{}", cleared.text);
    assert_eq!(cleared.body, json!({"bio": "", "links": []}));
    let mine = app.get("/api/v1/me/channel", star.auth()).await;
    assert!(mine.body.get("about").is_none(), "{}", mine.text);
}

#[tokio::test]
async fn an_about_that_cannot_be_shown_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let star = app.user("star@example.com", "star", "Star").await;
    let good = json!({"bio": "Hello", "links": [{"label": "Site", "url": "https://example.com/"}]});
    let saved = app
        .put("/api/v1/me/channel/about", star.auth(), good.clone())
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    let link = |url: &str| json!({"bio": "", "links": [{"label": "x", "url": url}]});
    let six: Vec<Value> = (0..6)
        .map(|i| json!({"label": "", "url": format!("https://example{i}.com/")}))
        .collect();
    for (body, code) in [
        (link("javascript:alert(1)"), "invalid_link"),
        (
            link("data:text/html,<script>alert(1)</script>"),
            "invalid_link",
        ),
        (link("https://user:pass@example.com/"), "invalid_link"),
        (link("https://10.0.0.1/"), "invalid_link"),
        (link("example.com"), "invalid_link"),
        (
            link(&format!("https://example.com/{}", "a".repeat(300))),
            "invalid_link",
        ),
        (json!({"bio": "", "links": six}), "invalid_about"),
        (
            json!({"bio": "가".repeat(301), "links": []}),
            "invalid_about",
        ),
        (json!({"bio": "tab\there", "links": []}), "invalid_about"),
        (json!({"bio": "\u{202E}evil", "links": []}), "invalid_about"),
        (
            json!({"bio": "", "links": [{"label": "a".repeat(26), "url": "https://example.com/"}]}),
            "invalid_about",
        ),
        (
            json!({"bio": "", "links": [{"label": "x"}]}),
            "invalid_json",
        ),
        (json!({"bio": 5, "links": []}), "invalid_json"),
        (
            json!({"bio": "", "links": [], "extra": true}),
            "invalid_json",
        ),
    ] {
        let refused = app
            .put("/api/v1/me/channel/about", star.auth(), body.clone())
            .await;
        assert_eq!(
            (refused.status.as_u16(), refused.code()),
            (400, code),
            "{body}: {}",
            refused.text
        );
    }
    let anonymous = app
        .put("/api/v1/me/channel/about", None, good.clone())
        .await;
    assert_eq!(anonymous.status, 401, "{}", anonymous.text);
    let mine = app.get("/api/v1/me/channel", star.auth()).await;
    assert_eq!(mine.body["about"], saved.body, "nothing changed");
}
