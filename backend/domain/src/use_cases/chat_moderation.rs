//! Running a chat: the owner and the moderators they appointed delete messages, time out and ban
//! viewers, and lift bans; every action goes into the channel's moderation log. Only the owner
//! sets the room's rules. Moderators never act on the owner or on other moderators.

use std::collections::BTreeMap;

use time::Duration;

use crate::channel::Channel;
use crate::chat::ChatRole;
use crate::chat_rules::ChatRules;
use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::ids::{MessageId, UserId, random_alphanumeric};
use crate::moderation::{self, Ban, MAX_TIMEOUT, MIN_TIMEOUT};
use crate::moderation_log::{self, ModerationAction, ModerationCursor, ModerationEntry};
use crate::page::Page;
use crate::platform::{Platform, check_limit};

/// Room events the app's clients understand (IVS Chat custom events, `SendEvent`).
pub mod events {
    /// A viewer was timed out: `UserId` and `Until` (RFC 3339; now, when a timeout is lifted).
    pub const TIMEOUT: &str = "app:TIMEOUT";
    /// The room's rules for viewers changed: `SlowModeSeconds`, `MinAccountAgeMinutes`,
    /// `FollowersOnlyMinutes` while the room is followers-only, `EmoteOnly` (`true`) while it
    /// is emote-only, `LinksOff` (`true`) while viewers may post no links and `UniqueChat`
    /// (`true`) while a message the room just saw is refused.
    pub const CHAT_RULES: &str = "app:CHAT_RULES";
    /// The channel's custom emotes changed: clients read them again.
    pub const EMOTES: &str = "app:EMOTES";
    /// The streamer sends everyone to another live channel: its `Handle` and `Nickname`.
    pub const RAID: &str = "app:RAID";
    /// A streamer is sending their viewers here: their `Handle`, `Nickname` and `Viewers`.
    pub const RAIDED: &str = "app:RAIDED";
    /// A message was pinned above the chat: its `MessageId`, and who pinned it (`By`).
    pub const PIN: &str = "app:PIN";
    /// The pinned message (`MessageId`) was taken down, by `By`.
    pub const UNPIN: &str = "app:UNPIN";
}

/// Whose chat a moderation request is about.
#[derive(Clone, Copy, Debug)]
pub enum ChatOf<'a> {
    /// The caller's own channel.
    Mine,
    /// The channel with this handle, which the caller must own or moderate.
    Channel(&'a str),
}

/// A caller allowed to run a channel's chat, and how.
pub(crate) struct Moderating {
    pub channel: Channel,
    pub actor: UserId,
    pub actor_nickname: String,
    pub role: ChatRole,
}

/// What a moderator does to a viewer who misbehaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Restriction {
    /// Reads on, sends nothing, for 1 minute to 24 hours.
    Timeout(Duration),
    /// Out of the room, for a minute to ten years or (`None`) for good.
    Ban(Option<Duration>),
}

impl Platform {
    pub(crate) async fn moderating(
        &self,
        who: &Identity,
        of: ChatOf<'_>,
    ) -> DomainResult<Moderating> {
        let account = self.ensure_account(who).await?;
        let channel = match of {
            ChatOf::Mine => account.channel,
            ChatOf::Channel(handle) => self.channel_by_handle(handle).await?,
        };
        let role = ChatRole::of(&channel, Some(&who.user_id));
        if !role.runs_the_room() {
            return Err(DomainError::Forbidden(
                "only the channel's owner and its moderators may do this",
            ));
        }
        Ok(Moderating {
            channel,
            actor: who.user_id.clone(),
            actor_nickname: account.profile.nickname.as_str().to_owned(),
            role,
        })
    }

    /// Refuses what the caller may not do to `target`: nothing to themselves, nothing to the
    /// owner, and a moderator nothing to another moderator.
    fn check_target(moderating: &Moderating, target: &UserId) -> DomainResult<()> {
        if &moderating.actor == target {
            return Err(DomainError::conflict(
                "invalid_target",
                "you cannot do this to yourself",
            ));
        }
        if moderating.channel.is_owned_by(target) {
            return Err(DomainError::Forbidden(
                "nobody moderates the channel's owner",
            ));
        }
        if moderating.role == ChatRole::Moderator && moderating.channel.is_moderated_by(target) {
            return Err(DomainError::Forbidden(
                "moderators cannot act on other moderators",
            ));
        }
        Ok(())
    }

