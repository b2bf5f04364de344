//! Deliveries to a real HTTP receiver on a loopback port (allowed only through the explicit
//! setting), and what is refused without the receiver ever hearing of it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use cloumer_domain::ids::{ChannelId, StreamId};
use cloumer_domain::notification::GoLive;
use cloumer_domain::outbound::OutboundDestinations;
use cloumer_domain::ports::WebhookSender;
use cloumer_domain::webhook::{Webhook, WebhookUrl};
use cloumer_outbound::{HttpWebhookSender, PublicOnly, Retries, SIGNATURE_HEADER, verify};
use reqwest::dns::Resolve;

/// A receiver answering each request with the next status of its script (the last repeats),
/// keeping what it was sent.
#[derive(Clone, Default)]
struct Receiver {
    script: Arc<Mutex<Vec<u16>>>,
    received: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
}

async fn receive(
    State(receiver): State<Receiver>,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    receiver.received.lock().unwrap().push((headers, body));
    let mut script = receiver.script.lock().unwrap();
    let status = if script.len() > 1 {
        script.remove(0)
    } else {
        script[0]
    };
    if status == 307 {
        return (
            StatusCode::TEMPORARY_REDIRECT,
            [("location", "http://169.254.169.254/latest/meta-data/")],
        )
            .into_response();
    }
    StatusCode::from_u16(status).unwrap().into_response()
}

async fn receiver(script: &[u16]) -> (Receiver, String) {
    let receiver = Receiver {
        script: Arc::new(Mutex::new(script.to_vec())),
        ..Receiver::default()
    };
    let app = axum::Router::new()
        .route("/hook", post(receive))
        .with_state(receiver.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (receiver, url)
}

fn fast() -> Retries {
    Retries {
        attempts: 3,
        first_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        request_timeout: Duration::from_secs(5),
    }
}

fn sender(destinations: OutboundDestinations, retries: Retries) -> HttpWebhookSender {
    HttpWebhookSender::new(destinations, "https://cloumer.example/", retries).unwrap()
}

fn event() -> GoLive {
    GoLive {
        channel_id: ChannelId::parse("chwebhooks").unwrap(),
        stream_id: StreamId::parse("st-hooked").unwrap(),
        started_at: time::OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap(),
        channel_handle: "minji".into(),
        owner_nickname: "민지 @everyone".into(),
        title: "밤샘 코딩".into(),
    }
}

fn webhook(url: &str) -> Webhook {
    Webhook::new(
        ChannelId::parse("chwebhooks").unwrap(),
        WebhookUrl::parse(url, OutboundDestinations::AlsoLoopback).unwrap(),
        time::OffsetDateTime::now_utc(),
    )
}

#[tokio::test]
async fn a_delivery_is_signed_with_the_webhooks_secret_and_speaks_discord() {
    let (receiver, url) = receiver(&[204]).await;
    let hook = webhook(&url);
    let report = sender(OutboundDestinations::AlsoLoopback, fast())
        .deliver(&hook, &event())
        .await;
    assert!(report.delivered(), "{report:?}");
    assert_eq!((report.attempts, report.status), (1, Some(204)));

    let received = receiver.received.lock().unwrap();
    let (headers, body) = &received[0];
    let signature = headers[SIGNATURE_HEADER].to_str().unwrap();
    let sent_at = verify(&hook.secret, signature, body).expect("signed with the secret");
    assert!((time::OffsetDateTime::now_utc().unix_timestamp() - sent_at).abs() < 60);
    assert_eq!(verify("whsec_someone_else", signature, body), None);
    assert_eq!(headers["x-cloumer-event"], "stream.started");
    assert_eq!(headers["content-type"], "application/json");

    let json: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert_eq!(
        json["content"],
        "민지 @everyone is live: https://cloumer.example/minji"
    );
    assert_eq!(json["allowed_mentions"]["parse"], serde_json::json!([]));
    assert_eq!(json["embeds"][0]["title"], "밤샘 코딩");
    assert_eq!(json["embeds"][0]["url"], "https://cloumer.example/minji");
    assert_eq!(json["embeds"][0]["timestamp"], "2026-09-21T14:13:20Z");
    assert_eq!(json["cloumer"]["event"], "stream.started");
    assert_eq!(json["cloumer"]["stream_id"], "st-hooked");
}

#[tokio::test]
async fn a_failing_receiver_is_retried_with_backoff_until_it_answers() {
    let (receiver, url) = receiver(&[503, 429, 200]).await;
    let report = sender(OutboundDestinations::AlsoLoopback, fast())
        .deliver(&webhook(&url), &event())
        .await;
    assert!(report.delivered(), "{report:?}");
    assert_eq!((report.attempts, report.status), (3, Some(200)));
    assert_eq!(receiver.received.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn a_receiver_that_keeps_failing_is_reported_after_the_last_attempt() {
    let (receiver, url) = receiver(&[500]).await;
    let report = sender(OutboundDestinations::AlsoLoopback, fast())
        .deliver(&webhook(&url), &event())
        .await;
    assert_eq!(report.attempts, 3);
    assert_eq!(report.status, Some(500));
    assert_eq!(report.error.as_deref(), Some("the receiver answered 500"));
    assert_eq!(receiver.received.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn a_gone_webhook_is_not_retried() {
    let (receiver, url) = receiver(&[404]).await;
    let report = sender(OutboundDestinations::AlsoLoopback, fast())
        .deliver(&webhook(&url), &event())
        .await;
    assert_eq!((report.attempts, report.status), (1, Some(404)));
    assert!(!report.delivered());
    assert_eq!(receiver.received.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_redirect_to_a_private_address_is_not_followed() {
    let (receiver, url) = receiver(&[307]).await;
    let report = sender(OutboundDestinations::AlsoLoopback, fast())
        .deliver(&webhook(&url), &event())
        .await;
    assert_eq!(
        report.error.as_deref(),
        Some("redirected to a URL a webhook may not reach")
    );
    assert_eq!(report.attempts, 1, "a refused destination is not retried");
    assert_eq!(receiver.received.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn without_the_setting_loopback_is_refused_before_any_request() {
    let (receiver, url) = receiver(&[204]).await;
    let report = sender(OutboundDestinations::PublicHttpsOnly, fast())
        .deliver(&webhook(&url), &event())
        .await;
    assert!(!report.delivered());
    assert_eq!(report.attempts, 0);
    assert!(receiver.received.lock().unwrap().is_empty());
}

#[tokio::test]
async fn names_resolving_to_private_addresses_are_refused_by_the_resolver() {
    let refused = PublicOnly(OutboundDestinations::PublicHttpsOnly)
        .resolve("localhost".parse().unwrap())
        .await;
    let error = refused.err().expect("localhost is not public");
    assert_eq!(
        error.to_string(),
        "the host resolves only to private or reserved addresses"
    );
    let allowed = PublicOnly(OutboundDestinations::AlsoLoopback)
        .resolve("localhost".parse().unwrap())
        .await
        .expect("the test setting allows loopback");
    assert!(allowed.into_iter().all(|addr| addr.ip().is_loopback()));
}

#[tokio::test]
async fn a_receiver_that_never_answers_times_out() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    // Accepts connections and never answers.
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket);
        }
    });
    let retries = Retries {
        attempts: 2,
        request_timeout: Duration::from_millis(300),
        ..fast()
    };
    let report = sender(OutboundDestinations::AlsoLoopback, retries)
        .deliver(&webhook(&url), &event())
        .await;
    assert_eq!(report.attempts, 2);
    assert_eq!(
        report.error.as_deref(),
        Some("the receiver did not answer in time")
    );
    held.abort();
}
