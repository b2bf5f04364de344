//! Cloumer's repositories on one DynamoDB table (on-demand, point-in-time recovery).
//!
//! Items (attribute `data` holds the record as JSON):
//!
//! | item | pk | sk | other keys |
//! |---|---|---|---|
//! | profile | `USER#<user>` | `PROFILE` | |
//! | a user's channel | `USER#<user>` | `OWNS` | `channel` |
//! | a user's block list | `USER#<user>` | `BLOCKS` | see [`blocks`] |
//! | a deleted account's mark | `USER#<user>` | `ERASED` | (all else under the user is gone) |
//! | channel | `CHANNEL#<id>` | `META` | `version`; `gsi1` = `LIVE`/`<id>` while live; `gsi2` = `CHANNELS`/`<activity>#<id>` |
//! | handle | `HANDLE#<handle>` | `META` | `channel` |
//! | chat room | `ROOM#<arn>` | `META` | `channel` |
//! | grant, ban | `CHANNEL#<id>` | `GRANT#<user>`, `BAN#<user>` | |
//! | message | `CHAT#<channel>` | `MSG#<time>#<id>` | `gsi1` = `SAID#<sender>`/`MSG#<time>#<id>` |
//! | message id | `CHAT#<channel>` | `ID#<id>` | `at` (the message's sort key) |
//! | deletion | `CHAT#<channel>` | `DEL#<id>` | |
//! | recording | `RECORDING#<id>` | `META` | `gsi1` = `CHANREC#<channel>`/`<time>#<id>`; `gsi2` = `RECORDINGS`/`<time>#<id>` |
//! | clips | see [`clips`] | | |
//! | follows and their counts | see [`follows`] | | |
//! | notifications, seen marks | see [`notifications`] | | |
//! | webhooks and their count | see [`webhooks`] | | |
//! | moderation log | see [`moderation_log`] | | |
//! | who is in a room | see [`presence`] | | |
//! | slow-mode turns | `TURN#<key>` | `LAST` | `at` (Unix seconds), `expires_at` |
//! | push subscriptions | see [`push`] | | |
//! | poll ballots and counts | see [`polls`] | | |
//! | reports to staff | see [`reports`] | | |
//! | upgrades done | see [`upgrades`] | | |
//!
//! Times in sort keys are 20-digit nanoseconds, so text order is time order. Uniqueness and
//! versions are enforced with transactions and condition expressions.

mod blocks;
mod channel_items;
mod clips;
mod erasure;
mod follows;
mod moderation_log;
mod notifications;
mod polls;
mod presence;
mod push;
mod rates;
mod reports;
mod room_links;
mod upgrades;
mod videos;
mod webhooks;

pub use presence::DynamoPresence;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::put_item::builders::PutItemFluentBuilder;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, Put, ReturnValue, TransactWriteItem, Update,
};
use aws_smithy_runtime_api::http::Response as HttpResponse;
use cloumer_domain::channel::{ActivityCursor, Channel};
use cloumer_domain::chat::{ChatActivity, MessageCursor, StoredMessage};
use cloumer_domain::error::{PortContext, PortError, PortResult, WriteError};
use cloumer_domain::handle::ChannelHandle;
use cloumer_domain::ids::{ChannelId, MessageId, RecordingId, UserId};
use cloumer_domain::moderation::Ban;
use cloumer_domain::moderation_log::{ModerationCursor, ModerationEntry};
use cloumer_domain::page::Page;
use cloumer_domain::playback::ViewerGrant;
use cloumer_domain::ports::{ChannelRepository, ChatRepository, RecordingRepository};
use cloumer_domain::profile::Profile;
use cloumer_domain::recording::{Recording, RecordingCursor};
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

type Item = HashMap<String, AttributeValue>;

fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

/// Which way a query reads its sort keys.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Order {
    Ascending,
    Descending,
}

/// 20-digit nanoseconds: sorts as text like the time.
fn time_key(at: OffsetDateTime) -> String {
    format!("{:020}", at.unix_timestamp_nanos().max(0))
}

fn encode<T: Serialize>(value: &T) -> PortResult<String> {
    serde_json::to_string(value).port("encoding a record")
}

fn decode<T: DeserializeOwned>(item: &Item) -> PortResult<T> {
    let data = item
        .get("data")
        .and_then(|v| v.as_s().ok())
        .ok_or_else(|| PortError::new("decoding a record", "the item has no data"))?;
    serde_json::from_str(data).port("decoding a record")
}

fn text(item: &Item, name: &str) -> Option<String> {
    item.get(name).and_then(|v| v.as_s().ok()).cloned()
}

