//! Uploaded videos, listed per channel newest first ([`ChannelRecords`]), and the bytes each
//! channel's videos take, changed in the same transaction as the video.

use async_trait::async_trait;
use cloumer_domain::error::{PortContext, PortResult, WriteError};
use cloumer_domain::ids::{ChannelId, VideoId};
use cloumer_domain::page::Page;
use cloumer_domain::ports::VideoRepository;
use cloumer_domain::video::{Video, VideoCursor};
use redb::{ReadableTable, TableDefinition};

use super::channel_records::ChannelRecords;
use super::{EmbeddedStore, port_only};

pub(super) const VIDEOS: ChannelRecords = ChannelRecords {
    records: TableDefinition::new("videos"),
    index: TableDefinition::new("videos_by_channel"),
};
/// channel → the bytes its videos take ([`Video::stored_bytes`])
pub(crate) const STORED_BYTES: TableDefinition<&str, u64> =
    TableDefinition::new("video_bytes_by_channel");

pub(super) fn create_tables(tx: &redb::WriteTransaction) -> PortResult<()> {
    VIDEOS.create_tables(tx)?;
    tx.open_table(STORED_BYTES).port("t")?;
    Ok(())
}

fn stored_bytes_in(tx: &redb::WriteTransaction, channel: &str) -> Result<u64, WriteError> {
    let table = tx.open_table(STORED_BYTES).port("opening stored bytes")?;
    let found = table.get(channel).port("reading stored bytes")?;
    Ok(found.map_or(0, |v| v.value()))
}

/// Changes `channel`'s stored bytes by `added` minus `removed`.
fn count_bytes(
    tx: &redb::WriteTransaction,
    channel: &str,
    added: u64,
    removed: u64,
) -> Result<(), WriteError> {
    let after = (stored_bytes_in(tx, channel)? + added).saturating_sub(removed);
    tx.open_table(STORED_BYTES)
        .port("opening stored bytes")?
        .insert(channel, after)
        .port("writing stored bytes")?;
    Ok(())
}

#[async_trait]
impl VideoRepository for EmbeddedStore {
    async fn create_video(&self, video: &Video, quota: u64) -> Result<bool, WriteError> {
        let video = video.clone();
        self.write(move |tx| {
            let channel = video.channel_id.as_str();
            if stored_bytes_in(tx, channel)? + video.stored_bytes() > quota {
                return Ok(false);
            }
            VIDEOS.put_in(tx, &video, None)?;
            count_bytes(tx, channel, video.stored_bytes(), 0)?;
            Ok(true)
        })
        .await
    }

    async fn put_video(&self, video: &Video, previous: Option<&Video>) -> Result<(), WriteError> {
        let (video, previous) = (video.clone(), previous.cloned());
        self.write(move |tx| {
            VIDEOS.put_in(tx, &video, previous.as_ref())?;
            let removed = previous.as_ref().map_or(0, Video::stored_bytes);
            count_bytes(tx, video.channel_id.as_str(), video.stored_bytes(), removed)?;
            Ok(())
        })
        .await
    }

    async fn get_video(&self, id: &VideoId) -> PortResult<Option<Video>> {
        VIDEOS.get(self, id.as_str()).await
    }

    async fn delete_video(&self, video: &Video) -> PortResult<()> {
        let id = video.id.as_str().to_owned();
        self.write(move |tx| {
            if let Some(stored) = VIDEOS.delete_in::<Video>(tx, &id)? {
                count_bytes(tx, stored.channel_id.as_str(), 0, stored.stored_bytes())?;
            }
            Ok(())
        })
        .await
        .map_err(port_only)
    }

    async fn stored_video_bytes(&self, channel: &ChannelId) -> PortResult<u64> {
        self.read(|tx| {
            let table = tx.open_table(STORED_BYTES).port("opening stored bytes")?;
            let found = table.get(channel.as_str()).port("reading stored bytes")?;
            Ok(found.map_or(0, |v| v.value()))
        })
        .await
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
