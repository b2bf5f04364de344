//! A room's history as viewers page through it: newest first, never a deleted message (nor the
//! name of a deleted account in a reply).

use crate::chat::{MessageCursor, StoredMessage};
use crate::error::{DomainError, DomainResult};
use crate::ids::UserId;
use crate::page::Page;
use crate::platform::Platform;

impl Platform {
    /// A channel's chat history, newest first, without deleted messages.
    pub async fn chat_history(
        &self,
        handle: &str,
        who: Option<&UserId>,
        before: Option<MessageCursor>,
        limit: usize,
    ) -> DomainResult<Page<StoredMessage, MessageCursor>> {
        let channel = self.channel_by_handle(handle).await?;
        if !self.can_watch(&channel, who).await? {
            return Err(DomainError::Forbidden("this channel is private"));
        }
        let mut page = self
            .ports
            .chat
            .list_messages(&channel.id, before.as_ref(), limit)
            .await?;
        self.forget_erased_in_replies(&mut page.items).await?;
        Ok(page)
    }
}
