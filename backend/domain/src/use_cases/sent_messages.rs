//! What a person said in chats, in every channel: read back a page at a time (their data
//! download collects it), and erased with their account. The stores keep each message findable
//! by its sender beside the room's own history, so neither walks every room.

use futures_util::future::join_all;

use crate::chat::{MessageCursor, StoredMessage};
use crate::error::DomainResult;
use crate::handle::ChannelHandle;
use crate::identity::Identity;
use crate::ids::{ChannelId, UserId};
use crate::page::Page;
use crate::platform::Platform;

/// One message the caller sent, with where they sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentMessage {
    pub message: StoredMessage,
    /// The channel's handle now (its chat, history and all, goes with a deleted channel).
    pub handle: Option<ChannelHandle>,
}

/// Messages erased at a time with an account.
const ERASE_BATCH: usize = 100;
/// Deletions in flight at once.
const ERASE_IN_FLIGHT: usize = 16;

impl Platform {
    /// The messages the caller sent, in every channel's chat, newest first, strictly older than
    /// `before`; not the deleted ones.
    pub async fn sent_messages(
        &self,
        who: &Identity,
        before: Option<&MessageCursor>,
        limit: usize,
    ) -> DomainResult<Page<SentMessage, MessageCursor>> {
        let mut page = self
            .ports
            .chat
            .list_sent_messages(
                &who.user_id,
                before,
                limit.clamp(1, crate::platform::MAX_PAGE),
            )
            .await?;
        self.forget_erased_in_replies(&mut page.items).await?;
        let channels = distinct(page.items.iter().map(|m| &m.channel_id));
        let found = self.ports.channels.get_channels(&channels).await?;
        let items = page
            .items
            .into_iter()
            .map(|message| SentMessage {
                handle: found
                    .iter()
                    .find(|channel| channel.id == message.channel_id)
                    .map(|channel| channel.handle.clone()),
                message,
            })
            .collect();
        Ok(Page {
            items,
            next: page.next,
        })
    }

    /// Erases every message `user` sent, in every channel's chat (a pin of one goes with it).
    /// Repeatable: what an interrupted run left is found again.
    pub(crate) async fn erase_sent_messages(&self, user: &UserId) -> DomainResult<()> {
        let now = self.now();
        let mut after: Option<MessageCursor> = None;
        loop {
            let page = self
                .ports
                .chat
                .list_sent_messages(user, after.as_ref(), ERASE_BATCH)
                .await?;
            for some in page.items.chunks(ERASE_IN_FLIGHT) {
                let deleted = join_all(
                    some.iter()
                        .map(|m| self.ports.chat.delete_message(&m.channel_id, &m.id, now)),
                )
                .await;
                for outcome in deleted {
                    outcome?;
                }
            }
            for channel in distinct(page.items.iter().map(|m| &m.channel_id)) {
                self.unpin_sent_by(&channel, user).await?;
            }
            // The cursor, not the first page again: an index that lags behind a deletion (a
            // DynamoDB secondary index) would hand back what was just deleted.
            after = page.next;
            if after.is_none() {
                return Ok(());
            }
        }
    }

    /// Takes down the channel's pinned message if `user` wrote it.
    async fn unpin_sent_by(&self, channel: &ChannelId, user: &UserId) -> DomainResult<()> {
        let pinned = self
            .ports
            .channels
            .get_channel(channel)
            .await?
            .and_then(|c| c.pinned_message)
            .filter(|p| &p.message.sender == user);
        match pinned {
            Some(pinned) => self.forget_pin(channel, &pinned.message.id).await,
            None => Ok(()),
        }
    }
}

/// Each channel once, in the order first met.
fn distinct<'a>(ids: impl Iterator<Item = &'a ChannelId>) -> Vec<ChannelId> {
    let mut seen: Vec<ChannelId> = Vec::new();
    for id in ids {
        if !seen.contains(id) {
            seen.push(id.clone());
        }
    }
    seen
}
