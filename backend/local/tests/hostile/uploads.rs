//! Uploaded files: an emote upload is refused unless it is a whole, small image of an allowed
//! type, with a clear error, and a refusal leaves no file on disk and no emote listed.

use cloumer_test_media::images;

use crate::helpers::spawn_app;

#[tokio::test]
async fn fake_oversize_and_misdeclared_images_are_refused_and_leave_nothing_behind() {
    let app = spawn_app().await;
    let owner = app.user("owner@example.com", "owner", "Owner").await;
    let path = "/api/v1/me/channel/emotes/Hype";
    let png = images::png(56, 56);
    let mut truncated = png.clone();
    truncated.truncate(png.len() - 16);
    let mut polyglot = png[..33].to_vec();
    polyglot.extend_from_slice(b"<html><script>alert(document.cookie)</script></html>");
    let mut padded = png.clone();
    padded.resize(256 * 1024 + 1, 0);
    let cases: Vec<(&str, Option<&str>, Vec<u8>, u16, &str)> = vec![
        (
            "text as png",
            Some("image/png"),
            b"not an image at all".to_vec(),
            400,
            "unsupported_image",
        ),
        (
            "svg",
            Some("image/png"),
            br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#.to_vec(),
            400,
            "unsupported_image",
        ),
        (
            "png header, html after",
            Some("image/png"),
            polyglot,
            400,
            "invalid_image",
        ),
        (
            "truncated png",
            Some("image/png"),
            truncated,
            400,
            "invalid_image",
        ),
        (
            "empty",
            Some("image/png"),
            Vec::new(),
            400,
            "unsupported_image",
        ),
        (
            "over 256 KiB",
            Some("image/png"),
            padded,
            413,
            "payload_too_large",
        ),
        (
            "too large in pixels",
            Some("image/png"),
            images::png(600, 600),
            400,
            "invalid_image_size",
        ),
        (
            "too small in pixels",
            Some("image/png"),
            images::png(8, 8),
            400,
            "invalid_image_size",
        ),
        (
            "too many frames",
            Some("image/gif"),
            images::gif(16, 16, 201),
            400,
            "too_many_frames",
        ),
        (
            "declared as html",
            Some("text/html"),
            png.clone(),
            415,
            "unsupported_media_type",
        ),
        (
            "declared as json",
            Some("application/json"),
            png.clone(),
            415,
            "unsupported_media_type",
        ),
    ];
    for (case, declared, bytes, status, code) in cases {
        let reply = app.upload(path, owner.auth(), declared, bytes).await;
        assert_eq!(reply.status.as_u16(), status, "{case}: {}", reply.text);
        assert_eq!(reply.code(), code, "{case}: {}", reply.text);
        assert!(
            !reply.body["message"].as_str().unwrap().is_empty(),
            "{case}"
        );
    }
    for code in ["a", "no-dash", "%2e%2e", "12", &"x".repeat(25)] {
        let reply = app
            .upload(
                &format!("/api/v1/me/channel/emotes/{code}"),
                owner.auth(),
                Some("image/png"),
                png.clone(),
            )
            .await;
        // `%2e%2e` is `..` to the client, which leaves the route (404); the rest reach it (400).
        assert!(
            matches!(reply.status.as_u16(), 400 | 404) && !reply.code().is_empty(),
            "{code}: {}",
            reply.text
        );
    }
    let signed_out = app.upload(path, None, Some("image/png"), png.clone()).await;
    assert_eq!(signed_out.status, 401);

    assert!(
        app.files_under("public").is_empty(),
        "{:?}",
        app.files_under("public")
    );
    let listed = app.get("/api/v1/channels/owner/emotes", None).await;
    assert_eq!(listed.body, serde_json::json!([]));
}

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