fn item(pairs: &[(&str, AttributeValue)]) -> Item {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn put(table: &str, item: Item, condition: Option<&str>) -> PortResult<TransactWriteItem> {
    let mut put = Put::builder().table_name(table).set_item(Some(item));
    if let Some(condition) = condition {
        put = put.condition_expression(condition);
    }
    Ok(TransactWriteItem::builder()
        .put(put.build().port("building a put")?)
        .build())
}

/// The indexes of the transaction items whose condition failed.
fn failed_conditions(error: &SdkError<TransactWriteItemsError>) -> Option<Vec<usize>> {
    let TransactWriteItemsError::TransactionCanceledException(cancelled) =
        error.as_service_error()?
    else {
        return None;
    };
    Some(
        cancelled
            .cancellation_reasons()
            .iter()
            .enumerate()
            .filter(|(_, reason)| reason.code() == Some("ConditionalCheckFailed"))
            .map(|(i, _)| i)
            .collect(),
    )
}

/// Concurrent transactions on the same items are cancelled (`TransactionConflict`), not queued:
/// a follow or unfollow tries this often before reporting a failure.
const CONFLICT_RETRIES: usize = 4;

/// `ADD n :delta` to a count item, with an optional condition.
fn add_count(
    table: &str,
    pk: String,
    sk: &str,
    delta: i64,
    condition: Option<(&str, u64)>,
) -> PortResult<TransactWriteItem> {
    let mut update = Update::builder()
        .table_name(table)
        .key("pk", s(pk))
        .key("sk", s(sk))
        .update_expression("ADD n :delta")
        .expression_attribute_values(":delta", AttributeValue::N(delta.to_string()));
    if let Some((expression, max)) = condition {
        update = update
            .condition_expression(expression)
            .expression_attribute_values(":max", AttributeValue::N(max.to_string()));
    }
    Ok(TransactWriteItem::builder()
        .update(update.build().port("building an update")?)
        .build())
}

/// Whether the transaction was cancelled only because it raced another one.
fn conflicted(error: &SdkError<TransactWriteItemsError>) -> bool {
    match error.as_service_error() {
        Some(TransactWriteItemsError::TransactionCanceledException(cancelled)) => cancelled
            .cancellation_reasons()
            .iter()
            .any(|reason| reason.code() == Some("TransactionConflict")),
        _ => false,
    }
}

/// The DynamoDB store. Cheap to clone.
#[derive(Clone, Debug)]
pub struct DynamoStore {
    client: Client,
    table: String,
    rooms: Arc<room_links::RoomLinks>,
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
            rooms: Arc::default(),
        }
    }

    /// Per-channel, per-user records (bans, viewer grants): item `CHANNEL#<channel>` /
    /// `<kind>#<user>` holding the record as JSON.
    async fn put_member<T: Serialize + Sync>(
        &self,
        kind: &str,
        channel: &ChannelId,
        user: &UserId,
        record: &T,
    ) -> PortResult<()> {
        self.put_plain(item(&[
            ("pk", s(format!("CHANNEL#{channel}"))),
            ("sk", s(format!("{kind}#{user}"))),
            ("data", s(encode(record)?)),
        ]))
        .await
    }

    async fn get_member<T: DeserializeOwned>(
        &self,
        kind: &str,
        channel: &ChannelId,
        user: &UserId,
    ) -> PortResult<Option<T>> {
        let found = self
            .get(&format!("CHANNEL#{channel}"), &format!("{kind}#{user}"))
            .await?;
        found.as_ref().map(decode).transpose()
    }

    async fn remove_member(
        &self,
        kind: &str,
        channel: &ChannelId,
        user: &UserId,
    ) -> PortResult<bool> {
        self.delete(&format!("CHANNEL#{channel}"), &format!("{kind}#{user}"))
            .await
    }

    async fn list_members<T: DeserializeOwned>(
        &self,
        kind: &str,
        channel: &ChannelId,
    ) -> PortResult<Vec<T>> {
        self.query_prefix(&format!("CHANNEL#{channel}"), &format!("{kind}#"))
            .await?
            .iter()
            .map(decode)
            .collect()
    }

    async fn get(&self, pk: &str, sk: &str) -> PortResult<Option<Item>> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .consistent_read(true)
            .send()
            .await
            .port("DynamoDB GetItem")?;
        Ok(output.item)
    }

    /// One partition's items newest first (its sort keys start with a time), strictly before
    /// the sort key `before`: at most `limit`, and whether more follow. For small records (a
    /// page of them is far below a query's 1 MB, so one call answers it).
    async fn newest_in_partition(
        &self,
        pk: &str,
        before: Option<String>,
        limit: usize,
    ) -> PortResult<(Vec<Item>, bool)> {
        let mut query = self
            .client
            .query()
            .table_name(&self.table)
            .scan_index_forward(false)
            .limit(i32::try_from(limit + 1).unwrap_or(i32::MAX))
            .expression_attribute_values(":pk", s(pk));
        query = match before {
            Some(before) => query
                .key_condition_expression("pk = :pk AND sk < :before")
                .expression_attribute_values(":before", s(before)),
            None => query.key_condition_expression("pk = :pk"),
        };
        let output = query.send().await.port("DynamoDB Query")?;
        let mut found = output.items.unwrap_or_default();
        let more = found.len() > limit;
        found.truncate(limit);
        Ok((found, more))
    }

    async fn put_plain(&self, item: Item) -> PortResult<()> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .port("DynamoDB PutItem")?;
        Ok(())
    }

    /// Deletes an item; returns whether it existed.
    async fn delete(&self, pk: &str, sk: &str) -> PortResult<bool> {
        Ok(self.delete_returning(pk, sk).await?.is_some())
    }

    /// Deletes an item; returns it as it was, if it existed.
    async fn delete_returning(&self, pk: &str, sk: &str) -> PortResult<Option<Item>> {
        let output = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .port("DynamoDB DeleteItem")?;
        Ok(output.attributes.filter(|a| !a.is_empty()))
    }

    /// The items at `keys` (at most 100), retrying what DynamoDB leaves unprocessed.
    async fn batch_get(&self, mut keys: Vec<Item>) -> PortResult<Vec<Item>> {
        use aws_sdk_dynamodb::types::KeysAndAttributes;
        let mut found = Vec::with_capacity(keys.len());
        for attempt in 0..8u32 {
            if keys.is_empty() {
                return Ok(found);
            }
            if attempt > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(50 << attempt)).await;
            }
            let request = KeysAndAttributes::builder()
                .set_keys(Some(keys))
                .build()
                .port("building a batch read")?;
            let answer = self
                .client
                .batch_get_item()
                .request_items(&self.table, request)
                .send()
                .await
                .map_err(|error| PortError::new("DynamoDB BatchGetItem", error))?;
            found.extend(
                answer
                    .responses
                    .and_then(|mut tables| tables.remove(&self.table))
                    .unwrap_or_default(),
            );
            keys = answer
                .unprocessed_keys
                .and_then(|mut tables| tables.remove(&self.table))
                .map(|left| left.keys)
                .unwrap_or_default();
        }
        Err(PortError::new(
            "DynamoDB BatchGetItem",
            "keys were left unprocessed after eight attempts",
        ))
    }

    /// The items of these keys (partition, sort) that exist: BatchGetItem, 100 keys a call
    /// (DynamoDB's most), four calls at a time; keys DynamoDB leaves unprocessed (throttling)
    /// are asked for again after a short wait. A key asked for twice is read once (DynamoDB
    /// refuses a batch naming a key twice).
    async fn items_by_keys(
        &self,
        keys: impl Iterator<Item = (String, &str)>,
    ) -> PortResult<Vec<Item>> {
        use futures_util::stream::{self, StreamExt, TryStreamExt};
        let keys: BTreeSet<(String, &str)> = keys.collect();
        let keys: Vec<Item> = keys
            .into_iter()
            .map(|(pk, sk)| item(&[("pk", s(pk)), ("sk", s(sk))]))
            .collect();
        let batches: Vec<Vec<Item>> = keys.chunks(100).map(<[Item]>::to_vec).collect();
        let found: Vec<Vec<Item>> = stream::iter(batches)
            .map(|keys| self.batch_get(keys))
            .buffer_unordered(4)
            .try_collect()
            .await?;
        Ok(found.into_iter().flatten().collect())
    }

    /// Every item under `pk` whose sort key starts with `prefix`.
    async fn query_prefix(&self, pk: &str, prefix: &str) -> PortResult<Vec<Item>> {
        let mut items = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let output = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("pk = :pk AND begins_with(sk, :prefix)")
                .expression_attribute_values(":pk", s(pk))
                .expression_attribute_values(":prefix", s(prefix))
                .set_exclusive_start_key(start)
                .send()
                .await
                .port("DynamoDB Query")?;
            items.extend(output.items.unwrap_or_default());
            start = output.last_evaluated_key;
            if start.is_none() {
                return Ok(items);
            }
        }
    }

    /// Items of a global index partition, newest first, strictly before `before` (a sort key),
    /// at most `limit`; and whether more follow.
    async fn query_index_desc(
        &self,
        index: &str,
        partition: &str,
        before: Option<String>,
        limit: usize,
    ) -> PortResult<(Vec<Item>, bool)> {
        self.query_index(index, partition, before, limit, Order::Descending)
            .await
    }

    /// Items of a global index partition in `order` of their sort keys, strictly past `from`
    /// (a sort key) in that order, at most `limit`; and whether more follow.
    async fn query_index(
        &self,
        index: &str,
        partition: &str,
        from: Option<String>,
        limit: usize,
        order: Order,
    ) -> PortResult<(Vec<Item>, bool)> {
        let (pk, sk) = (format!("{index}pk"), format!("{index}sk"));
        let past = match order {
            Order::Ascending => "#pk = :pk AND #sk > :from",
            Order::Descending => "#pk = :pk AND #sk < :from",
        };
        let mut items: Vec<Item> = Vec::new();
        let mut start: Option<Item> = None;
        // One more than asked tells whether there is a next page.
        while items.len() <= limit {
            let mut query = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(index)
                .scan_index_forward(order == Order::Ascending)
                .limit(i32::try_from(limit + 1 - items.len()).unwrap_or(i32::MAX))
                .expression_attribute_names("#pk", &pk)
                .expression_attribute_values(":pk", s(partition))
                .set_exclusive_start_key(start);
            query = match &from {
                Some(from) => query
                    .key_condition_expression(past)
                    .expression_attribute_names("#sk", &sk)
                    .expression_attribute_values(":from", s(from)),
                None => query.key_condition_expression("#pk = :pk"),
            };
            let output = query.send().await.port("DynamoDB Query")?;
            items.extend(output.items.unwrap_or_default());
            start = output.last_evaluated_key;
            if start.is_none() {
                break;
            }
        }
        let more = items.len() > limit;
        items.truncate(limit);
        Ok((items, more))
    }

    fn channel_item(channel: &Channel) -> PortResult<Item> {
        let mut fields = vec![
            ("pk", s(format!("CHANNEL#{}", channel.id))),
            ("sk", s("META")),
            ("data", s(encode(channel)?)),
            ("version", AttributeValue::N(channel.version.to_string())),
            ("gsi2pk", s("CHANNELS")),
            (
                "gsi2sk",
                s(format!(
                    "{}#{}",
                    time_key(channel.activity_at()),
                    channel.id
                )),
            ),
        ];
        if channel.is_live() {
            fields.push(("gsi1pk", s("LIVE")));
            fields.push(("gsi1sk", s(channel.id.as_str())));
        }
        Ok(item(&fields))
    }

    fn link(&self, pk: String, channel: &ChannelId) -> Item {
        item(&[
            ("pk", s(pk)),
            ("sk", s("META")),
            ("channel", s(channel.as_str())),
        ])
    }

    async fn channel_by_link(&self, pk: &str, sk: &str) -> PortResult<Option<Channel>> {
        let Some(link) = self.get(pk, sk).await? else {
            return Ok(None);
        };
        let Some(id) = text(&link, "channel") else {
            return Ok(None);
        };
        let found = self.get(&format!("CHANNEL#{id}"), "META").await?;
        found.as_ref().map(decode).transpose()
    }

    async fn transact(
        &self,
        items: Vec<TransactWriteItem>,
    ) -> Result<(), SdkError<TransactWriteItemsError>> {
        self.client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
            .map(drop)
    }

    /// Runs the transaction `items` builds, again (up to [`CONFLICT_RETRIES`] times) while it
    /// was cancelled only for racing another one. `Ok(None)` when it committed; `Ok(Some(i))`
    /// with the positions of the items whose condition failed.
    async fn transact_retrying(
        &self,
        items: impl Fn() -> PortResult<Vec<TransactWriteItem>>,
    ) -> PortResult<Option<Vec<usize>>> {
        let mut attempt = 0;
        loop {
            let Err(error) = self.transact(items()?).await else {
                return Ok(None);
            };
            match failed_conditions(&error) {
                Some(failed) if !failed.is_empty() => return Ok(Some(failed)),
                _ if conflicted(&error) && attempt < CONFLICT_RETRIES => attempt += 1,
                _ => return Err(PortError::new("DynamoDB TransactWriteItems", error)),
            }
        }
    }
}

