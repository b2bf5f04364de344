//! The embedded store: Cloumer's repositories on [redb], a pure-Rust, ACID, copy-on-write B-tree
//! database in one file.
//!
//! Why redb: every commit is durable when `commit()` returns (fsync, checksummed pages, so a
//! kill -9 loses nothing committed), one writer at a time gives serializable conditional writes
//! (unique handles, version checks) without locks of our own, readers never block, keys are
//! ordered tuples (so history pages and listings are range scans), and it is three small crates
//! with no C. SQLite would also do; sled is unmaintained.
//!
//! Records are stored as JSON of the domain types; every secondary index (handle, owner, room,
//! live set, activity order, per-room time order) is written in the same transaction as the record.

mod blocks;
mod channel_records;
mod clips;
mod erasure;
mod follows;
mod moderation_log;
mod notifications;
mod polls;
mod push;
mod reports;
mod videos;
mod webhooks;

use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use cloumer_domain::channel::{ActivityCursor, Channel};
use cloumer_domain::chat::{ChatActivity, MessageCursor, StoredMessage};
use cloumer_domain::error::{PortContext, PortError, PortResult, WriteError};
use cloumer_domain::handle::ChannelHandle;
use cloumer_domain::ids::{ChannelId, MessageId, RecordingId, UserId};
use cloumer_domain::moderation::Ban;
use cloumer_domain::moderation_log::{ModerationCursor, ModerationEntry};
use cloumer_domain::page::{Listed, Page};
use cloumer_domain::playback::ViewerGrant;
use cloumer_domain::ports::{ChannelRepository, ChatRepository, RecordingRepository};
use cloumer_domain::profile::Profile;
use cloumer_domain::recording::{Recording, RecordingCursor};
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition, TableHandle};
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

const PROFILES: TableDefinition<&str, &[u8]> = TableDefinition::new("profiles");
const CHANNELS: TableDefinition<&str, &[u8]> = TableDefinition::new("channels");
const HANDLES: TableDefinition<&str, &str> = TableDefinition::new("channel_by_handle");
const OWNERS: TableDefinition<&str, &str> = TableDefinition::new("channel_by_owner");
const ROOMS: TableDefinition<&str, &str> = TableDefinition::new("channel_by_room");
const LIVE: TableDefinition<&str, ()> = TableDefinition::new("live_channels");
/// (activity time, channel id): channels in activity order.
const ACTIVITY: TableDefinition<(i64, &str), ()> = TableDefinition::new("channel_activity");
/// (channel, user) → grant
const GRANTS: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("viewer_grants");
/// (channel, sent time, message id) → message: a room's history in time order.
const MESSAGES: TableDefinition<(&str, i64, &str), &[u8]> = TableDefinition::new("messages");
/// (channel, message id) → sent time, to find a message's history key.
const MESSAGE_TIMES: TableDefinition<(&str, &str), i64> = TableDefinition::new("message_times");
/// (channel, message id) → deletion time. Kept so a deleted message can never come back.
const TOMBSTONES: TableDefinition<(&str, &str), i64> = TableDefinition::new("deleted_messages");
/// (sender, sent time, message id) → channel: what one person said, in every room, in time order.
const SENT_MESSAGES: TableDefinition<TimeKey, &str> = TableDefinition::new("messages_by_sender");
/// (channel, user) → ban
const BANS: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("bans");
const RECORDINGS: TableDefinition<&str, &[u8]> = TableDefinition::new("recordings");
/// (channel, listed time, recording id)
const RECORDINGS_BY_CHANNEL: TableDefinition<(&str, i64, &str), ()> =
    TableDefinition::new("recordings_by_channel");
/// (listed time, recording id)
const RECORDINGS_BY_TIME: TableDefinition<(i64, &str), ()> =
    TableDefinition::new("recordings_by_time");

/// Indexes every stored message by its sender when the index is new (a store from before it
/// was kept): one pass, at the first open after the upgrade.
fn index_senders_once(tx: &redb::WriteTransaction) -> TxResult<()> {
    if !is_new(tx, SENT_MESSAGES.name())? {
        return Ok(());
    }
    let messages = tx.open_table(MESSAGES).port("opening messages")?;
    let mut sent = tx.open_table(SENT_MESSAGES).port("opening senders")?;
    for entry in messages.iter().port("reading messages")? {
        let (key, bytes) = entry.port("reading messages")?;
        let (channel, at, id) = key.value();
        let message: StoredMessage = decode(bytes.value())?;
        sent.insert((message.sender.as_str(), at, id), channel)
            .port("indexing a message's sender")?;
    }
    Ok(())
}

/// Whether the table `name` is not in the store yet: an index added by a later version, to be
/// built from what is stored before it is first opened.
fn is_new(tx: &redb::WriteTransaction, name: &str) -> TxResult<bool> {
    Ok(!tx
        .list_tables()
        .port("listing tables")?
        .any(|table| table.name() == name))
}

/// Nanoseconds since the epoch: exact for every time we store (until 2262).
fn nanos(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos()).unwrap_or(i64::MAX)
}

fn from_nanos(n: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(n)).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn encode<T: Serialize>(value: &T) -> PortResult<Vec<u8>> {
    serde_json::to_vec(value).port("encoding a record")
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> PortResult<T> {
    serde_json::from_slice(bytes).port("decoding a record")
}

/// How long [`EmbeddedStore::close`] waits for other handles: writes in flight take milliseconds.
const CLOSE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);
const CLOSE_POLL: std::time::Duration = std::time::Duration::from_millis(2);

/// The embedded store. Cheap to clone; all clones share one open database.
#[derive(Clone)]
pub struct EmbeddedStore {
    db: Arc<Database>,
}

type TxResult<T> = Result<T, WriteError>;

/// Sorts after every id (ids are ASCII), so `(owner, "")..(owner, PAST_IDS)` holds all of an
/// owner's entries.
const PAST_IDS: &str = "\u{10FFFF}";

