use cloumer_domain::DomainError;
use cloumer_domain::live::StreamEventKind;
use cloumer_domain::webhook::DeliveryReport;
use time::Duration;

use crate::world::world;

#[tokio::test]
async fn a_streamer_keeps_up_to_five_public_https_webhooks_of_their_own() {
    let world = world();
    let (star, account) = world.account("u-star", "star").await;
    let (other, _) = world.account("u-other", "other").await;

    let added = world
        .platform
        .add_webhook(&star, " https://discord.com/api/webhooks/1/abc ")
        .await
        .unwrap();
    assert_eq!(added.url.as_str(), "https://discord.com/api/webhooks/1/abc");
    assert_eq!(added.channel_id, account.channel.id);
    assert!(added.secret.starts_with("whsec_") && added.secret.len() == 38);
    for bad in [
        "http://discord.com/x",
        "https://127.0.0.1/x",
        "https://[::1]/",
        "nope",
    ] {
        assert!(
            matches!(
                world.platform.add_webhook(&star, bad).await,
                Err(DomainError::Invalid {
                    code: "invalid_webhook_url",
                    ..
                })
            ),
            "{bad}"
        );
    }
    for n in 2..=5 {
        world.advance(Duration::seconds(1));
        world
            .platform
            .add_webhook(&star, &format!("https://hooks.example.com/{n}"))
            .await
            .unwrap();
    }
    assert!(matches!(
        world
            .platform
            .add_webhook(&star, "https://hooks.example.com/6")
            .await,
        Err(DomainError::Conflict {
            code: "webhook_limit",
            ..
        })
    ));
    let listed = world.platform.webhooks(&star).await.unwrap();
    assert_eq!(listed.len(), 5);
    assert_eq!(listed[0].id, added.id, "oldest first");
    assert!(world.platform.webhooks(&other).await.unwrap().is_empty());

    // Someone else's webhook is not theirs to remove, and is not told apart from none at all.
    assert!(matches!(
        world
            .platform
            .remove_webhook(&other, added.id.as_str())
            .await,
        Err(DomainError::NotFound("webhook"))
    ));
    assert!(matches!(
        world.platform.remove_webhook(&star, "../etc").await,
        Err(DomainError::NotFound("webhook"))
    ));
    world
        .platform
        .remove_webhook(&star, added.id.as_str())
        .await
        .unwrap();
    assert_eq!(world.platform.webhooks(&star).await.unwrap().len(), 4);
}

#[tokio::test]
async fn adding_and_removing_webhooks_is_rate_limited() {
    let world = world();
    let (star, _) = world.account("u-star", "star").await;
    let mut limited = false;
    for n in 0..12 {
        match world
            .platform
            .add_webhook(&star, &format!("https://hooks.example.com/{n}"))
            .await
        {
            Ok(hook) => world
                .platform
                .remove_webhook(&star, hook.id.as_str())
                .await
                .map(|_| ())
                .or_else(|e| match e {
                    DomainError::RateLimited { .. } => {
                        limited = true;
                        Ok(())
                    }
                    other => Err(other),
                })
                .unwrap(),
            Err(DomainError::RateLimited { .. }) => limited = true,
            Err(other) => panic!("{other:?}"),
        }
    }
    assert!(limited, "ten changes a minute at most");
    world.advance(Duration::minutes(1));
    world
        .platform
        .add_webhook(&star, "https://hooks.example.com/later")
        .await
        .unwrap();
}

#[tokio::test]
async fn a_stream_start_is_announced_once_delivered_to_every_webhook_and_its_outcome_kept() {
    let world = world();
    let (star, account) = world.account("u-star", "star").await;
    let ok = world
        .platform
        .add_webhook(&star, "https://hooks.example.com/ok")
        .await
        .unwrap();
    let failing = world
        .platform
        .add_webhook(&star, "https://hooks.example.com/fails")
        .await
        .unwrap();
    *world.announcements.failing.lock().unwrap() = Some(DeliveryReport {
        attempts: 4,
        status: Some(502),
        error: Some("the receiver answered 502".into()),
    });

    world.advance(Duration::minutes(1));
    world
        .stream_event(&account.channel.id, "st-1", StreamEventKind::Start)
        .await;
    world
        .stream_event(&account.channel.id, "st-1", StreamEventKind::Start)
        .await;
    let announced = world.announcements.announced.lock().unwrap().clone();
    assert_eq!(
        announced.len(),
        1,
        "a repeated event announces nothing twice"
    );
    assert_eq!(announced[0].channel_handle, "star");
    assert_eq!(announced[0].stream_id.as_str(), "st-1");
    assert_eq!(announced[0].started_at, world.platform.now());

    // What the topic's subscriber (or the local stack's task) does with it.
    let done = world.platform.deliver_go_live(&announced[0]).await.unwrap();
    assert_eq!(done.webhooks, 1);
    let mut delivered = world.announcements.delivered.lock().unwrap().clone();
    delivered.sort();
    assert_eq!(
        delivered,
        [
            (
                "https://hooks.example.com/fails".to_owned(),
                "star".to_owned()
            ),
            ("https://hooks.example.com/ok".to_owned(), "star".to_owned()),
        ]
    );
    let listed = world.platform.webhooks(&star).await.unwrap();
    let last = |id| {
        listed
            .iter()
            .find(|w| &w.id == id)
            .and_then(|w| w.last_delivery.clone())
            .unwrap()
    };
    assert_eq!(last(&ok.id).report.status, Some(204));
    assert!(last(&ok.id).report.delivered());
    assert_eq!(last(&failing.id).report.attempts, 4);
    assert_eq!(
        last(&failing.id).report.error.as_deref(),
        Some("the receiver answered 502")
    );
    assert_eq!(last(&failing.id).at, world.platform.now());

    // The encoder reconnects within ten minutes: nobody is told again.
    world.advance(Duration::minutes(30));
    world
        .stream_event(&account.channel.id, "st-1", StreamEventKind::End)
        .await;
    world.advance(Duration::minutes(3));
    world
        .stream_event(&account.channel.id, "st-2", StreamEventKind::Start)
        .await;
    assert_eq!(world.announcements.announced.lock().unwrap().len(), 1);
    // After a real break it is news again.
    world.advance(Duration::minutes(30));
    world
        .stream_event(&account.channel.id, "st-2", StreamEventKind::End)
        .await;
    world.advance(Duration::minutes(15));
    world
        .stream_event(&account.channel.id, "st-3", StreamEventKind::Start)
        .await;
    assert_eq!(world.announcements.announced.lock().unwrap().len(), 2);
}
