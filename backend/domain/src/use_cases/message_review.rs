//! What happens when someone sends a chat message: the one review every message passes before
//! anyone sees it (the sender's own rate limit, bans, the word filter, length), and keeping
//! allowed messages as history.
//! The IVS Chat review Lambda runs this in the cloud; the local chat server runs it in-process.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use crate::chat::StoredMessage;
use crate::error::DomainResult;
use crate::ids::{MessageId, UserId};
use crate::limits;
use crate::moderation::{self, DenyReason};
use crate::platform::Platform;

/// One message on its way into a room.
#[derive(Clone, Debug)]
pub struct ReviewInput {
    pub room_arn: String,
    pub message_id: MessageId,
    pub sender: UserId,
    pub sender_attributes: BTreeMap<String, String>,
    pub content: String,
    pub attributes: BTreeMap<String, String>,
    /// The message's time as the room delivers it (`SendTime`), which history keeps.
    pub sent_at: OffsetDateTime,
}

/// The verdict on one message: allowed, as history keeps it and the room delivers it (the
/// content may have been masked), or denied and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Allow(StoredMessage),
    Deny(DenyReason),
}

impl Platform {
    /// Reviews one message: first the sender's own rate limit (so one sender cannot use up the
    /// room's), then their ban and the channel's rules. The owner has no sender limit: it is their
    /// room. Stores nothing: a caller keeps allowed messages with [`Platform::keep_messages`], one
    /// or many at a time.
    pub async fn review_message(&self, input: ReviewInput) -> DomainResult<Verdict> {
        let channel = self.channel_of_room(&input.room_arn).await?;
        if !channel.is_owned_by(&input.sender) {
            let sender = format!("chat-sender:{}:{}", channel.id, input.sender);
            let burst = limits::chat_sender_burst(channel.chat_rules.max_messages_per_second);
            let within = self.within(&format!("{sender}:second"), burst).await?
                && self.within(&sender, limits::CHAT_SENDER).await?;
            if !within {
                return Ok(Verdict::Deny(DenyReason::RateLimited));
            }
        }
        let ban = self.ports.chat.get_ban(&channel.id, &input.sender).await?;
        Ok(
            match moderation::review(
                &input.content,
                &channel.chat_rules,
                ban.as_ref(),
                self.now(),
            ) {
                Err(reason) => Verdict::Deny(reason),
                Ok(content) => Verdict::Allow(StoredMessage {
                    channel_id: channel.id,
                    id: input.message_id,
                    sent_at: input.sent_at,
                    sender: input.sender,
                    sender_attributes: input.sender_attributes,
                    content,
                    attributes: input.attributes,
                }),
            },
        )
    }

    /// Stores allowed messages for history (all or none), before they are delivered.
    pub async fn keep_messages(&self, messages: &[StoredMessage]) -> DomainResult<()> {
        Ok(self.ports.chat.append_messages(messages).await?)
    }
}
