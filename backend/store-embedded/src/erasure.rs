//! Erasing what a deleted account leaves: each function removes every entry of its kind in one
//! transaction, with the indexes that point at it, and does nothing when it is gone already.

use cloumer_domain::channel::Channel;
use cloumer_domain::chat::StoredMessage;
use cloumer_domain::error::{PortContext, PortResult};
use cloumer_domain::ids::{ChannelId, UserId};
use cloumer_domain::recording::Recording;
use redb::{ReadableTable, TableDefinition};

use super::{
    ACTIVITY, BANS, CHANNELS, EmbeddedStore, GRANTS, HANDLES, LIVE, MESSAGE_TIMES, MESSAGES,
    OWNERS, PAST_IDS, PROFILES, RECORDINGS, RECORDINGS_BY_CHANNEL, RECORDINGS_BY_TIME, ROOMS,
    SENT_MESSAGES, TOMBSTONES, TimeKey, TxResult, blocks, decode, follows, moderation_log, nanos,
    notifications, port_only, read_channel_tx, videos,
};

/// user id → when the account was erased.
pub(crate) const ERASED_USERS: TableDefinition<&str, i64> = TableDefinition::new("erased_users");

/// Removes every `(owner, _)` entry.
fn remove_pairs<V: redb::Value + 'static>(
    tx: &redb::WriteTransaction,
    definition: TableDefinition<(&'static str, &'static str), V>,
    owner: &str,
) -> TxResult<()> {
    let mut table = tx.open_table(definition).port("opening a table")?;
    table
        .retain_in((owner, "")..(owner, PAST_IDS), |_, _| false)
        .port("erasing entries")?;
    Ok(())
}

/// Removes every `(owner, time, _)` entry.
fn remove_timed<V: redb::Value + 'static>(
    tx: &redb::WriteTransaction,
    definition: TableDefinition<TimeKey, V>,
    owner: &str,
) -> TxResult<()> {
    let mut table = tx.open_table(definition).port("opening a table")?;
    table
        .retain_in(
            (owner, i64::MIN, "")..=(owner, i64::MAX, PAST_IDS),
            |_, _| false,
        )
        .port("erasing entries")?;
    Ok(())
}

/// Removes `key` from a table keyed by one string, if it is there.
fn remove_key<V: redb::Value + 'static>(
    tx: &redb::WriteTransaction,
    definition: TableDefinition<&'static str, V>,
    key: &str,
) -> TxResult<()> {
    tx.open_table(definition)
        .port("opening a table")?
        .remove(key)
        .port("erasing an entry")?;
    Ok(())
}

/// Removes the index entry `key` only while it still points at `id` (a handle taken since by
/// another channel stays theirs).
fn unlink(
    tx: &redb::WriteTransaction,
    definition: TableDefinition<&'static str, &'static str>,
    key: &str,
    id: &str,
) -> TxResult<()> {
    let mut table = tx.open_table(definition).port("opening an index")?;
    let points_here = table
        .get(key)
        .port("reading an index")?
        .is_some_and(|found| found.value() == id);
    if points_here {
        table.remove(key).port("erasing an index entry")?;
    }
    Ok(())
}

impl EmbeddedStore {
    pub(crate) async fn erase_channel_records(&self, channel: &Channel) -> PortResult<()> {
        let id = channel.id.as_str().to_owned();
        self.write(move |tx| {
            // The stored record: the caller's copy may be older (a handle changed since).
            let Some(stored) = read_channel_tx(tx, &id)? else {
                return Ok(());
            };
            unlink(tx, HANDLES, stored.handle.as_str(), &id)?;
            unlink(tx, OWNERS, stored.owner.as_str(), &id)?;
            if let Some(room) = &stored.chat_room {
                unlink(tx, ROOMS, &room.arn, &id)?;
            }
            remove_key(tx, LIVE, &id)?;
            tx.open_table(ACTIVITY)
                .port("opening activity")?
                .remove((nanos(stored.activity_at()), id.as_str()))
                .port("erasing activity")?;
            remove_pairs(tx, GRANTS, &id)?;
            remove_key(tx, follows::FOLLOWER_COUNTS, &id)?;
            remove_key(tx, videos::STORED_BYTES, &id)?;
            remove_key(tx, CHANNELS, &id)?;
            Ok(())
        })
        .await
        .map_err(port_only)
    }