#[async_trait]
impl ChannelRepository for DynamoStore {
    async fn get_profile(&self, user: &UserId) -> PortResult<Option<Profile>> {
        let found = self.get(&format!("USER#{user}"), "PROFILE").await?;
        found.as_ref().map(decode).transpose()
    }

    async fn get_profiles(&self, users: &[UserId]) -> PortResult<Vec<Profile>> {
        let keys = users.iter().map(|user| (format!("USER#{user}"), "PROFILE"));
        let found = self.items_by_keys(keys).await?;
        found.iter().map(decode).collect()
    }

    async fn put_profile(&self, profile: &Profile) -> PortResult<()> {
        self.put_plain(item(&[
            ("pk", s(format!("USER#{}", profile.user_id))),
            ("sk", s("PROFILE")),
            ("data", s(encode(profile)?)),
        ]))
        .await
    }

    async fn create_channel(&self, channel: &Channel) -> Result<(), WriteError> {
        let table = &self.table;
        let mut items = vec![
            put(
                table,
                Self::channel_item(channel)?,
                Some("attribute_not_exists(pk)"),
            )?,
            put(
                table,
                self.link(format!("HANDLE#{}", channel.handle), &channel.id),
                Some("attribute_not_exists(pk)"),
            )?,
            put(
                table,
                item(&[
                    ("pk", s(format!("USER#{}", channel.owner))),
                    ("sk", s("OWNS")),
                    ("channel", s(channel.id.as_str())),
                ]),
                Some("attribute_not_exists(pk)"),
            )?,
        ];
        if let Some(room) = &channel.chat_room {
            items.push(put(
                table,
                self.link(format!("ROOM#{}", room.arn), &channel.id),
                None,
            )?);
        }
        match self.transact(items).await {
            Ok(()) => Ok(()),
            Err(error) => match failed_conditions(&error).as_deref() {
                Some(failed) if failed.contains(&1) => Err(WriteError::HandleTaken),
                Some(failed) if !failed.is_empty() => Err(WriteError::ChannelExists),
                _ => Err(WriteError::Port(PortError::new(
                    "DynamoDB TransactWriteItems",
                    error,
                ))),
            },
        }
    }

