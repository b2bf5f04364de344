//! Webhooks.

use super::*;
use crate::ids::WebhookId;
use crate::outbound::OutboundDestinations;
use crate::ports::WebhookRepository;
use crate::webhook::{Delivery, DeliveryReport, Webhook, WebhookUrl};

pub fn webhook(channel: &str, n: i64) -> Webhook {
    let url = format!("https://hooks.example.com/{channel}/{n}");
    Webhook::new(
        ChannelId::parse(channel).unwrap(),
        WebhookUrl::parse(&url, OutboundDestinations::PublicHttpsOnly).unwrap(),
        t(n),
    )
}

/// Adding up to the limit (racing adds never pass it), listing oldest first, a delivery kept
/// on its webhook and not resurrecting a removed one, removal.
pub async fn webhook_repository(repo: &dyn WebhookRepository) {
    let channel = ChannelId::parse("whchan").unwrap();
    let first = webhook("whchan", 1);
    let second = webhook("whchan", 2);
    assert!(repo.add_webhook(&second, 3).await.unwrap());
    assert!(repo.add_webhook(&first, 3).await.unwrap());
    assert!(repo.add_webhook(&webhook("whother", 1), 3).await.unwrap());
    assert_eq!(
        repo.list_webhooks(&channel).await.unwrap(),
        [first.clone(), second.clone()]
    );

    // Five adds race for the one place left: exactly one wins.
    let racing: Vec<Webhook> = (10..15).map(|n| webhook("whchan", n)).collect();
    let added = futures_util::future::join_all(racing.iter().map(|w| repo.add_webhook(w, 3))).await;
    assert_eq!(
        added.into_iter().filter(|a| *a.as_ref().unwrap()).count(),
        1
    );
    assert_eq!(repo.list_webhooks(&channel).await.unwrap().len(), 3);

    let delivery = Delivery {
        at: t(20),
        report: DeliveryReport {
            attempts: 3,
            status: Some(503),
            error: Some("the receiver answered 503".into()),
        },
    };
    repo.record_delivery(&channel, &first.id, &delivery)
        .await
        .unwrap();
    let listed = repo.list_webhooks(&channel).await.unwrap();
    assert_eq!(listed[0].last_delivery.as_ref(), Some(&delivery));
    assert_eq!(listed[0].secret, first.secret);
    assert_eq!(listed[1].last_delivery, None);

    assert!(repo.remove_webhook(&channel, &first.id).await.unwrap());
    assert!(!repo.remove_webhook(&channel, &first.id).await.unwrap());
    assert!(
        !repo
            .remove_webhook(&channel, &WebhookId::parse("whnothing").unwrap())
            .await
            .unwrap()
    );
    // A delivery finishing after the webhook was removed does not bring it back.
    repo.record_delivery(&channel, &first.id, &delivery)
        .await
        .unwrap();
    let left = repo.list_webhooks(&channel).await.unwrap();
    assert_eq!(left.len(), 2);
    assert!(left.iter().all(|w| w.id != first.id));
    // The removal freed a place.
    assert!(repo.add_webhook(&webhook("whchan", 30), 3).await.unwrap());
    assert!(!repo.add_webhook(&webhook("whchan", 31), 3).await.unwrap());
    assert_eq!(
        repo.list_webhooks(&ChannelId::parse("whother").unwrap())
            .await
            .unwrap()
            .len(),
        1
    );
}
