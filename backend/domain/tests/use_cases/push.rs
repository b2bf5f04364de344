//! Web Push: subscribing and unsubscribing a browser, and the pushes of a stream start.

use cloumer_domain::DomainError;
use cloumer_domain::live::StreamEventKind;
use cloumer_domain::profile::{Language, ProfileChange};
use cloumer_domain::push::MAX_PUSH_SUBSCRIPTIONS;
use cloumer_domain::testkit::{AUTH, P256DH};
use time::Duration;

use crate::world::{world, world_with};

#[tokio::test]
async fn each_subscribed_browser_of_each_listening_follower_gets_one_push_in_their_language() {
    let world = world();
    let (_, star) = world.account("u-star", "star").await;
    let (fan, _) = world.account("u-fan", "fan").await;
    let (korean, _) = world.account("u-ko", "ko_fan").await;
    let (muted, _) = world.account("u-muted", "muted").await;
    let (stranger, _) = world.account("u-stranger", "stranger").await;
    for who in [&fan, &korean, &muted] {
        world.platform.follow(who, "star").await.unwrap();
    }
    world
        .platform
        .set_follow_notify(&muted, "star", false)
        .await
        .unwrap();
    world
        .platform
        .update_profile(
            &korean,
            ProfileChange {
                language: Some(Language::Ko),
                // Email off does not turn push off: each is its own choice.
                email_notifications: Some(false),
                ..ProfileChange::default()
            },
        )
        .await
        .unwrap();
    for (who, endpoint) in [
        (&fan, "https://push.example.com/fan-laptop"),
        (&fan, "https://push.example.com/fan-phone-gone"),
        (&fan, "https://push.example.com/fan-tablet-fails"),
        (&korean, "https://push.example.com/ko-phone"),
        (&muted, "https://push.example.com/muted"),
        (&stranger, "https://push.example.com/stranger"),
    ] {
        world
            .platform
            .subscribe_push(who, endpoint, P256DH, AUTH)
            .await
            .unwrap();
    }

    world.advance(Duration::minutes(1));
    world
        .stream_event(&star.channel.id, "st-1", StreamEventKind::Start)
        .await;
    let event = world.announcements.announced.lock().unwrap()[0].clone();
    let done = world.platform.deliver_go_live(&event).await.unwrap();
    assert_eq!(
        (done.pushes.sent, done.pushes.gone, done.pushes.failed),
        (2, 1, 1)
    );
    let mut pushes = world.announcements.pushes.lock().unwrap().clone();
    pushes.sort_by(|a, b| a.0.cmp(&b.0));
    let pushed: Vec<_> = pushes
        .iter()
        .map(|(endpoint, language, handle)| (endpoint.as_str(), *language, handle.as_str()))
        .collect();
    assert_eq!(
        pushed,
        [
            ("https://push.example.com/fan-laptop", Language::En, "star"),
            (
                "https://push.example.com/fan-phone-gone",
                Language::En,
                "star"
            ),
            (
                "https://push.example.com/fan-tablet-fails",
                Language::En,
                "star"
            ),
            ("https://push.example.com/ko-phone", Language::Ko, "star"),
        ]
    );

    // The gone browser is forgotten (its removal now finds nothing); the failing one is kept.
    let gone = world
        .platform
        .unsubscribe_push(&fan, "https://push.example.com/fan-phone-gone")
        .await;
    assert!(matches!(gone, Err(DomainError::NotFound(_))), "{gone:?}");
    world
        .platform
        .unsubscribe_push(&fan, "https://push.example.com/fan-tablet-fails")
        .await
        .unwrap();
}

#[tokio::test]
async fn a_user_keeps_their_newest_browsers_and_only_their_own() {
    let world = world();
    let (fan, _) = world.account("u-fan", "fan").await;
    let (other, _) = world.account("u-other", "other").await;
    for n in 0..=MAX_PUSH_SUBSCRIPTIONS {
        world.advance(Duration::seconds(10));
        world
            .platform
            .subscribe_push(&fan, &format!("https://push.example.com/{n}"), P256DH, AUTH)
            .await
            .unwrap();
    }
    let oldest = world
        .platform
        .unsubscribe_push(&fan, "https://push.example.com/0")
        .await;
    assert!(
        matches!(oldest, Err(DomainError::NotFound(_))),
        "the oldest went"
    );
    let others = world
        .platform
        .unsubscribe_push(&other, "https://push.example.com/1")
        .await;
    assert!(
        matches!(others, Err(DomainError::NotFound(_))),
        "not theirs"
    );
    world
        .platform
        .unsubscribe_push(&fan, "https://push.example.com/1")
        .await
        .unwrap();

    for (endpoint, p256dh, auth, code) in [
        (
            "https://127.0.0.1/push",
            P256DH,
            AUTH,
            "invalid_push_endpoint",
        ),
        (
            "https://push.example.com/x",
            "BAAA",
            AUTH,
            "invalid_push_keys",
        ),
        (
            "https://push.example.com/x",
            P256DH,
            "AAAA",
            "invalid_push_keys",
        ),
    ] {
        let refused = world
            .platform
            .subscribe_push(&fan, endpoint, p256dh, auth)
            .await;
        assert!(
            matches!(refused, Err(DomainError::Invalid { code: c, .. }) if c == code),
            "{endpoint}: {refused:?}"
        );
    }
}

#[tokio::test]
async fn without_a_vapid_key_push_is_not_offered() {
    let world = world_with(|config| config.push_public_key = None);
    let (fan, _) = world.account("u-fan", "fan").await;
    assert!(matches!(
        world.platform.push_public_key(),
        Err(DomainError::NotFound(_))
    ));
    let refused = world
        .platform
        .subscribe_push(&fan, "https://push.example.com/1", P256DH, AUTH)
        .await;
    assert!(
        matches!(refused, Err(DomainError::NotFound(_))),
        "{refused:?}"
    );
}
