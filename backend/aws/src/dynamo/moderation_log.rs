//! Channels' moderation logs on the table. Items:
//!
//! | item | pk | sk | other |
//! |---|---|---|---|
//! | log entry | `MODLOG#<channel>` | `<time>#<id>` | `expires_at` (the table's TTL: 90 days) |
//!
//! A channel's log is one partition, read newest first.

use aws_sdk_dynamodb::types::AttributeValue;
use cloumer_domain::error::{PortContext, PortResult};
use cloumer_domain::ids::ChannelId;
use cloumer_domain::moderation_log::{LOG_LIFETIME, ModerationCursor, ModerationEntry};
use cloumer_domain::page::Page;

use super::{DynamoStore, decode, encode, item, s, time_key};

impl DynamoStore {
    pub(super) async fn append_log_entry(&self, entry: &ModerationEntry) -> PortResult<()> {
        let expires_at = (entry.at + LOG_LIFETIME).unix_timestamp();
        self.put_plain(item(&[
            ("pk", s(format!("MODLOG#{}", entry.channel_id))),
            ("sk", s(format!("{}#{}", time_key(entry.at), entry.id))),
            ("data", s(encode(entry)?)),
            ("expires_at", AttributeValue::N(expires_at.to_string())),
        ]))
        .await
    }

    pub(super) async fn log_page(
        &self,
        channel: &ChannelId,
        before: Option<&ModerationCursor>,
        limit: usize,
    ) -> PortResult<Page<ModerationEntry, ModerationCursor>> {
        let mut query = self
            .client
            .query()
            .table_name(&self.table)
            .scan_index_forward(false)
            .limit(i32::try_from(limit + 1).unwrap_or(i32::MAX))
            .expression_attribute_values(":pk", s(format!("MODLOG#{channel}")));
        query = match before {
            Some(cursor) => query
                .key_condition_expression("pk = :pk AND sk < :before")
                .expression_attribute_values(
                    ":before",
                    s(format!("{}#{}", time_key(cursor.at), cursor.id)),
                ),
            None => query.key_condition_expression("pk = :pk"),
        };
        // A page of 100 entries is far below a query's 1 MB: one call answers it.
        let output = query.send().await.port("DynamoDB Query")?;
        let mut found = output.items.unwrap_or_default();
        let more = found.len() > limit;
        found.truncate(limit);
        let items = found
            .iter()
            .map(decode)
            .collect::<PortResult<Vec<ModerationEntry>>>()?;
        Ok(Page::continuing(items, more))
    }
}