    pub(crate) async fn log_moderation(
        &self,
        moderating: &Moderating,
        action: ModerationAction,
        target: Option<&UserId>,
        reason: Option<String>,
    ) -> DomainResult<()> {
        let target_nickname = match target {
            Some(target) => Some(self.nickname_of(target).await?),
            None => None,
        };
        let entry = ModerationEntry {
            channel_id: moderating.channel.id.clone(),
            id: random_alphanumeric(12),
            at: self.now(),
            actor: moderating.actor.clone(),
            actor_nickname: moderating.actor_nickname.clone(),
            action,
            target: target.cloned(),
            target_nickname,
            reason,
        };
        Ok(self.ports.chat.append_moderation(&entry).await?)
    }

    async fn nickname_of(&self, user: &UserId) -> DomainResult<String> {
        Ok(self
            .ports
            .channels
            .get_profile(user)
            .await?
            .map(|p| p.nickname.as_str().to_owned())
            .unwrap_or_else(|| user.as_str().to_owned()))
    }

    /// Removes a message from the chat, for everyone and from history. A moderator cannot remove
    /// the owner's or another moderator's messages.
    pub async fn delete_message(
        &self,
        who: &Identity,
        of: ChatOf<'_>,
        id: &MessageId,
        reason: &str,
    ) -> DomainResult<()> {
        let reason = moderation::parse_reason(reason)?;
        let moderating = self.moderating(who, of).await?;
        let channel = &moderating.channel;
        let message = self.ports.chat.get_message(&channel.id, id).await?;
        if let Some(message) = &message
            && message.sender != moderating.actor
        {
            Self::check_target(&moderating, &message.sender)?;
        }
        self.ports
            .chat
            .delete_message(&channel.id, id, self.now())
            .await?;
        self.forget_pin(&channel.id, id).await?;
        if let Some(room) = &channel.chat_room {
            self.ports
                .chat_service
                .delete_message(room, id, &reason)
                .await?;
        }
        let action = ModerationAction::DeleteMessage {
            message_id: id.clone(),
            excerpt: message
                .as_ref()
                .map(|m| moderation_log::excerpt(&m.content)),
        };
        let sender = message.map(|m| m.sender);
        self.log_moderation(&moderating, action, sender.as_ref(), Some(reason))
            .await
    }

    /// Records a deletion made over the chat protocol (which the chat service already announces
    /// to the room), so history forgets the message too.
    pub async fn record_deletion(&self, room_arn: &str, id: &MessageId) -> DomainResult<()> {
        let channel = self.channel_of_room(room_arn).await?;
        self.ports
            .chat
            .delete_message(&channel.id, id, self.now())
            .await?;
        self.forget_pin(&channel.id, id).await
    }

