//! Web Push to a real push service on a loopback port (allowed only through the explicit
//! setting), which decrypts each message with keys it made itself and checks its VAPID
//! signature; and what is refused without any request.

use cloumer_domain::ids::{ChannelId, StreamId, UserId, VideoId};
use cloumer_domain::notification::GoLive;
use cloumer_domain::outbound::OutboundDestinations;
use cloumer_domain::ports::PushSender;
use cloumer_domain::profile::Language;
use cloumer_domain::push::{PushEndpoint, PushKeys, PushOutcome, PushSubscription};
use cloumer_domain::video::VideoReady;
use cloumer_outbound::testing::{TestPushService, TestSubscription};
use cloumer_outbound::{PushMessage, VapidKey, WebPushSender};

fn event() -> GoLive {
    GoLive {
        channel_id: ChannelId::parse("chpush").unwrap(),
        stream_id: StreamId::parse("st-pushed").unwrap(),
        started_at: time::OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap(),
        channel_handle: "minji".into(),
        owner_nickname: "민지".into(),
        title: "밤샘 코딩".into(),
    }
}

fn subscription(test: &TestSubscription) -> PushSubscription {
    PushSubscription {
        user_id: UserId::parse("pushfan").unwrap(),
        endpoint: PushEndpoint::parse(&test.endpoint, OutboundDestinations::AlsoLoopback).unwrap(),
        keys: PushKeys::parse(&test.p256dh, &test.auth).unwrap(),
        created_at: time::OffsetDateTime::now_utc(),
    }
}

fn sender(destinations: OutboundDestinations, key: &VapidKey) -> WebPushSender {
    WebPushSender::new(
        destinations,
        key.clone(),
        "mailto:ops@cloumer.example",
        "https://cloumer.example/",
    )
    .unwrap()
}

#[tokio::test]
async fn a_push_is_encrypted_for_the_browser_and_signed_with_our_vapid_key() {
    let service = TestPushService::start().await;
    let browser = service.subscribe();
    let key = VapidKey::generate();
    let outcome = sender(OutboundDestinations::AlsoLoopback, &key)
        .push_go_live(&subscription(&browser), Language::Ko, &event())
        .await;
    assert_eq!(outcome, PushOutcome::Accepted, "{:?}", service.refused());

    let received = service.received();
    assert_eq!(received.len(), 1);
    let push = &received[0];
    assert_eq!(
        push.message,
        PushMessage {
            title: "민지 님이 방송을 시작했어요".into(),
            body: "밤샘 코딩".into(),
            url: "https://cloumer.example/minji".into(),
            tag: "live-chpush".into(),
        }
    );
    assert_eq!(push.vapid_key, key.public_key());
    assert_eq!(push.contact, "mailto:ops@cloumer.example");
    assert_eq!(push.ttl, Some(3600));
    assert_eq!(push.urgency.as_deref(), Some("high"));
}

/// "Your video is ready": to the uploader's browser, in their language, opening the video, and
/// not urgent enough to wake a device.
#[tokio::test]
async fn a_ready_video_is_pushed_to_its_uploader() {
    let service = TestPushService::start().await;
    let browser = service.subscribe();
    let key = VapidKey::generate();
    let ready = VideoReady {
        video_id: VideoId::parse("vdReady1").unwrap(),
        channel_id: ChannelId::parse("chpush").unwrap(),
        uploader: UserId::parse("pushfan").unwrap(),
        title: "제주 여행".into(),
        private: false,
        duration_ms: Some(20_000),
        ready_at: time::OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap(),
        channel_handle: "minji".into(),
        owner_nickname: "민지".into(),
        owner_avatar: String::new(),
    };
    let outcome = sender(OutboundDestinations::AlsoLoopback, &key)
        .push_video_ready(&subscription(&browser), Language::Ko, &ready)
        .await;
    assert_eq!(outcome, PushOutcome::Accepted, "{:?}", service.refused());
    let received = service.received();
    let [push] = received.as_slice() else {
        panic!("{received:?}")
    };
    assert_eq!(
        push.message,
        PushMessage {
            title: "동영상이 준비되었어요".into(),
            body: "제주 여행".into(),
            url: "https://cloumer.example/videos/vdReady1".into(),
            tag: "video-vdReady1".into(),
        }
    );
    assert_eq!(push.urgency.as_deref(), Some("normal"));
}

