//! Web Push over HTTP: the key to subscribe with, a browser's subscription kept and forgotten,
//! every bad input refused, and a stream start pushed by the local stack to a real push service
//! (the test's own, on a loopback port: allowed only through the explicit setting), which
//! decrypts it; a subscription the push service says is gone is forgotten.

use cloumer_domain::ids::UserId;
use cloumer_domain::outbound::OutboundDestinations;
use cloumer_domain::ports::PushSubscriptionRepository;
use cloumer_outbound::testing::TestPushService;
use serde_json::json;

use crate::helpers::{go_live, spawn_app, spawn_app_with};

/// `endpoint` as a query parameter's value.
fn encode(endpoint: &str) -> String {
    let url = reqwest::Url::parse_with_params("http://x/", [("e", endpoint)]).unwrap();
    url.query().unwrap()["e=".len()..].to_owned()
}

fn subscription(endpoint: &str, p256dh: &str, auth: &str) -> serde_json::Value {
    json!({"endpoint": endpoint, "expirationTime": null, "keys": {"p256dh": p256dh, "auth": auth}})
}

#[tokio::test]
async fn a_browser_subscribes_and_unsubscribes_and_bad_input_is_refused() {
    let app = spawn_app().await;
    let viewer = app.user("pia@example.com", "pia", "Pia").await;
    let token = Some(viewer.token.as_str());
    let key = app.get("/api/v1/push/key", None).await;
    assert_eq!(key.status, 200);
    let public_key = key.body["publicKey"].as_str().unwrap();
    assert_eq!(public_key.len(), 87);
    assert!(public_key.starts_with('B'), "an uncompressed P-256 point");

    let service = TestPushService::start().await;
    let browser = service.subscribe();
    // A real push service's address: loopback is refused without the test setting.
    let endpoint = "https://fcm.googleapis.com/fcm/send/abc:APA91b";
    let good = subscription(endpoint, &browser.p256dh, &browser.auth);
    assert_eq!(
        app.put("/api/v1/me/push-subscription", None, good.clone())
            .await
            .status,
        401
    );
    let saved = app
        .put("/api/v1/me/push-subscription", token, good.clone())
        .await;
    assert_eq!(saved.status, 204, "{}", saved.text);
    let again = app.put("/api/v1/me/push-subscription", token, good).await;
    assert_eq!(again.status, 204, "saving again (a renewal) is fine");

    for (body, code) in [
        (
            subscription(&browser.endpoint, &browser.p256dh, &browser.auth),
            "invalid_push_endpoint",
        ),
        (
            subscription(
                "https://169.254.169.254/latest",
                &browser.p256dh,
                &browser.auth,
            ),
            "invalid_push_endpoint",
        ),
        (
            subscription(
                "http://fcm.googleapis.com/x",
                &browser.p256dh,
                &browser.auth,
            ),
            "invalid_push_endpoint",
        ),
        (
            subscription(endpoint, &browser.p256dh[1..], &browser.auth),
            "invalid_push_keys",
        ),
        (
            subscription(endpoint, &browser.p256dh, "short"),
            "invalid_push_keys",
        ),
        (json!({"endpoint": endpoint}), "invalid_json"),
        (
            json!({"endpoint": endpoint, "keys": {"p256dh": browser.p256dh, "auth": browser.auth}, "extra": 1}),
            "invalid_json",
        ),
    ] {
        let refused = app.put("/api/v1/me/push-subscription", token, body).await;
        assert_eq!(
            (refused.status.as_u16(), refused.body["code"].as_str()),
            (400, Some(code)),
            "{}",
            refused.text
        );
    }

    let path = format!("/api/v1/me/push-subscription?endpoint={}", encode(endpoint));
    let other = app.user("oto@example.com", "oto", "Oto").await;
    assert_eq!(
        app.delete(&path, Some(&other.token)).await.status,
        404,
        "only the owner's"
    );
    assert_eq!(app.delete(&path, token).await.status, 204);
    assert_eq!(app.delete(&path, token).await.status, 404);
    assert_eq!(
        app.delete("/api/v1/me/push-subscription?endpoint=nonsense", token)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn the_local_stack_pushes_a_stream_start_to_each_followers_browser() {
    let app = spawn_app_with(|config| {
        config.outbound_destinations = OutboundDestinations::AlsoLoopback;
    })
    .await;
    let streamer = app.user("suji@example.com", "suji", "수지").await;
    let fan = app.user("fan@example.com", "fan", "Fan").await;
    let token = Some(fan.token.as_str());
    let followed = app
        .put("/api/v1/channels/suji/follow", token, json!(null))
        .await;
    assert_eq!(followed.status, 200, "{}", followed.text);
    let changed = app
        .patch("/api/v1/me", token, json!({"language": "ko"}))
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);

    let service = TestPushService::start().await;
    let (laptop, phone) = (service.subscribe(), service.subscribe());
    for browser in [&laptop, &phone] {
        let saved = app
            .put(
                "/api/v1/me/push-subscription",
                token,
                subscription(&browser.endpoint, &browser.p256dh, &browser.auth),
            )
            .await;
        assert_eq!(saved.status, 204, "{}", saved.text);
    }
    service.expire(&phone);

    go_live(&app, &streamer, "st-pushed").await;

    let mut received = Vec::new();
    for _ in 0..100 {
        received = service.received();
        if !received.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(received.len(), 1, "refused: {:?}", service.refused());
    let push = &received[0];
    assert_eq!(push.subscription, "sub1");
    assert_eq!(push.message.title, "수지 님이 방송을 시작했어요");
    assert_eq!(push.message.url, format!("{}/suji", app.stack.url()));
    let key = app.get("/api/v1/push/key", None).await;
    assert_eq!(push.vapid_key, key.body["publicKey"].as_str().unwrap());

    // The gone browser is forgotten just after the push service's answer: poll briefly.
    let fan_id = UserId::parse(&fan.user_id).unwrap();
    let mut kept = Vec::new();
    for _ in 0..50 {
        kept = app
            .stack
            .store()
            .push_subscriptions_of(std::slice::from_ref(&fan_id))
            .await
            .unwrap();
        if kept.len() == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let endpoints: Vec<_> = kept.iter().map(|s| s.endpoint.as_str()).collect();
    assert_eq!(endpoints, [laptop.endpoint.as_str()]);
}
