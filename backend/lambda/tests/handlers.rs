//! The Lambda handlers with real AWS event JSON (fixtures/), on the real domain and embedded store.

use std::time::{Duration, Instant};

use cloumer_domain::Platform;
use cloumer_domain::ids::UserId;
use cloumer_lambda::chat_review::{self, ReviewRequest};
use cloumer_lambda::ivs_events::{self, IvsEvent, RecordingUrls, Translated};
use cloumer_lambda::post_confirmation;
use cloumer_local::Components;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

struct World {
    platform: Platform,
    _dir: tempfile::TempDir,
}

fn world() -> World {
    world_with(cloumer_domain::outbound::OutboundDestinations::PublicHttpsOnly)
}

fn world_with(destinations: cloumer_domain::outbound::OutboundDestinations) -> World {
    let dir = tempfile::tempdir().unwrap();
    let components = Components::open(
        dir.path(),
        "http://127.0.0.1:9",
        "127.0.0.1",
        1935,
        std::sync::Arc::new(cloumer_domain::ports::SystemClock),
        destinations,
    )
    .unwrap();
    World {
        platform: components.platform,
        _dir: dir,
    }
}

async fn confirmed_user(platform: &Platform) -> cloumer_domain::platform::Account {
    let event = serde_json::from_str(&fixture("post-confirmation.json")).unwrap();
    let returned = post_confirmation::handle(platform, event).await.unwrap();
    assert_eq!(
        serde_json::to_value(&returned).unwrap()["request"]["userAttributes"]["nickname"],
        "민지",
        "the trigger hands the event back to Cognito"
    );
    platform
        .ensure_account(&cloumer_domain::Identity {
            user_id: UserId::parse("7f0c1e2a-3b4c-4d5e-8f9a-0b1c2d3e4f5a").unwrap(),
            username: "x".into(),
            preferred_handle: None,
            nickname: None,
            email: None,
            signed_in_at: None,
            staff: false,
        })
        .await
        .unwrap()
}

fn ivs_event(name: &str, channel: &str) -> IvsEvent {
    serde_json::from_str(&fixture(name).replace("CHANNEL_ID", channel)).unwrap()
}

fn urls() -> RecordingUrls {
    RecordingUrls {
        base_url: "https://d111111abcdef8.cloudfront.net".into(),
        private_bucket: Some("cloumer-private-recordings".into()),
    }
}

#[tokio::test]
async fn post_confirmation_creates_the_channel_with_the_chosen_handle_once() {
    let world = world();
    let account = confirmed_user(&world.platform).await;
    assert_eq!(account.channel.handle.as_str(), "minji_live");
    assert_eq!(account.profile.nickname.as_str(), "민지");
    // Cognito may deliver the trigger again: still one channel.
    let again = confirmed_user(&world.platform).await;
    assert_eq!(again.channel.id, account.channel.id);

    let mut reset: serde_json::Value =
        serde_json::from_str(&fixture("post-confirmation.json")).unwrap();
    reset["triggerSource"] = "PostConfirmation_ConfirmForgotPassword".into();
    reset["request"]["userAttributes"]["sub"] = "someone-new".into();
    post_confirmation::handle(&world.platform, serde_json::from_value(reset).unwrap())
        .await
        .unwrap();
    let none = world.platform.channel_page("someone_new", None).await;
    assert!(none.is_err(), "a password reset creates nothing");
}

#[tokio::test]
async fn stream_events_in_any_order_and_repeated_leave_the_channel_right() {
    let world = world();
    let channel = confirmed_user(&world.platform).await.channel;
    let start = ivs_event("stream-start.json", channel.id.as_str());
    let end = ivs_event("stream-end.json", channel.id.as_str());
    assert!(matches!(
        ivs_events::translate(
            &ivs_event("session-created.json", channel.id.as_str()),
            &urls()
        )
        .unwrap(),
        Translated::Ignored(_)
    ));

    ivs_events::handle(&world.platform, &urls(), end.clone())
        .await
        .unwrap();
    ivs_events::handle(&world.platform, &urls(), start.clone())
        .await
        .unwrap();
    ivs_events::handle(&world.platform, &urls(), start)
        .await
        .unwrap();
    let view = world
        .platform
        .channel_page("minji_live", None)
        .await
        .unwrap();
    assert!(
        !view.is_live(),
        "the end came first but is still the last word"
    );
    assert_eq!(
        view.channel.live.stream_id.unwrap().as_str(),
        "st-1A2b3c4D5e6F78ab"
    );

    // Foreign or malformed events are acknowledged without effect.
    let mut foreign = ivs_event("stream-start.json", "not a channel id!");
    ivs_events::handle(&world.platform, &urls(), foreign.clone())
        .await
        .unwrap();
    foreign.detail = serde_json::json!({"unexpected": true});
    ivs_events::handle(&world.platform, &urls(), foreign)
        .await
        .unwrap();
}