impl EmbeddedStore {
    /// Opens (or creates) the store at `path`, creating every table so reads never miss one.
    pub fn open(path: &Path) -> PortResult<Self> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).port("creating the data directory")?;
        }
        let db = Database::create(path).port("opening the embedded store")?;
        // Password hashes, stream keys and refresh tokens live here: the owner's alone.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                .port("restricting the store file")?;
        }
        let store = Self { db: Arc::new(db) };
        store
            .write_sync(|tx| {
                index_senders_once(tx)?;
                tx.open_table(PROFILES).port("t")?;
                tx.open_table(CHANNELS).port("t")?;
                tx.open_table(HANDLES).port("t")?;
                tx.open_table(OWNERS).port("t")?;
                tx.open_table(ROOMS).port("t")?;
                tx.open_table(LIVE).port("t")?;
                tx.open_table(ACTIVITY).port("t")?;
                tx.open_table(GRANTS).port("t")?;
                tx.open_table(MESSAGES).port("t")?;
                tx.open_table(MESSAGE_TIMES).port("t")?;
                tx.open_table(TOMBSTONES).port("t")?;
                tx.open_table(BANS).port("t")?;
                tx.open_table(RECORDINGS).port("t")?;
                tx.open_table(RECORDINGS_BY_CHANNEL).port("t")?;
                tx.open_table(RECORDINGS_BY_TIME).port("t")?;
                clips::CLIPS.create_tables(tx)?;
                videos::create_tables(tx)?;
                follows::create_tables(tx)?;
                blocks::create_tables(tx)?;
                polls::create_tables(tx)?;
                notifications::create_tables(tx)?;
                webhooks::create_tables(tx)?;
                reports::create_tables(tx)?;
                push::create_tables(tx)?;
                moderation_log::create_tables(tx)?;
                tx.open_table(erasure::ERASED_USERS).port("t")?;
                Ok(())
            })
            .map_err(|e| match e {
                WriteError::Port(p) => p,
                other => PortError::new("creating tables", other.to_string()),
            })?;
        Ok(store)
    }

    /// The database, for other local adapters that keep their own tables in the same file.
    pub fn database(&self) -> Arc<Database> {
        self.db.clone()
    }

    /// Closes the database here once every other handle to it is gone, and returns when its file
    /// is let go, so that it can be opened again at once (a stack started right after a stop).
    /// Otherwise the last handle dropped closes it, on whichever thread that is (an HTTP
    /// connection's task drops its copy of the router after the server has returned; a blocking
    /// write outlives the task that asked for it), and closing syncs the file, so its lock may
    /// still be held just after everything has stopped. False if some handle was still held
    /// after [`CLOSE_WAIT`]; the file is then closed with the last of them.
    pub async fn close(self) -> bool {
        let started = tokio::time::Instant::now();
        let mut shared = self.db;
        loop {
            match Arc::try_unwrap(shared) {
                Ok(database) => {
                    // Closing writes and syncs the file: off the async runtime.
                    let _ = tokio::task::spawn_blocking(move || drop(database)).await;
                    return true;
                }
                Err(_) if started.elapsed() >= CLOSE_WAIT => return false,
                Err(still_shared) => {
                    shared = still_shared;
                    tokio::time::sleep(CLOSE_POLL).await;
                }
            }
        }
    }

    /// Runs `work` in one write transaction and commits it durably if it returns `Ok`; otherwise
    /// nothing it did is kept.
    fn write_sync<T>(
        &self,
        work: impl FnOnce(&redb::WriteTransaction) -> TxResult<T>,
    ) -> TxResult<T> {
        let tx = self.db.begin_write().port("beginning a write")?;
        match work(&tx) {
            Ok(value) => {
                tx.commit().port("committing")?;
                Ok(value)
            }
            Err(error) => {
                tx.abort().port("aborting")?;
                Err(error)
            }
        }
    }

    /// [`Self::write_sync`] off the async runtime: commits wait for the disk.
    async fn write<T: Send + 'static>(
        &self,
        work: impl FnOnce(&redb::WriteTransaction) -> TxResult<T> + Send + 'static,
    ) -> TxResult<T> {
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.write_sync(work))
            .await
            .port("running a write")?
    }

    /// Runs `work` in a read transaction, on the calling task. Reads come from redb's page cache
    /// (the store is small next to it) and take microseconds; handing each to the blocking pool
    /// cost more than the read itself (thread wake-ups were ~45% of a signed-in API request's
    /// CPU in `cargo xtask bench api`). Writes, which wait for the disk, still go to the pool.
    async fn read<T>(
        &self,
        work: impl FnOnce(&redb::ReadTransaction) -> PortResult<T>,
    ) -> PortResult<T> {
        let tx = self.db.begin_read().port("beginning a read")?;
        work(&tx)
    }
}

fn channel_by_key(
    tx: &redb::ReadTransaction,
    index: TableDefinition<&str, &str>,
    key: &str,
) -> PortResult<Option<Channel>> {
    let index = tx.open_table(index).port("opening an index")?;
    let Some(id) = index.get(key).port("reading an index")? else {
        return Ok(None);
    };
    let channels = tx.open_table(CHANNELS).port("opening channels")?;
    let found = channels.get(id.value()).port("reading a channel")?;
    found.map(|bytes| decode(bytes.value())).transpose()
}

/// Writes a channel and keeps every index in step with it. `previous` is the stored version.
fn write_channel(
    tx: &redb::WriteTransaction,
    channel: &Channel,
    previous: Option<&Channel>,
) -> TxResult<()> {
    let id = channel.id.as_str();
    let mut handles = tx.open_table(HANDLES).port("opening handles")?;
    if previous.is_none_or(|p| p.handle != channel.handle) {
        if let Some(holder) = handles
            .get(channel.handle.as_str())
            .port("reading handles")?
            && holder.value() != id
        {
            return Err(WriteError::HandleTaken);
        }
        if let Some(previous) = previous {
            handles
                .remove(previous.handle.as_str())
                .port("freeing a handle")?;
        }
        handles
            .insert(channel.handle.as_str(), id)
            .port("taking a handle")?;
    }
    tx.open_table(OWNERS)
        .port("opening owners")?
        .insert(channel.owner.as_str(), id)
        .port("indexing the owner")?;
    let mut rooms = tx.open_table(ROOMS).port("opening rooms")?;
    if let Some(previous_room) = previous.and_then(|p| p.chat_room.as_ref())
        && channel.chat_room.as_ref() != Some(previous_room)
    {
        rooms
            .remove(previous_room.arn.as_str())
            .port("unindexing a room")?;
    }
    if let Some(room) = &channel.chat_room {
        rooms
            .insert(room.arn.as_str(), id)
            .port("indexing the room")?;
    }
    let mut live = tx.open_table(LIVE).port("opening live")?;
    if channel.is_live() {
        live.insert(id, ()).port("marking live")?;
    } else {
        live.remove(id).port("marking offline")?;
    }
    let mut activity = tx.open_table(ACTIVITY).port("opening activity")?;
    if let Some(previous) = previous {
        activity
            .remove((nanos(previous.activity_at()), id))
            .port("moving activity")?;
    }
    activity
        .insert((nanos(channel.activity_at()), id), ())
        .port("indexing activity")?;
    tx.open_table(CHANNELS)
        .port("opening channels")?
        .insert(id, encode(channel)?.as_slice())
        .port("writing a channel")?;
    Ok(())
}