    async fn update_channel(&self, channel: &Channel) -> Result<(), WriteError> {
        let Some(stored) = self.get(&format!("CHANNEL#{}", channel.id), "META").await? else {
            return Err(WriteError::VersionMismatch);
        };
        let previous: Channel = decode(&stored)?;
        let table = &self.table;
        let channel_put = Put::builder()
            .table_name(table)
            .set_item(Some(Self::channel_item(channel)?))
            .condition_expression("version = :expected")
            .expression_attribute_values(
                ":expected",
                AttributeValue::N(channel.version.saturating_sub(1).to_string()),
            );
        let mut items = vec![
            TransactWriteItem::builder()
                .put(channel_put.build().port("building a put")?)
                .build(),
        ];
        let mut new_handle_at = None;
        if previous.handle != channel.handle {
            new_handle_at = Some(items.len());
            items.push(put(
                table,
                self.link(format!("HANDLE#{}", channel.handle), &channel.id),
                Some("attribute_not_exists(pk)"),
            )?);
            items.push(
                TransactWriteItem::builder()
                    .delete(
                        Delete::builder()
                            .table_name(table)
                            .key("pk", s(format!("HANDLE#{}", previous.handle)))
                            .key("sk", s("META"))
                            .condition_expression("channel = :id")
                            .expression_attribute_values(":id", s(channel.id.as_str()))
                            .build()
                            .port("building a delete")?,
                    )
                    .build(),
            );
        }
        if let Some(room) = &channel.chat_room
            && previous.chat_room.as_ref() != Some(room)
        {
            items.push(put(
                table,
                self.link(format!("ROOM#{}", room.arn), &channel.id),
                None,
            )?);
        }
        match self.transact(items).await {
            Ok(()) => Ok(()),
            Err(error) => match failed_conditions(&error).as_deref() {
                Some(failed) if failed.contains(&0) => Err(WriteError::VersionMismatch),
                Some(failed) if new_handle_at.is_some_and(|i| failed.contains(&i)) => {
                    Err(WriteError::HandleTaken)
                }
                Some(failed) if !failed.is_empty() => Err(WriteError::VersionMismatch),
                _ => Err(WriteError::Port(PortError::new(
                    "DynamoDB TransactWriteItems",
                    error,
                ))),
            },
        }
    }