#[tokio::test]
async fn recording_events_become_a_past_broadcast_with_cloudfront_urls() {
    let world = world();
    let channel = confirmed_user(&world.platform).await.channel;
    ivs_events::handle(
        &world.platform,
        &urls(),
        ivs_event("stream-start.json", channel.id.as_str()),
    )
    .await
    .unwrap();
    let start = ivs_event("recording-start.json", channel.id.as_str());
    let end = ivs_event("recording-end.json", channel.id.as_str());
    ivs_events::handle(&world.platform, &urls(), start)
        .await
        .unwrap();
    let live = world
        .platform
        .channel_page("minji_live", None)
        .await
        .unwrap();
    assert_eq!(
        live.thumbnail_url(),
        Some(
            "https://d111111abcdef8.cloudfront.net/ivs/v1/123456789012/AbCdEfGhIjKl/2026/11/22/20/12/j8Z9O91ndcVs/media/latest_thumbnail/thumb.jpg"
        )
    );
    ivs_events::handle(&world.platform, &urls(), end.clone())
        .await
        .unwrap();
    ivs_events::handle(&world.platform, &urls(), end)
        .await
        .unwrap();
    let (page, _) = world
        .platform
        .channel_recordings("minji_live", None, None, 10)
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    let recording = &page.items[0];
    assert_eq!(recording.id.as_str(), "j8Z9O91ndcVs");
    assert_eq!(recording.duration_ms, Some(1_802_000));
    assert_eq!(
        recording.playlist_url.as_deref(),
        Some(
            "https://d111111abcdef8.cloudfront.net/ivs/v1/123456789012/AbCdEfGhIjKl/2026/11/22/20/12/j8Z9O91ndcVs/media/hls/master.m3u8"
        )
    );
}

/// Item 3 of the trust issue: a private channel's recording was served unsigned. It is recorded
/// into the private bucket, served under `/private-recordings/`, listed only to the channel's
/// allowed viewers with a grant in its URLs, and stays private when the channel goes public.
#[tokio::test]
async fn a_recording_in_the_private_bucket_stays_private() {
    let world = world();
    let channel = confirmed_user(&world.platform).await.channel;
    let private_bucket = |name: &str| {
        let mut event = ivs_event(name, channel.id.as_str());
        event.detail["recording_s3_bucket_name"] = "cloumer-private-recordings".into();
        event
    };
    for name in ["recording-start.json", "recording-end.json"] {
        ivs_events::handle(&world.platform, &urls(), private_bucket(name))
            .await
            .unwrap();
    }
    let live = world
        .platform
        .channel_page("minji_live", None)
        .await
        .unwrap();
    assert_eq!(live.thumbnail_url(), None, "no frame of it in public lists");
    let (page, _) = world
        .platform
        .channel_recordings("minji_live", None, None, 10)
        .await
        .unwrap();
    assert!(page.items.is_empty(), "hidden from the public");
    let owner = UserId::parse("7f0c1e2a-3b4c-4d5e-8f9a-0b1c2d3e4f5a").unwrap();
    let (page, _) = world
        .platform
        .channel_recordings("minji_live", Some(&owner), None, 10)
        .await
        .unwrap();
    let recording = &page.items[0];
    assert!(recording.private);
    let playlist = recording.playlist_url.as_deref().unwrap();
    assert!(
        playlist.starts_with(
            "https://d111111abcdef8.cloudfront.net/private-recordings/ivs/v1/123456789012/AbCdEfGhIjKl/2026/11/22/20/12/j8Z9O91ndcVs/media/hls/master.m3u8?"
        ),
        "{playlist}"
    );
    assert!(playlist.contains("Signature="), "{playlist}");
    assert!(
        recording
            .thumbnail_url
            .as_deref()
            .is_some_and(|t| t.contains("/private-recordings/") && t.contains("Signature=")),
        "{recording:?}"
    );
}

