use cloumer_domain::DomainError;
use cloumer_domain::live::StreamEventKind;
use cloumer_domain::profile::{Language, ProfileChange};
use time::Duration;

use crate::world::{person, world, world_with};

#[tokio::test]
async fn followers_who_want_email_get_one_in_their_language_and_one_click_stops_them() {
    let world = world();
    let (_, star) = world.account("u-star", "star").await;
    let (fan, _) = world.account("u-fan", "fan").await;
    let (korean, _) = world.account("u-ko", "ko_fan").await;
    let (muted, _) = world.account("u-muted", "muted").await;
    let (quiet, _) = world.account("u-quiet", "quiet").await;
    let mut no_address = person("u-noaddr", "noaddr");
    no_address.email = None;
    world.platform.ensure_account(&no_address).await.unwrap();
    for who in [&fan, &korean, &muted, &quiet, &no_address] {
        world.platform.follow(who, "star").await.unwrap();
    }
    world
        .platform
        .set_follow_notify(&muted, "star", false)
        .await
        .unwrap();
    let quiet_profile = world
        .platform
        .update_profile(
            &quiet,
            ProfileChange {
                email_notifications: Some(false),
                ..ProfileChange::default()
            },
        )
        .await
        .unwrap()
        .profile;
    assert!(!quiet_profile.notifications.email);
    world
        .platform
        .update_profile(
            &korean,
            ProfileChange {
                language: Some(Language::Ko),
                ..ProfileChange::default()
            },
        )
        .await
        .unwrap();

    world.advance(Duration::minutes(1));
    world
        .stream_event(&star.channel.id, "st-1", StreamEventKind::Start)
        .await;
    let event = world.announcements.announced.lock().unwrap()[0].clone();
    let done = world.platform.deliver_go_live(&event).await.unwrap();
    assert_eq!((done.emails.sent, done.emails.failed), (2, 0));
    let mut emails = world.announcements.emails.lock().unwrap().clone();
    emails.sort_by(|a, b| a.to.cmp(&b.to));
    let sent: Vec<_> = emails
        .iter()
        .map(|e| (e.to.as_str(), e.language, e.event.channel_handle.as_str()))
        .collect();
    assert_eq!(
        sent,
        [
            ("u-fan@example.com", Language::En, "star"),
            ("u-ko@example.com", Language::Ko, "star"),
        ]
    );

    // The link in the fan's email turns their emails off; a wrong one does nothing.
    let fan_email = emails[0].clone();
    for (user, token) in [
        ("u-fan", "not-the-token"),
        ("u-ko", fan_email.unsubscribe_token.as_str()),
        ("nobody", fan_email.unsubscribe_token.as_str()),
        ("bad id!", "x"),
    ] {
        assert!(
            matches!(
                world.platform.unsubscribe(user, token).await,
                Err(DomainError::NotFound("unsubscribe link"))
            ),
            "{user}"
        );
    }
    world
        .platform
        .unsubscribe("u-fan", &fan_email.unsubscribe_token)
        .await
        .unwrap();
    world
        .platform
        .unsubscribe("u-fan", &fan_email.unsubscribe_token)
        .await
        .unwrap();
    let fan_now = world.platform.ensure_account(&fan).await.unwrap().profile;
    assert!(!fan_now.notifications.email);
    assert!(fan_now.notifications.unsubscribe_token.is_some());

    world.announcements.emails.lock().unwrap().clear();
    world.platform.deliver_go_live(&event).await.unwrap();
    let again: Vec<_> = world
        .announcements
        .emails
        .lock()
        .unwrap()
        .iter()
        .map(|e| e.to.clone())
        .collect();
    assert_eq!(again, ["u-ko@example.com"]);
}

#[tokio::test]
async fn the_address_follows_the_identity_provider_and_the_unsubscribe_secret_stays() {
    let world = world();
    let (mut who, account) = world.account("u-mover", "mover").await;
    assert_eq!(
        account.profile.email.as_deref(),
        Some("u-mover@example.com")
    );
    let token = account.profile.notifications.unsubscribe_token.clone();
    assert!(token.as_ref().is_some_and(|t| t.len() == 32));

    who.email = Some("new@example.com".into());
    let moved = world.platform.ensure_account(&who).await.unwrap().profile;
    assert_eq!(moved.email.as_deref(), Some("new@example.com"));
    assert_eq!(
        moved.notifications.unsubscribe_token, token,
        "the secret stays"
    );
    // A token without an address (an access token) changes nothing.
    who.email = None;
    let kept = world.platform.ensure_account(&who).await.unwrap().profile;
    assert_eq!(kept.email.as_deref(), Some("new@example.com"));
}

#[tokio::test]
async fn emailing_stops_at_the_time_budget_instead_of_running_past_it() {
    let world = world_with(|config| config.follower_time_budget = Duration::ZERO);
    let (_, star) = world.account("u-star", "star").await;
    let (fan, _) = world.account("u-fan", "fan").await;
    world.platform.follow(&fan, "star").await.unwrap();
    world.advance(Duration::minutes(1));
    world
        .stream_event(&star.channel.id, "st-1", StreamEventKind::Start)
        .await;
    let event = world.announcements.announced.lock().unwrap()[0].clone();
    let done = world.platform.deliver_go_live(&event).await.unwrap();
    assert!(done.emails.stopped);
    assert_eq!(done.emails.sent, 0);
    assert!(world.announcements.emails.lock().unwrap().is_empty());
}
