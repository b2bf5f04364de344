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

    // Offline, a channel with a bio is described by it (on one line, escaped).
    let about = app
        .put(
            "/api/v1/me/channel/about",
            user.auth(),
            json!({"bio": "Speedruns <nightly>\n\nKorean & English", "links": []}),
        )
        .await;
    assert_eq!(about.status, 200, "{}", about.text);
    let html = page(&app, "/mina").await;
    assert_eq!(
        meta(&html, "og:description"),
        Some("Speedruns &lt;nightly&gt; Korean &amp; English"),
        "{html}"
    );

    // Live: the card is a video's, described by what is on.
    go_live(&app, &user, "st-mina").await;
    let html = page(&app, "/mina").await;
    assert_eq!(meta(&html, "og:type"), Some("video.other"), "{html}");
    assert_eq!(
        meta(&html, "og:description"),
        Some("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends"),
        "{html}"
    );
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

/// The query that asks for `page`'s oEmbed answer, `extra` after it.
fn oembed_query(app: &TestApp, page: &str, extra: &str) -> String {
    format!("{}{extra}", oembed_for(&app.url(page)))
}

/// The oEmbed query for any `url`, percent-encoded as a consumer sends it.
fn oembed_for(url: &str) -> String {
    let mut query = reqwest::Url::parse("http://x/").unwrap();
    query.query_pairs_mut().append_pair("url", url);
    format!("/api/v1/oembed?{}", query.query().unwrap())
}

/// A channel's page names its oEmbed answer, for the blog engines and link-preview services
/// that discover it; the answer embeds the channel's player, as the dashboard's code does,
/// within the room the consumer has.
#[tokio::test]
async fn a_channels_link_names_its_oembed_answer_which_embeds_its_player() {
    let app = app_with_entry().await;
    let user = app.user("mina@example.com", "mina", "Mina \"<3\"").await;
    let changed = app
        .patch("/api/v1/me", user.auth(), json!({"avatar": "preset:fox"}))
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);

    let html = page(&app, "/Mina").await;
    let start = html
        .find("<link rel=\"alternate\" type=\"application/json+oembed\" href=\"")
        .unwrap_or_else(|| panic!("no oEmbed link in {html}"));
    let rest = &html[start..];
    let href = &rest[rest.find("href=\"").unwrap() + 6..];
    let href = href[..href.find('"').unwrap()].replace("&amp;", "&");
    assert!(
        rest.starts_with(&format!(
            "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"{}\" title=\"Mina &quot;&lt;3&quot;\" />",
            app.url(&oembed_query(&app, "/mina", "")).replace("/api/v1/oembed?url=", "/api/v1/oembed?format=json&amp;url=")
        )),
        "{rest}"
    );

    let answer = app.client.get(&href).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["content-type"], "application/json");
    assert_eq!(answer.headers()["cache-control"], "public, max-age=60");
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(
        body,
        json!({
            "type": "video",
            "version": "1.0",
            "title": "Mina \"<3\"",
            "author_name": "Mina \"<3\"",
            "author_url": app.url("/mina"),
            "provider_name": "Cloumer",
            "provider_url": app.url("/"),
            "cache_age": 60,
            "html": format!(
                "<iframe src=\"{}\" width=\"640\" height=\"360\" allow=\"autoplay; fullscreen; picture-in-picture\" allowfullscreen title=\"Mina &quot;&lt;3&quot; · Cloumer\"></iframe>",
                app.url("/embed/mina")
            ),
            "width": 640,
            "height": 360,
            "thumbnail_url": app.url("/avatars/fox.png"),
            "thumbnail_width": 256,
            "thumbnail_height": 256,
        })
    );

    // Less room: the largest 16:9 player inside it. The embedded player's own address, with a
    // query and fragment, names the same channel.
    for (page, extra, size) in [
        ("/mina", "&maxwidth=320", (320, 180)),
        ("/mina", "&maxwidth=1000&maxheight=180", (320, 180)),
        (
            "/embed/mina?autoplay=1#x",
            "&format=json&maxheight=90",
            (160, 90),
        ),
        // A live channel plays from now, whatever moment the link names.
        ("/mina?t=90", "", (640, 360)),
    ] {
        let reply = app.get(&oembed_query(&app, page, extra), None).await;
        assert_eq!(reply.status, 200, "{page}{extra}: {}", reply.text);
        assert_eq!(
            (reply.body["width"].as_u64(), reply.body["height"].as_u64()),
            (Some(size.0), Some(size.1)),
            "{page}{extra}"
        );
        let html = reply.body["html"].as_str().unwrap();
        assert!(
            html.contains(&format!(
                "<iframe src=\"{}\" width=\"{}\" height=\"{}\"",
                app.url("/embed/mina"),
                size.0,
                size.1
            )),
            "{html}"
        );
    }
}

/// Only a public page of this site with a player has an answer: a private channel's, a missing
/// one's and another site's are 404 (as a stranger's link card tells nothing of them); XML is
/// not offered (501, as oEmbed says); a size too small for a player or not a number, or no
/// `url`, is a 400 saying why.
#[tokio::test]
async fn oembed_answers_only_for_public_pages_of_this_site() {
    let app = app_with_entry().await;
    let user = app.user("hidden@example.com", "hidden", "Hidden One").await;
    app.user("shown@example.com", "shown", "Shown").await;
    let changed = app
        .patch("/api/v1/me/channel", user.auth(), json!({"private": true}))
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    let html = page(&app, "/hidden").await;
    assert!(!html.contains("oembed"), "{html}");

    let foreign = oembed_for;
    for query in [
        oembed_query(&app, "/hidden", ""),
        oembed_query(&app, "/nobody_here", ""),
        oembed_query(&app, "/clips/clNope", ""),
        oembed_query(&app, "/videos/rec-a%2Fb", ""),
        oembed_query(&app, "/dashboard/stream", ""),
        oembed_query(&app, "/", ""),
        foreign("https://evil.example/shown"),
        foreign(&format!("{}.evil.example/shown", app.url(""))),
        foreign(&format!("https://evil.example/{}", app.url("/shown"))),
        foreign("/shown"),
        foreign("javascript:alert(1)"),
    ] {
        let reply = app.get(&query, None).await;
        assert_eq!(
            (reply.status.as_u16(), reply.code()),
            (404, "not_found"),
            "{query}: {}",
            reply.text
        );
    }
    let xml = app
        .get(&oembed_query(&app, "/shown", "&format=xml"), None)
        .await;
    assert_eq!(
        (xml.status.as_u16(), xml.code()),
        (501, "format_not_implemented"),
        "{}",
        xml.text
    );
    for extra in [
        "&maxwidth=10",
        "&maxheight=8",
        "&maxwidth=0",
        "&maxwidth=wide",
        "&maxwidth=-5",
        "&maxheight=99999999999",
    ] {
        let reply = app.get(&oembed_query(&app, "/shown", extra), None).await;
        assert_eq!(reply.status, 400, "{extra}: {}", reply.text);
        assert!(!reply.code().is_empty(), "{extra}: {}", reply.text);
    }
    let reply = app.get("/api/v1/oembed", None).await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert!(reply.text.contains("url"), "{}", reply.text);
}