#[tokio::test]
async fn the_review_hook_allows_denies_and_stores_within_its_budget() {
    let world = world();
    let channel = confirmed_user(&world.platform).await.channel;
    let room = channel.chat_room.clone().unwrap().arn;
    let request = |content: &str| -> ReviewRequest {
        serde_json::from_str(
            &fixture("chat-review.json")
                .replace("ROOM_ARN", &room)
                .replace("hello 바보 world", content),
        )
        .unwrap()
    };

    let started = Instant::now();
    let allowed = chat_review::handle(&world.platform, request("hello 바보 world"))
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(200),
        "took {:?}",
        started.elapsed()
    );
    let json = serde_json::to_value(&allowed).unwrap();
    assert_eq!(json["ReviewResult"], "ALLOW");
    assert_eq!(json["Content"], "hello 바보 world");
    // The fixture answers a message this room never had: it goes as a plain message.
    assert_eq!(json["Attributes"], serde_json::json!({}), "{json}");
    let history = world
        .platform
        .chat_history("minji_live", None, None, 10)
        .await
        .unwrap();
    assert_eq!(history.items[0].content, "hello 바보 world");
    assert_eq!(history.items[0].sender_attributes["nickname"], "시청자");
    // A reply to it is delivered naming whom it answers, from history.
    let answered = history.items[0].id.to_string();
    let reply: ReviewRequest = serde_json::from_str(
        &fixture("chat-review.json")
            .replace("ROOM_ARN", &room)
            .replace("ABC123DEF456", "REPLY0000001")
            .replace("XYZ987", &answered),
    )
    .unwrap();
    let reply = chat_review::handle(&world.platform, reply).await.unwrap();
    let json = serde_json::to_value(&reply).unwrap();
    assert_eq!(json["ReviewResult"], "ALLOW");
    assert_eq!(json["Attributes"]["replyTo"], answered.as_str());
    assert_eq!(json["Attributes"]["replyToNickname"], "시청자");
    assert_eq!(
        json["Attributes"]["replyToSender"],
        "7f0c1e2a-3b4c-4d5e-8f9a-0b1c2d3e4f5a"
    );

    let owner = cloumer_domain::Identity {
        user_id: channel.owner.clone(),
        username: "x".into(),
        preferred_handle: None,
        nickname: None,
        signed_in_at: None,
        staff: false,
        email: None,
    };
    let mut rules = channel.chat_rules.clone();
    rules.word_filter = cloumer_domain::chat_rules::WordFilter::new(
        &["바보".to_owned()],
        cloumer_domain::chat_rules::FilterMode::Block,
    )
    .unwrap();
    world
        .platform
        .update_chat_rules(&owner, rules)
        .await
        .unwrap();
    // The word as written, and spaced out with a Hangul filler (an invisible letter) between.
    for said in ["넌 바보야", "넌 바 보 같아", "넌 바\u{3164}보야"] {
        let denied = chat_review::handle(&world.platform, request(said))
            .await
            .unwrap();
        assert_eq!(
            serde_json::to_value(&denied).unwrap(),
            serde_json::json!({"ReviewResult": "DENY"}),
            "{said}"
        );
    }

    let mut null_attributes: serde_json::Value =
        serde_json::from_str(&fixture("chat-review.json").replace("ROOM_ARN", &room)).unwrap();
    null_attributes["Attributes"] = serde_json::Value::Null;
    null_attributes["Content"] = "plain".into();
    let parsed: ReviewRequest = serde_json::from_value(null_attributes).unwrap();
    assert_eq!(
        chat_review::handle(&world.platform, parsed)
            .await
            .unwrap()
            .review_result,
        "ALLOW"
    );

    let mut unknown_room = request("hi");
    unknown_room.room_arn = "arn:aws:ivschat:ap-northeast-2:123456789012:room/unknown".into();
    assert!(
        chat_review::handle(&world.platform, unknown_room)
            .await
            .is_err(),
        "unknown rooms fall back to the room's fallback result"
    );
}

/// The go-live function with the SNS event Lambda hands it: the channel's webhook receives the
/// stream start, signed with its secret, and the outcome is kept for the dashboard.
#[tokio::test]
async fn the_go_live_function_calls_the_channels_webhooks_for_an_sns_message() {
    use axum::body::Bytes;
    use axum::http::HeaderMap;
    use cloumer_lambda::go_live;

    let world = world_with(cloumer_domain::outbound::OutboundDestinations::AlsoLoopback);
    let account = confirmed_user(&world.platform).await;
    let owner = cloumer_domain::Identity {
        user_id: account.profile.user_id.clone(),
        username: "x".into(),
        preferred_handle: None,
        signed_in_at: None,
        staff: false,
        nickname: None,
        email: None,
    };
    let (sent, mut received) = tokio::sync::mpsc::unbounded_channel::<(HeaderMap, Bytes)>();
    let receiver = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| async move {
            sent.send((headers, body)).unwrap();
            axum::http::StatusCode::NO_CONTENT
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, receiver).await });
    let webhook = world.platform.add_webhook(&owner, &url).await.unwrap();

    let message = fixture("sns-go-live.json")
        .replace("CHANNEL_ID", account.channel.id.as_str())
        .replace("HANDLE", account.channel.handle.as_str());
    let event = serde_json::from_str(&message).unwrap();
    let delivered = go_live::handle(&world.platform, event).await.unwrap();
    assert_eq!((delivered.webhooks, delivered.emails_sent), (1, 0));

    let (headers, body) = received.recv().await.unwrap();
    let signature = headers[cloumer_outbound::SIGNATURE_HEADER]
        .to_str()
        .unwrap();
    assert!(cloumer_outbound::verify(&webhook.secret, signature, &body).is_some());
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["cloumer"]["stream_id"], "st-1AbCdEfGhIjKlMnOpQrStU");
    assert_eq!(
        json["embeds"][0]["url"],
        format!("http://127.0.0.1:9/{}", account.channel.handle)
    );
    let kept = world.platform.webhooks(&owner).await.unwrap();
    let last = kept[0].last_delivery.as_ref().unwrap();
    assert_eq!((last.report.status, last.report.attempts), (Some(204), 1));

    // A message that is not a stream start fails the invocation (Lambda retries it, then
    // dead-letters it) instead of being dropped silently.
    let broken = message.replace(r#"\"channel_id\""#, r#"\"channel\""#);
    let error = go_live::handle(&world.platform, serde_json::from_str(&broken).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(error, go_live::GoLiveError::NotGoLive(_)),
        "{error}"
    );
}