    pub(crate) async fn erase_profile_records(&self, user: &UserId) -> PortResult<()> {
        let user = user.as_str().to_owned();
        self.write(move |tx| {
            remove_key(tx, blocks::BLOCK_LISTS, &user)?;
            remove_key(tx, follows::FOLLOWING_COUNTS, &user)?;
            remove_key(tx, PROFILES, &user)?;
            Ok(())
        })
        .await
        .map_err(port_only)
    }

    pub(crate) async fn mark_erased_user(&self, user: &UserId) -> PortResult<()> {
        let user = user.as_str().to_owned();
        self.write(move |tx| {
            tx.open_table(ERASED_USERS)
                .port("opening erased users")?
                .insert(user.as_str(), nanos(time::OffsetDateTime::now_utc()))
                .port("marking a user erased")?;
            Ok(())
        })
        .await
        .map_err(port_only)
    }

    pub(crate) async fn was_erased_user(&self, user: &UserId) -> PortResult<bool> {
        let user = user.as_str().to_owned();
        self.read(move |tx| {
            let table = tx.open_table(ERASED_USERS).port("opening erased users")?;
            Ok(table
                .get(user.as_str())
                .port("reading erased users")?
                .is_some())
        })
        .await
    }

    pub(crate) async fn erase_chat_records(&self, channel: &ChannelId) -> PortResult<()> {
        let channel = channel.as_str().to_owned();
        self.write(move |tx| {
            // The senders' index first, found through the messages it points at.
            let said: Vec<(String, i64, String)> = {
                let messages = tx.open_table(MESSAGES).port("opening messages")?;
                let range =
                    (channel.as_str(), i64::MIN, "")..=(channel.as_str(), i64::MAX, PAST_IDS);
                let mut said = Vec::new();
                for entry in messages.range(range).port("reading messages")? {
                    let (key, bytes) = entry.port("reading messages")?;
                    let (_, at, id) = key.value();
                    let message: StoredMessage = decode(bytes.value())?;
                    said.push((message.sender.as_str().to_owned(), at, id.to_owned()));
                }
                said
            };
            let mut sent = tx.open_table(SENT_MESSAGES).port("opening senders")?;
            for (sender, at, id) in &said {
                sent.remove((sender.as_str(), *at, id.as_str()))
                    .port("erasing a message's sender")?;
            }
            remove_timed(tx, MESSAGES, &channel)?;
            remove_pairs(tx, MESSAGE_TIMES, &channel)?;
            remove_pairs(tx, TOMBSTONES, &channel)?;
            remove_pairs(tx, BANS, &channel)?;
            moderation_log::erase(tx, &channel)?;
            Ok(())
        })
        .await
        .map_err(port_only)
    }

    pub(crate) async fn erase_recording_record(&self, recording: &Recording) -> PortResult<()> {
        let id = recording.id.as_str().to_owned();
        self.write(move |tx| {
            let mut records = tx.open_table(RECORDINGS).port("opening recordings")?;
            let Some(stored) = records
                .remove(id.as_str())
                .port("erasing a recording")?
                .map(|bytes| decode::<Recording>(bytes.value()))
                .transpose()?
            else {
                return Ok(());
            };
            let at = nanos(stored.listed_at());
            tx.open_table(RECORDINGS_BY_CHANNEL)
                .port("opening index")?
                .remove((stored.channel_id.as_str(), at, id.as_str()))
                .port("erasing index")?;
            tx.open_table(RECORDINGS_BY_TIME)
                .port("opening index")?
                .remove((at, id.as_str()))
                .port("erasing index")?;
            Ok(())
        })
        .await
        .map_err(port_only)
    }

    pub(crate) async fn erase_notification_records(&self, user: &UserId) -> PortResult<()> {
        let user = user.as_str().to_owned();
        self.write(move |tx| {
            remove_timed(tx, notifications::NOTIFICATIONS, &user)?;
            remove_key(tx, notifications::SEEN, &user)?;
            Ok(())
        })
        .await
        .map_err(port_only)
    }
}
