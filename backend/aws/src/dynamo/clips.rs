//! Clips on the table. Items:
//!
//! | item | pk | sk | other keys |
//! |---|---|---|---|
//! | clip | `CLIP#<id>` | `META` | `gsi1` = `CHANCLIP#<channel>`/`<created>#<id>` |
//!
//! A write is conditional on the stored record being the one the caller read, as recordings'.

use async_trait::async_trait;
use cloumer_domain::clip::{Clip, ClipCursor};
use cloumer_domain::error::{PortResult, WriteError};
use cloumer_domain::ids::{ChannelId, ClipId};
use cloumer_domain::page::Page;
use cloumer_domain::ports::ClipRepository;

use super::{DynamoStore, decode, encode, put_if_unchanged, s, time_key};

fn clip_pk(id: &ClipId) -> String {
    format!("CLIP#{id}")
}

#[async_trait]
impl ClipRepository for DynamoStore {
    async fn put_clip(&self, clip: &Clip, previous: Option<&Clip>) -> Result<(), WriteError> {
        let request = self
            .client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(clip_pk(&clip.id)))
            .item("sk", s("META"))
            .item("data", s(encode(clip)?))
            .item("gsi1pk", s(format!("CHANCLIP#{}", clip.channel_id)))
            .item(
                "gsi1sk",
                s(format!("{}#{}", time_key(clip.created_at), clip.id)),
            );
        put_if_unchanged(request, previous).await
    }

    async fn get_clip(&self, id: &ClipId) -> PortResult<Option<Clip>> {
        let found = self.get(&clip_pk(id), "META").await?;
        found.as_ref().map(decode).transpose()
    }

    async fn delete_clip(&self, clip: &Clip) -> PortResult<()> {
        self.delete(&clip_pk(&clip.id), "META").await?;
        Ok(())
    }

    async fn list_channel_clips(
        &self,
        channel: &ChannelId,
        after: Option<&ClipCursor>,
        limit: usize,
    ) -> PortResult<Page<Clip, ClipCursor>> {
        let before = after.map(|c| format!("{}#{}", time_key(c.at), c.id));
        let (found, more) = self
            .query_index_desc("gsi1", &format!("CHANCLIP#{channel}"), before, limit)
            .await?;
        let items: Vec<Clip> = found.iter().map(decode).collect::<PortResult<_>>()?;
        Ok(Page::continuing(items, more))
    }
}
