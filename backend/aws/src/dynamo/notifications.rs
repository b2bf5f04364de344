//! Notifications on the table. Items:
//!
//! | item | pk | sk | other |
//! |---|---|---|---|
//! | notification | `NOTIFY#<user>` | `<time>#<channel>` | `expires_at` (the table's TTL) |
//! | seen mark | `USER#<user>` | `NOTIFY_SEEN` | `at` |
//!
//! A user's notifications are one partition, read newest first. A go-live for 100,000 followers
//! is 4,000 `BatchWriteItem` calls of 25 items, run a few at a time.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use cloumer_domain::error::{PortContext, PortError, PortResult};
use cloumer_domain::ids::UserId;
use cloumer_domain::notification::{Notification, NotificationCursor};
use cloumer_domain::page::Page;
use cloumer_domain::ports::NotificationRepository;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{DynamoStore, Item, decode, encode, item, s, text, time_key, written};

/// DynamoDB's limit of items per `BatchWriteItem`.
const BATCH: usize = 25;
/// Batches in flight at once while fanning out.
const BATCHES_AT_ONCE: usize = 8;
/// Rounds of resending what DynamoDB left unprocessed (throttling) before giving up.
const UNPROCESSED_ROUNDS: usize = 5;

fn notification_item(notification: &Notification) -> PortResult<Item> {
    Ok(item(&[
        ("pk", s(format!("NOTIFY#{}", notification.user_id))),
        (
            "sk",
            s(format!(
                "{}#{}",
                time_key(notification.created_at),
                notification.channel_id
            )),
        ),
        ("data", s(encode(notification)?)),
        (
            "expires_at",
            AttributeValue::N(notification.expires_at().unix_timestamp().to_string()),
        ),
    ]))
}

impl DynamoStore {
    /// Writes up to 25 items, resending whatever DynamoDB leaves unprocessed.
    async fn write_batch(&self, items: Vec<Item>) -> PortResult<()> {
        let requests = items
            .into_iter()
            .map(|item| {
                let put = PutRequest::builder()
                    .set_item(Some(item))
                    .build()
                    .port("building a batch write")?;
                Ok(WriteRequest::builder().put_request(put).build())
            })
            .collect::<PortResult<Vec<_>>>()?;
        self.write_requests(requests).await
    }

    /// Sends up to 25 writes in one `BatchWriteItem`, resending whatever DynamoDB leaves
    /// unprocessed (throttling).
    pub(super) async fn write_requests(&self, mut requests: Vec<WriteRequest>) -> PortResult<()> {
        for round in 0..UNPROCESSED_ROUNDS {
            let output = self
                .client
                .batch_write_item()
                .request_items(&self.table, requests)
                .send()
                .await
                .port("DynamoDB BatchWriteItem")?;
            requests = output
                .unprocessed_items
                .and_then(|mut left| left.remove(&self.table))
                .unwrap_or_default();
            if requests.is_empty() {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(50 << round)).await;
        }
        Err(PortError::new(
            "DynamoDB BatchWriteItem",
            "items left unprocessed after retries",
        ))
    }
}

#[async_trait]
impl NotificationRepository for DynamoStore {
    async fn put_notifications(&self, notifications: &[Notification]) -> PortResult<()> {
        let items = notifications
            .iter()
            .map(notification_item)
            .collect::<PortResult<Vec<_>>>()?;
        let mut batches = items.chunks(BATCH).map(<[Item]>::to_vec);
        loop {
            let running: Vec<_> = batches
                .by_ref()
                .take(BATCHES_AT_ONCE)
                .map(|batch| self.write_batch(batch))
                .collect();
            if running.is_empty() {
                return Ok(());
            }
            for result in futures_util::future::join_all(running).await {
                result?;
            }
        }
    }

    async fn add_notification(&self, notification: &Notification) -> PortResult<bool> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(notification_item(notification)?))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        // A failed condition: it is kept already.
        match result {
            Ok(_) => Ok(true),
            Err(error) => written("DynamoDB PutItem", error).map_or(Ok(false), Err),
        }
    }

    async fn remove_notification(&self, notification: &Notification) -> PortResult<()> {
        self.delete(
            &format!("NOTIFY#{}", notification.user_id),
            &format!(
                "{}#{}",
                time_key(notification.created_at),
                notification.channel_id
            ),
        )
        .await
        .map(drop)
    }

    async fn list_notifications(
        &self,
        user: &UserId,
        before: Option<&NotificationCursor>,
        limit: usize,
    ) -> PortResult<Page<Notification, NotificationCursor>> {
        let before = before.map(|c| format!("{}#{}", time_key(c.at), c.channel_id));
        let (found, more) = self
            .newest_in_partition(&format!("NOTIFY#{user}"), before, limit)
            .await?;
        let items = found
            .iter()
            .map(decode)
            .collect::<PortResult<Vec<Notification>>>()?;
        Ok(Page::continuing(items, more))
    }

    async fn seen_at(&self, user: &UserId) -> PortResult<Option<OffsetDateTime>> {
        let Some(found) = self.get(&format!("USER#{user}"), "NOTIFY_SEEN").await? else {
            return Ok(None);
        };
        let at = text(&found, "at")
            .ok_or_else(|| PortError::new("reading a seen mark", "the item has no time"))?;
        OffsetDateTime::parse(&at, &Rfc3339)
            .map(Some)
            .port("reading a seen mark")
    }

    async fn set_seen_at(&self, user: &UserId, at: OffsetDateTime) -> PortResult<()> {
        self.put_plain(item(&[
            ("pk", s(format!("USER#{user}"))),
            ("sk", s("NOTIFY_SEEN")),
            ("at", s(at.format(&Rfc3339).port("writing a seen mark")?)),
        ]))
        .await
    }

    async fn erase_notifications(&self, user: &UserId) -> PortResult<()> {
        self.erase_partition(&format!("NOTIFY#{user}")).await?;
        self.delete(&format!("USER#{user}"), "NOTIFY_SEEN").await?;
        Ok(())
    }
}
