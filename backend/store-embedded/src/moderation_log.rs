//! Channels' moderation logs: (channel, time, id) → entry, newest read first. Appending drops
//! the channel's entries older than the log's lifetime, as DynamoDB's TTL does in the cloud.

use cloumer_domain::error::{PortContext, PortResult};
use cloumer_domain::ids::ChannelId;
use cloumer_domain::moderation_log::{LOG_LIFETIME, ModerationCursor, ModerationEntry};
use cloumer_domain::page::Page;
use redb::{ReadableTable, TableDefinition};

use super::{EmbeddedStore, decode, encode, first_page, nanos, newest_first, port_only};

/// (channel, time, id) → entry
pub(crate) const MODERATION_LOG: TableDefinition<(&str, i64, &str), &[u8]> =
    TableDefinition::new("moderation_log");

pub(super) fn create_tables(tx: &redb::WriteTransaction) -> PortResult<()> {
    tx.open_table(MODERATION_LOG).port("t")?;
    Ok(())
}

pub(super) async fn append(store: &EmbeddedStore, entry: &ModerationEntry) -> PortResult<()> {
    let channel = entry.channel_id.as_str().to_owned();
    let id = entry.id.clone();
    let at = nanos(entry.at);
    let expired_before = nanos(entry.at - LOG_LIFETIME);
    let bytes = encode(entry)?;
    store
        .write(move |tx| {
            let mut table = tx.open_table(MODERATION_LOG).port("opening the log")?;
            table
                .insert((channel.as_str(), at, id.as_str()), bytes.as_slice())
                .port("writing a log entry")?;
            let expired: Vec<(i64, String)> = table
                .range((channel.as_str(), i64::MIN, "")..(channel.as_str(), expired_before, ""))
                .port("finding old log entries")?
                .map(|entry| entry.map(|(key, _)| (key.value().1, key.value().2.to_owned())))
                .collect::<Result<_, _>>()
                .port("finding old log entries")?;
            for (old_at, old_id) in expired {
                table
                    .remove((channel.as_str(), old_at, old_id.as_str()))
                    .port("dropping an old log entry")?;
            }
            Ok(())
        })
        .await
        .map_err(port_only)
}

pub(super) async fn list(
    store: &EmbeddedStore,
    channel: &ChannelId,
    before: Option<&ModerationCursor>,
    limit: usize,
) -> PortResult<Page<ModerationEntry, ModerationCursor>> {
    let before = before.map(|c| (nanos(c.at), c.id.clone()));
    store
        .read(|tx| {
            let table = tx.open_table(MODERATION_LOG).port("opening the log")?;
            let found = newest_first(&table, channel.as_str(), before.as_ref())?.map(|entry| {
                let (_, value) = entry.port("listing the log")?;
                decode(value.value()).map(Some)
            });
            first_page(found, limit)
        })
        .await
}
