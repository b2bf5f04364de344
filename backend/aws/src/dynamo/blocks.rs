//! Block lists on the table: one item per user, `USER#<user>` / `BLOCKS`, the whole list in
//! `data` (at most [`MAX_BLOCKED`](cloumer_domain::block_list::MAX_BLOCKED) entries, ~30 KB).
//! A write is conditional on the stored list being the one its writer read.

use async_trait::async_trait;
use cloumer_domain::block_list::BlockList;
use cloumer_domain::error::{PortResult, WriteError};
use cloumer_domain::ids::UserId;
use cloumer_domain::ports::BlockRepository;

use super::{DynamoStore, decode, encode, item, put_if_unchanged, s};

const SK: &str = "BLOCKS";

fn pk(user: &UserId) -> String {
    format!("USER#{user}")
}

#[async_trait]
impl BlockRepository for DynamoStore {
    async fn get_block_list(&self, user: &UserId) -> PortResult<Option<BlockList>> {
        let found = self.get(&pk(user), SK).await?;
        found.as_ref().map(decode).transpose()
    }

    async fn put_block_list(
        &self,
        user: &UserId,
        list: &BlockList,
        previous: Option<&BlockList>,
    ) -> Result<(), WriteError> {
        let request = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item(&[
                ("pk", s(pk(user))),
                ("sk", s(SK)),
                ("data", s(encode(list)?)),
            ])));
        put_if_unchanged(request, previous).await
    }
}