    async fn get_channel(&self, id: &ChannelId) -> PortResult<Option<Channel>> {
        let found = self.get(&format!("CHANNEL#{id}"), "META").await?;
        found.as_ref().map(decode).transpose()
    }

    async fn get_channels(&self, ids: &[ChannelId]) -> PortResult<Vec<Channel>> {
        let keys = ids.iter().map(|id| (format!("CHANNEL#{id}"), "META"));
        let found = self.items_by_keys(keys).await?;
        found.iter().map(decode).collect()
    }

    async fn find_channel_by_handle(&self, handle: &ChannelHandle) -> PortResult<Option<Channel>> {
        self.channel_by_link(&format!("HANDLE#{handle}"), "META")
            .await
    }

    async fn find_channel_by_owner(&self, owner: &UserId) -> PortResult<Option<Channel>> {
        self.channel_by_link(&format!("USER#{owner}"), "OWNS").await
    }

    async fn find_channels_by_owners(&self, owners: &[UserId]) -> PortResult<Vec<Channel>> {
        // Two batched reads: the owners' links to their channels, then the channels.
        let links = owners.iter().map(|owner| (format!("USER#{owner}"), "OWNS"));
        let ids: Vec<String> = self
            .items_by_keys(links)
            .await?
            .iter()
            .filter_map(|link| text(link, "channel"))
            .collect();
        let channels = ids.iter().map(|id| (format!("CHANNEL#{id}"), "META"));
        let found = self.items_by_keys(channels).await?;
        found.iter().map(decode).collect()
    }

    async fn find_channel_by_room(&self, room_arn: &str) -> PortResult<Option<Channel>> {
        if let Some(id) = self.rooms.channel_of(room_arn) {
            let found = self.get_channel(&id).await?;
            if found.is_none() {
                self.rooms.forget(room_arn);
            }
            return Ok(found);
        }
        let found = self
            .channel_by_link(&format!("ROOM#{room_arn}"), "META")
            .await?;
        if let Some(channel) = &found {
            self.rooms.remember(room_arn, channel.id.clone());
        }
        Ok(found)
    }

    async fn list_live_channels(&self) -> PortResult<Vec<Channel>> {
        let mut channels = Vec::new();
        let mut start: Option<Item> = None;
        loop {
            let output = self
                .client
                .query()
                .table_name(&self.table)
                .index_name("gsi1")
                .key_condition_expression("gsi1pk = :live")
                .expression_attribute_values(":live", s("LIVE"))
                .set_exclusive_start_key(start)
                .send()
                .await
                .port("DynamoDB Query")?;
            for found in output.items.unwrap_or_default() {
                channels.push(decode(&found)?);
            }
            start = output.last_evaluated_key;
            if start.is_none() {
                return Ok(channels);
            }
        }
    }

    async fn list_channels(
        &self,
        after: Option<&ActivityCursor>,
        limit: usize,
    ) -> PortResult<Page<Channel, ActivityCursor>> {
        let before = after.map(|c| format!("{}#{}", time_key(c.at), c.id));
        let (found, more) = self
            .query_index_desc("gsi2", "CHANNELS", before, limit)
            .await?;
        let items: Vec<Channel> = found.iter().map(decode).collect::<PortResult<_>>()?;
        Ok(Page::continuing(items, more))
    }

    async fn put_grant(&self, grant: &ViewerGrant) -> PortResult<()> {
        self.put_member("GRANT", &grant.channel_id, &grant.user_id, grant)
            .await
    }

    async fn remove_grant(&self, channel: &ChannelId, user: &UserId) -> PortResult<bool> {
        self.remove_member("GRANT", channel, user).await
    }

    async fn get_grant(
        &self,
        channel: &ChannelId,
        user: &UserId,
    ) -> PortResult<Option<ViewerGrant>> {
        self.get_member("GRANT", channel, user).await
    }

    async fn list_grants(&self, channel: &ChannelId) -> PortResult<Vec<ViewerGrant>> {
        self.list_members("GRANT", channel).await
    }

    async fn erase_channel(&self, channel: &Channel) -> PortResult<()> {
        self.erase_channel_items(channel).await
    }

