//! The owner appoints moderators (by their channel handle, which is how users know each other)
//! and removes them. Moderators' chat tokens carry the moderation capabilities from their next
//! connection on.

use crate::channel::{Channel, MAX_MODERATORS};
use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::ids::UserId;
use crate::moderation_log::ModerationAction;
use crate::platform::Platform;
use crate::use_cases::chat_moderation::ChatOf;

/// A moderator as the owner's list shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moderator {
    pub user_id: UserId,
    /// Their own channel's handle (`None` if their account is gone).
    pub handle: Option<String>,
    pub nickname: String,
    pub avatar: String,
}

impl Platform {
    /// Makes the user whose channel is `handle` a moderator of the caller's chat. Idempotent.
    pub async fn appoint_moderator(&self, who: &Identity, handle: &str) -> DomainResult<Moderator> {
        let moderating = self.moderating(who, ChatOf::Mine).await?;
        let target = self.channel_by_handle(handle).await?.owner;
        if target == who.user_id {
            return Err(DomainError::conflict(
                "invalid_target",
                "the owner already runs the chat",
            ));
        }
        let (_, appointed) = self
            .modify_channel(&moderating.channel.id, |c| {
                if c.moderators.contains(&target) {
                    return Ok(false);
                }
                if c.moderators.len() >= MAX_MODERATORS {
                    return Err(DomainError::conflict(
                        "too_many_moderators",
                        format!("a channel has at most {MAX_MODERATORS} moderators"),
                    ));
                }
                c.moderators.push(target.clone());
                Ok(true)
            })
            .await?;
        if appointed {
            self.log_moderation(
                &moderating,
                ModerationAction::AddModerator,
                Some(&target),
                None,
            )
            .await?;
        }
        self.moderator(&target)
            .await?
            .ok_or(DomainError::NotFound("channel"))
    }

    /// Takes the moderator role back from the user whose channel is `handle`.
    pub async fn remove_moderator(&self, who: &Identity, handle: &str) -> DomainResult<()> {
        let moderating = self.moderating(who, ChatOf::Mine).await?;
        let target = self.channel_by_handle(handle).await?.owner;
        let (_, removed) = self
            .modify_channel(&moderating.channel.id, |c| {
                let before = c.moderators.len();
                c.moderators.retain(|m| m != &target);
                Ok(c.moderators.len() != before)
            })
            .await?;
        if !removed {
            return Err(DomainError::NotFound("moderator"));
        }
        self.log_moderation(
            &moderating,
            ModerationAction::RemoveModerator,
            Some(&target),
            None,
        )
        .await
    }

    /// The caller's moderators, in the order they were appointed. A moderator whose account
    /// was deleted is taken off the list here (nothing else knows whose moderator they were),
    /// as the owner could not remove them: they have no handle any more.
    pub async fn moderators(&self, who: &Identity) -> DomainResult<Vec<Moderator>> {
        let channel = self.ensure_account(who).await?.channel;
        self.moderators_of(&channel).await
    }

    /// [`Self::moderators`] of a channel already read.
    pub(crate) async fn moderators_of(&self, channel: &Channel) -> DomainResult<Vec<Moderator>> {
        let mut list = Vec::with_capacity(channel.moderators.len());
        let mut erased = Vec::new();
        for user in &channel.moderators {
            match self.moderator(user).await? {
                Some(moderator) => list.push(moderator),
                None => erased.push(user.clone()),
            }
        }
        if !erased.is_empty() {
            self.modify_channel(&channel.id, |c| {
                let before = c.moderators.len();
                c.moderators.retain(|m| !erased.contains(m));
                Ok(c.moderators.len() != before)
            })
            .await?;
        }
        Ok(list)
    }

    /// The moderator as listed; `None` if their account was deleted.
    async fn moderator(&self, user: &UserId) -> DomainResult<Option<Moderator>> {
        let channel = self.ports.channels.find_channel_by_owner(user).await?;
        if channel.is_none() && self.ports.channels.was_erased(user).await? {
            return Ok(None);
        }
        Ok(Some(Moderator {
            user_id: user.clone(),
            handle: channel.as_ref().map(|c| c.handle.as_str().to_owned()),
            nickname: channel
                .as_ref()
                .map(|c| c.owner_nickname.as_str().to_owned())
                .unwrap_or_else(|| user.as_str().to_owned()),
            avatar: channel
                .map(|c| c.owner_avatar.as_str().to_owned())
                .unwrap_or_default(),
        }))
    }
}
