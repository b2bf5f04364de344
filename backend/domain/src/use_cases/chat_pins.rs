//! Pinning a message above a channel's chat: the owner and the moderators put one message there
//! for everyone (the rules of a giveaway, the link of the day), and take it down. The channel
//! keeps a copy, so joining viewers get it with their chat token; the room hears of each change
//! as an event naming the message, which the clients already hold. Deleting the message unpins
//! it.

use std::collections::BTreeMap;

use crate::channel::Channel;
use crate::chat_message::PinnedMessage;
use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::ids::{ChannelId, MessageId, UserId};
use crate::moderation_log::{self, ModerationAction};
use crate::platform::Platform;

use super::chat_moderation::{ChatOf, events};

impl Platform {
    /// Pins the room's message `id` in place of whatever was pinned. Only a message the room's
    /// history still holds can be pinned.
    pub async fn pin_message(
        &self,
        who: &Identity,
        of: ChatOf<'_>,
        id: &MessageId,
    ) -> DomainResult<PinnedMessage> {
        let moderating = self.moderating(who, of).await?;
        let channel_id = moderating.channel.id.clone();
        let message = self
            .ports
            .chat
            .get_message(&channel_id, id)
            .await?
            .ok_or(DomainError::NotFound("message"))?;
        let pinned = PinnedMessage {
            message,
            pinned_by: moderating.actor.clone(),
            pinned_by_nickname: moderating.actor_nickname.clone(),
            pinned_at: self.now(),
        };
        let (channel, _) = self
            .modify_channel(&channel_id, |c| {
                c.pinned_message = Some(pinned.clone());
                Ok(true)
            })
            .await?;
        // A deletion between the read above and the write saw nothing pinned to take down: look
        // again, so a deleted message never stays pinned.
        if self
            .ports
            .chat
            .get_message(&channel_id, id)
            .await?
            .is_none()
        {
            self.forget_pin(&channel_id, id).await?;
            return Err(DomainError::NotFound("message"));
        }
        self.tell_room(&channel, events::PIN, id, &pinned.pinned_by_nickname)
            .await;
        let action = ModerationAction::PinMessage {
            message_id: id.clone(),
            excerpt: Some(moderation_log::excerpt(&pinned.message.content)),
        };
        let sender = pinned.message.sender.clone();
        self.log_moderation(&moderating, action, Some(&sender), None)
            .await?;
        Ok(pinned)
    }

    /// Takes the pinned message down, if there is one. With `meant` (the pin the caller's page
    /// shows), only that one: another moderator may have pinned a newer message meanwhile, which
    /// this caller never saw and does not mean to take down (a conflict, and it stays).
    pub async fn unpin_message(
        &self,
        who: &Identity,
        of: ChatOf<'_>,
        meant: Option<&MessageId>,
    ) -> DomainResult<()> {
        let moderating = self.moderating(who, of).await?;
        let mut unpinned = None;
        let (channel, _) = self
            .modify_channel(&moderating.channel.id, |c| {
                let other = meant.is_some_and(|meant| {
                    c.pinned_message
                        .as_ref()
                        .is_some_and(|p| &p.message.id != meant)
                });
                if other {
                    return Err(DomainError::conflict(
                        "pin_changed",
                        "another message was pinned meanwhile; it stays pinned",
                    ));
                }
                unpinned = c.pinned_message.take();
                Ok(unpinned.is_some())
            })
            .await?;
        let Some(unpinned) = unpinned else {
            return Ok(());
        };
        let id = &unpinned.message.id;
        self.tell_room(&channel, events::UNPIN, id, &moderating.actor_nickname)
            .await;
        let action = ModerationAction::UnpinMessage {
            message_id: id.clone(),
            excerpt: Some(moderation_log::excerpt(&unpinned.message.content)),
        };
        self.log_moderation(&moderating, action, Some(&unpinned.message.sender), None)
            .await
    }

    /// The message pinned above `handle`'s chat, for a caller who may read it.
    pub async fn pinned_message(
        &self,
        handle: &str,
        who: Option<&UserId>,
    ) -> DomainResult<Option<PinnedMessage>> {
        let channel = self.channel_by_handle(handle).await?;
        if !self.can_watch(&channel, who).await? {
            return Err(DomainError::Forbidden("this channel is private"));
        }
        let mut pinned = channel.pinned_message;
        self.forget_erased_in_replies(pinned.as_mut().map(|p| &mut p.message))
            .await?;
        Ok(pinned)
    }

    /// Unpins the deleted message `id` if it is the pinned one. The room needs no event: the
    /// deletion's own tells every client to drop the message, pinned or not.
    ///
    /// The channel is read afresh, not taken from before the deletion: a pin written since, which
    /// looked for the message before it went, is then still taken down.
    pub(crate) async fn forget_pin(&self, channel: &ChannelId, id: &MessageId) -> DomainResult<()> {
        self.modify_channel(channel, |c| {
            let pinned = c
                .pinned_message
                .as_ref()
                .is_some_and(|p| &p.message.id == id);
            if pinned {
                c.pinned_message = None;
            }
            Ok(pinned)
        })
        .await?;
        Ok(())
    }

    /// Tells the room its pinned message changed: `MessageId` and who did it (`By`). Event
    /// attributes total at most 1 KB, which a message's text could outgrow, so the text is not
    /// sent: the clients hold the message, or read the pin.
    async fn tell_room(&self, channel: &Channel, event: &str, id: &MessageId, by: &str) {
        let attributes = BTreeMap::from([
            ("MessageId".to_owned(), id.as_str().to_owned()),
            ("By".to_owned(), by.to_owned()),
        ]);
        // The pin is saved; a room that misses the news learns it with the next token.
        self.tell_room_event(channel, event, &attributes).await;
    }
}