    /// Times out or bans a viewer. A ban also disconnects them; a timeout lets them read on and
    /// tells their clients until when they cannot send. Either replaces the other.
    pub async fn restrict(
        &self,
        who: &Identity,
        of: ChatOf<'_>,
        target: &UserId,
        restriction: Restriction,
        reason: Option<&str>,
    ) -> DomainResult<Ban> {
        let reason = reason.map(moderation::parse_reason).transpose()?;
        let duration = match restriction {
            Restriction::Timeout(d) if !(MIN_TIMEOUT..=MAX_TIMEOUT).contains(&d) => {
                return Err(DomainError::invalid(
                    "invalid_duration",
                    "a timeout lasts 1 minute to 24 hours",
                ));
            }
            Restriction::Timeout(d) => Some(d),
            Restriction::Ban(Some(d)) if d < MIN_TIMEOUT || d > Duration::days(3650) => {
                return Err(DomainError::invalid(
                    "invalid_duration",
                    "a ban lasts 1 minute to 10 years",
                ));
            }
            Restriction::Ban(d) => d,
        };
        let moderating = self.moderating(who, of).await?;
        Self::check_target(&moderating, target)?;
        let channel = &moderating.channel;
        let now = self.now();
        let timeout = matches!(restriction, Restriction::Timeout(_));
        let ban = Ban {
            channel_id: channel.id.clone(),
            user_id: target.clone(),
            nickname: self.nickname_of(target).await?,
            reason: reason.clone(),
            banned_by: who.user_id.clone(),
            created_at: now,
            expires_at: duration.map(|d| now + d),
            timeout,
        };
        self.ports.chat.put_ban(&ban).await?;
        if let Some(room) = &channel.chat_room {
            match ban.expires_at.filter(|_| timeout) {
                Some(until) => {
                    let attributes = BTreeMap::from([
                        ("UserId".to_owned(), target.as_str().to_owned()),
                        ("Until".to_owned(), rfc3339(until)),
                    ]);
                    self.ports
                        .chat_service
                        .send_event(room, events::TIMEOUT, &attributes)
                        .await?;
                }
                None => {
                    let why = reason.as_deref().unwrap_or("banned by a moderator");
                    self.ports
                        .chat_service
                        .disconnect_user(room, target, why)
                        .await?;
                }
            }
        }
        let action = if timeout {
            ModerationAction::Timeout {
                until: ban.expires_at.unwrap_or(now),
            }
        } else {
            ModerationAction::Ban {
                until: ban.expires_at,
            }
        };
        self.log_moderation(&moderating, action, Some(target), reason)
            .await?;
        tracing::info!(channel = %channel.id, user = %target, timeout, "user restricted");
        Ok(ban)
    }

    /// Lifts a ban or a timeout. A timeout lifted early is told to the room (`app:TIMEOUT`
    /// until now), so the viewer's page lets them speak at once; the banned were disconnected,
    /// and learn it from their next token.
    pub async fn unban(&self, who: &Identity, of: ChatOf<'_>, target: &UserId) -> DomainResult<()> {
        let moderating = self.moderating(who, of).await?;
        let channel = &moderating.channel;
        let Some(removed) = self.ports.chat.remove_ban(&channel.id, target).await? else {
            return Err(DomainError::NotFound("ban"));
        };
        let timed_out = removed.timeout && removed.is_active(self.now());
        if timed_out && let Some(room) = &channel.chat_room {
            let attributes = BTreeMap::from([
                ("UserId".to_owned(), target.as_str().to_owned()),
                ("Until".to_owned(), rfc3339(self.now())),
            ]);
            // Lifted all the same: a page that misses the news learns it from its next token.
            if let Err(error) = self
                .ports
                .chat_service
                .send_event(room, events::TIMEOUT, &attributes)
                .await
            {
                tracing::warn!(%error, "telling the room about a lifted timeout failed");
            }
        }
        self.log_moderation(&moderating, ModerationAction::Unban, Some(target), None)
            .await
    }

    /// The bans and timeouts still in force, newest first.
    pub async fn bans(&self, who: &Identity, of: ChatOf<'_>) -> DomainResult<Vec<Ban>> {
        let moderating = self.moderating(who, of).await?;
        let now = self.now();
        let mut bans: Vec<Ban> = self
            .ports
            .chat
            .list_bans(&moderating.channel.id)
            .await?
            .into_iter()
            .filter(|b| b.is_active(now))
            .collect();
        bans.sort_by_key(|b| std::cmp::Reverse(b.created_at));
        Ok(bans)
    }

    /// The channel's moderation log, newest first, for its owner and moderators.
    pub async fn moderation_log(
        &self,
        who: &Identity,
        of: ChatOf<'_>,
        before: Option<&ModerationCursor>,
        limit: Option<usize>,
    ) -> DomainResult<Page<ModerationEntry, ModerationCursor>> {
        let limit = check_limit(limit, 50)?;
        let moderating = self.moderating(who, of).await?;
        Ok(self
            .ports
            .chat
            .list_moderation(&moderating.channel.id, before, limit)
            .await?)
    }

