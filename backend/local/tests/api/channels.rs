//! Channels, profiles, the dashboard, the directory and every bad-input case of those endpoints.

use serde_json::{Value, json};

use std::io::{Read, Write};

use crate::helpers::{go_live, spawn_app, spawn_app_with};

#[tokio::test]
async fn health_openapi_and_unknown_routes() {
    let app = spawn_app().await;
    let health = app.get("/api/health", None).await;
    assert_eq!(health.body["status"], "ok");
    assert_eq!(health.body["environment"], "local");
    let openapi = app.get("/api/openapi.json", None).await;
    assert!(openapi.body["paths"]["/api/v1/channels/{handle}/chat-token"].is_object());
    let missing = app.get("/api/v1/nothing-here", None).await;
    assert_eq!(
        (missing.status.as_u16(), missing.code()),
        (404, "not_found")
    );
    let missing = app.get("/api/v2/directory", None).await;
    assert_eq!(missing.status, 404);
    // API responses carry headers that keep browsers from sniffing, caching or framing them.
    let response = app.client.get(app.url("/api/health")).send().await.unwrap();
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(response.headers()["cache-control"], "no-store");
    // Client-side routes get the app; a missing file is a 404, as behind CloudFront.
    for route in ["/", "/dashboard", "/some_channel", "/videos/r1"] {
        let page = app.client.get(app.url(route)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{route}");
        assert!(page.text().await.unwrap().contains("<title>test</title>"));
    }
    for file in [
        "/split_account-0123.wasm",
        "/missing.js",
        "/avatars/none.svg",
    ] {
        let missing = app.client.get(app.url(file)).send().await.unwrap();
        assert_eq!(missing.status(), 404, "{file}");
    }
    // The browser app's runtime configuration points at the local stand-ins.
    let config = app.get("/config.json", None).await;
    assert_eq!(config.body["environment"], "local");
    assert!(
        config.body["cognitoEndpoint"]
            .as_str()
            .unwrap()
            .ends_with("/cognito/")
    );
}

/// `url` asked for with `Accept-Encoding: accepted`.
async fn get_accepting(
    app: &crate::helpers::TestApp,
    url: impl AsRef<str>,
    accepted: &str,
) -> reqwest::Response {
    app.client
        .get(url.as_ref())
        .header("accept-encoding", accepted)
        .send()
        .await
        .unwrap()
}

fn gunzip(sent: &[u8]) -> Vec<u8> {
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(sent)
        .read_to_end(&mut unpacked)
        .unwrap();
    unpacked
}

/// API answers of 1 KB or more go gzipped to clients that accept gzip (every browser does), with
/// the headers the uncompressed answer has; smaller answers, and clients that do not ask for
/// gzip, get the bytes as they are. The Lambda serves the same router (backend/lambda tests).
#[tokio::test]
async fn api_answers_go_gzipped_to_clients_that_accept_gzip() {
    let app = spawn_app().await;
    let url = app.url("/api/openapi.json");
    let plain = app.client.get(&url).send().await.unwrap();
    assert_eq!(plain.headers().get("content-encoding"), None);
    let plain = plain.bytes().await.unwrap();
    assert!(plain.len() > 10_000, "{} bytes", plain.len());

    let gzipped = get_accepting(&app, &url, "gzip, deflate, br, zstd").await;
    assert_eq!(gzipped.status(), 200);
    let headers = gzipped.headers().clone();
    assert_eq!(headers["content-encoding"], "gzip");
    assert!(
        headers
            .get_all("vary")
            .iter()
            .any(|vary| vary.to_str().unwrap().contains("accept-encoding")),
        "{headers:?}"
    );
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let sent = gzipped.bytes().await.unwrap();
    assert_eq!(gunzip(&sent), plain);
    assert!(
        sent.len() * 4 < plain.len(),
        "{} bytes gzipped of {}",
        sent.len(),
        plain.len()
    );

    // A small answer is not worth the gzip header and the work: it goes as it is.
    let health = app
        .client
        .get(app.url("/api/health"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(health.headers().get("content-encoding"), None);
    // A client that refuses gzip gets the bytes as they are.
    let refused = get_accepting(&app, &url, "gzip;q=0, identity").await;
    assert_eq!(refused.headers().get("content-encoding"), None);
    assert_eq!(refused.bytes().await.unwrap(), plain);
}

/// The directory's first page (what every home page asks for) is kept gzipped beside its JSON:
/// a browser gets the kept bytes, the same page as a client that does not take gzip.
#[tokio::test]
async fn the_directory_goes_gzipped_from_its_kept_copy() {
    let app = spawn_app().await;
    for i in 0..8 {
        app.user(
            &format!("streamer{i}@example.com"),
            &format!("streamer_{i}"),
            &format!("Streamer {i}"),
        )
        .await;
    }
    let url = app.url("/api/v1/directory");
    let plain = app.client.get(&url).send().await.unwrap();
    assert_eq!(plain.headers().get("content-encoding"), None);
    let plain = plain.bytes().await.unwrap();
    let page: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 8, "{page}");
    assert!(plain.len() >= 1024, "{} bytes", plain.len());
    // Built and kept, then answered from the copy.
    for _ in 0..2 {
        let gzipped = get_accepting(&app, &url, "br, gzip").await;
        let headers = gzipped.headers().clone();
        assert_eq!(headers["content-encoding"], "gzip", "{headers:?}");
        assert_eq!(headers["content-type"], "application/json");
        let varies: Vec<_> = headers.get_all("vary").iter().collect();
        assert_eq!(
            varies
                .iter()
                .filter(|vary| vary.to_str().unwrap().contains("accept-encoding"))
                .count(),
            1,
            "{varies:?}"
        );
        let sent = gzipped.bytes().await.unwrap();
        assert_eq!(gunzip(&sent), plain);
        assert!(
            sent.len() * 3 < plain.len(),
            "{} of {}",
            sent.len(),
            plain.len()
        );
    }
    let refused = get_accepting(&app, &url, "gzip;q=0").await;
    assert_eq!(refused.headers().get("content-encoding"), None);
    assert_eq!(refused.bytes().await.unwrap(), plain);
}

/// The browser app's files go to browsers compressed, from the gzip and brotli copies `cargo
/// xtask build-web` writes beside them (CloudFront sends the same files compressed both ways in
/// the cloud): the wasm a visitor downloads is the size the build reports, not 2-3 times it.
/// Brotli goes to clients that accept it (browsers do on localhost and over HTTPS, behind a
/// self-hoster's TLS proxy) unless they prefer gzip; a client that accepts neither, or a file without copies, gets
/// the file as it is.
#[tokio::test]
async fn the_apps_files_go_out_compressed_from_the_builds_copies() {
    let mut dist = None;
    let app = spawn_app_with(|config| dist = Some(config.dist_dir.clone())).await;
    let dist = dist.unwrap();
    let wasm: Vec<u8> = (0..20_000u32)
        .flat_map(|i| (i % 251).to_le_bytes())
        .collect();
    let gzip = |bytes: &[u8]| {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    };
    // The brotli tool build-web compresses with (the set-up installs it), both ways.
    let brotli = |args: &[&str], bytes: &[u8]| {
        let mut tool = std::process::Command::new("brotli")
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("brotli is installed (cargo xtask setup)");
        tool.stdin.take().unwrap().write_all(bytes).unwrap();
        let out = tool.wait_with_output().unwrap();
        assert!(out.status.success());
        out.stdout
    };
    let name = "split_watch-0123456789abcdef.wasm";
    std::fs::write(dist.join(name), &wasm).unwrap();
    std::fs::write(dist.join(format!("{name}.gz")), gzip(&wasm)).unwrap();
    std::fs::write(dist.join(format!("{name}.br")), brotli(&["-c"], &wasm)).unwrap();
    let index = std::fs::read(dist.join("index.html")).unwrap();
    std::fs::write(dist.join("index.html.gz"), gzip(&index)).unwrap();
    std::fs::write(dist.join("index.html.br"), brotli(&["-c"], &index)).unwrap();
    std::fs::write(
        dist.join("sw.js"),
        "self.addEventListener('push', () => {});",
    )
    .unwrap();

    let get = |path: &str, accept: Option<&str>| {
        let mut request = app.client.get(app.url(path));
        if let Some(accept) = accept {
            request = request.header("accept-encoding", accept);
        }
        request.send()
    };
    let gunzip = |bytes: &[u8]| {
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut plain)
            .unwrap();
        plain
    };
    for (accept, encoding) in [
        ("gzip", "gzip"),
        ("gzip, deflate, br, zstd", "br"),
        ("br", "br"),
        ("br;q=0.5, gzip", "gzip"),
        ("gzip;q=0, br", "br"),
    ] {
        let response = get(&format!("/{name}"), Some(accept)).await.unwrap();
        assert_eq!(response.status(), 200);
        let headers = response.headers().clone();
        assert_eq!(headers["content-encoding"], encoding, "{accept}");
        assert_eq!(headers["content-type"], "application/wasm");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(
            headers["vary"]
                .to_str()
                .unwrap()
                .contains("accept-encoding"),
            "a cache must keep both forms apart: {headers:?}"
        );
        let body = response.bytes().await.unwrap();
        assert!(body.len() < wasm.len() / 4, "{} bytes", body.len());
        let decoded = match encoding {
            "br" => brotli(&["-d", "-c"], &body),
            _ => gunzip(&body),
        };
        assert_eq!(decoded, wasm, "{accept}");
    }
    let plain = get(&format!("/{name}"), None).await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap(), wasm);
    // The app's own routes get index.html, gzipped too.
    let page = get("/some_channel", Some("gzip")).await.unwrap();
    assert_eq!(page.headers()["content-encoding"], "gzip");
    assert_eq!(gunzip(&page.bytes().await.unwrap()), index);
    let page = get("/some_channel", Some("gzip, br")).await.unwrap();
    assert_eq!(page.headers()["content-encoding"], "br");
    assert_eq!(brotli(&["-d", "-c"], &page.bytes().await.unwrap()), index);
    // No copy (too small to gain): as it is.
    let worker = get("/sw.js", Some("gzip, br")).await.unwrap();
    assert!(worker.headers().get("content-encoding").is_none());
    assert!(worker.text().await.unwrap().starts_with("self."));
}

