//! Streamer webhooks: the streamer adds and removes the URLs their channel calls when it goes
//! live and sees how each latest delivery went (the calls themselves are in `go_live`).

use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::ids::WebhookId;
use crate::platform::Platform;
use crate::webhook::{MAX_WEBHOOKS, WEBHOOK_CHANGES, Webhook, WebhookUrl};

impl Platform {
    /// The caller's channel's webhooks, oldest first.
    pub async fn webhooks(&self, who: &Identity) -> DomainResult<Vec<Webhook>> {
        let account = self.ensure_account(who).await?;
        Ok(self
            .ports
            .webhooks
            .list_webhooks(&account.channel.id)
            .await?)
    }

    /// Adds a webhook to the caller's channel. The answer carries the webhook's secret, which is
    /// the only time the streamer sees it.
    pub async fn add_webhook(&self, who: &Identity, url: &str) -> DomainResult<Webhook> {
        let url = WebhookUrl::parse(url, self.config.outbound_destinations)?;
        let account = self.ensure_account(who).await?;
        self.count_webhook_change(who).await?;
        let webhook = Webhook::new(account.channel.id.clone(), url, self.now());
        if !self
            .ports
            .webhooks
            .add_webhook(&webhook, MAX_WEBHOOKS)
            .await?
        {
            return Err(DomainError::conflict(
                "webhook_limit",
                format!("a channel can have at most {MAX_WEBHOOKS} webhooks; remove one first"),
            ));
        }
        tracing::info!(channel = %webhook.channel_id, webhook = %webhook.id, "webhook added");
        Ok(webhook)
    }

    /// Removes one of the caller's channel's webhooks.
    pub async fn remove_webhook(&self, who: &Identity, id: &str) -> DomainResult<()> {
        let id = WebhookId::parse(id).map_err(|_| DomainError::NotFound("webhook"))?;
        let account = self.ensure_account(who).await?;
        self.count_webhook_change(who).await?;
        if self
            .ports
            .webhooks
            .remove_webhook(&account.channel.id, &id)
            .await?
        {
            Ok(())
        } else {
            Err(DomainError::NotFound("webhook"))
        }
    }

    async fn count_webhook_change(&self, who: &Identity) -> DomainResult<()> {
        self.rate_limit(&format!("webhook:{}", who.user_id), WEBHOOK_CHANGES)
            .await
    }
}
