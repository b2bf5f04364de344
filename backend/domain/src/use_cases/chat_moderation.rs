//! The owner runs their chat: deleting messages, banning and unbanning users, and the room's
//! rules (limits and word filter).

use time::Duration;

use crate::channel::Channel;
use crate::chat_rules::ChatRules;
use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::ids::{MessageId, UserId};
use crate::moderation::{self, Ban};
use crate::platform::Platform;

impl Platform {
    /// The owner removes a message from their chat, for everyone and from history.
    pub async fn delete_message(
        &self,
        who: &Identity,
        id: &MessageId,
        reason: &str,
    ) -> DomainResult<()> {
        let reason = moderation::parse_reason(reason)?;
        let channel = self.ensure_account(who).await?.channel;
        self.ports
            .chat
            .delete_message(&channel.id, id, self.now())
            .await?;
        if let Some(room) = &channel.chat_room {
            self.ports
                .chat_service
                .delete_message(room, id, &reason)
                .await?;
        }
        Ok(())
    }

    /// Records a deletion a moderator made over the chat protocol (which the chat service already
    /// announces to the room), so history forgets the message too.
    pub async fn record_deletion(&self, room_arn: &str, id: &MessageId) -> DomainResult<()> {
        let channel = self.channel_of_room(room_arn).await?;
        self.ports
            .chat
            .delete_message(&channel.id, id, self.now())
            .await?;
        Ok(())
    }

    /// Bans a user from the caller's chat (for `duration`, or for good) and disconnects them.
    pub async fn ban(
        &self,
        who: &Identity,
        target: &UserId,
        duration: Option<Duration>,
        reason: Option<&str>,
    ) -> DomainResult<Ban> {
        let reason = reason.map(moderation::parse_reason).transpose()?;
        if duration.is_some_and(|d| d <= Duration::ZERO || d > Duration::days(3650)) {
            return Err(DomainError::invalid(
                "invalid_duration",
                "a ban lasts 1 minute to 10 years",
            ));
        }
        let channel = self.ensure_account(who).await?.channel;
        if &who.user_id == target {
            return Err(DomainError::conflict(
                "invalid_target",
                "you cannot ban yourself",
            ));
        }
        let nickname = self
            .ports
            .channels
            .get_profile(target)
            .await?
            .map(|p| p.nickname.as_str().to_owned())
            .unwrap_or_else(|| target.as_str().to_owned());
        let now = self.now();
        let ban = Ban {
            channel_id: channel.id.clone(),
            user_id: target.clone(),
            nickname,
            reason: reason.clone(),
            banned_by: who.user_id.clone(),
            created_at: now,
            expires_at: duration.map(|d| now + d),
        };
        self.ports.chat.put_ban(&ban).await?;
        if let Some(room) = &channel.chat_room {
            let why = reason.as_deref().unwrap_or("banned by the channel owner");
            self.ports
                .chat_service
                .disconnect_user(room, target, why)
                .await?;
        }
        tracing::info!(channel = %channel.id, user = %target, "user banned");
        Ok(ban)
    }

    pub async fn unban(&self, who: &Identity, target: &UserId) -> DomainResult<()> {
        let channel = self.ensure_account(who).await?.channel;
        if !self.ports.chat.remove_ban(&channel.id, target).await? {
            return Err(DomainError::NotFound("ban"));
        }
        Ok(())
    }

    /// The caller's bans that are still in force, newest first.
    pub async fn bans(&self, who: &Identity) -> DomainResult<Vec<Ban>> {
        let channel = self.ensure_account(who).await?.channel;
        let now = self.now();
        let mut bans: Vec<Ban> = self
            .ports
            .chat
            .list_bans(&channel.id)
            .await?
            .into_iter()
            .filter(|b| b.is_active(now))
            .collect();
        bans.sort_by_key(|b| std::cmp::Reverse(b.created_at));
        Ok(bans)
    }

    /// Replaces the caller's chat limits and word filter, in the chat service's room too.
    pub async fn update_chat_rules(
        &self,
        who: &Identity,
        rules: ChatRules,
    ) -> DomainResult<Channel> {
        rules.validate()?;
        let account = self.ensure_account(who).await?;
        if let Some(room) = &account.channel.chat_room {
            self.ports.chat_service.update_room(room, &rules).await?;
        }
        self.modify_channel(&account.channel.id, |c| {
            let changed = c.chat_rules != rules;
            c.chat_rules = rules.clone();
            Ok(changed)
        })
        .await
        .map(|(channel, _)| channel)
    }

    /// Whether `user` is banned from the room `room_arn` now: a token minted before a ban must not
    /// let them in.
    pub async fn banned_from_room(&self, room_arn: &str, user: &UserId) -> DomainResult<bool> {
        let channel = self.channel_of_room(room_arn).await?;
        Ok(self.active_ban(&channel.id, user).await?.is_some())
    }

    /// The rules of the room `room_arn`, for a chat service that lost them (the local one keeps
    /// rooms in memory, so after a restart it asks).
    pub async fn room_rules(&self, room_arn: &str) -> DomainResult<ChatRules> {
        Ok(self.channel_of_room(room_arn).await?.chat_rules)
    }
}