    /// Replaces the caller's chat limits, word filter, slow mode and account age, in the chat
    /// service's room too, and tells the clients in the room what viewers must now wait for.
    pub async fn update_chat_rules(
        &self,
        who: &Identity,
        rules: ChatRules,
    ) -> DomainResult<Channel> {
        rules.validate()?;
        self.count_channel_change(who).await?;
        let account = self.ensure_account(who).await?;
        let before = account.channel.chat_rules.clone();
        // The room holds only its rate and length (the rest is ours): an UpdateRoom, on a quota
        // per AWS account, only when they change. What is stored is what the room has, as the
        // rules are stored only after the room took them.
        let room_changed = before.max_messages_per_second != rules.max_messages_per_second
            || before.max_message_length != rules.max_message_length;
        if room_changed && let Some(room) = &account.channel.chat_room {
            self.ports.chat_service.update_room(room, &rules).await?;
        }
        let (channel, _) = self
            .modify_channel(&account.channel.id, |c| {
                let changed = c.chat_rules != rules;
                c.chat_rules = rules.clone();
                Ok(changed)
            })
            .await?;
        let shielded = channel.shield.is_some();
        self.tell_room_rules(&channel, &before, shielded).await;
        Ok(channel)
    }

    /// Tells the clients in the channel's room what viewers must now wait for, if that is not
    /// what it was (`before`, and whether shield mode was raised: `shielded_before`). A room
    /// that misses the news learns the rules with its next token.
    pub(crate) async fn tell_room_rules(
        &self,
        channel: &Channel,
        before: &ChatRules,
        shielded_before: bool,
    ) {
        let rules = &channel.chat_rules;
        let shielded = channel.shield.is_some();
        let changed = before.slow_mode_seconds != rules.slow_mode_seconds
            || before.min_account_age_minutes != rules.min_account_age_minutes
            || before.followers_only_minutes != rules.followers_only_minutes
            || before.emote_only != rules.emote_only
            || before.links_off != rules.links_off
            || before.unique_chat != rules.unique_chat
            || shielded_before != shielded;
        let Some(room) = channel.chat_room.as_ref().filter(|_| changed) else {
            return;
        };
        let mut attributes = BTreeMap::from([
            (
                "SlowModeSeconds".to_owned(),
                rules.slow_mode_seconds.to_string(),
            ),
            (
                "MinAccountAgeMinutes".to_owned(),
                rules.min_account_age_minutes.to_string(),
            ),
        ]);
        // Absent when off: event attributes are strings, and no string means "none".
        if let Some(minutes) = rules.followers_only_minutes {
            attributes.insert("FollowersOnlyMinutes".to_owned(), minutes.to_string());
        }
        for (name, on) in [
            ("EmoteOnly", rules.emote_only),
            ("LinksOff", rules.links_off),
            ("UniqueChat", rules.unique_chat),
            ("Shield", shielded),
        ] {
            if on {
                attributes.insert(name.to_owned(), "true".to_owned());
            }
        }
        if let Err(error) = self
            .ports
            .chat_service
            .send_event(room, events::CHAT_RULES, &attributes)
            .await
        {
            tracing::warn!(%error, "telling the room about new chat rules failed");
        }
    }

    /// Whether `user` is banned from the room `room_arn` now: a token minted before a ban must not
    /// let them in. (A timeout keeps nobody out.)
    pub async fn banned_from_room(&self, room_arn: &str, user: &UserId) -> DomainResult<bool> {
        let channel = self.channel_of_room(room_arn).await?;
        Ok(self
            .active_ban(&channel.id, user)
            .await?
            .is_some_and(|ban| !ban.timeout))
    }

    /// The rules of the room `room_arn`, for a chat service that lost them (the local one keeps
    /// rooms in memory, so after a restart it asks).
    pub async fn room_rules(&self, room_arn: &str) -> DomainResult<ChatRules> {
        Ok(self.channel_of_room(room_arn).await?.chat_rules)
    }
}

pub(crate) fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