    async fn erase_profile(&self, user: &UserId) -> PortResult<()> {
        self.erase_profile_items(user).await
    }

    async fn mark_erased(&self, user: &UserId) -> PortResult<()> {
        self.mark_erased_user(user).await
    }

    async fn was_erased(&self, user: &UserId) -> PortResult<bool> {
        self.was_erased_user(user).await
    }
}

fn message_sort_key(at: OffsetDateTime, id: &MessageId) -> String {
    format!("MSG#{}#{id}", time_key(at))
}

/// Sort keys from `low` to `high` (both included; `skip`, a cursor's own key, left out).
struct MessageRange {
    low: String,
    high: String,
    skip: Option<String>,
    oldest_first: bool,
}

impl DynamoStore {
    /// A page of a room's messages in `range`, reading on until the page is full or the range
    /// is exhausted (DynamoDB may stop early), and whether more follow.
    async fn messages_in(
        &self,
        channel: &ChannelId,
        range: MessageRange,
        limit: usize,
    ) -> PortResult<Page<StoredMessage, MessageCursor>> {
        let pk = format!("CHAT#{channel}");
        let mut items: Vec<StoredMessage> = Vec::new();
        let mut start: Option<Item> = None;
        while items.len() <= limit {
            let output = self
                .client
                .query()
                .table_name(&self.table)
                .scan_index_forward(range.oldest_first)
                .limit(i32::try_from(limit + 2 - items.len()).unwrap_or(i32::MAX))
                .key_condition_expression("pk = :pk AND sk BETWEEN :low AND :high")
                .expression_attribute_values(":pk", s(&pk))
                .expression_attribute_values(":low", s(&range.low))
                .expression_attribute_values(":high", s(&range.high))
                .set_exclusive_start_key(start)
                .send()
                .await
                .port("DynamoDB Query")?;
            for found in output.items.unwrap_or_default() {
                if range.skip.is_some() && range.skip.as_deref() == text(&found, "sk").as_deref() {
                    continue;
                }
                items.push(decode(&found)?);
            }
            start = output.last_evaluated_key;
            if start.is_none() {
                break;
            }
        }
        let more = items.len() > limit;
        items.truncate(limit);
        Ok(Page::continuing(items, more))
    }
}

#[async_trait]
impl ChatRepository for DynamoStore {
    async fn append_messages(&self, messages: &[StoredMessage]) -> PortResult<()> {
        // One transaction per message: a duplicate or deleted one is skipped without failing the
        // others (the review hook stores one message per call anyway).
        for message in messages {
            let pk = format!("CHAT#{}", message.channel_id);
            let sort = message_sort_key(message.sent_at, &message.id);
            let items = vec![
                TransactWriteItem::builder()
                    .condition_check(
                        ConditionCheck::builder()
                            .table_name(&self.table)
                            .key("pk", s(&pk))
                            .key("sk", s(format!("DEL#{}", message.id)))
                            .condition_expression("attribute_not_exists(pk)")
                            .build()
                            .port("building a condition")?,
                    )
                    .build(),
                put(
                    &self.table,
                    item(&[
                        ("pk", s(&pk)),
                        ("sk", s(format!("ID#{}", message.id))),
                        ("at", s(&sort)),
                    ]),
                    Some("attribute_not_exists(pk)"),
                )?,
                put(
                    &self.table,
                    item(&[
                        ("pk", s(&pk)),
                        ("sk", s(&sort)),
                        ("data", s(encode(message)?)),
                        ("gsi1pk", s(format!("SAID#{}", message.sender))),
                        ("gsi1sk", s(&sort)),
                    ]),
                    None,
                )?,
            ];
            match self.transact(items).await {
                Ok(()) => {}
                Err(error) if failed_conditions(&error).is_some_and(|f| !f.is_empty()) => {}
                Err(error) => return Err(PortError::new("DynamoDB TransactWriteItems", error)),
            }
        }
        Ok(())
    }

    async fn delete_message(
        &self,
        channel: &ChannelId,
        id: &MessageId,
        at: OffsetDateTime,
    ) -> PortResult<()> {
        let pk = format!("CHAT#{channel}");
        self.put_plain(item(&[
            ("pk", s(&pk)),
            ("sk", s(format!("DEL#{id}"))),
            ("at", s(time_key(at))),
        ]))
        .await?;
        if let Some(index) = self.get(&pk, &format!("ID#{id}")).await?
            && let Some(sort) = text(&index, "at")
        {
            self.delete(&pk, &sort).await?;
        }
        Ok(())
    }

    async fn list_messages(
        &self,
        channel: &ChannelId,
        before: Option<&MessageCursor>,
        limit: usize,
    ) -> PortResult<Page<StoredMessage, MessageCursor>> {
        let high = before.map(|c| message_sort_key(c.sent_at, &c.id));
        let range = MessageRange {
            low: "MSG#".to_owned(),
            high: high.clone().unwrap_or_else(|| "MSG#~".to_owned()),
            skip: high,
            oldest_first: false,
        };
        self.messages_in(channel, range, limit).await
    }

