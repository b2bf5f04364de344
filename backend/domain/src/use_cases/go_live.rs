//! What happens once a channel has gone live, away from the event that made it so (the go-live
//! topic's subscriber in the cloud, a background task locally): the channel's webhooks are
//! called, and followers who want email get one. A follower's bell was already told (see
//! `notifications`).

use futures_util::future::join_all;

use crate::error::DomainResult;
use crate::notification::{EmailReport, FAN_OUT_PAGE, GoLive, GoLiveEmail};
use crate::platform::Platform;
use crate::webhook::Delivery;

/// What delivering one go-live did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GoLiveDelivered {
    /// Webhooks that took the call.
    pub webhooks: usize,
    pub emails: EmailReport,
}

impl Platform {
    /// Delivers a stream start everywhere beyond the app: webhooks and email, side by side.
    pub async fn deliver_go_live(&self, event: &GoLive) -> DomainResult<GoLiveDelivered> {
        let (webhooks, emails) =
            futures_util::future::join(self.call_webhooks(event), self.email_followers(event))
                .await;
        Ok(GoLiveDelivered {
            webhooks: webhooks?,
            emails: emails?,
        })
    }

    /// Calls every webhook of the channel that went live, all at once, and keeps how each
    /// delivery went. Returns how many were delivered.
    async fn call_webhooks(&self, event: &GoLive) -> DomainResult<usize> {
        let webhooks = self.ports.webhooks.list_webhooks(&event.channel_id).await?;
        let deliveries = webhooks.iter().map(|webhook| async move {
            let report = self.ports.webhook_sender.deliver(webhook, event).await;
            let delivered = report.delivered();
            if !delivered {
                tracing::warn!(
                    webhook = %webhook.id,
                    attempts = report.attempts,
                    status = report.status,
                    error = report.error.as_deref(),
                    "webhook delivery failed"
                );
            }
            let delivery = Delivery {
                at: self.now(),
                report,
            };
            self.ports
                .webhooks
                .record_delivery(&webhook.channel_id, &webhook.id, &delivery)
                .await
                .map(|()| delivered)
        });
        let mut delivered = 0;
        for outcome in join_all(deliveries).await {
            delivered += usize::from(outcome?);
        }
        tracing::info!(
            channel = %event.channel_id,
            webhooks = webhooks.len(),
            delivered,
            "go-live delivered to webhooks"
        );
        Ok(delivered)
    }

    /// Emails every follower who wants to hear of this channel (the bell on its page) and of
    /// streams by email (their profile), a page of followers at a time.
    async fn email_followers(&self, event: &GoLive) -> DomainResult<EmailReport> {
        let mut report = EmailReport::default();
        let deadline = self.now() + self.config.email_time_budget;
        let mut after = None;
        loop {
            if self.now() >= deadline {
                report.stopped = true;
                tracing::error!(
                    channel = %event.channel_id,
                    sent = report.sent,
                    "go-live emails stopped at the time budget: later followers get none"
                );
                break;
            }
            let page = self
                .ports
                .follows
                .list_followers(&event.channel_id, after.as_ref(), FAN_OUT_PAGE)
                .await?;
            let listening: Vec<_> = page
                .items
                .iter()
                .filter(|follow| follow.notify)
                .map(|follow| follow.user_id.clone())
                .collect();
            let profiles = self.ports.channels.get_profiles(&listening).await?;
            let emails: Vec<GoLiveEmail> = profiles
                .into_iter()
                .filter(|profile| profile.notifications.email)
                .filter_map(|profile| {
                    Some(GoLiveEmail {
                        to: profile.email?,
                        language: profile.language,
                        unsubscribe_token: profile.notifications.unsubscribe_token?,
                        user_id: profile.user_id,
                        event: event.clone(),
                    })
                })
                .collect();
            if !emails.is_empty() {
                let sent = self.ports.email.send_go_live(&emails).await?;
                report.sent += sent.sent;
                report.failed += sent.failed;
                report.stopped |= sent.stopped;
            }
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        tracing::info!(channel = %event.channel_id, sent = report.sent, failed = report.failed, "go-live emailed to followers");
        Ok(report)
    }
}