#[tokio::test]
async fn a_key_survives_being_stored_as_pem() {
    let key = VapidKey::generate();
    let again = VapidKey::from_pkcs8_pem(key.pkcs8_pem()).unwrap();
    assert_eq!(again.public_key(), key.public_key());
    assert_eq!(key.public_key().len(), 87, "65 bytes, base64url");
    let error = VapidKey::from_pkcs8_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n").unwrap_err();
    assert!(!error.contains("AAAA"), "the error never quotes the key");
}

#[tokio::test]
async fn an_expired_subscription_is_reported_gone() {
    let service = TestPushService::start().await;
    let browser = service.subscribe();
    service.expire(&browser);
    let outcome = sender(OutboundDestinations::AlsoLoopback, &VapidKey::generate())
        .push_go_live(&subscription(&browser), Language::En, &event())
        .await;
    assert_eq!(outcome, PushOutcome::Gone);
}

#[tokio::test]
async fn a_push_service_that_refuses_is_a_failure_not_a_gone_subscription() {
    let service = TestPushService::start().await;
    let browser = service.subscribe();
    let mut unknown = subscription(&browser);
    // The service knows no such subscription and says 404: gone too (RFC 8030 section 8.3).
    unknown.endpoint = PushEndpoint::parse(
        &format!("{}x", browser.endpoint),
        OutboundDestinations::AlsoLoopback,
    )
    .unwrap();
    let sender = sender(OutboundDestinations::AlsoLoopback, &VapidKey::generate());
    assert_eq!(
        sender.push_go_live(&unknown, Language::En, &event()).await,
        PushOutcome::Gone
    );
    // Keys that are not the subscription's: the service cannot decrypt and answers 400.
    let mut wrong_keys = subscription(&browser);
    wrong_keys.keys = subscription(&service.subscribe()).keys;
    let outcome = sender
        .push_go_live(&wrong_keys, Language::En, &event())
        .await;
    assert_eq!(
        outcome,
        PushOutcome::Failed("the push service answered 400".into())
    );
    assert!(service.received().is_empty());
}

#[tokio::test]
async fn keys_off_the_curve_are_gone_without_a_request() {
    let service = TestPushService::start().await;
    let browser = service.subscribe();
    let mut broken = subscription(&browser);
    // The right shape (65 bytes, 0x04 first) but not a point on P-256.
    broken.keys = PushKeys::parse(&format!("B{}", "A".repeat(86)), &browser.auth).unwrap();
    let outcome = sender(OutboundDestinations::AlsoLoopback, &VapidKey::generate())
        .push_go_live(&broken, Language::En, &event())
        .await;
    assert_eq!(outcome, PushOutcome::Gone);
    assert!(service.received().is_empty() && service.refused().is_empty());
}

#[tokio::test]
async fn without_the_setting_a_loopback_endpoint_gets_no_request() {
    let service = TestPushService::start().await;
    let browser = service.subscribe();
    let outcome = sender(OutboundDestinations::PublicHttpsOnly, &VapidKey::generate())
        .push_go_live(&subscription(&browser), Language::En, &event())
        .await;
    assert_eq!(outcome, PushOutcome::Gone);
    assert!(service.received().is_empty() && service.refused().is_empty());
}

/// The test push service decrypts with the same crate the sender encrypts with, so a mistake
/// shared by both would pass every test above: RFC 8291's own worked example (section 5,
/// appendix A) anchors the decryption to the standard.
#[test]
fn decryption_matches_the_rfc_8291_example() {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    let decode = |text: &str| URL_SAFE_NO_PAD.decode(text).unwrap();
    let receiver =
        p256::SecretKey::from_slice(&decode("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"))
            .unwrap();
    let auth: [u8; 16] = decode("BTBZMqHH6r4Tts7J_aSIgg").try_into().unwrap();
    let body = decode(
        "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
    );
    let plaintext = web_push_native::decrypt(body, &receiver, &auth.into()).unwrap();
    assert_eq!(plaintext, b"When I grow up, I want to be a watermelon");
}
