//! Things a channel owns and lists newest first (clips, uploaded videos), one item each:
//!
//! | item | pk | sk | other keys |
//! |---|---|---|---|
//! | record | `<KIND>#<id>` | `META` | `gsi1` = `<LIST>#<channel>`/`<created>#<id>` |
//!
//! A write is conditional on the stored record being the one the caller read, as recordings'.

use cloumer_domain::error::{PortResult, WriteError};
use cloumer_domain::page::{ChannelListed, Page};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{DynamoStore, Item, decode, encode, item, put_if_unchanged, s, time_key};

/// The key prefixes of one kind of item.
#[derive(Clone, Copy)]
pub(super) struct ChannelItems {
    /// Of the item's own key (`CLIP`).
    pub kind: &'static str,
    /// Of the channel's list in `gsi1` (`CHANCLIP`).
    pub list: &'static str,
}

impl ChannelItems {
    fn pk(self, id: &str) -> String {
        format!("{}#{id}", self.kind)
    }

    /// The item's key.
    pub fn key(self, id: &str) -> (String, &'static str) {
        (self.pk(id), "META")
    }

    /// The record's item: its key, its data and its place in its channel's list.
    pub fn item<T: ChannelListed + Serialize>(self, record: &T) -> PortResult<Item> {
        Ok(item(&[
            ("pk", s(self.pk(record.key()))),
            ("sk", s("META")),
            ("data", s(encode(record)?)),
            ("gsi1pk", s(format!("{}#{}", self.list, record.channel()))),
            (
                "gsi1sk",
                s(format!(
                    "{}#{}",
                    time_key(record.created_at()),
                    record.key()
                )),
            ),
        ]))
    }

    pub async fn put<T: ChannelListed + Serialize>(
        self,
        store: &DynamoStore,
        record: &T,
        previous: Option<&T>,
    ) -> Result<(), WriteError> {
        let request = store
            .client
            .put_item()
            .table_name(&store.table)
            .set_item(Some(self.item(record)?));
        put_if_unchanged(request, previous).await
    }

    pub async fn get<T: DeserializeOwned>(
        self,
        store: &DynamoStore,
        id: &str,
    ) -> PortResult<Option<T>> {
        let found = store.get(&self.pk(id), "META").await?;
        found.as_ref().map(decode).transpose()
    }

    pub async fn delete(self, store: &DynamoStore, id: &str) -> PortResult<()> {
        store.delete(&self.pk(id), "META").await?;
        Ok(())
    }

    /// A channel's items, newest first, after `after` (a cursor's time and id).
    pub async fn list<T: ChannelListed + DeserializeOwned>(
        self,
        store: &DynamoStore,
        channel: &str,
        after: Option<(time::OffsetDateTime, String)>,
        limit: usize,
    ) -> PortResult<Page<T, T::Cursor>> {
        let before = after.map(|(at, id)| format!("{}#{id}", time_key(at)));
        let (found, more) = store
            .query_index_desc("gsi1", &format!("{}#{channel}", self.list), before, limit)
            .await?;
        let items: Vec<T> = found.iter().map(decode).collect::<PortResult<_>>()?;
        Ok(Page::continuing(items, more))
    }
}