fn read_channel_tx(tx: &redb::WriteTransaction, id: &str) -> TxResult<Option<Channel>> {
    let channels = tx.open_table(CHANNELS).port("opening channels")?;
    let found = channels.get(id).port("reading a channel")?;
    Ok(found.map(|bytes| decode(bytes.value())).transpose()?)
}

#[async_trait]
impl ChannelRepository for EmbeddedStore {
    async fn get_profile(&self, user: &UserId) -> PortResult<Option<Profile>> {
        let user = user.as_str().to_owned();
        self.read(move |tx| {
            let table = tx.open_table(PROFILES).port("opening profiles")?;
            let found = table.get(user.as_str()).port("reading a profile")?;
            found.map(|bytes| decode(bytes.value())).transpose()
        })
        .await
    }

    async fn get_profiles(&self, users: &[UserId]) -> PortResult<Vec<Profile>> {
        self.read(|tx| {
            let table = tx.open_table(PROFILES).port("opening profiles")?;
            let mut found = Vec::with_capacity(users.len());
            for user in users {
                if let Some(bytes) = table.get(user.as_str()).port("reading a profile")? {
                    found.push(decode(bytes.value())?);
                }
            }
            Ok(found)
        })
        .await
    }

    async fn put_profile(&self, profile: &Profile) -> PortResult<()> {
        let user = profile.user_id.as_str().to_owned();
        let bytes = encode(profile)?;
        self.write(move |tx| {
            tx.open_table(PROFILES)
                .port("opening profiles")?
                .insert(user.as_str(), bytes.as_slice())
                .port("writing a profile")?;
            Ok(())
        })
        .await
        .map_err(port_only)
    }

    async fn create_channel(&self, channel: &Channel) -> Result<(), WriteError> {
        let channel = channel.clone();
        self.write(move |tx| {
            let owners = tx.open_table(OWNERS).port("opening owners")?;
            if owners
                .get(channel.owner.as_str())
                .port("reading owners")?
                .is_some()
            {
                return Err(WriteError::ChannelExists);
            }
            drop(owners);
            if read_channel_tx(tx, channel.id.as_str())?.is_some() {
                return Err(WriteError::ChannelExists);
            }
            write_channel(tx, &channel, None)
        })
        .await
    }

    async fn update_channel(&self, channel: &Channel) -> Result<(), WriteError> {
        let channel = channel.clone();
        self.write(move |tx| {
            let Some(previous) = read_channel_tx(tx, channel.id.as_str())? else {
                return Err(WriteError::VersionMismatch);
            };
            if previous.version + 1 != channel.version {
                return Err(WriteError::VersionMismatch);
            }
            write_channel(tx, &channel, Some(&previous))
        })
        .await
    }

    async fn get_channel(&self, id: &ChannelId) -> PortResult<Option<Channel>> {
        let id = id.as_str().to_owned();
        self.read(move |tx| {
            let channels = tx.open_table(CHANNELS).port("opening channels")?;
            let found = channels.get(id.as_str()).port("reading a channel")?;
            found.map(|bytes| decode(bytes.value())).transpose()
        })
        .await
    }

    async fn get_channels(&self, ids: &[ChannelId]) -> PortResult<Vec<Channel>> {
        self.read(|tx| {
            let channels = tx.open_table(CHANNELS).port("opening channels")?;
            let ids: BTreeSet<&str> = ids.iter().map(ChannelId::as_str).collect();
            let mut found = Vec::with_capacity(ids.len());
            for id in ids {
                if let Some(bytes) = channels.get(id).port("reading a channel")? {
                    found.push(decode(bytes.value())?);
                }
            }
            Ok(found)
        })
        .await
    }

    async fn find_channel_by_handle(&self, handle: &ChannelHandle) -> PortResult<Option<Channel>> {
        let key = handle.as_str().to_owned();
        self.read(move |tx| channel_by_key(tx, HANDLES, &key)).await
    }

    async fn find_channel_by_owner(&self, owner: &UserId) -> PortResult<Option<Channel>> {
        let key = owner.as_str().to_owned();
        self.read(move |tx| channel_by_key(tx, OWNERS, &key)).await
    }

    async fn find_channels_by_owners(&self, owners: &[UserId]) -> PortResult<Vec<Channel>> {
        self.read(|tx| {
            let owners: BTreeSet<&str> = owners.iter().map(UserId::as_str).collect();
            let mut found = Vec::with_capacity(owners.len());
            for owner in owners {
                found.extend(channel_by_key(tx, OWNERS, owner)?);
            }
            Ok(found)
        })
        .await
    }

    async fn find_channel_by_room(&self, room_arn: &str) -> PortResult<Option<Channel>> {
        let key = room_arn.to_owned();
        self.read(move |tx| channel_by_key(tx, ROOMS, &key)).await
    }

    async fn list_live_channels(&self) -> PortResult<Vec<Channel>> {
        self.read(|tx| {
            let live = tx.open_table(LIVE).port("opening live")?;
            let channels = tx.open_table(CHANNELS).port("opening channels")?;
            let mut found = Vec::new();
            for entry in live.iter().port("listing live")? {
                let (id, _) = entry.port("listing live")?;
                if let Some(bytes) = channels.get(id.value()).port("reading a channel")? {
                    found.push(decode(bytes.value())?);
                }
            }
            Ok(found)
        })
        .await
    }

    async fn list_channels(
        &self,
        after: Option<&ActivityCursor>,
        limit: usize,
    ) -> PortResult<Page<Channel, ActivityCursor>> {
        let after = after.map(|c| (nanos(c.at), c.id.as_str().to_owned()));
        self.read(move |tx| {
            let activity = tx.open_table(ACTIVITY).port("opening activity")?;
            let channels = tx.open_table(CHANNELS).port("opening channels")?;
            let range = match &after {
                Some((at, id)) => activity.range(..(*at, id.as_str())),
                None => activity.range::<(i64, &str)>(..),
            }
            .port("listing channels")?;
            let mut items: Vec<Channel> = Vec::with_capacity(limit);
            let mut more = false;
            for entry in range.rev() {
                let (key, _) = entry.port("listing channels")?;
                if items.len() == limit {
                    more = true;
                    break;
                }
                let (_, id) = key.value();
                if let Some(bytes) = channels.get(id).port("reading a channel")? {
                    items.push(decode(bytes.value())?);
                }
            }
            Ok(Page::continuing(items, more))
        })
        .await
    }

