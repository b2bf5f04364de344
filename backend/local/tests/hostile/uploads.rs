//! Uploaded files: an emote upload is refused unless it is a whole, small image of an allowed
//! type, with a clear error, and a refusal leaves no file on disk and no emote listed.

use cloumer_test_media::images;

use crate::helpers::spawn_app;

/// An upload and its answer: what it is, its declared type, its bytes, status and error code.
type Refusal = (
    &'static str,
    Option<&'static str>,
    Vec<u8>,
    u16,
    &'static str,
);

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
    let cases: Vec<Refusal> = vec![
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
