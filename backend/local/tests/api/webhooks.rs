//! Streamers' webhooks over HTTP: the dashboard's round trip, every bad input, and a stream
//! start delivered by the local stack to a real receiver, signed.

use axum::body::Bytes;
use axum::http::HeaderMap;
use cloumer_domain::outbound::OutboundDestinations;
use serde_json::json;

use crate::helpers::{TestApp, go_live, spawn_app, spawn_app_with, start_configured, start_on};

#[tokio::test]
async fn a_streamer_adds_lists_and_removes_webhooks_and_bad_input_is_refused() {
    let app = spawn_app().await;
    let streamer = app.user("hana@example.com", "hana", "Hana").await;
    let other = app.user("oli@example.com", "oli", "Oli").await;
    let token = Some(streamer.token.as_str());

    let empty = app.get("/api/v1/me/channel/webhooks", token).await;
    assert_eq!(
        (empty.status.as_u16(), empty.body.clone()),
        (200, json!([]))
    );
    assert_eq!(
        app.get("/api/v1/me/channel/webhooks", None).await.status,
        401
    );

    let added = app
        .post(
            "/api/v1/me/channel/webhooks",
            token,
            Some(json!({"url": "https://discord.com/api/webhooks/123/abc"})),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);
    let secret = added.body["secret"].as_str().unwrap();
    assert!(secret.starts_with("whsec_"));
    let id = added.body["webhook"]["id"].as_str().unwrap().to_owned();
    assert_eq!(added.body["webhook"]["lastDelivery"], json!(null));

    let listed = app.get("/api/v1/me/channel/webhooks", token).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
    assert_eq!(
        listed.body[0]["url"],
        "https://discord.com/api/webhooks/123/abc"
    );
    assert!(
        !listed.text.contains(secret),
        "the secret is shown once only"
    );
    let others = app
        .get("/api/v1/me/channel/webhooks", Some(&other.token))
        .await;
    assert_eq!(others.body, json!([]));

    for (body, status, code) in [
        (
            json!({"url": "http://discord.com/x"}),
            400,
            "invalid_webhook_url",
        ),
        (
            json!({"url": "https://127.0.0.1:8080/admin"}),
            400,
            "invalid_webhook_url",
        ),
        (
            json!({"url": "https://169.254.169.254/latest/meta-data/"}),
            400,
            "invalid_webhook_url",
        ),
        (
            json!({"url": "https://localhost/"}),
            400,
            "invalid_webhook_url",
        ),
        (
            json!({"url": "https://[::ffff:10.0.0.1]/"}),
            400,
            "invalid_webhook_url",
        ),
        (
            json!({"url": format!("https://example.com/{}", "a".repeat(3000))}),
            400,
            "invalid_webhook_url",
        ),
        (json!({"url": 5}), 400, "invalid_json"),
        (
            json!({"url": "https://example.com/", "secret": "mine"}),
            400,
            "invalid_json",
        ),
    ] {
        let refused = app
            .post("/api/v1/me/channel/webhooks", token, Some(body.clone()))
            .await;
        assert_eq!(refused.status, status, "{body}: {}", refused.text);
        assert_eq!(refused.body["code"], code, "{body}: {}", refused.text);
    }

    // Another user cannot remove it, and cannot tell it exists.
    let path = format!("/api/v1/me/channel/webhooks/{id}");
    assert_eq!(app.delete(&path, Some(&other.token)).await.status, 404);
    assert_eq!(
        app.delete("/api/v1/me/channel/webhooks/..%2F..%2Fetc", token)
            .await
            .status,
        404
    );
    assert_eq!(app.delete(&path, token).await.status, 204);
    assert_eq!(app.delete(&path, token).await.status, 404);
    let listed = app.get("/api/v1/me/channel/webhooks", token).await;
    assert_eq!(listed.body, json!([]));
}