    async fn put_grant(&self, grant: &ViewerGrant) -> PortResult<()> {
        let key = (
            grant.channel_id.as_str().to_owned(),
            grant.user_id.as_str().to_owned(),
        );
        let bytes = encode(grant)?;
        self.write(move |tx| {
            tx.open_table(GRANTS)
                .port("opening grants")?
                .insert((key.0.as_str(), key.1.as_str()), bytes.as_slice())
                .port("writing a grant")?;
            Ok(())
        })
        .await
        .map_err(port_only)
    }

    async fn remove_grant(&self, channel: &ChannelId, user: &UserId) -> PortResult<bool> {
        let key = (channel.as_str().to_owned(), user.as_str().to_owned());
        self.write(move |tx| {
            let mut table = tx.open_table(GRANTS).port("opening grants")?;
            let removed = table
                .remove((key.0.as_str(), key.1.as_str()))
                .port("removing a grant")?
                .is_some();
            Ok(removed)
        })
        .await
        .map_err(port_only)
    }

    async fn get_grant(
        &self,
        channel: &ChannelId,
        user: &UserId,
    ) -> PortResult<Option<ViewerGrant>> {
        let key = (channel.as_str().to_owned(), user.as_str().to_owned());
        self.read(move |tx| {
            let table = tx.open_table(GRANTS).port("opening grants")?;
            let found = table
                .get((key.0.as_str(), key.1.as_str()))
                .port("reading a grant")?;
            found.map(|bytes| decode(bytes.value())).transpose()
        })
        .await
    }

    async fn list_grants(&self, channel: &ChannelId) -> PortResult<Vec<ViewerGrant>> {
        let channel = channel.as_str().to_owned();
        self.read(move |tx| {
            let table = tx.open_table(GRANTS).port("opening grants")?;
            prefix_values(&table, &channel)
        })
        .await
    }
    async fn erase_channel(&self, channel: &Channel) -> PortResult<()> {
        self.erase_channel_records(channel).await
    }

    async fn erase_profile(&self, user: &UserId) -> PortResult<()> {
        self.erase_profile_records(user).await
    }

    async fn mark_erased(&self, user: &UserId) -> PortResult<()> {
        self.mark_erased_user(user).await
    }

    async fn was_erased(&self, user: &UserId) -> PortResult<bool> {
        self.was_erased_user(user).await
    }
}

/// Every value whose `(channel, _)` key starts with `channel`.
fn prefix_values<T: DeserializeOwned>(
    table: &impl ReadableTable<(&'static str, &'static str), &'static [u8]>,
    channel: &str,
) -> PortResult<Vec<T>> {
    let mut values = Vec::new();
    for entry in table.range((channel, "")..).port("listing")? {
        let (key, value) = entry.port("listing")?;
        if key.value().0 != channel {
            break;
        }
        values.push(decode(value.value())?);
    }
    Ok(values)
}

fn port_only(error: WriteError) -> PortError {
    match error {
        WriteError::Port(port) => port,
        other => PortError::new("writing", other.to_string()),
    }
}

#[async_trait]
impl ChatRepository for EmbeddedStore {
    async fn append_messages(&self, messages: &[StoredMessage]) -> PortResult<()> {
        // One transaction (one fsync) for the whole batch: the chat server groups the messages
        // that arrive while the previous commit is on its way to the disk.
        let rows = messages
            .iter()
            .map(|m| {
                Ok((
                    m.channel_id.as_str().to_owned(),
                    m.id.as_str().to_owned(),
                    m.sender.as_str().to_owned(),
                    nanos(m.sent_at),
                    encode(m)?,
                ))
            })
            .collect::<PortResult<Vec<_>>>()?;
        self.write(move |tx| {
            let tombstones = tx.open_table(TOMBSTONES).port("opening deletions")?;
            let mut times = tx.open_table(MESSAGE_TIMES).port("opening message times")?;
            let mut table = tx.open_table(MESSAGES).port("opening messages")?;
            let mut sent = tx.open_table(SENT_MESSAGES).port("opening senders")?;
            for (channel, id, sender, at, bytes) in &rows {
                let key = (channel.as_str(), id.as_str());
                if tombstones.get(key).port("reading deletions")?.is_some()
                    || times.get(key).port("reading message times")?.is_some()
                {
                    continue;
                }
                times.insert(key, *at).port("indexing a message")?;
                table
                    .insert((channel.as_str(), *at, id.as_str()), bytes.as_slice())
                    .port("writing a message")?;
                sent.insert((sender.as_str(), *at, id.as_str()), channel.as_str())
                    .port("indexing a message's sender")?;
            }
            Ok(())
        })
        .await
        .map_err(port_only)
    }

    async fn delete_message(
        &self,
        channel: &ChannelId,
        id: &MessageId,
        at: OffsetDateTime,
    ) -> PortResult<()> {
        let channel = channel.as_str().to_owned();
        let id = id.as_str().to_owned();
        let deleted_at = nanos(at);
        self.write(move |tx| {
            let key = (channel.as_str(), id.as_str());
            let mut tombstones = tx.open_table(TOMBSTONES).port("opening deletions")?;
            if tombstones.get(key).port("reading deletions")?.is_none() {
                tombstones
                    .insert(key, deleted_at)
                    .port("recording a deletion")?;
            }
            let sent_at = tx
                .open_table(MESSAGE_TIMES)
                .port("opening message times")?
                .get(key)
                .port("reading message times")?
                .map(|t| t.value());
            if let Some(sent_at) = sent_at {
                let removed = tx
                    .open_table(MESSAGES)
                    .port("opening messages")?
                    .remove((channel.as_str(), sent_at, id.as_str()))
                    .port("removing a message")?
                    .map(|bytes| decode::<StoredMessage>(bytes.value()))
                    .transpose()?;
                if let Some(message) = removed {
                    tx.open_table(SENT_MESSAGES)
                        .port("opening senders")?
                        .remove((message.sender.as_str(), sent_at, id.as_str()))
                        .port("removing a message's sender")?;
                }
            }
            Ok(())
        })
        .await
        .map_err(port_only)
    }

    async fn list_messages(
        &self,
        channel: &ChannelId,
        before: Option<&MessageCursor>,
        limit: usize,
    ) -> PortResult<Page<StoredMessage, MessageCursor>> {
        let channel = channel.as_str().to_owned();
        let before = before.map(|c| (nanos(c.sent_at), c.id.as_str().to_owned()));
        self.read(move |tx| {
            let table = tx.open_table(MESSAGES).port("opening messages")?;
            let found = newest_first(&table, channel.as_str(), before.as_ref())?.map(|entry| {
                let (_, value) = entry.port("listing messages")?;
                decode(value.value()).map(Some)
            });
            first_page(found, limit)
        })
        .await
    }

