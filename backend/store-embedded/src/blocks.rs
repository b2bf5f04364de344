//! Block lists: user → their whole list, replaced only if it is still the one its writer read.

use async_trait::async_trait;
use cloumer_domain::block_list::BlockList;
use cloumer_domain::error::{PortContext, PortResult, WriteError};
use cloumer_domain::ids::UserId;
use cloumer_domain::ports::BlockRepository;
use redb::{ReadableTable, TableDefinition};

use super::{EmbeddedStore, decode, encode};

/// user → block list
pub(crate) const BLOCK_LISTS: TableDefinition<&str, &[u8]> = TableDefinition::new("block_lists");

pub(super) fn create_tables(tx: &redb::WriteTransaction) -> PortResult<()> {
    tx.open_table(BLOCK_LISTS).port("t")?;
    Ok(())
}

#[async_trait]
impl BlockRepository for EmbeddedStore {
    async fn get_block_list(&self, user: &UserId) -> PortResult<Option<BlockList>> {
        self.read(|tx| {
            let table = tx.open_table(BLOCK_LISTS).port("opening block lists")?;
            let found = table.get(user.as_str()).port("reading a block list")?;
            found.map(|bytes| decode(bytes.value())).transpose()
        })
        .await
    }

    async fn put_block_list(
        &self,
        user: &UserId,
        list: &BlockList,
        previous: Option<&BlockList>,
    ) -> Result<(), WriteError> {
        let user = user.as_str().to_owned();
        let bytes = encode(list)?;
        let previous = previous.cloned();
        self.write(move |tx| {
            let mut table = tx.open_table(BLOCK_LISTS).port("opening block lists")?;
            let stored: Option<BlockList> = table
                .get(user.as_str())
                .port("reading a block list")?
                .map(|found| decode(found.value()))
                .transpose()?;
            if stored != previous {
                return Err(WriteError::VersionMismatch);
            }
            table
                .insert(user.as_str(), bytes.as_slice())
                .port("writing a block list")?;
            Ok(())
        })
        .await
    }
}
