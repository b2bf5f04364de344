//! Channels' moderation logs: (channel, time, id) → entry, newest read first, and the entries
//! holding one person to account in a channel indexed by them. Appending drops the channel's
//! entries older than the log's lifetime, as DynamoDB's TTL does in the cloud.

use cloumer_domain::error::{PortContext, PortResult};
use cloumer_domain::ids::{ChannelId, UserId};
use cloumer_domain::moderation_log::{LOG_LIFETIME, ModerationCursor, ModerationEntry};
use cloumer_domain::page::Page;
use redb::{ReadableTable, TableDefinition, TableHandle};

use super::{
    EmbeddedStore, PAST_IDS, TimeKey, TxResult, decode, encode, first_page, is_new, nanos,
    newest_first, port_only,
};

/// (channel, time, id) → entry
pub(crate) const MODERATION_LOG: TableDefinition<(&str, i64, &str), &[u8]> =
    TableDefinition::new("moderation_log");
/// (`<channel>#<user>`, time, id): the log's entries holding `user` to account in `channel`
/// (ids hold no `#`).
const MODERATION_OF: TableDefinition<TimeKey, ()> = TableDefinition::new("moderation_of");

fn person(channel: &str, user: &UserId) -> String {
    format!("{channel}#{user}")
}

pub(super) fn create_tables(tx: &redb::WriteTransaction) -> TxResult<()> {
    index_people_once(tx)?;
    tx.open_table(MODERATION_LOG).port("t")?;
    Ok(())
}

/// Indexes every entry of the logs by whom it holds to account when the index is new (a store
/// from before it was kept): one pass, at the first open after the upgrade.
fn index_people_once(tx: &redb::WriteTransaction) -> TxResult<()> {
    if !is_new(tx, MODERATION_OF.name())? {
        return Ok(());
    }
    let log = tx.open_table(MODERATION_LOG).port("opening the log")?;
    let mut index = tx.open_table(MODERATION_OF).port("opening the index")?;
    for found in log.iter().port("reading the log")? {
        let (key, bytes) = found.port("reading the log")?;
        let (channel, at, id) = key.value();
        let entry: ModerationEntry = decode(bytes.value())?;
        if let Some(user) = entry.holds_to_account() {
            index
                .insert((person(channel, user).as_str(), at, id), ())
                .port("indexing a log entry")?;
        }
    }
    Ok(())
}

/// Removes the channel's log and its index entries (erasing the channel's chat).
pub(super) fn erase(tx: &redb::WriteTransaction, channel: &str) -> TxResult<()> {
    remove_older(tx, channel, None)
}

/// Removes the channel's entries older than `before` (every one: `None`), and their index
/// entries.
fn remove_older(tx: &redb::WriteTransaction, channel: &str, before: Option<i64>) -> TxResult<()> {
    let mut log = tx.open_table(MODERATION_LOG).port("opening the log")?;
    let mut index = tx.open_table(MODERATION_OF).port("opening the index")?;
    let (end_at, end_id) = before.map_or((i64::MAX, PAST_IDS), |at| (at, ""));
    let older: Vec<(i64, String, Option<String>)> = log
        .range((channel, i64::MIN, "")..(channel, end_at, end_id))
        .port("reading the log")?
        .map(|found| {
            let (key, bytes) = found.port("reading the log")?;
            let entry: ModerationEntry = decode(bytes.value())?;
            Ok((
                key.value().1,
                key.value().2.to_owned(),
                entry.holds_to_account().map(|user| person(channel, user)),
            ))
        })
        .collect::<PortResult<_>>()?;
    for (at, id, person) in older {
        if let Some(person) = person {
            index
                .remove((person.as_str(), at, id.as_str()))
                .port("removing a log entry's index")?;
        }
        log.remove((channel, at, id.as_str()))
            .port("removing a log entry")?;
    }
    Ok(())
}

pub(super) async fn append(store: &EmbeddedStore, entry: &ModerationEntry) -> PortResult<()> {
    let channel = entry.channel_id.as_str().to_owned();
    let id = entry.id.clone();
    let at = nanos(entry.at);
    let expired_before = nanos(entry.at - LOG_LIFETIME);
    let bytes = encode(entry)?;
    let accountable = entry.holds_to_account().map(|user| person(&channel, user));
    store
        .write(move |tx| {
            tx.open_table(MODERATION_LOG)
                .port("opening the log")?
                .insert((channel.as_str(), at, id.as_str()), bytes.as_slice())
                .port("writing a log entry")?;
            if let Some(person) = &accountable {
                tx.open_table(MODERATION_OF)
                    .port("opening the index")?
                    .insert((person.as_str(), at, id.as_str()), ())
                    .port("indexing a log entry")?;
            }
            remove_older(tx, &channel, Some(expired_before))
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

pub(super) async fn list_of(
    store: &EmbeddedStore,
    channel: &ChannelId,
    user: &UserId,
    limit: usize,
) -> PortResult<Vec<ModerationEntry>> {
    let person = person(channel.as_str(), user);
    store
        .read(|tx| {
            let index = tx.open_table(MODERATION_OF).port("opening the index")?;
            let log = tx.open_table(MODERATION_LOG).port("opening the log")?;
            let mut entries = Vec::new();
            for found in newest_first(&index, &person, None)?.take(limit) {
                let (key, _) = found.port("listing a person's log")?;
                let (_, at, id) = key.value();
                if let Some(bytes) = log
                    .get((channel.as_str(), at, id))
                    .port("reading a log entry")?
                {
                    entries.push(decode(bytes.value())?);
                }
            }
            Ok(entries)
        })
        .await
}