#[tokio::test]
async fn handles_are_checked_for_validity_and_availability() {
    let app = spawn_app().await;
    app.user("erin@example.com", "erin", "Erin").await;
    let taken = app.get("/api/v1/handles/Erin", None).await;
    assert_eq!(taken.body, json!({"handle": "erin", "available": false}));
    let free = app.get("/api/v1/handles/frank_99", None).await;
    assert_eq!(free.body["available"], true);
    let bad = app.get("/api/v1/handles/no", None).await;
    assert_eq!((bad.status.as_u16(), bad.code()), (400, "invalid_handle"));
    let reserved = app.get("/api/v1/handles/dashboard", None).await;
    assert_eq!(
        (reserved.status.as_u16(), reserved.code()),
        (409, "handle_reserved")
    );
}

#[tokio::test]
async fn a_taken_handle_at_confirmation_falls_back_to_a_numbered_one() {
    let app = spawn_app().await;
    let first = app.user("g1@example.com", "gamer", "Gamer One").await;
    let second = app.user("g2@example.com", "gamer", "Gamer Two").await;
    assert_eq!(first.handle, "gamer");
    assert_eq!(second.handle, "gamer_2");
}

#[tokio::test]
async fn profiles_can_be_changed_within_the_rules() {
    let app = spawn_app().await;
    let user = app.user("hana@example.com", "hana", "하나").await;
    let me = app.get("/api/v1/me", user.auth()).await;
    assert_eq!(me.body["nickname"], "하나");
    assert_eq!(me.body["handle"], "hana");
    let changed = app
        .patch(
            "/api/v1/me",
            user.auth(),
            json!({"nickname": "하나 🌸", "avatar": "preset:fox", "language": "ko"}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["avatar"], "preset:fox");
    // The channel shows the new nickname and avatar.
    let page = app.get("/api/v1/channels/hana", None).await;
    assert_eq!(page.body["ownerNickname"], "하나 🌸");
    assert_eq!(page.body["ownerAvatar"], "preset:fox");

    for (body, code) in [
        (json!({"nickname": ""}), "invalid_nickname"),
        (json!({"nickname": "x".repeat(26)}), "invalid_nickname"),
        (json!({"avatar": "javascript:alert(1)"}), "invalid_avatar"),
        (json!({"language": "fr"}), "invalid_language"),
        (json!({"nick": "typo"}), "invalid_json"),
    ] {
        let reply = app.patch("/api/v1/me", user.auth(), body.clone()).await;
        assert_eq!(
            (reply.status.as_u16(), reply.code()),
            (400, code),
            "{body}: {}",
            reply.text
        );
    }
    assert_eq!(
        app.get("/api/v1/me", user.auth()).await.body["nickname"],
        "하나 🌸"
    );
}

#[tokio::test]
async fn the_dashboard_changes_settings_and_refuses_bad_input() {
    let app = spawn_app().await;
    let user = app.user("ivan@example.com", "ivan", "Ivan").await;
    app.user("judy@example.com", "judy", "Judy").await;
    let mine = app.get("/api/v1/me/channel", user.auth()).await;
    assert_eq!(mine.status, 200, "{}", mine.text);
    assert_eq!(mine.body["latencyMode"], "LOW");
    assert_eq!(mine.body["channelType"], "STANDARD");
    assert_eq!(mine.body["recording"], true);
    assert_eq!(mine.body["live"], false);
    assert!(
        mine.body["ingestServer"]
            .as_str()
            .unwrap()
            .starts_with("rtmp://127.0.0.1:")
    );
    assert_eq!(mine.body["chatRules"]["maxMessageLength"], 500);

    let changed = app
        .patch(
            "/api/v1/me/channel",
            user.auth(),
            json!({"title": "첫 방송! Speedrun", "category": "Games", "latencyMode": "NORMAL", "channelType": "BASIC", "recording": false}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["title"], "첫 방송! Speedrun");
    assert_eq!(changed.body["latencyMode"], "NORMAL");
    assert_eq!(changed.body["channelType"], "BASIC");
    assert_eq!(changed.body["recording"], false);
    assert_eq!(
        app.get("/api/v1/channels/ivan", None).await.body["category"],
        "Games"
    );
    // Marked for adults: every listing and page of it says so (viewers are asked before it
    // plays), and a later change of something else keeps it.
    assert_eq!(changed.body["mature"], false);
    let marked = app
        .patch("/api/v1/me/channel", user.auth(), json!({"mature": true}))
        .await;
    assert_eq!(marked.body["mature"], true, "{}", marked.text);
    let retitled = app
        .patch(
            "/api/v1/me/channel",
            user.auth(),
            json!({"title": "첫 방송! Speedrun"}),
        )
        .await;
    assert_eq!(retitled.body["mature"], true, "{}", retitled.text);
    // The language it streams in: none until chosen, then kept like the rest.
    assert_eq!(retitled.body["language"], Value::Null, "{}", retitled.text);
    let korean = app
        .patch("/api/v1/me/channel", user.auth(), json!({"language": "ko"}))
        .await;
    assert_eq!(korean.body["language"], "ko", "{}", korean.text);
    assert_eq!(
        app.get("/api/v1/channels/ivan", None).await.body["language"],
        "ko"
    );
    assert_eq!(
        app.get("/api/v1/channels/ivan", None).await.body["mature"],
        true
    );
    let directory = app.get("/api/v1/directory", None).await;
    let listed: Vec<(&str, bool)> = directory.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["handle"].as_str().unwrap(),
                c["mature"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(listed.contains(&("ivan", true)), "{listed:?}");
    assert!(listed.contains(&("judy", false)), "{listed:?}");

    for (body, status, code) in [
        (json!({"title": "t".repeat(141)}), 400, "invalid_title"),
        (json!({"category": "c".repeat(41)}), 400, "invalid_category"),
        (json!({"latencyMode": "ULTRA"}), 400, "invalid_latency_mode"),
        (
            json!({"channelType": "ADVANCED_HD"}),
            400,
            "invalid_channel_type",
        ),
        (
            json!({"channelType": "standard"}),
            400,
            "invalid_channel_type",
        ),
        (json!({"handle": "bad handle"}), 400, "invalid_handle"),
        (json!({"handle": "judy"}), 409, "handle_taken"),
        (json!({"handle": "api"}), 409, "handle_reserved"),
        (json!({"titel": "typo"}), 400, "invalid_json"),
        (json!({"private": "yes"}), 400, "invalid_json"),
        (json!({"mature": 1}), 400, "invalid_json"),
        (json!({"language": "klingon"}), 400, "invalid_language"),
        (json!({"language": "KO"}), 400, "invalid_language"),
        (json!({"language": 82}), 400, "invalid_json"),
    ] {
        let reply = app
            .patch("/api/v1/me/channel", user.auth(), body.clone())
            .await;
        assert_eq!(
            (reply.status.as_u16(), reply.code()),
            (status, code),
            "{body}: {}",
            reply.text
        );
    }
    // Nothing of the refused changes was kept.
    let page = app.get("/api/v1/channels/ivan", None).await;
    assert_eq!(page.body["title"], "첫 방송! Speedrun");

    // Renaming moves the page.
    let renamed = app
        .patch(
            "/api/v1/me/channel",
            user.auth(),
            json!({"handle": "Ivan_Live"}),
        )
        .await;
    assert_eq!(renamed.body["handle"], "ivan_live");
    assert_eq!(app.get("/api/v1/channels/ivan", None).await.status, 404);
    assert_eq!(
        app.get("/api/v1/channels/ivan_live", None).await.status,
        200
    );

    // Bodies that are not JSON, or too big, or sent without a token.
    let response = app
        .client
        .patch(app.url("/api/v1/me/channel"))
        .bearer_auth(&user.token)
        .body("title=x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    let response = app
        .client
        .patch(app.url("/api/v1/me/channel"))
        .bearer_auth(&user.token)
        .header("content-type", "application/json")
        .body("{\"title\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let huge = json!({"title": "x".repeat(70_000)});
    let reply = app.patch("/api/v1/me/channel", user.auth(), huge).await;
    assert_eq!(
        (reply.status.as_u16(), reply.code()),
        (413, "payload_too_large")
    );
    assert_eq!(
        app.patch("/api/v1/me/channel", None, json!({"title": "x"}))
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn a_stream_key_is_only_ever_shown_to_its_owner_and_reset_replaces_it() {
    let app = spawn_app().await;
    let owner = app.user("kim@example.com", "kim", "Kim").await;
    let other = app.user("lee@example.com", "lee", "Lee").await;
    let key = app.get("/api/v1/me/channel/stream-key", owner.auth()).await;
    assert_eq!(key.status, 200, "{}", key.text);
    let secret = key.body["streamKey"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("sk_local_"));
    assert_eq!(
        app.get("/api/v1/me/channel/stream-key", owner.auth())
            .await
            .body["streamKey"],
        secret.as_str()
    );

    // The other user gets their own key, and nothing public or theirs mentions the owner's key.
    let theirs = app.get("/api/v1/me/channel/stream-key", other.auth()).await;
    assert_ne!(theirs.body["streamKey"], secret.as_str());
    for (path, token) in [
        ("/api/v1/channels/kim", None),
        ("/api/v1/channels/kim", other.auth()),
        ("/api/v1/directory", None),
        ("/api/v1/me/channel", other.auth()),
        ("/api/v1/me/channel", owner.auth()),
        ("/api/openapi.json", None),
    ] {
        let reply = app.get(path, token).await;
        assert!(
            !reply.text.contains(&secret),
            "{path} leaked the stream key"
        );
    }
    assert_eq!(
        app.get("/api/v1/me/channel/stream-key", None).await.status,
        401
    );
    let token_reply = app
        .post("/api/v1/channels/kim/chat-token", other.auth(), None)
        .await;
    assert!(!token_reply.text.contains(&secret));

    let reset = app
        .post("/api/v1/me/channel/stream-key/reset", owner.auth(), None)
        .await;
    assert_eq!(reset.status, 200);
    let fresh = reset.body["streamKey"].as_str().unwrap();
    assert_ne!(fresh, secret);
    assert_eq!(
        app.get("/api/v1/me/channel/stream-key", owner.auth())
            .await
            .body["streamKey"],
        fresh
    );
}

#[tokio::test]
async fn listings_refuse_bad_limits_and_cursors() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/directory?limit=0",
        "/api/v1/directory?limit=101",
        "/api/v1/directory?limit=ten",
        "/api/v1/directory?cursor=%%%",
        "/api/v1/directory?cursor=bm9wZQ",
        "/api/v1/recordings?cursor=zzzz",
        "/api/v1/directory?sort=viewers",
        "/api/v1/directory?q=%07",
        "/api/v1/directory?q=%E2%80%AEevil",
        "/api/v1/directory?category=%00",
    ] {
        let reply = app.get(path, None).await;
        assert_eq!(reply.status, 400, "{path}: {}", reply.text);
        assert!(!reply.code().is_empty());
    }
    assert_eq!(
        app.get("/api/v1/channels/nobody_here", None).await.status,
        404
    );
    assert_eq!(app.get("/api/v1/channels/!!", None).await.status, 404);
    let long = format!("/api/v1/directory?q={}", "a".repeat(101));
    let refused = app.get(&long, None).await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    assert_eq!(refused.code(), "invalid_search");
    let long = format!("/api/v1/directory?category={}", "c".repeat(41));
    assert_eq!(app.get(&long, None).await.code(), "invalid_category");
}

#[tokio::test]
async fn the_directory_searches_and_filters_by_category_live_channels_first() {
    let app = spawn_app().await;
    let mut users = Vec::new();
    for (email, handle, nickname, title, category) in [
        (
            "ana@example.com",
            "ana",
            "Ana",
            "Jazz piano at night",
            "music",
        ),
        ("bo@example.com", "boyoung", "보영", "수채화 그리기", "Art"),
        ("cy@example.com", "cyril", "Cy", "Piano scales", "Music"),
        ("di@example.com", "dione", "Di", "Speedrun", "Retro games"),
    ] {
        let user = app.user(email, handle, nickname).await;
        // Boyoung streams in Korean, Dione chose no language, the others English.
        let mut change = json!({"title": title, "category": category});
        match handle {
            "boyoung" => change["language"] = json!("ko"),
            "dione" => {}
            _ => change["language"] = json!("en"),
        }
        let set = app.patch("/api/v1/me/channel", user.auth(), change).await;
        assert_eq!(set.status, 200, "{}", set.text);
        users.push(user);
    }
    crate::helpers::go_live(&app, &users[2], "st-cyril").await;
    let handles = |reply: &crate::helpers::Reply| -> Vec<String> {
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["handle"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        handles(&app.get("/api/v1/directory?q=PIANO", None).await),
        ["cyril", "ana"]
    );
    assert_eq!(
        handles(
            &app.get("/api/v1/directory?q=%EB%B3%B4%EC%98%81", None)
                .await
        ),
        ["boyoung"]
    );
    assert_eq!(
        handles(&app.get("/api/v1/directory?q=%40dione", None).await),
        ["dione"]
    );
    assert_eq!(
        handles(&app.get("/api/v1/directory?q=jazz+night", None).await),
        ["ana"]
    );
    assert_eq!(
        handles(&app.get("/api/v1/directory?category=MUSIC", None).await),
        ["cyril", "ana"],
        "\"music\" was stored as the curated \"Music\""
    );
    assert_eq!(
        handles(
            &app.get("/api/v1/directory?category=retro%20GAMES", None)
                .await
        ),
        ["dione"],
        "a free-text category filters too"
    );
    assert!(
        handles(
            &app.get("/api/v1/directory?q=piano&category=Art", None)
                .await
        )
        .is_empty()
    );
    // Paging a filtered directory one at a time: the live channel, then the other, no repeats.
    let first = app
        .get("/api/v1/directory?category=Music&limit=1", None)
        .await;
    assert_eq!(handles(&first), ["cyril"]);
    let next = first.body["next"].as_str().unwrap();
    let second = app
        .get(
            &format!("/api/v1/directory?category=Music&limit=1&cursor={next}"),
            None,
        )
        .await;
    assert_eq!(handles(&second), ["ana"]);
    assert!(second.body["next"].is_null(), "{}", second.text);
    // By the language they stream in, alone or with a category; each listing says it.
    assert_eq!(
        handles(&app.get("/api/v1/directory?language=ko", None).await),
        ["boyoung"]
    );
    assert_eq!(
        handles(&app.get("/api/v1/directory?language=en", None).await),
        ["cyril", "ana"]
    );
    assert_eq!(
        handles(
            &app.get("/api/v1/directory?language=en&category=Art", None)
                .await
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        handles(&app.get("/api/v1/directory?language=ja", None).await),
        Vec::<String>::new()
    );
    for bad in ["xx", "KO", "en-US", "e", "%00"] {
        let refused = app
            .get(&format!("/api/v1/directory?language={bad}"), None)
            .await;
        assert_eq!(refused.status, 400, "{bad}: {}", refused.text);
        assert_eq!(
            refused.code(),
            "invalid_language",
            "{bad}: {}",
            refused.text
        );
    }
    // An unfiltered first page is still everyone, after a filtered one.
    let everyone = app.get("/api/v1/directory", None).await;
    assert_eq!(handles(&everyone).len(), 4);
    let languages: Vec<(&str, &Value)> = everyone.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["handle"].as_str().unwrap(), &c["language"]))
        .collect();
    assert!(
        languages.contains(&("boyoung", &json!("ko"))),
        "{languages:?}"
    );
    assert!(
        languages.contains(&("dione", &Value::Null)),
        "{languages:?}"
    );

    let categories = app.get("/api/v1/categories", None).await;
    assert_eq!(categories.status, 200, "{}", categories.text);
    let items = categories.body["items"].as_array().unwrap();
    assert_eq!(
        items.len(),
        cloumer_domain::channel::CURATED_CATEGORIES.len()
    );
    assert_eq!(items[0]["name"], "Just Chatting");
    let music = items.iter().find(|c| c["name"] == "Music").unwrap();
    assert_eq!(music["liveChannels"], 1, "{music}");
}

#[tokio::test]
async fn the_directory_shows_a_change_as_soon_as_it_is_made() {
    let app = spawn_app().await;
    let user = app.user("olga@example.com", "olga", "Olga").await;
    let title = |reply: &crate::helpers::Reply| reply.body["items"][0]["title"].clone();
    // Read twice so the first page is the kept copy when the change comes.
    app.get("/api/v1/directory", None).await;
    assert_eq!(title(&app.get("/api/v1/directory", None).await), "");
    let changed = app
        .patch("/api/v1/me/channel", user.auth(), json!({"title": "Fresh"}))
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(title(&app.get("/api/v1/directory", None).await), "Fresh");
    let nickname = app
        .patch("/api/v1/me", user.auth(), json!({"nickname": "Olga K"}))
        .await;
    assert_eq!(nickname.status, 200, "{}", nickname.text);
    let page = app.get("/api/v1/directory", None).await;
    assert_eq!(page.body["items"][0]["ownerNickname"], "Olga K");
    assert_eq!(
        page.headers.get("content-type").unwrap(),
        "application/json"
    );
    assert_eq!(page.headers.get("cache-control").unwrap(), "no-store");
}

/// IVS refuses to update a live channel: latency, channel type, privacy and recording wait for
/// the broadcast to end, and nothing of a refused change is kept.
#[tokio::test]
async fn video_settings_cannot_change_while_live() {
    let app = spawn_app().await;
    let user = app.user("onair@example.com", "on_air", "On Air").await;
    go_live(&app, &user, "st-onair").await;
    for body in [
        json!({"private": true}),
        json!({"latencyMode": "NORMAL"}),
        json!({"channelType": "BASIC"}),
        json!({"recording": false}),
        json!({"title": "kept?", "private": true}),
    ] {
        let reply = app
            .patch("/api/v1/me/channel", user.auth(), body.clone())
            .await;
        assert_eq!(
            (reply.status.as_u16(), reply.code()),
            (409, "channel_live"),
            "{body}"
        );
    }
    let mine = app.get("/api/v1/me/channel", user.auth()).await;
    assert_eq!(mine.body["private"], false);
    assert_eq!(mine.body["title"], "");
    // What IVS does not hold changes while live.
    let titled = app
        .patch(
            "/api/v1/me/channel",
            user.auth(),
            json!({"title": "Live now"}),
        )
        .await;
    assert_eq!(titled.status, 200, "{}", titled.text);
    // Values as they are already are no change.
    let same = app
        .patch(
            "/api/v1/me/channel",
            user.auth(),
            json!({"private": false, "latencyMode": "LOW"}),
        )
        .await;
    assert_eq!(same.status, 200, "{}", same.text);
}
