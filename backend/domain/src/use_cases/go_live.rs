//! What happens once a channel has gone live, away from the event that made it so (the go-live
//! topic's subscriber in the cloud, a background task locally): the channel's webhooks are
//! called, and followers who want email get one, and a push on each browser they turned push on
//! in. A follower's bell was already told (see `notifications`).

use std::collections::HashMap;

use futures_util::StreamExt;
use futures_util::future::join_all;

use crate::error::DomainResult;
use crate::notification::{EmailReport, FAN_OUT_PAGE, GoLive, GoLiveEmail};
use crate::platform::Platform;
use crate::profile::Profile;
use crate::push::{PushReport, PushSubscription};
use crate::webhook::Delivery;

/// What delivering one go-live did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GoLiveDelivered {
    /// Webhooks that took the call.
    pub webhooks: usize,
    pub emails: EmailReport,
    pub pushes: PushReport,
}

/// Pushes in flight at once: push services answer in tens of milliseconds, so this keeps a
/// page of followers quick without opening hundreds of connections.
const PUSHES_IN_FLIGHT: usize = 32;

impl Platform {
    /// Delivers a stream start everywhere beyond the app: webhooks, email and push, side by
    /// side.
    pub async fn deliver_go_live(&self, event: &GoLive) -> DomainResult<GoLiveDelivered> {
        let (webhooks, followers) =
            futures_util::future::join(self.call_webhooks(event), self.tell_followers(event)).await;
        let (emails, pushes) = followers?;
        Ok(GoLiveDelivered {
            webhooks: webhooks?,
            emails,
            pushes,
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

    /// Tells every follower who wants to hear of this channel (the bell on its page) and, when it
    /// is private, may still watch it: by email
    /// when their profile says so, and by push on each of their subscribed browsers, a page of
    /// followers at a time, until the time budget runs out.
    async fn tell_followers(&self, event: &GoLive) -> DomainResult<(EmailReport, PushReport)> {
        let mut emails = EmailReport::default();
        let mut pushes = PushReport::default();
        let Some(channel) = self.ports.channels.get_channel(&event.channel_id).await? else {
            tracing::warn!(channel = %event.channel_id, "the channel that went live is gone");
            return Ok((emails, pushes));
        };
        let audience = self.audience(&channel).await?;
        let deadline = self.now() + self.config.follower_time_budget;
        let mut after = None;
        loop {
            if self.now() >= deadline {
                emails.stopped = true;
                tracing::error!(
                    channel = %event.channel_id,
                    emailed = emails.sent,
                    pushed = pushes.sent,
                    "go-live delivery stopped at the time budget: later followers get no email or push"
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
                .filter(|follow| audience.hears(follow))
                .map(|follow| follow.user_id.clone())
                .collect();
            let (profiles, subscriptions) = futures_util::future::join(
                self.ports.channels.get_profiles(&listening),
                self.ports
                    .push_subscriptions
                    .push_subscriptions_of(&listening),
            )
            .await;
            let (profiles, subscriptions) = (profiles?, subscriptions?);
            let (emailed, pushed) = futures_util::future::join(
                self.email(&profiles, event),
                self.push(&profiles, subscriptions, event),
            )
            .await;
            let emailed = emailed?;
            emails.sent += emailed.sent;
            emails.failed += emailed.failed;
            emails.stopped |= emailed.stopped;
            let pushed = pushed?;
            pushes.sent += pushed.sent;
            pushes.gone += pushed.gone;
            pushes.failed += pushed.failed;
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        tracing::info!(
            channel = %event.channel_id,
            emailed = emails.sent,
            email_failed = emails.failed,
            pushed = pushes.sent,
            push_gone = pushes.gone,
            push_failed = pushes.failed,
            "go-live told to followers"
        );
        Ok((emails, pushes))
    }

    /// Emails those of `profiles` who want email and have a verified address.
    async fn email(&self, profiles: &[Profile], event: &GoLive) -> DomainResult<EmailReport> {
        let emails: Vec<GoLiveEmail> = profiles
            .iter()
            .filter(|profile| profile.notifications.email)
            .filter_map(|profile| {
                Some(GoLiveEmail {
                    to: profile.email.clone()?,
                    language: profile.language,
                    unsubscribe_token: profile.notifications.unsubscribe_token.clone()?,
                    user_id: profile.user_id.clone(),
                    event: event.clone(),
                })
            })
            .collect();
        if emails.is_empty() {
            return Ok(EmailReport::default());
        }
        Ok(self.ports.email.send_go_live(&emails).await?)
    }

    /// Pushes to each subscription, in its owner's language, and forgets those the push service
    /// says are gone.
    async fn push(
        &self,
        profiles: &[Profile],
        subscriptions: Vec<PushSubscription>,
        event: &GoLive,
    ) -> DomainResult<PushReport> {
        let languages: HashMap<_, _> = profiles
            .iter()
            .map(|profile| (&profile.user_id, profile.language))
            .collect();
        let outcomes: Vec<_> = futures_util::stream::iter(subscriptions)
            .map(|subscription| async {
                let language = languages
                    .get(&subscription.user_id)
                    .copied()
                    .unwrap_or_default();
                let outcome = self
                    .ports
                    .push
                    .push_go_live(&subscription, language, event)
                    .await;
                (subscription, outcome)
            })
            .buffer_unordered(PUSHES_IN_FLIGHT)
            .collect()
            .await;
        let mut report = PushReport::default();
        for (subscription, outcome) in outcomes {
            self.settle_push(&subscription, outcome, &mut report)
                .await?;
        }
        Ok(report)
    }
}