#[tokio::test]
async fn racing_adds_never_pass_five_webhooks() {
    let app = spawn_app().await;
    let streamer = app.user("race@example.com", "racer", "Racer").await;
    let token = Some(streamer.token.as_str());
    let adds = (0..8).map(|n| {
        app.post(
            "/api/v1/me/channel/webhooks",
            token,
            Some(json!({"url": format!("https://hooks.example.com/{n}")})),
        )
    });
    let replies = futures_util::future::join_all(adds).await;
    let created = replies.iter().filter(|r| r.status == 201).count();
    let limited = replies
        .iter()
        .filter(|r| r.status == 409 && r.body["code"] == "webhook_limit")
        .count();
    assert_eq!((created, limited), (5, 3));
    let listed = app.get("/api/v1/me/channel/webhooks", token).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 5);
}

/// With the test setting that lets webhooks reach this machine: a stream start reaches the
/// receiver in the background, signed, and the dashboard's list shows the delivery.
#[tokio::test]
async fn the_local_stack_delivers_a_stream_start_to_the_channels_webhook() {
    let app = spawn_app_with(|config| {
        config.outbound_destinations = OutboundDestinations::AlsoLoopback;
    })
    .await;
    let streamer = app.user("dana@example.com", "dana", "Dana").await;
    let token = Some(streamer.token.as_str());

    let (sent, mut received) = tokio::sync::mpsc::unbounded_channel::<(HeaderMap, Bytes)>();
    let receiver = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| async move {
            sent.send((headers, body)).unwrap();
            "ok"
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, receiver).await });
    let added = app
        .post(
            "/api/v1/me/channel/webhooks",
            token,
            Some(json!({"url": url})),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);
    let secret = added.body["secret"].as_str().unwrap().to_owned();

    go_live(&app, &streamer, "st-hooked").await;

    let (headers, body) = tokio::time::timeout(std::time::Duration::from_secs(10), received.recv())
        .await
        .expect("delivered in the background")
        .unwrap();
    let signature = headers["x-cloumer-signature"].to_str().unwrap();
    assert!(cloumer_outbound::verify(&secret, signature, &body).is_some());
    let payload: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(payload["cloumer"]["channel"], "dana");
    assert_eq!(
        payload["embeds"][0]["url"],
        format!("{}/dana", app.stack.url())
    );

    // The outcome is kept just after the answer: poll briefly for it.
    let mut delivery = json!(null);
    for _ in 0..50 {
        let listed = app.get("/api/v1/me/channel/webhooks", token).await;
        delivery = listed.body[0]["lastDelivery"].clone();
        if !delivery.is_null() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(delivery["delivered"], true, "{delivery}");
    assert_eq!(delivery["status"], 200);
    assert_eq!(delivery["attempts"], 1);
}

/// A delivery may retry for most of a minute (four requests, each waited for up to 10 s): a stop
/// ends it rather than waits for it, and a start on the same data right after opens it (a
/// delivery still running held the store).
#[tokio::test]
async fn a_stop_ends_a_delivery_to_a_webhook_that_never_answers() {
    let data = tempfile::tempdir().unwrap();
    let app = TestApp {
        stack: start_configured(data.path(), |config| {
            config.outbound_destinations = OutboundDestinations::AlsoLoopback;
        })
        .await,
        client: reqwest::Client::new(),
        _data: None,
    };
    let streamer = app.user("erin@example.com", "erin", "Erin").await;
    let (asked, mut requests) = tokio::sync::mpsc::unbounded_channel::<()>();
    let silent = axum::Router::new().route(
        "/hook",
        axum::routing::post(move || async move {
            let _ = asked.send(());
            std::future::pending::<&str>().await
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, silent).await });
    let added = app
        .post(
            "/api/v1/me/channel/webhooks",
            Some(streamer.token.as_str()),
            Some(json!({"url": url})),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);
    go_live(&app, &streamer, "st-silent").await;
    tokio::time::timeout(std::time::Duration::from_secs(10), requests.recv())
        .await
        .expect("the delivery is under way");

    app.stack.shutdown().await.unwrap();
    let restarted = start_on(data.path()).await;
    restarted.shutdown().await.unwrap();
}
