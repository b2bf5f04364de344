//! Clips, listed per channel newest first ([`ChannelRecords`]).

use async_trait::async_trait;
use cloumer_domain::clip::{Clip, ClipCursor};
use cloumer_domain::error::{PortResult, WriteError};
use cloumer_domain::ids::{ChannelId, ClipId};
use cloumer_domain::page::Page;
use cloumer_domain::ports::ClipRepository;
use redb::TableDefinition;

use super::EmbeddedStore;
use super::channel_records::ChannelRecords;

pub(super) const CLIPS: ChannelRecords = ChannelRecords {
    records: TableDefinition::new("clips"),
    index: TableDefinition::new("clips_by_channel"),
};

#[async_trait]
impl ClipRepository for EmbeddedStore {
    async fn put_clip(&self, clip: &Clip, previous: Option<&Clip>) -> Result<(), WriteError> {
        CLIPS.put(self, clip, previous).await
    }

    async fn get_clip(&self, id: &ClipId) -> PortResult<Option<Clip>> {
        CLIPS.get(self, id.as_str()).await
    }

    async fn delete_clip(&self, clip: &Clip) -> PortResult<()> {
        CLIPS.delete(self, clip).await
    }

    async fn list_channel_clips(
        &self,
        channel: &ChannelId,
        after: Option<&ClipCursor>,
        limit: usize,
    ) -> PortResult<Page<Clip, ClipCursor>> {
        let after = after.map(|c| (c.at, c.id.as_str().to_owned()));
        CLIPS.list(self, channel.as_str(), after, limit).await
    }
}