    async fn list_messages_between(
        &self,
        channel: &ChannelId,
        from: OffsetDateTime,
        until: OffsetDateTime,
        after: Option<&MessageCursor>,
        limit: usize,
    ) -> PortResult<Page<StoredMessage, MessageCursor>> {
        let after = after.map(|c| message_sort_key(c.sent_at, &c.id));
        let range = MessageRange {
            low: after
                .clone()
                .unwrap_or_else(|| format!("MSG#{}#", time_key(from))),
            // Message ids are letters and digits, which sort before `~`.
            high: format!("MSG#{}#~", time_key(until)),
            skip: after,
            oldest_first: true,
        };
        self.messages_in(channel, range, limit).await
    }

    async fn chat_activity_between(
        &self,
        channel: &ChannelId,
        from: OffsetDateTime,
        until: OffsetDateTime,
    ) -> PortResult<ChatActivity> {
        let mut messages = 0u64;
        let mut chatters = HashSet::new();
        let mut start: Option<Item> = None;
        loop {
            // Only each message's sender comes back, as its sender index names it (every message
            // has it: the deploy's upgrade gave it to those stored before); a page is still read
            // up to 1 MB at a time.
            let output = self
                .client
                .query()
                .table_name(&self.table)
                .projection_expression("gsi1pk")
                .key_condition_expression("pk = :pk AND sk BETWEEN :low AND :high")
                .expression_attribute_values(":pk", s(format!("CHAT#{channel}")))
                .expression_attribute_values(":low", s(format!("MSG#{}#", time_key(from))))
                // Message ids are letters and digits, which sort before `~`.
                .expression_attribute_values(":high", s(format!("MSG#{}#~", time_key(until))))
                .set_exclusive_start_key(start)
                .send()
                .await
                .port("DynamoDB Query")?;
            for item in output.items.unwrap_or_default() {
                messages += 1;
                if let Some(AttributeValue::S(sender)) = item.get("gsi1pk") {
                    chatters.insert(sender.clone());
                }
            }
            start = output.last_evaluated_key;
            if start.is_none() {
                return Ok(ChatActivity {
                    messages,
                    chatters: chatters.len() as u64,
                });
            }
        }
    }

    async fn get_message(
        &self,
        channel: &ChannelId,
        id: &MessageId,
    ) -> PortResult<Option<StoredMessage>> {
        let pk = format!("CHAT#{channel}");
        let Some(index) = self.get(&pk, &format!("ID#{id}")).await? else {
            return Ok(None);
        };
        let Some(sort) = text(&index, "at") else {
            return Ok(None);
        };
        let found = self.get(&pk, &sort).await?;
        found.as_ref().map(decode).transpose()
    }

    async fn list_sent_messages(
        &self,
        sender: &UserId,
        before: Option<&MessageCursor>,
        limit: usize,
    ) -> PortResult<Page<StoredMessage, MessageCursor>> {
        let before = before.map(|c| message_sort_key(c.sent_at, &c.id));
        let (items, more) = self
            .query_index_desc("gsi1", &format!("SAID#{sender}"), before, limit)
            .await?;
        let messages = items.iter().map(decode).collect::<PortResult<Vec<_>>>()?;
        Ok(Page::continuing(messages, more))
    }

    async fn list_sent_messages_in(
        &self,
        channel: &ChannelId,
        sender: &UserId,
        limit: usize,
        within: usize,
    ) -> PortResult<Vec<StoredMessage>> {
        // One page of their latest messages anywhere (the query's limit counts what it reads,
        // before the filter), kept if they are this channel's.
        let output = self
            .client
            .query()
            .table_name(&self.table)
            .index_name("gsi1")
            .scan_index_forward(false)
            .limit(i32::try_from(within).unwrap_or(i32::MAX))
            .key_condition_expression("gsi1pk = :said")
            .filter_expression("pk = :chat")
            .expression_attribute_values(":said", s(format!("SAID#{sender}")))
            .expression_attribute_values(":chat", s(format!("CHAT#{channel}")))
            .send()
            .await
            .port("DynamoDB Query")?;
        output
            .items
            .unwrap_or_default()
            .iter()
            .take(limit)
            .map(decode)
            .collect()
    }

    async fn put_ban(&self, ban: &Ban) -> PortResult<()> {
        self.put_member("BAN", &ban.channel_id, &ban.user_id, ban)
            .await
    }

    async fn remove_ban(&self, channel: &ChannelId, user: &UserId) -> PortResult<Option<Ban>> {
        let removed = self
            .delete_returning(&format!("CHANNEL#{channel}"), &format!("BAN#{user}"))
            .await?;
        removed.as_ref().map(decode).transpose()
    }

    async fn get_ban(&self, channel: &ChannelId, user: &UserId) -> PortResult<Option<Ban>> {
        self.get_member("BAN", channel, user).await
    }

    async fn list_bans(&self, channel: &ChannelId) -> PortResult<Vec<Ban>> {
        self.list_members("BAN", channel).await
    }

    async fn append_moderation(&self, entry: &ModerationEntry) -> PortResult<()> {
        self.append_log_entry(entry).await
    }

    async fn list_moderation(
        &self,
        channel: &ChannelId,
        before: Option<&ModerationCursor>,
        limit: usize,
    ) -> PortResult<Page<ModerationEntry, ModerationCursor>> {
        self.log_page(channel, before, limit).await
    }

    async fn list_moderation_of(
        &self,
        channel: &ChannelId,
        user: &UserId,
        limit: usize,
    ) -> PortResult<Vec<ModerationEntry>> {
        self.log_of(channel, user, limit).await
    }

