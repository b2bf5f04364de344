//! Webhooks: (channel, added time, id) → webhook, so a channel's few webhooks are one range read,
//! oldest first. The limit is checked in the same write transaction as the insert, which redb
//! runs one at a time, so racing adds cannot pass it together.

use async_trait::async_trait;
use cloumer_domain::error::{PortContext, PortResult};
use cloumer_domain::ids::{ChannelId, WebhookId};
use cloumer_domain::ports::WebhookRepository;
use cloumer_domain::webhook::{Delivery, Webhook};
use redb::{ReadableTable, TableDefinition};

use super::{EmbeddedStore, TxResult, decode, encode, nanos, port_only};

/// (channel, added time, webhook id) → webhook
const WEBHOOKS: TableDefinition<(&str, i64, &str), &[u8]> = TableDefinition::new("webhooks");

pub(super) fn create_tables(tx: &redb::WriteTransaction) -> PortResult<()> {
    tx.open_table(WEBHOOKS).port("t")?;
    Ok(())
}

/// The channel's webhooks with their keys' times, oldest first.
fn channel_webhooks<T: ReadableTable<(&'static str, i64, &'static str), &'static [u8]>>(
    table: &T,
    channel: &str,
) -> PortResult<Vec<(i64, Webhook)>> {
    table
        .range((channel, i64::MIN, "")..=(channel, i64::MAX, "\u{10FFFF}"))
        .port("listing webhooks")?
        .map(|entry| {
            let (key, value) = entry.port("listing webhooks")?;
            Ok((key.value().1, decode(value.value())?))
        })
        .collect()
}

#[async_trait]
impl WebhookRepository for EmbeddedStore {
    async fn add_webhook(&self, webhook: &Webhook, max: usize) -> PortResult<bool> {
        let bytes = encode(webhook)?;
        let (channel, at, id) = (
            webhook.channel_id.as_str().to_owned(),
            nanos(webhook.created_at),
            webhook.id.as_str().to_owned(),
        );
        self.write(move |tx| -> TxResult<bool> {
            let mut table = tx.open_table(WEBHOOKS).port("opening webhooks")?;
            if channel_webhooks(&table, &channel)?.len() >= max {
                return Ok(false);
            }
            table
                .insert((channel.as_str(), at, id.as_str()), bytes.as_slice())
                .port("adding a webhook")?;
            Ok(true)
        })
        .await
        .map_err(port_only)
    }

    async fn list_webhooks(&self, channel: &ChannelId) -> PortResult<Vec<Webhook>> {
        self.read(|tx| {
            let table = tx.open_table(WEBHOOKS).port("opening webhooks")?;
            Ok(channel_webhooks(&table, channel.as_str())?
                .into_iter()
                .map(|(_, webhook)| webhook)
                .collect())
        })
        .await
    }

    async fn remove_webhook(&self, channel: &ChannelId, id: &WebhookId) -> PortResult<bool> {
        let (channel, id) = (channel.clone(), id.clone());
        self.write(move |tx| -> TxResult<bool> {
            let mut table = tx.open_table(WEBHOOKS).port("opening webhooks")?;
            let found = channel_webhooks(&table, channel.as_str())?
                .into_iter()
                .find(|(_, webhook)| webhook.id == id);
            let Some((at, _)) = found else {
                return Ok(false);
            };
            table
                .remove((channel.as_str(), at, id.as_str()))
                .port("removing a webhook")?;
            Ok(true)
        })
        .await
        .map_err(port_only)
    }

    async fn record_delivery(
        &self,
        channel: &ChannelId,
        id: &WebhookId,
        delivery: &Delivery,
    ) -> PortResult<()> {
        let (channel, id, delivery) = (channel.clone(), id.clone(), delivery.clone());
        self.write(move |tx| -> TxResult<()> {
            let mut table = tx.open_table(WEBHOOKS).port("opening webhooks")?;
            let found = channel_webhooks(&table, channel.as_str())?
                .into_iter()
                .find(|(_, webhook)| webhook.id == id);
            if let Some((at, mut webhook)) = found {
                webhook.last_delivery = Some(delivery);
                let bytes = encode(&webhook)?;
                table
                    .insert((channel.as_str(), at, id.as_str()), bytes.as_slice())
                    .port("recording a delivery")?;
            }
            Ok(())
        })
        .await
        .map_err(port_only)
    }
}
