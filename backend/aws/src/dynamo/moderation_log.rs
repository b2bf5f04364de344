//! Channels' moderation logs on the table. Items:
//!
//! | item | pk | sk | other |
//! |---|---|---|---|
//! | log entry | `MODLOG#<channel>` | `<time>#<id>` | `expires_at` (the table's TTL: 90 days) |
//!
//! A channel's log is one partition, read newest first.

use aws_sdk_dynamodb::types::AttributeValue;
use cloumer_domain::error::PortResult;
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
        let before = before.map(|c| format!("{}#{}", time_key(c.at), c.id));
        let (found, more) = self
            .newest_in_partition(&format!("MODLOG#{channel}"), before, limit)
            .await?;
        let items = found
            .iter()
            .map(decode)
            .collect::<PortResult<Vec<ModerationEntry>>>()?;
        Ok(Page::continuing(items, more))
    }
}