    async fn erase_chat(&self, channel: &ChannelId) -> PortResult<()> {
        self.erase_chat_items(channel).await
    }
}

/// Sends `request` (a put of a record in `data`) only if the stored record is still `previous`
/// (none, for a new one): [`WriteError::VersionMismatch`] otherwise.
async fn put_if_unchanged<T: Serialize>(
    request: PutItemFluentBuilder,
    previous: Option<&T>,
) -> Result<(), WriteError> {
    let request = match previous {
        None => request.condition_expression("attribute_not_exists(pk)"),
        Some(previous) => request
            .condition_expression("#data = :previous")
            .expression_attribute_names("#data", "data")
            .expression_attribute_values(":previous", s(encode(previous)?)),
    };
    match request.send().await {
        Ok(_) => Ok(()),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
        {
            Err(WriteError::VersionMismatch)
        }
        Err(error) => Err(WriteError::Port(PortError::new("DynamoDB PutItem", error))),
    }
}

fn recording_key(recording: &Recording) -> String {
    format!("{}#{}", time_key(recording.listed_at()), recording.id)
}

fn recording_page(found: Vec<Item>, more: bool) -> PortResult<Page<Recording, RecordingCursor>> {
    let items: Vec<Recording> = found.iter().map(decode).collect::<PortResult<_>>()?;
    Ok(Page::continuing(items, more))
}

#[async_trait]
impl RecordingRepository for DynamoStore {
    async fn put_recording(
        &self,
        recording: &Recording,
        previous: Option<&Recording>,
    ) -> Result<(), WriteError> {
        let key = recording_key(recording);
        let request = self
            .client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(format!("RECORDING#{}", recording.id)))
            .item("sk", s("META"))
            .item("data", s(encode(recording)?))
            .item("gsi1pk", s(format!("CHANREC#{}", recording.channel_id)))
            .item("gsi1sk", s(&key))
            .item("gsi2pk", s("RECORDINGS"))
            .item("gsi2sk", s(&key));
        put_if_unchanged(request, previous).await
    }

    async fn get_recording(&self, id: &RecordingId) -> PortResult<Option<Recording>> {
        let found = self.get(&format!("RECORDING#{id}"), "META").await?;
        found.as_ref().map(decode).transpose()
    }

    async fn list_channel_recordings(
        &self,
        channel: &ChannelId,
        after: Option<&RecordingCursor>,
        limit: usize,
    ) -> PortResult<Page<Recording, RecordingCursor>> {
        let before = after.map(|c| format!("{}#{}", time_key(c.at), c.id));
        let (found, more) = self
            .query_index_desc("gsi1", &format!("CHANREC#{channel}"), before, limit)
            .await?;
        recording_page(found, more)
    }

    async fn list_recent_recordings(
        &self,
        after: Option<&RecordingCursor>,
        limit: usize,
    ) -> PortResult<Page<Recording, RecordingCursor>> {
        let before = after.map(|c| format!("{}#{}", time_key(c.at), c.id));
        let (found, more) = self
            .query_index_desc("gsi2", "RECORDINGS", before, limit)
            .await?;
        recording_page(found, more)
    }

    async fn erase_recording(&self, recording: &Recording) -> PortResult<()> {
        self.erase_recording_item(recording).await
    }
}

/// A conditional write's failure: `None` when only its condition failed (another write came
/// first), else the error.
pub(super) fn written<E>(
    operation: &'static str,
    error: SdkError<E, HttpResponse>,
) -> Option<PortError>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let raced = error
        .as_service_error()
        .and_then(ProvideErrorMetadata::code)
        == Some("ConditionalCheckFailedException");
    (!raced).then(|| PortError::new(operation, error))
}

/// Creates the table with its two indexes (for tests against an emulator and for tools; in the
/// cloud, Terraform creates it).
pub async fn create_table(client: &Client, table: &str) -> PortResult<()> {
    use aws_sdk_dynamodb::types::{
        AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType,
        Projection, ProjectionType, ScalarAttributeType,
    };
    let attribute = |name: &str| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .port("building the table")
    };
    let key = |name: &str, kind: KeyType| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(kind)
            .build()
            .port("building the table")
    };
    let index = |name: &str| -> PortResult<GlobalSecondaryIndex> {
        GlobalSecondaryIndex::builder()
            .index_name(name)
            .key_schema(key(&format!("{name}pk"), KeyType::Hash)?)
            .key_schema(key(&format!("{name}sk"), KeyType::Range)?)
            .projection(
                Projection::builder()
                    .projection_type(ProjectionType::All)
                    .build(),
            )
            .build()
            .port("building the table")
    };
    client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(attribute("pk")?)
        .attribute_definitions(attribute("sk")?)
        .attribute_definitions(attribute("gsi1pk")?)
        .attribute_definitions(attribute("gsi1sk")?)
        .attribute_definitions(attribute("gsi2pk")?)
        .attribute_definitions(attribute("gsi2sk")?)
        .key_schema(key("pk", KeyType::Hash)?)
        .key_schema(key("sk", KeyType::Range)?)
        .global_secondary_indexes(index("gsi1")?)
        .global_secondary_indexes(index("gsi2")?)
        .send()
        .await
        .port("DynamoDB CreateTable")?;
    Ok(())
}