    async fn list_messages_between(
        &self,
        channel: &ChannelId,
        from: OffsetDateTime,
        until: OffsetDateTime,
        after: Option<&MessageCursor>,
        limit: usize,
    ) -> PortResult<Page<StoredMessage, MessageCursor>> {
        use std::ops::Bound::{Excluded, Included};
        let channel = channel.as_str().to_owned();
        let after = after.map(|c| (nanos(c.sent_at), c.id.as_str().to_owned()));
        let (from, until) = (nanos(from), nanos(until));
        self.read(move |tx| {
            let table = tx.open_table(MESSAGES).port("opening messages")?;
            let channel = channel.as_str();
            let start = match &after {
                Some((at, id)) => Excluded((channel, *at, id.as_str())),
                None => Included((channel, from, "")),
            };
            let end = Excluded((channel, until.saturating_add(1), ""));
            let found = table
                .range::<(&str, i64, &str)>((start, end))
                .port("listing messages")?
                .map(|entry| {
                    let (_, value) = entry.port("listing messages")?;
                    decode(value.value()).map(Some)
                });
            first_page(found, limit)
        })
        .await
    }

    async fn chat_activity_between(
        &self,
        channel: &ChannelId,
        from: OffsetDateTime,
        until: OffsetDateTime,
    ) -> PortResult<ChatActivity> {
        let channel = channel.as_str().to_owned();
        let (from, until) = (nanos(from), nanos(until));
        self.read(move |tx| {
            let table = tx.open_table(MESSAGES).port("opening messages")?;
            let channel = channel.as_str();
            let range = (channel, from, "")..(channel, until.saturating_add(1), "");
            let mut messages = 0u64;
            let mut chatters = HashSet::new();
            for entry in table
                .range::<(&str, i64, &str)>(range)
                .port("counting messages")?
            {
                let (_, value) = entry.port("counting messages")?;
                let message: StoredMessage = decode(value.value())?;
                messages += 1;
                chatters.insert(message.sender);
            }
            Ok(ChatActivity {
                messages,
                chatters: chatters.len() as u64,
            })
        })
        .await
    }

    async fn get_message(
        &self,
        channel: &ChannelId,
        id: &MessageId,
    ) -> PortResult<Option<StoredMessage>> {
        let channel = channel.as_str().to_owned();
        let id = id.as_str().to_owned();
        self.read(move |tx| {
            let times = tx.open_table(MESSAGE_TIMES).port("opening message times")?;
            let Some(at) = times.get((channel.as_str(), id.as_str())).port("reading")? else {
                return Ok(None);
            };
            let messages = tx.open_table(MESSAGES).port("opening messages")?;
            let found = messages
                .get((channel.as_str(), at.value(), id.as_str()))
                .port("reading a message")?;
            found.map(|bytes| decode(bytes.value())).transpose()
        })
        .await
    }

    async fn list_sent_messages(
        &self,
        sender: &UserId,
        before: Option<&MessageCursor>,
        limit: usize,
    ) -> PortResult<Page<StoredMessage, MessageCursor>> {
        let sender = sender.as_str().to_owned();
        let before = before.map(|c| (nanos(c.sent_at), c.id.as_str().to_owned()));
        self.read(move |tx| {
            let sent = tx.open_table(SENT_MESSAGES).port("opening senders")?;
            let messages = tx.open_table(MESSAGES).port("opening messages")?;
            let found = newest_first(&sent, sender.as_str(), before.as_ref())?.map(|entry| {
                let (key, channel) = entry.port("listing a sender's messages")?;
                let (_, at, id) = key.value();
                let stored = messages
                    .get((channel.value(), at, id))
                    .port("reading a message")?;
                stored.map(|bytes| decode(bytes.value())).transpose()
            });
            first_page(found, limit)
        })
        .await
    }

    async fn list_sent_messages_in(
        &self,
        channel: &ChannelId,
        sender: &UserId,
        limit: usize,
        within: usize,
    ) -> PortResult<Vec<StoredMessage>> {
        let (channel, sender) = (channel.as_str().to_owned(), sender.as_str().to_owned());
        self.read(move |tx| {
            let sent = tx.open_table(SENT_MESSAGES).port("opening senders")?;
            let messages = tx.open_table(MESSAGES).port("opening messages")?;
            let mut found = Vec::new();
            for entry in newest_first(&sent, sender.as_str(), None)?.take(within) {
                let (key, said_in) = entry.port("listing a sender's messages")?;
                if said_in.value() != channel {
                    continue;
                }
                let (_, at, id) = key.value();
                if let Some(bytes) = messages
                    .get((channel.as_str(), at, id))
                    .port("reading a message")?
                {
                    found.push(decode(bytes.value())?);
                    if found.len() == limit {
                        break;
                    }
                }
            }
            Ok(found)
        })
        .await
    }

    async fn put_ban(&self, ban: &Ban) -> PortResult<()> {
        let key = (
            ban.channel_id.as_str().to_owned(),
            ban.user_id.as_str().to_owned(),
        );
        let bytes = encode(ban)?;
        self.write(move |tx| {
            tx.open_table(BANS)
                .port("opening bans")?
                .insert((key.0.as_str(), key.1.as_str()), bytes.as_slice())
                .port("writing a ban")?;
            Ok(())
        })
        .await
        .map_err(port_only)
    }

    async fn remove_ban(&self, channel: &ChannelId, user: &UserId) -> PortResult<Option<Ban>> {
        let key = (channel.as_str().to_owned(), user.as_str().to_owned());
        self.write(move |tx| {
            let mut table = tx.open_table(BANS).port("opening bans")?;
            let removed = table
                .remove((key.0.as_str(), key.1.as_str()))
                .port("removing a ban")?
                .map(|bytes| decode(bytes.value()))
                .transpose()?;
            Ok(removed)
        })
        .await
        .map_err(port_only)
    }

    async fn get_ban(&self, channel: &ChannelId, user: &UserId) -> PortResult<Option<Ban>> {
        let key = (channel.as_str().to_owned(), user.as_str().to_owned());
        self.read(move |tx| {
            let table = tx.open_table(BANS).port("opening bans")?;
            let found = table
                .get((key.0.as_str(), key.1.as_str()))
                .port("reading a ban")?;
            found.map(|bytes| decode(bytes.value())).transpose()
        })
        .await
    }

