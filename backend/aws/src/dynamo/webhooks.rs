//! Webhooks on the table. Items:
//!
//! | item | pk | sk | other attributes |
//! |---|---|---|---|
//! | webhook | `CHANNEL#<id>` | `WEBHOOK#<webhook>` | `data` (without its delivery), `delivery` |
//! | how many a channel has | `CHANNEL#<id>` | `WEBHOOKS` | `n` |
//!
//! Adding is one transaction of the webhook and `ADD` to the count with the limit as its
//! condition, so racing adds cannot pass the limit; a delivery's outcome is its own attribute,
//! written only while the webhook exists, so a delivery finishing late never brings back a
//! removed webhook and never overwrites the webhook itself.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Delete, TransactWriteItem};
use cloumer_domain::error::{PortContext, PortResult};
use cloumer_domain::ids::{ChannelId, WebhookId};
use cloumer_domain::ports::WebhookRepository;
use cloumer_domain::webhook::{Delivery, Webhook};

use super::{DynamoStore, Item, add_count, decode, encode, item, put, s, text, written};

fn channel_pk(channel: &ChannelId) -> String {
    format!("CHANNEL#{channel}")
}

fn webhook_sk(id: &WebhookId) -> String {
    format!("WEBHOOK#{id}")
}

fn webhook_of(found: &Item) -> PortResult<Webhook> {
    let mut webhook: Webhook = decode(found)?;
    webhook.last_delivery = text(found, "delivery")
        .map(|json| serde_json::from_str::<Delivery>(&json))
        .transpose()
        .port("reading a delivery")?;
    Ok(webhook)
}

#[async_trait]
impl WebhookRepository for DynamoStore {
    async fn add_webhook(&self, webhook: &Webhook, max: usize) -> PortResult<bool> {
        let channel = &webhook.channel_id;
        let stored = Webhook {
            last_delivery: None,
            ..webhook.clone()
        };
        let record = item(&[
            ("pk", s(channel_pk(channel))),
            ("sk", s(webhook_sk(&webhook.id))),
            ("data", s(encode(&stored)?)),
        ]);
        let max = u32::try_from(max).unwrap_or(u32::MAX);
        let failed = self
            .transact_retrying(|| {
                Ok(vec![
                    put(
                        &self.table,
                        record.clone(),
                        Some("attribute_not_exists(pk)"),
                    )?,
                    add_count(
                        &self.table,
                        channel_pk(channel),
                        "WEBHOOKS",
                        1,
                        Some(("attribute_not_exists(n) OR n < :max", max.into())),
                    )?,
                ])
            })
            .await?;
        // Webhook ids are random: only the limit's condition can fail.
        Ok(failed.is_none())
    }

    async fn list_webhooks(&self, channel: &ChannelId) -> PortResult<Vec<Webhook>> {
        let mut webhooks = self
            .query_prefix(&channel_pk(channel), "WEBHOOK#")
            .await?
            .iter()
            .map(webhook_of)
            .collect::<PortResult<Vec<_>>>()?;
        webhooks.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(webhooks)
    }

    async fn remove_webhook(&self, channel: &ChannelId, id: &WebhookId) -> PortResult<bool> {
        let failed = self
            .transact_retrying(|| {
                let delete = Delete::builder()
                    .table_name(&self.table)
                    .key("pk", s(channel_pk(channel)))
                    .key("sk", s(webhook_sk(id)))
                    .condition_expression("attribute_exists(pk)")
                    .build()
                    .port("building a delete")?;
                Ok(vec![
                    TransactWriteItem::builder().delete(delete).build(),
                    add_count(&self.table, channel_pk(channel), "WEBHOOKS", -1, None)?,
                ])
            })
            .await?;
        Ok(failed.is_none())
    }

    async fn record_delivery(
        &self,
        channel: &ChannelId,
        id: &WebhookId,
        delivery: &Delivery,
    ) -> PortResult<()> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(channel_pk(channel)))
            .key("sk", s(webhook_sk(id)))
            .update_expression("SET delivery = :delivery")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":delivery", s(encode(delivery)?))
            .send()
            .await;
        // A failed condition: the webhook was removed meanwhile.
        match result {
            Ok(_) => Ok(()),
            Err(error) => written("DynamoDB UpdateItem", error).map_or(Ok(()), Err),
        }
    }
}
