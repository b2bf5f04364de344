//! Clips: id → clip, and (channel, created time, id) so a channel's clips list newest first as
//! one range read. Both are written in one transaction.

use async_trait::async_trait;
use cloumer_domain::clip::{Clip, ClipCursor};
use cloumer_domain::error::{PortContext, PortResult, WriteError};
use cloumer_domain::ids::{ChannelId, ClipId};
use cloumer_domain::page::Page;
use cloumer_domain::ports::ClipRepository;
use redb::{ReadableTable, TableDefinition};

use super::{EmbeddedStore, TimeKey, decode, encode, first_page, nanos, newest_first, port_only};

const CLIPS: TableDefinition<&str, &[u8]> = TableDefinition::new("clips");
/// (channel, created time, clip id)
const CLIPS_BY_CHANNEL: TableDefinition<TimeKey, ()> = TableDefinition::new("clips_by_channel");

pub(super) fn create_tables(tx: &redb::WriteTransaction) -> PortResult<()> {
    tx.open_table(CLIPS).port("t")?;
    tx.open_table(CLIPS_BY_CHANNEL).port("t")?;
    Ok(())
}

#[async_trait]
impl ClipRepository for EmbeddedStore {
    async fn put_clip(&self, clip: &Clip, previous: Option<&Clip>) -> Result<(), WriteError> {
        let (clip, previous) = (clip.clone(), previous.cloned());
        self.write(move |tx| {
            let id = clip.id.as_str();
            let mut table = tx.open_table(CLIPS).port("opening clips")?;
            let stored: Option<Clip> = table
                .get(id)
                .port("reading a clip")?
                .map(|bytes| decode(bytes.value()))
                .transpose()?;
            if stored != previous {
                return Err(WriteError::VersionMismatch);
            }
            table
                .insert(id, encode(&clip)?.as_slice())
                .port("writing a clip")?;
            // The index key never changes: the channel and creation time are the clip's own.
            tx.open_table(CLIPS_BY_CHANNEL)
                .port("opening index")?
                .insert((clip.channel_id.as_str(), nanos(clip.created_at), id), ())
                .port("indexing")?;
            Ok(())
        })
        .await
    }

    async fn get_clip(&self, id: &ClipId) -> PortResult<Option<Clip>> {
        let id = id.as_str().to_owned();
        self.read(move |tx| {
            let table = tx.open_table(CLIPS).port("opening clips")?;
            let found = table.get(id.as_str()).port("reading a clip")?;
            found.map(|bytes| decode(bytes.value())).transpose()
        })
        .await
    }

    async fn delete_clip(&self, clip: &Clip) -> PortResult<()> {
        let clip = clip.clone();
        self.write(move |tx| {
            let id = clip.id.as_str();
            tx.open_table(CLIPS)
                .port("opening clips")?
                .remove(id)
                .port("removing a clip")?;
            tx.open_table(CLIPS_BY_CHANNEL)
                .port("opening index")?
                .remove((clip.channel_id.as_str(), nanos(clip.created_at), id))
                .port("removing a clip")?;
            Ok(())
        })
        .await
        .map_err(port_only)
    }

    async fn list_channel_clips(
        &self,
        channel: &ChannelId,
        after: Option<&ClipCursor>,
        limit: usize,
    ) -> PortResult<Page<Clip, ClipCursor>> {
        let channel = channel.as_str().to_owned();
        let after = after.map(|c| (nanos(c.at), c.id.as_str().to_owned()));
        self.read(move |tx| {
            let index = tx.open_table(CLIPS_BY_CHANNEL).port("opening index")?;
            let records = tx.open_table(CLIPS).port("opening clips")?;
            let found = newest_first(&index, channel.as_str(), after.as_ref())?.map(|entry| {
                let (key, _) = entry.port("listing clips")?;
                let bytes = records.get(key.value().2).port("reading a clip")?;
                bytes.map(|b| decode(b.value())).transpose()
            });
            first_page(found, limit)
        })
        .await
    }
}
