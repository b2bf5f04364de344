//! Custom emotes through the API: uploaded, served from their own address for good, listed,
//! replaced and removed.

use cloumer_test_media::images;

use crate::helpers::spawn_app;

#[tokio::test]
async fn an_emote_is_served_from_its_own_address_for_good_and_gone_when_removed() {
    let app = spawn_app().await;
    let owner = app.user("owner@example.com", "owner", "Owner").await;
    let gif = images::gif(64, 64, 5);
    let reply = app
        .upload(
            "/api/v1/me/channel/emotes/dance",
            owner.auth(),
            Some("image/gif"),
            gif.clone(),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["code"], "dance");
    assert_eq!(
        (reply.body["width"].as_u64(), reply.body["height"].as_u64()),
        (Some(64), Some(64))
    );
    assert_eq!(reply.body["animated"], true);
    let url = reply.body["url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with("/emotes/ch") && url.ends_with(".gif"),
        "{url}"
    );

    let listed = app.get("/api/v1/channels/OWNER/emotes", None).await;
    assert_eq!(listed.body, serde_json::json!([reply.body]));
    let file = app.client.get(app.url(&url)).send().await.unwrap();
    assert_eq!(file.status(), 200);
    let headers = file.headers().clone();
    assert_eq!(headers["content-type"], "image/gif");
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(file.bytes().await.unwrap().to_vec(), gif);

    // Sent without a declared type (curl --data-binary), a PNG replaces the GIF at a new address.
    let replaced = app
        .upload(
            "/api/v1/me/channel/emotes/dance",
            owner.auth(),
            None,
            images::png(32, 32),
        )
        .await;
    assert_eq!(replaced.status, 200, "{}", replaced.text);
    let new_url = replaced.body["url"].as_str().unwrap();
    assert_ne!(new_url, url);
    let old = app.client.get(app.url(&url)).send().await.unwrap();
    assert_eq!(old.status(), 404);
    assert!(
        old.headers()
            .get("cache-control")
            .is_none_or(|v| v != "public, max-age=31536000, immutable")
    );
    assert_eq!(app.files_under("public").len(), 1);

    let removed = app
        .delete("/api/v1/me/channel/emotes/dance", owner.auth())
        .await;
    assert_eq!(removed.status, 204, "{}", removed.text);
    assert!(app.files_under("public").is_empty());
    assert_eq!(
        app.get("/api/v1/channels/owner/emotes", None).await.body,
        serde_json::json!([])
    );
    let again = app
        .delete("/api/v1/me/channel/emotes/dance", owner.auth())
        .await;
    assert_eq!((again.status.as_u16(), again.code()), (404, "not_found"));

    // Nothing but the served folders is reachable, and no path leaves them.
    for path in [
        "/emotes/../cloumer.redb",
        "/emotes/%2e%2e/cloumer.redb",
        "/public/emotes/x.png",
        "/emotes/..%2fkeys",
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_ne!(response.status(), 200, "{path}");
    }
}