    async fn list_bans(&self, channel: &ChannelId) -> PortResult<Vec<Ban>> {
        let channel = channel.as_str().to_owned();
        self.read(move |tx| {
            let table = tx.open_table(BANS).port("opening bans")?;
            prefix_values(&table, &channel)
        })
        .await
    }

    async fn append_moderation(&self, entry: &ModerationEntry) -> PortResult<()> {
        moderation_log::append(self, entry).await
    }

    async fn list_moderation(
        &self,
        channel: &ChannelId,
        before: Option<&ModerationCursor>,
        limit: usize,
    ) -> PortResult<Page<ModerationEntry, ModerationCursor>> {
        moderation_log::list(self, channel, before, limit).await
    }
    async fn list_moderation_of(
        &self,
        channel: &ChannelId,
        user: &UserId,
        limit: usize,
    ) -> PortResult<Vec<ModerationEntry>> {
        moderation_log::list_of(self, channel, user, limit).await
    }

    async fn erase_chat(&self, channel: &ChannelId) -> PortResult<()> {
        self.erase_chat_records(channel).await
    }
}

#[async_trait]
impl RecordingRepository for EmbeddedStore {
    async fn put_recording(
        &self,
        recording: &Recording,
        previous: Option<&Recording>,
    ) -> Result<(), WriteError> {
        let recording = recording.clone();
        let previous = previous.cloned();
        self.write(move |tx| {
            let id = recording.id.as_str();
            let mut table = tx.open_table(RECORDINGS).port("opening recordings")?;
            let stored: Option<Recording> = table
                .get(id)
                .port("reading a recording")?
                .map(|bytes| decode(bytes.value()))
                .transpose()?;
            if stored != previous {
                return Err(WriteError::VersionMismatch);
            }
            table
                .insert(id, encode(&recording)?.as_slice())
                .port("writing a recording")?;
            let channel = recording.channel_id.as_str();
            let mut by_channel = tx.open_table(RECORDINGS_BY_CHANNEL).port("opening index")?;
            let mut by_time = tx.open_table(RECORDINGS_BY_TIME).port("opening index")?;
            if let Some(old) = &stored {
                let at = nanos(old.listed_at());
                by_channel
                    .remove((old.channel_id.as_str(), at, id))
                    .port("moving index")?;
                by_time.remove((at, id)).port("moving index")?;
            }
            let at = nanos(recording.listed_at());
            by_channel.insert((channel, at, id), ()).port("indexing")?;
            by_time.insert((at, id), ()).port("indexing")?;
            Ok(())
        })
        .await
    }

    async fn get_recording(&self, id: &RecordingId) -> PortResult<Option<Recording>> {
        let id = id.as_str().to_owned();
        self.read(move |tx| {
            let table = tx.open_table(RECORDINGS).port("opening recordings")?;
            let found = table.get(id.as_str()).port("reading a recording")?;
            found.map(|bytes| decode(bytes.value())).transpose()
        })
        .await
    }

    async fn list_channel_recordings(
        &self,
        channel: &ChannelId,
        after: Option<&RecordingCursor>,
        limit: usize,
    ) -> PortResult<Page<Recording, RecordingCursor>> {
        let channel = channel.as_str().to_owned();
        let after = after.map(|c| (nanos(c.at), c.id.as_str().to_owned()));
        self.read(move |tx| {
            let index = tx.open_table(RECORDINGS_BY_CHANNEL).port("opening index")?;
            let records = tx.open_table(RECORDINGS).port("opening recordings")?;
            let ids = newest_first(&index, channel.as_str(), after.as_ref())?
                .map(|entry| entry.map(|(key, _)| key.value().2.to_owned()));
            recordings_page(&records, ids, limit)
        })
        .await
    }

    async fn list_recent_recordings(
        &self,
        after: Option<&RecordingCursor>,
        limit: usize,
    ) -> PortResult<Page<Recording, RecordingCursor>> {
        let after = after.map(|c| (nanos(c.at), c.id.as_str().to_owned()));
        self.read(move |tx| {
            let index = tx.open_table(RECORDINGS_BY_TIME).port("opening index")?;
            let records = tx.open_table(RECORDINGS).port("opening recordings")?;
            let range = match &after {
                Some((at, id)) => index.range(..(*at, id.as_str())),
                None => index.range::<(i64, &str)>(..),
            }
            .port("listing recordings")?;
            let ids = range
                .rev()
                .map(|entry| entry.map(|(key, _)| key.value().1.to_owned()));
            recordings_page(&records, ids, limit)
        })
        .await
    }

    async fn erase_recording(&self, recording: &Recording) -> PortResult<()> {
        self.erase_recording_record(recording).await
    }
}

fn recordings_page(
    records: &impl ReadableTable<&'static str, &'static [u8]>,
    ids: impl Iterator<Item = Result<String, redb::StorageError>>,
    limit: usize,
) -> PortResult<Page<Recording, RecordingCursor>> {
    let found = ids.map(|id| {
        let id = id.port("listing recordings")?;
        let bytes = records.get(id.as_str()).port("reading a recording")?;
        bytes.map(|b| decode(b.value())).transpose()
    });
    first_page(found, limit)
}

/// A `(owner, time, id)` key: one owner's records in time order (a room's messages, a channel's
/// recordings and followers, a user's followed channels and notifications).
type TimeKey = (&'static str, i64, &'static str);

/// The entries of `table` under `owner`, newest first, strictly before `before` (a time and an
/// id, from a cursor).
fn newest_first<'t, V: redb::Value + 'static>(
    table: &'t impl ReadableTable<TimeKey, V>,
    owner: &str,
    before: Option<&(i64, String)>,
) -> PortResult<std::iter::Rev<redb::Range<'t, TimeKey, V>>> {
    let start = (owner, i64::MIN, "");
    let range = match before {
        Some((at, id)) => table.range(start..(owner, *at, id.as_str())),
        None => table.range(start..(owner, i64::MAX, "")),
    };
    Ok(range.port("listing")?.rev())
}

/// The first `limit` items `found` yields, skipping `None`s (a record gone since its index entry
/// was written), and whether more follow.
fn first_page<T: Listed>(
    found: impl Iterator<Item = PortResult<Option<T>>>,
    limit: usize,
) -> PortResult<Page<T, T::Cursor>> {
    let mut items = Vec::with_capacity(limit);
    let mut more = false;
    for item in found {
        let Some(item) = item? else { continue };
        if items.len() == limit {
            more = true;
            break;
        }
        items.push(item);
    }
    Ok(Page::continuing(items, more))
}

