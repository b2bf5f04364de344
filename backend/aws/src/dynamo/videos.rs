//! Uploaded videos on the table: `VIDEO#<id>`, listed per channel under `CHANVIDEO#<channel>`
//! ([`ChannelItems`]); and the bytes each channel's videos take, `CHANNEL#<channel>` /
//! `VIDEO_BYTES` (`n`), changed in the same transaction as the video (a quota read from the
//! list would be read from an eventually consistent index).

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem};
use cloumer_domain::error::{PortContext, PortError, PortResult, WriteError};
use cloumer_domain::ids::{ChannelId, VideoId};
use cloumer_domain::page::Page;
use cloumer_domain::ports::VideoRepository;
use cloumer_domain::video::{Video, VideoCursor};

use super::channel_items::ChannelItems;
use super::{DynamoStore, add_count, encode, s};

const VIDEOS: ChannelItems = ChannelItems {
    kind: "VIDEO",
    list: "CHANVIDEO",
};

/// Tries at deleting a video that changes while it is being deleted.
const DELETE_TRIES: usize = 5;

fn bytes_key(channel: &ChannelId) -> (String, &'static str) {
    (format!("CHANNEL#{channel}"), "VIDEO_BYTES")
}

/// Adds `delta` to the channel's stored bytes; with `room`, only if they are at most `room`.
fn count_bytes(
    table: &str,
    channel: &ChannelId,
    delta: i64,
    room: Option<u64>,
) -> PortResult<TransactWriteItem> {
    let (pk, sk) = bytes_key(channel);
    add_count(
        table,
        pk,
        sk,
        delta,
        room.map(|room| ("attribute_not_exists(n) OR n <= :max", room)),
    )
}

/// Puts `video` if the stored one is still `previous` (absent when `None`).
fn put_video_item(
    table: &str,
    video: &Video,
    previous: Option<&Video>,
) -> PortResult<TransactWriteItem> {
    let put = Put::builder()
        .table_name(table)
        .set_item(Some(VIDEOS.item(video)?));
    let put = match previous {
        None => put.condition_expression("attribute_not_exists(pk)"),
        Some(previous) => put
            .condition_expression("#data = :previous")
            .expression_attribute_names("#data", "data")
            .expression_attribute_values(":previous", s(encode(previous)?)),
    };
    Ok(TransactWriteItem::builder()
        .put(put.build().port("building a put")?)
        .build())
}

/// From `before` bytes to `after` (each at most 4 GiB).
fn change(before: u64, after: u64) -> i64 {
    after as i64 - before as i64
}

#[async_trait]
impl VideoRepository for DynamoStore {
    async fn create_video(&self, video: &Video, quota: u64) -> Result<bool, WriteError> {
        let Some(room) = quota.checked_sub(video.stored_bytes()) else {
            return Ok(false);
        };
        let failed = self
            .transact_retrying(|| {
                Ok(vec![
                    put_video_item(&self.table, video, None)?,
                    count_bytes(
                        &self.table,
                        &video.channel_id,
                        change(0, video.stored_bytes()),
                        Some(room),
                    )?,
                ])
            })
            .await?;
        match failed.as_deref() {
            None => Ok(true),
            Some([0, ..]) => Err(WriteError::VersionMismatch),
            Some(_) => Ok(false),
        }
    }

    async fn put_video(&self, video: &Video, previous: Option<&Video>) -> Result<(), WriteError> {
        let before = previous.map_or(0, Video::stored_bytes);
        let failed = self
            .transact_retrying(|| {
                let mut items = vec![put_video_item(&self.table, video, previous)?];
                if before != video.stored_bytes() {
                    items.push(count_bytes(
                        &self.table,
                        &video.channel_id,
                        change(before, video.stored_bytes()),
                        None,
                    )?);
                }
                Ok(items)
            })
            .await?;
        match failed {
            None => Ok(()),
            Some(_) => Err(WriteError::VersionMismatch),
        }
    }

    async fn get_video(&self, id: &VideoId) -> PortResult<Option<Video>> {
        VIDEOS.get(self, id.as_str()).await
    }

    /// Deletes the video as it is stored (its bytes are what the count loses), read again if it
    /// changes in between.
    async fn delete_video(&self, video: &Video) -> PortResult<()> {
        for _ in 0..DELETE_TRIES {
            let Some(stored): Option<Video> = VIDEOS.get(self, video.id.as_str()).await? else {
                return Ok(());
            };
            let delete = || {
                let (pk, sk) = VIDEOS.key(stored.id.as_str());
                let delete = Delete::builder()
                    .table_name(&self.table)
                    .key("pk", s(pk))
                    .key("sk", s(sk))
                    .condition_expression("#data = :stored")
                    .expression_attribute_names("#data", "data")
                    .expression_attribute_values(":stored", s(encode(&stored)?))
                    .build()
                    .port("building a delete")?;
                let mut items = vec![TransactWriteItem::builder().delete(delete).build()];
                if stored.stored_bytes() > 0 {
                    items.push(count_bytes(
                        &self.table,
                        &stored.channel_id,
                        change(stored.stored_bytes(), 0),
                        None,
                    )?);
                }
                Ok(items)
            };
            if self.transact_retrying(delete).await?.is_none() {
                return Ok(());
            }
        }
        Err(PortError::new(
            "deleting a video",
            "it kept changing while being deleted",
        ))
    }

    async fn stored_video_bytes(&self, channel: &ChannelId) -> PortResult<u64> {
        let (pk, sk) = bytes_key(channel);
        let Some(found) = self.get(&pk, sk).await? else {
            return Ok(0);
        };
        // Below zero only if videos stored before the count existed were removed since.
        match found.get("n") {
            Some(AttributeValue::N(n)) => n
                .parse::<i128>()
                .map(|n| u64::try_from(n.max(0)).unwrap_or(u64::MAX))
                .port("reading a channel's video bytes"),
            _ => Ok(0),
        }
    }

    async fn list_channel_videos(
        &self,
        channel: &ChannelId,
        after: Option<&VideoCursor>,
        limit: usize,
    ) -> PortResult<Page<Video, VideoCursor>> {
        let after = after.map(|c| (c.at, c.id.as_str().to_owned()));
        VIDEOS.list(self, channel.as_str(), after, limit).await
    }
}
