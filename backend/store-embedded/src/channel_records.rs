//! Records a channel owns and lists newest first (clips, uploaded videos): id → record, and
//! (channel, created time, id) so a channel's list is one range read. Both are written in one
//! transaction, and a record is replaced only if it is still what the caller read.

use cloumer_domain::error::{PortContext, PortResult, WriteError};
use cloumer_domain::page::{ChannelListed, Page};
use redb::{ReadableTable, TableDefinition};
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

use super::{EmbeddedStore, TimeKey, decode, encode, first_page, nanos, newest_first, port_only};

/// A record kept in [`ChannelRecords`].
pub(super) trait ChannelRecord:
    Serialize + DeserializeOwned + PartialEq + Clone + Send + ChannelListed + 'static
{
}

impl<T> ChannelRecord for T where
    T: Serialize + DeserializeOwned + PartialEq + Clone + Send + ChannelListed + 'static
{
}

/// The two tables of one kind of record.
#[derive(Clone, Copy)]
pub(super) struct ChannelRecords {
    pub records: TableDefinition<'static, &'static str, &'static [u8]>,
    pub index: TableDefinition<'static, TimeKey, ()>,
}

impl ChannelRecords {
    pub fn create_tables(&self, tx: &redb::WriteTransaction) -> PortResult<()> {
        tx.open_table(self.records).port("t")?;
        tx.open_table(self.index).port("t")?;
        Ok(())
    }

    pub async fn put<T: ChannelRecord>(
        self,
        store: &EmbeddedStore,
        record: &T,
        previous: Option<&T>,
    ) -> Result<(), WriteError> {
        let (record, previous) = (record.clone(), previous.cloned());
        store
            .write(move |tx| self.put_in(tx, &record, previous.as_ref()))
            .await
    }

    /// [`Self::put`] inside the caller's transaction (which may write more with it).
    pub fn put_in<T: ChannelRecord>(
        self,
        tx: &redb::WriteTransaction,
        record: &T,
        previous: Option<&T>,
    ) -> Result<(), WriteError> {
        let id = record.key();
        let mut table = tx.open_table(self.records).port("opening records")?;
        let stored: Option<T> = table
            .get(id)
            .port("reading a record")?
            .map(|bytes| decode(bytes.value()))
            .transpose()?;
        if stored.as_ref() != previous {
            return Err(WriteError::VersionMismatch);
        }
        table
            .insert(id, encode(record)?.as_slice())
            .port("writing a record")?;
        tx.open_table(self.index)
            .port("opening index")?
            .insert(
                (record.channel().as_str(), nanos(record.created_at()), id),
                (),
            )
            .port("indexing")?;
        Ok(())
    }

    pub async fn get<T: ChannelRecord>(
        self,
        store: &EmbeddedStore,
        id: &str,
    ) -> PortResult<Option<T>> {
        store
            .read(move |tx| {
                let table = tx.open_table(self.records).port("opening records")?;
                let found = table.get(id).port("reading a record")?;
                found.map(|bytes| decode(bytes.value())).transpose()
            })
            .await
    }

    /// Nothing happens if it is gone already.
    pub async fn delete<T: ChannelRecord>(
        self,
        store: &EmbeddedStore,
        record: &T,
    ) -> PortResult<()> {
        let id = record.key().to_owned();
        store
            .write(move |tx| self.delete_in::<T>(tx, &id).map(drop))
            .await
            .map_err(port_only)
    }

    /// Removes the record with id `id` inside the caller's transaction, and returns it as it
    /// was stored (`None` if it is gone already).
    pub fn delete_in<T: ChannelRecord>(
        self,
        tx: &redb::WriteTransaction,
        id: &str,
    ) -> Result<Option<T>, WriteError> {
        let stored: Option<T> = tx
            .open_table(self.records)
            .port("opening records")?
            .remove(id)
            .port("removing a record")?
            .map(|bytes| decode(bytes.value()))
            .transpose()?;
        if let Some(record) = &stored {
            tx.open_table(self.index)
                .port("opening index")?
                .remove((record.channel().as_str(), nanos(record.created_at()), id))
                .port("removing a record")?;
        }
        Ok(stored)
    }

    /// A channel's records, newest first, after `after` (a cursor's time and id).
    pub async fn list<T: ChannelRecord>(
        self,
        store: &EmbeddedStore,
        channel: &str,
        after: Option<(OffsetDateTime, String)>,
        limit: usize,
    ) -> PortResult<Page<T, T::Cursor>> {
        let after = after.map(|(at, id)| (nanos(at), id));
        store
            .read(move |tx| {
                let index = tx.open_table(self.index).port("opening index")?;
                let records = tx.open_table(self.records).port("opening records")?;
                let found = newest_first(&index, channel, after.as_ref())?.map(|entry| {
                    let (key, _) = entry.port("listing")?;
                    let bytes = records.get(key.value().2).port("reading a record")?;
                    bytes.map(|b| decode(b.value())).transpose()
                });
                first_page(found, limit)
            })
            .await
    }
}
