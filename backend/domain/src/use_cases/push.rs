//! Web Push subscriptions: a signed-in user's browser subscribes (after the user turned push on
//! there) or unsubscribes; the pushes themselves go out in `go_live` and `video_ready`, and
//! what a push service answered is settled here.

use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::platform::Platform;
use crate::push::{
    MAX_PUSH_SUBSCRIPTIONS, PUSH_CHANGES, PushEndpoint, PushKeys, PushOutcome, PushReport,
    PushSubscription,
};

impl Platform {
    /// The public key browsers subscribe with (RFC 8292's `applicationServerKey`).
    pub fn push_public_key(&self) -> DomainResult<&str> {
        self.config
            .push_public_key
            .as_deref()
            .ok_or(DomainError::NotFound("push key"))
    }

    /// Keeps the caller's browser's subscription (again, when the browser renews it).
    pub async fn subscribe_push(
        &self,
        who: &Identity,
        endpoint: &str,
        p256dh: &str,
        auth: &str,
    ) -> DomainResult<PushSubscription> {
        self.push_public_key()?;
        let endpoint = PushEndpoint::parse(endpoint, self.config.outbound_destinations)?;
        let keys = PushKeys::parse(p256dh, auth)?;
        let account = self.ensure_account(who).await?;
        self.count_push_change(who).await?;
        let subscription = PushSubscription {
            user_id: account.profile.user_id,
            endpoint,
            keys,
            created_at: self.now(),
        };
        self.ports
            .push_subscriptions
            .save_push_subscription(&subscription, MAX_PUSH_SUBSCRIPTIONS)
            .await?;
        tracing::info!(user = %subscription.user_id, "push subscription saved");
        Ok(subscription)
    }

    /// Forgets the caller's browser's subscription (push turned off there).
    pub async fn unsubscribe_push(&self, who: &Identity, endpoint: &str) -> DomainResult<()> {
        // An endpoint that could never have been saved names no subscription.
        let endpoint = PushEndpoint::parse(endpoint, self.config.outbound_destinations)
            .map_err(|_| DomainError::NotFound("push subscription"))?;
        self.count_push_change(who).await?;
        if self
            .ports
            .push_subscriptions
            .remove_push_subscription(&who.user_id, &endpoint)
            .await?
        {
            Ok(())
        } else {
            Err(DomainError::NotFound("push subscription"))
        }
    }

    /// Counts what the push service answered for `subscription`, and forgets the subscription
    /// when the service says it is gone (the browser unsubscribed or was reset).
    pub(crate) async fn settle_push(
        &self,
        subscription: &PushSubscription,
        outcome: PushOutcome,
        report: &mut PushReport,
    ) -> DomainResult<()> {
        match outcome {
            PushOutcome::Accepted => report.sent += 1,
            PushOutcome::Gone => {
                report.gone += 1;
                self.ports
                    .push_subscriptions
                    .remove_push_subscription(&subscription.user_id, &subscription.endpoint)
                    .await?;
            }
            PushOutcome::Failed(why) => {
                report.failed += 1;
                tracing::warn!(user = %subscription.user_id, why, "push failed");
            }
        }
        Ok(())
    }

    async fn count_push_change(&self, who: &Identity) -> DomainResult<()> {
        self.rate_limit(&format!("push:{}", who.user_id), PUSH_CHANGES)
            .await
    }
}
