//! Replies to someone whose account was since deleted. A reply keeps whom it answered (their
//! user id, nickname and handle, written by the review when it was sent), and the deletion cannot
//! find every reply to a person in every room without an index kept for that alone. So messages
//! are read back through here: a reply to an erased account comes out as a plain message, as
//! one sent after the answered message was gone does.

use futures_util::future::join_all;

use crate::chat::StoredMessage;
use crate::chat_replies::{answered_sender, with_reply};
use crate::error::DomainResult;
use crate::ids::UserId;
use crate::platform::Platform;

impl Platform {
    /// Takes off `messages` the replies' names of every answered sender whose account was
    /// deleted: one look per distinct sender, all at once.
    pub(crate) async fn forget_erased_in_replies<'a>(
        &self,
        messages: impl IntoIterator<Item = &'a mut StoredMessage>,
    ) -> DomainResult<()> {
        let mut replies: Vec<(&mut StoredMessage, UserId)> = messages
            .into_iter()
            .filter_map(|m| answered_sender(&m.attributes).map(|sender| (m, sender)))
            .collect();
        let mut senders: Vec<&UserId> = replies.iter().map(|(_, sender)| sender).collect();
        senders.sort_unstable();
        senders.dedup();
        let looked = join_all(
            senders
                .iter()
                .map(|sender| self.ports.channels.was_erased(sender)),
        )
        .await;
        let mut erased = Vec::new();
        for (sender, was_erased) in senders.into_iter().zip(looked) {
            if was_erased? {
                erased.push(sender.clone());
            }
        }
        for (message, sender) in &mut replies {
            if erased.contains(sender) {
                message.attributes = with_reply(std::mem::take(&mut message.attributes), None);
            }
        }
        Ok(())
    }
}
