//! Erasing what a deleted account leaves on the table. A partition is read a page at a time
//! (keys only) and deleted in `BatchWriteItem`s of 25, a few in flight; links (handle, owner,
//! room) are deleted only while they still name the channel, so a handle taken since by someone
//! else stays theirs. Each step does nothing when its items are gone already.

use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::{DeleteRequest, WriteRequest};
use cloumer_domain::channel::Channel;
use cloumer_domain::error::{PortContext, PortError, PortResult};
use cloumer_domain::ids::{ChannelId, UserId};
use cloumer_domain::recording::Recording;
use futures_util::StreamExt;
use futures_util::stream;

use super::{DynamoStore, Item, s};

/// DynamoDB's limit of items per `BatchWriteItem`.
const BATCH: usize = 25;
/// The mark left under an erased user (`USER#<user>` / `ERASED`), and nothing else.
const ERASED: &str = "ERASED";
/// Batches in flight at once.
const BATCHES_AT_ONCE: usize = 8;

impl DynamoStore {
    /// Deletes every item under `pk`.
    pub(super) async fn erase_partition(&self, pk: &str) -> PortResult<()> {
        self.erase_where(pk, None, None).await
    }

    /// Deletes every item under `pk` whose sort key starts with `prefix`.
    async fn erase_prefix(&self, pk: &str, prefix: &str) -> PortResult<()> {
        self.erase_where(pk, Some(prefix), None).await
    }

    /// Deletes the items under `pk` (those whose sort key starts with `prefix`, if given), all
    /// but the one whose sort key is `keep`.
    async fn erase_where(
        &self,
        pk: &str,
        prefix: Option<&str>,
        keep: Option<&str>,
    ) -> PortResult<()> {
        let mut start: Option<Item> = None;
        loop {
            let mut query = self
                .client
                .query()
                .table_name(&self.table)
                .projection_expression("pk, sk")
                .expression_attribute_values(":pk", s(pk))
                .set_exclusive_start_key(start);
            query = match prefix {
                Some(prefix) => query
                    .key_condition_expression("pk = :pk AND begins_with(sk, :prefix)")
                    .expression_attribute_values(":prefix", s(prefix)),
                None => query.key_condition_expression("pk = :pk"),
            };
            let output = query.send().await.port("DynamoDB Query")?;
            let deletes = output
                .items
                .unwrap_or_default()
                .into_iter()
                .filter(|key| keep.is_none() || super::text(key, "sk").as_deref() != keep)
                .map(|key| {
                    let delete = DeleteRequest::builder()
                        .set_key(Some(key))
                        .build()
                        .port("building a batch delete")?;
                    Ok(WriteRequest::builder().delete_request(delete).build())
                })
                .collect::<PortResult<Vec<_>>>()?;
            let batches: Vec<Vec<WriteRequest>> = deletes
                .chunks(BATCH)
                .map(<[WriteRequest]>::to_vec)
                .collect();
            let sent: Vec<PortResult<()>> = stream::iter(batches)
                .map(|batch| self.write_requests(batch))
                .buffer_unordered(BATCHES_AT_ONCE)
                .collect()
                .await;
            sent.into_iter().collect::<PortResult<Vec<()>>>()?;
            start = output.last_evaluated_key;
            if start.is_none() {
                return Ok(());
            }
        }
    }

    /// Deletes the link item `pk` / `META`-or-`sk` if it still names `channel`.
    async fn unlink(&self, pk: &str, sk: &str, channel: &ChannelId) -> PortResult<()> {
        let deleted = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .condition_expression("channel = :id")
            .expression_attribute_values(":id", s(channel.as_str()))
            .send()
            .await;
        match deleted {
            Ok(_) => Ok(()),
            // Gone, or someone else's now.
            Err(error) if error.code() == Some("ConditionalCheckFailedException") => Ok(()),
            Err(error) => Err(PortError::new("DynamoDB DeleteItem", error)),
        }
    }

    /// The channel's record (with its live and activity index entries), its links, and what is
    /// kept in its partition: grants, bans, webhooks, counts.
    pub(super) async fn erase_channel_items(&self, channel: &Channel) -> PortResult<()> {
        // The stored record: the caller's copy may be older (a handle changed since).
        let Some(stored) =
            cloumer_domain::ports::ChannelRepository::get_channel(self, &channel.id).await?
        else {
            return Ok(());
        };
        let id = &stored.id;
        let partition = format!("CHANNEL#{id}");
        // The record, then the owner's link, last: while they stand, asking again finds the
        // channel and finishes the job.
        self.erase_where(&partition, None, Some("META")).await?;
        self.unlink(&format!("HANDLE#{}", stored.handle), "META", id)
            .await?;
        if let Some(room) = &stored.chat_room {
            self.unlink(&format!("ROOM#{}", room.arn), "META", id)
                .await?;
            self.rooms.forget(&room.arn);
        }
        self.delete(&partition, "META").await?;
        self.unlink(&format!("USER#{}", stored.owner), "OWNS", id)
            .await?;
        Ok(())
    }

    /// Everything under the user but the mark that they were erased: profile, block list,
    /// counts, marks (their follows and push subscriptions were let go of through their own
    /// ports first).
    pub(super) async fn erase_profile_items(&self, user: &UserId) -> PortResult<()> {
        self.erase_where(&format!("USER#{user}"), None, Some(ERASED))
            .await
    }

    pub(super) async fn mark_erased_user(&self, user: &UserId) -> PortResult<()> {
        self.put_plain(super::item(&[
            ("pk", s(format!("USER#{user}"))),
            ("sk", s(ERASED)),
        ]))
        .await
    }

    pub(super) async fn was_erased_user(&self, user: &UserId) -> PortResult<bool> {
        Ok(self.get(&format!("USER#{user}"), ERASED).await?.is_some())
    }

    /// The channel's history, deletion marks, moderation log, bans and presence.
    pub(super) async fn erase_chat_items(&self, channel: &ChannelId) -> PortResult<()> {
        self.erase_partition(&format!("CHAT#{channel}")).await?;
        self.erase_partition(&format!("MODLOG#{channel}")).await?;
        self.erase_partition(&format!("PRESENCE#{channel}")).await?;
        self.erase_prefix(&format!("CHANNEL#{channel}"), "BAN#")
            .await
    }

    pub(super) async fn erase_recording_item(&self, recording: &Recording) -> PortResult<()> {
        self.delete(&format!("RECORDING#{}", recording.id), "META")
            .await?;
        Ok(())
    }
}