/// Nanosecond timestamps as stored, for adapters sharing the database.
pub fn timestamp(n: i64) -> OffsetDateTime {
    from_nanos(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cloumer_domain::moderation_log::ModerationAction;
    use cloumer_domain::testkit;

    fn store() -> (EmbeddedStore, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(&dir.path().join("cloumer.redb")).unwrap();
        (store, dir)
    }

    /// A stack stopped and started again on the same data opens the file the moment the stop
    /// returns, while a handle elsewhere (a write that outlived the task that asked for it) is
    /// still being let go.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn closing_returns_once_the_file_can_be_opened_again() {
        let (store, dir) = store();
        let path = dir.path().join("cloumer.redb");
        let elsewhere = store.database();
        let released = tokio::task::spawn_blocking(move || {
            std::thread::sleep(std::time::Duration::from_millis(200));
            drop(elsewhere);
        });
        assert!(store.close().await, "every handle was let go");
        EmbeddedStore::open(&path).expect("the file is free once the close returns");
        released.await.unwrap();
    }

    #[tokio::test]
    async fn behaves_as_a_channel_repository() {
        let (store, _dir) = store();
        testkit::channel_repository(&store).await;
    }

    #[tokio::test]
    async fn behaves_as_a_chat_repository() {
        let (store, _dir) = store();
        testkit::chat_repository(&store).await;
    }

    /// A store written before messages were indexed by sender gets the index at its next open,
    /// once: what people said before the upgrade is theirs to download and erase too.
    #[tokio::test]
    async fn a_store_from_before_the_senders_index_is_indexed_on_opening() {
        let (store, dir) = store();
        let path = dir.path().join("cloumer.redb");
        let channel = ChannelId::parse("chold").unwrap();
        let said = |id: &str, second: i64| StoredMessage {
            channel_id: channel.clone(),
            id: MessageId::parse(id).unwrap(),
            sent_at: OffsetDateTime::from_unix_timestamp(1_790_000_000 + second).unwrap(),
            sender: UserId::parse(if id.starts_with('a') { "alice" } else { "bob" }).unwrap(),
            sender_attributes: Default::default(),
            content: format!("said {id}"),
            attributes: Default::default(),
        };
        store
            .append_messages(&[said("a1", 1), said("b1", 2), said("a2", 3)])
            .await
            .unwrap();
        // As the older version left it: no such table.
        store
            .write(|tx| {
                tx.delete_table(SENT_MESSAGES).port("dropping the index")?;
                Ok(())
            })
            .await
            .unwrap();
        assert!(store.close().await);

        let store = EmbeddedStore::open(&path).unwrap();
        let alice = UserId::parse("alice").unwrap();
        let listed = store.list_sent_messages(&alice, None, 10).await.unwrap();
        let ids: Vec<&str> = listed.items.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["a2", "a1"]);
        // Opening again does not index twice, nor bring back a message deleted since.
        store
            .delete_message(
                &channel,
                &MessageId::parse("a2").unwrap(),
                said("x", 9).sent_at,
            )
            .await
            .unwrap();
        assert!(store.close().await);
        let store = EmbeddedStore::open(&path).unwrap();
        let listed = store.list_sent_messages(&alice, None, 10).await.unwrap();
        let ids: Vec<&str> = listed.items.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["a1"]);
    }

    /// A store written before reports were listed by their reporter lists them at its next
    /// open, once: a person's data download holds what they reported before the upgrade.
    #[tokio::test]
    async fn a_store_from_before_reports_were_listed_by_reporter_lists_them_on_opening() {
        use cloumer_domain::ports::ReportRepository;
        use cloumer_domain::report::ReportSubject;
        let (store, dir) = store();
        let path = dir.path().join("cloumer.redb");
        // One clip each: a person has one open report per thing.
        let clip = |id: &str| {
            ReportSubject::Clip(cloumer_domain::ids::ClipId::parse(&format!("cl{id}")).unwrap())
        };
        for (id, reporter, minute) in [
            ("rpa1", "alice", 1),
            ("rpb1", "bob", 2),
            ("rpa2", "alice", 3),
        ] {
            let report = testkit::report(id, &clip(id), reporter, minute);
            assert!(store.file_report(&report).await.unwrap());
        }
        // As the older version left it: no such table.
        store
            .write(|tx| {
                tx.delete_table(TableDefinition::<(&str, i64, &str), ()>::new(
                    "reports_by_reporter",
                ))
                .port("dropping the index")?;
                Ok(())
            })
            .await
            .unwrap();
        assert!(store.close().await);

        let store = EmbeddedStore::open(&path).unwrap();
        let alice = UserId::parse("alice").unwrap();
        let listed = |store: EmbeddedStore| {
            let alice = alice.clone();
            async move {
                let page = store.reports_by(&alice, None, 10).await.unwrap();
                page.items
                    .iter()
                    .map(|r| r.id.as_str().to_owned())
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(listed(store.clone()).await, ["rpa2", "rpa1"]);
        // Opening again lists nothing twice; what is filed since is listed as it is filed.
        let newer = testkit::report("rpa3", &clip("rpa3"), "alice", 9);
        assert!(store.file_report(&newer).await.unwrap());
        assert!(store.close().await);
        let store = EmbeddedStore::open(&path).unwrap();
        assert_eq!(listed(store).await, ["rpa3", "rpa2", "rpa1"]);
    }

    fn log_entry(id: &str, day: i64, action: ModerationAction) -> ModerationEntry {
        ModerationEntry {
            channel_id: ChannelId::parse("chlog").unwrap(),
            id: id.to_owned(),
            at: OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap()
                + time::Duration::days(day),
            actor: UserId::parse("moderator").unwrap(),
            actor_nickname: "모더".into(),
            action,
            target: Some(UserId::parse("troll").unwrap()),
            target_nickname: Some("트롤".into()),
            reason: None,
        }
    }

    /// A store from before the log was indexed by person indexes its entries at its first
    /// opening after the upgrade, once.
    #[tokio::test]
    async fn a_store_from_before_the_log_was_indexed_by_person_is_indexed_on_opening() {
        let (store, dir) = store();
        let path = dir.path().join("cloumer.redb");
        let channel = ChannelId::parse("chlog").unwrap();
        let troll = UserId::parse("troll").unwrap();
        store
            .append_moderation(&log_entry("e1", 0, ModerationAction::Ban { until: None }))
            .await
            .unwrap();
        store
            .append_moderation(&log_entry("e2", 1, ModerationAction::AddModerator))
            .await
            .unwrap();
        store
            .write(|tx| {
                tx.delete_table(TableDefinition::<TimeKey, ()>::new("moderation_of"))
                    .port("dropping the index")?;
                Ok(())
            })
            .await
            .unwrap();
        assert!(store.close().await);
        let store = EmbeddedStore::open(&path).unwrap();
        let theirs = store
            .list_moderation_of(&channel, &troll, 10)
            .await
            .unwrap();
        assert_eq!(
            theirs,
            [log_entry("e1", 0, ModerationAction::Ban { until: None })]
        );
    }

    /// An entry past the log's lifetime leaves the person's entries with the log.
    #[tokio::test]
    async fn an_expired_entry_leaves_the_persons_entries_too() {
        let (store, _dir) = store();
        let channel = ChannelId::parse("chlog").unwrap();
        let troll = UserId::parse("troll").unwrap();
        store
            .append_moderation(&log_entry("old", 0, ModerationAction::Unban))
            .await
            .unwrap();
        store
            .append_moderation(&log_entry("new", 91, ModerationAction::Unban))
            .await
            .unwrap();
        let theirs = store
            .list_moderation_of(&channel, &troll, 10)
            .await
            .unwrap();
        let ids: Vec<&str> = theirs.iter().map(|entry| entry.id.as_str()).collect();
        assert_eq!(ids, ["new"]);
        assert_eq!(
            store
                .list_moderation(&channel, None, 10)
                .await
                .unwrap()
                .items
                .len(),
            1
        );
        // Nothing of the expired entry is left in the index, nor of any once the chat is erased.
        let indexed = |store: &EmbeddedStore| {
            let store = store.clone();
            async move {
                store
                    .read(|tx| {
                        let index = tx
                            .open_table(TableDefinition::<TimeKey, ()>::new("moderation_of"))
                            .port("opening the index")?;
                        Ok(index.iter().port("counting")?.count())
                    })
                    .await
                    .unwrap()
            }
        };
        assert_eq!(indexed(&store).await, 1);
        store.erase_chat(&channel).await.unwrap();
        assert_eq!(indexed(&store).await, 0);
    }

    #[tokio::test]
    async fn behaves_as_a_poll_repository() {
        let (store, _dir) = store();
        testkit::poll_repository(&store).await;
    }

    #[tokio::test]
    async fn behaves_as_a_block_repository() {
        let (store, _dir) = store();
        cloumer_domain::testkit::block_repository(&store).await;
    }

    #[tokio::test]
    async fn behaves_as_a_follow_repository() {
        let (store, _dir) = store();
        cloumer_domain::testkit::follow_repository(&store).await;
    }

    #[tokio::test]
    async fn behaves_as_a_notification_repository() {
        let (store, _dir) = store();
        cloumer_domain::testkit::notification_repository(&store).await;
    }

    #[tokio::test]
    async fn imported_follows_are_follows_counted_once() {
        use cloumer_domain::follow::Follow;
        use cloumer_domain::ports::FollowRepository;
        let (store, _dir) = store();
        let channel = ChannelId::parse("chimport").unwrap();
        let follow = |i: i64| Follow {
            user_id: UserId::parse(&format!("imp{i}")).unwrap(),
            channel_id: channel.clone(),
            followed_at: OffsetDateTime::from_unix_timestamp(1_790_000_000 + i * 60).unwrap(),
            notify: true,
        };
        let mut follows: Vec<Follow> = (0..600).map(follow).collect();
        follows.push(follow(3)); // already in the list: added once
        assert_eq!(store.import_follows(follows, 10).await.unwrap(), 600);
        assert_eq!(store.follower_count(&channel).await.unwrap(), 600);
        let page = store.list_followers(&channel, None, 500).await.unwrap();
        assert_eq!(page.items.len(), 500);
        assert_eq!(page.items[0], follow(599), "newest first");
        assert!(
            store
                .get_follow(&follow(7).user_id, &channel)
                .await
                .unwrap()
                .is_some()
        );
    }

    #[tokio::test]
    async fn behaves_as_a_push_subscription_repository() {
        let (store, _dir) = store();
        cloumer_domain::testkit::push_subscription_repository(&store).await;
    }

    #[tokio::test]
    async fn behaves_as_a_report_repository() {
        let (store, _dir) = store();
        cloumer_domain::testkit::report_repository(&store).await;
    }

    #[tokio::test]
    async fn behaves_as_a_webhook_repository() {
        let (store, _dir) = store();
        cloumer_domain::testkit::webhook_repository(&store).await;
    }

    #[tokio::test]
    async fn notifications_older_than_their_lifetime_are_dropped_when_new_ones_arrive() {
        use cloumer_domain::notification::NOTIFICATION_LIFETIME;
        use cloumer_domain::ports::NotificationRepository;
        let (store, _dir) = store();
        let old = testkit::notification("nuser", "nchana", 0);
        store
            .put_notifications(std::slice::from_ref(&old))
            .await
            .unwrap();
        let mut new = testkit::notification("nuser", "nchanb", 0);
        new.created_at = old.created_at + NOTIFICATION_LIFETIME + time::Duration::minutes(1);
        store.put_notifications(&[new.clone()]).await.unwrap();
        let listed = store
            .list_notifications(&old.user_id, None, 10)
            .await
            .unwrap();
        assert_eq!(listed.items, [new]);
    }

    #[tokio::test]
    async fn behaves_as_a_recording_repository() {
        let (store, _dir) = store();
        testkit::recording_repository(&store).await;
    }

    #[tokio::test]
    async fn behaves_as_a_clip_repository() {
        let (store, _dir) = store();
        testkit::clip_repository(&store).await;
    }

    #[tokio::test]
    async fn behaves_as_a_video_repository() {
        let (store, _dir) = store();
        testkit::video_repository(&store).await;
    }

    #[tokio::test]
    async fn committed_writes_survive_reopening_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cloumer.redb");
        let channel = testkit::channel("alice", "alice", 0);
        {
            let store = EmbeddedStore::open(&path).unwrap();
            store.put_profile(&testkit::profile("alice")).await.unwrap();
            store.create_channel(&channel).await.unwrap();
        }
        let store = EmbeddedStore::open(&path).unwrap();
        assert_eq!(
            store.get_channel(&channel.id).await.unwrap(),
            Some(channel.clone())
        );
        assert_eq!(
            store
                .find_channel_by_handle(&channel.handle)
                .await
                .unwrap()
                .map(|c| c.id),
            Some(channel.id)
        );
        assert!(store.get_profile(&channel.owner).await.unwrap().is_some());
    }
}
