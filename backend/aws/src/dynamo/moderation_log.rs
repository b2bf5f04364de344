//! Channels' moderation logs on the table. Items:
//!
//! | item | pk | sk | other |
//! |---|---|---|---|
//! | log entry | `MODLOG#<channel>` | `<time>#<id>` | `expires_at` (the table's TTL: 90 days); `gsi1` = `MODOF#<channel>#<user>`/`<time>#<id>` for an entry holding `user` to account |
//!
//! A channel's log is one partition, read newest first; one person's entries in it are their
//! own `gsi1` partition (ids hold no `#`), which expires and is erased with the entries.

use aws_sdk_dynamodb::types::AttributeValue;
use cloumer_domain::error::PortResult;
use cloumer_domain::ids::{ChannelId, UserId};
use cloumer_domain::moderation_log::{LOG_LIFETIME, ModerationCursor, ModerationEntry};
use cloumer_domain::page::Page;

use super::{DynamoStore, decode, encode, item, s, time_key};

impl DynamoStore {
    pub(super) async fn append_log_entry(&self, entry: &ModerationEntry) -> PortResult<()> {
        let expires_at = (entry.at + LOG_LIFETIME).unix_timestamp();
        let sk = format!("{}#{}", time_key(entry.at), entry.id);
        let mut written = item(&[
            ("pk", s(format!("MODLOG#{}", entry.channel_id))),
            ("sk", s(&sk)),
            ("data", s(encode(entry)?)),
            ("expires_at", AttributeValue::N(expires_at.to_string())),
        ]);
        if let Some(user) = entry.holds_to_account() {
            written.insert("gsi1pk".into(), s(person(&entry.channel_id, user)));
            written.insert("gsi1sk".into(), s(sk));
        }
        self.put_plain(written).await
    }

    pub(super) async fn log_of(
        &self,
        channel: &ChannelId,
        user: &UserId,
        limit: usize,
    ) -> PortResult<Vec<ModerationEntry>> {
        let (found, _) = self
            .query_index_desc("gsi1", &person(channel, user), None, limit)
            .await?;
        found.iter().map(decode).collect()
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

/// The `gsi1` partition of the entries holding `user` to account in `channel`.
pub(super) fn person(channel: &ChannelId, user: &UserId) -> String {
    format!("MODOF#{channel}#{user}")
}
