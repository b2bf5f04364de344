//! A shared link's card: the page at a channel's address carries its preview (Open Graph and
//! Twitter tags) for the crawlers of chat apps and social sites, which run no JavaScript.

use serde_json::json;

use crate::helpers::{TestApp, go_live, spawn_app_with};

/// An entry page shaped as the build writes it: the policy first, the site's own description
/// and title, the app's loader.
const ENTRY: &str = "<!doctype html>\n<html lang=\"en\">\n  <head>\n    <meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self'\" />\n    <meta charset=\"utf-8\" />\n    <meta name=\"description\" content=\"Cloumer: live streams with low latency and chat\" />\n    <title>Cloumer</title>\n    <script type=\"module\">import init from '/cloumer-web-0123.js'; await init();</script>\n  </head>\n  <body></body>\n</html>\n";

async fn app_with_entry() -> TestApp {
    let mut dist = None;
    let app = spawn_app_with(|config| dist = Some(config.dist_dir.clone())).await;
    std::fs::write(dist.unwrap().join("index.html"), ENTRY).unwrap();
    app
}

async fn page(app: &TestApp, path: &str) -> String {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    let kind = response.headers()["content-type"].to_str().unwrap();
    assert!(kind.starts_with("text/html"), "{path}: {kind}");
    response.text().await.unwrap()
}

fn meta<'a>(page: &'a str, property: &str) -> Option<&'a str> {
    let key = format!("property=\"{property}\" content=\"");
    let start = page.find(&key)? + key.len();
    Some(&page[start..start + page[start..].find('"')?])
}

#[tokio::test]
async fn a_channels_link_shows_its_streamer_and_stream_title_escaped() {
    let app = app_with_entry().await;
    let user = app.user("mina@example.com", "mina", "Mina <3").await;
    let hostile = "\"><script>alert(1)</script> & friends";
    let changed = app
        .patch("/api/v1/me/channel", user.auth(), json!({"title": hostile}))
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    let changed = app
        .patch("/api/v1/me", user.auth(), json!({"avatar": "preset:fox"}))
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);

    let html = page(&app, "/mina").await;
    assert_eq!(meta(&html, "og:title"), Some("Mina &lt;3"), "{html}");
    assert_eq!(
        meta(&html, "og:description"),
        Some("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends"),
        "{html}"
    );
    assert_eq!(meta(&html, "og:site_name"), Some("Cloumer"));
    assert_eq!(meta(&html, "og:type"), Some("website"));
    assert_eq!(
        meta(&html, "og:url").map(str::to_owned),
        Some(app.url("/mina"))
    );
    // Offline: the streamer's avatar (its PNG: crawlers draw no SVG), on the small card.
    assert_eq!(
        meta(&html, "og:image").map(str::to_owned),
        Some(app.url("/avatars/fox.png"))
    );
    assert!(html.contains("name=\"twitter:card\" content=\"summary\""));
    assert!(
        html.contains("<title>Mina &lt;3 · Cloumer</title>"),
        "{html}"
    );
    // Only what the build wrote runs: the title's script is text, the loader is untouched.
    assert_eq!(html.matches("<script").count(), 1, "{html}");
    assert!(html.contains("<script type=\"module\">import init from '/cloumer-web-0123.js'"));
    assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">\n  <head>\n    <meta http-equiv=\"Content-Security-Policy\""));
    assert!(
        !html.contains("Cloumer: live streams"),
        "one description: {html}"
    );
    // However the link spells the handle, the card names the channel's own address.
    let html = page(&app, "/MINA").await;
    assert_eq!(
        meta(&html, "og:url").map(str::to_owned),
        Some(app.url("/mina"))
    );
    assert!(
        html.contains(&format!(
            "<link rel=\"canonical\" href=\"{}\" />",
            app.url("/mina")
        )),
        "{html}"
    );
    // The site's headers, as for every page of the app.
    let headers = app
        .client
        .get(app.url("/Mina"))
        .send()
        .await
        .unwrap()
        .headers()
        .clone();
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["cache-control"], "public, max-age=0, s-maxage=60");

    // Live: the card is a video's.
    go_live(&app, &user, "st-mina").await;
    let html = page(&app, "/mina").await;
    assert_eq!(meta(&html, "og:type"), Some("video.other"), "{html}");
    // No frame of the stream yet (nothing is encoding here): still the avatar, small.
    assert_eq!(
        meta(&html, "og:image").map(str::to_owned),
        Some(app.url("/avatars/fox.png"))
    );
    assert!(html.contains("name=\"twitter:card\" content=\"summary\""));
}

#[tokio::test]
async fn a_private_channels_link_and_other_pages_show_the_sites_own_card() {
    let app = app_with_entry().await;
    let user = app.user("hidden@example.com", "hidden", "Hidden One").await;
    let changed = app
        .patch(
            "/api/v1/me/channel",
            user.auth(),
            json!({"title": "secret plans", "private": true}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);

    // Longer than any file name, or any path to a file, may be.
    let long = format!("/{}", "a".repeat(4000));
    let deep = "/a".repeat(2000);
    for path in [
        "/hidden",
        "/nobody_here",
        "/dashboard",
        "/clips/clNope",
        "/videos/vdNope",
        "/videos/rec-a%2Fb",
        "/videos/%FF%FE",
        "/videos/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/clips/%00",
        long.as_str(),
        deep.as_str(),
        "/a/b/c",
        "/",
    ] {
        let html = page(&app, path).await;
        assert_eq!(html, ENTRY, "{path}");
    }
    // Files are still files: a missing one is a 404, not a page.
    for file in ["/hidden.wasm", "/videos/..%2F..%2Fetc%2Fpasswd"] {
        let missing = app.client.get(app.url(file)).send().await.unwrap();
        assert_eq!(missing.status(), 404, "{file}");
    }
}
