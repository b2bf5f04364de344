//! Chat tokens: what lets a caller into a channel's chat room, with capabilities decided here
//! from their role (never from the request), and none at all for banned users. A timed-out
//! viewer still gets one (they may read), with the time they may send again.

use std::collections::BTreeMap;

use time::{Duration, OffsetDateTime};

use crate::block_list::BlockList;
use crate::chat::{
    ChatCapability, ChatRole, ChatToken, ChatTokenRequest, MAX_TOKEN_ATTRIBUTES_BYTES,
};
use crate::chat_message::PinnedMessage;
use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::ids::UserId;
use crate::limits;
use crate::platform::Platform;
use crate::poll::PollView;

/// A chat token for one caller in one room, with what it allows.
#[derive(Clone, Debug)]
pub struct IssuedChatToken {
    pub token: ChatToken,
    pub user_id: UserId,
    pub role: ChatRole,
    pub capabilities: Vec<ChatCapability>,
    /// For a viewer who may not send yet: when they may (a timeout's end, when their account is
    /// old enough for the room, or when they have followed a followers-only room for long
    /// enough). Clients show it before the user types.
    pub send_after: Option<OffsetDateTime>,
    /// When the caller's timeout ends, if they are timed out.
    pub timed_out_until: Option<OffsetDateTime>,
    /// When the caller's account was made (signed in only): the room may change its minimum
    /// account age while the caller's page is open, and the page works the wait out again.
    pub joined_at: Option<OffsetDateTime>,
    /// The room's slow mode and account age, which apply to this caller (zero for the owner
    /// and moderators).
    pub slow_mode_seconds: u16,
    pub min_account_age_minutes: u32,
    /// Followers-only chat as it applies to this caller: how long a follow must be (`None`: off,
    /// and always for the owner and moderators).
    pub followers_only_minutes: Option<u32>,
    /// When the caller followed the channel, if they do (for a followers-only room: a client
    /// that knows it can tell a viewer to follow before they type).
    pub followed_at: Option<OffsetDateTime>,
    /// Whether the room is emote-only for this caller (never for the owner and moderators).
    pub emote_only: bool,
    /// Whether the room refuses this caller's links (never the owner's and moderators').
    pub links_off: bool,
    /// Whether the room holds this caller to unique chat (never the owner and moderators).
    pub unique_chat: bool,
    /// Whether shield mode is raised on the room (for everyone: viewers read why the rules are
    /// strict, the owner and moderators whether to lower it).
    pub shield: bool,
    /// The message pinned above the chat, for the client to show from the start.
    pub pinned_message: Option<PinnedMessage>,
    /// The chat's poll while it is open, or lately ended, as the caller sees it.
    pub poll: Option<PollView>,
    /// Whom the caller blocked: the client hides what they say (a personal choice the room is
    /// not told of, so it cannot be done in the room).
    pub blocked: Vec<UserId>,
}

impl IssuedChatToken {
    /// When the caller's account is old enough for the room, if it is not yet at `now`. Apart
    /// from the timeout: a timeout the room announces later replaces the timeout, not this wait.
    pub fn account_old_enough_at(&self, now: OffsetDateTime) -> Option<OffsetDateTime> {
        let joined = self
            .joined_at
            .filter(|_| self.min_account_age_minutes > 0)?;
        Some(joined + Duration::minutes(i64::from(self.min_account_age_minutes)))
            .filter(|at| *at > now)
    }
}

impl Platform {
    /// Mints a chat token for the caller in a channel's room. Capabilities come from the caller's
    /// role there (see [`ChatRole`]); banned users get none at all. Signed-out minting is rate
    /// limited per client address (`client`): every token is a seat in the room. (A signed-in
    /// user answers for what their account does, and counts as one viewer however many seats
    /// they take.)
    pub async fn chat_token(
        &self,
        handle: &str,
        who: Option<&Identity>,
        client: Option<&str>,
    ) -> DomainResult<IssuedChatToken> {
        // A runtime that cannot tell clients apart passes none: one shared limit for every
        // signed-out viewer would lock them all out. The count and the channel are asked for
        // together (one round trip, not two); the limit guards the room's seats, which a
        // refused caller never reaches.
        let counted = async {
            match (who, client) {
                (None, Some(client)) => {
                    self.rate_limit(
                        &format!("chat-token:client:{client}"),
                        limits::ANONYMOUS_CHAT_TOKENS,
                    )
                    .await
                }
                _ => Ok(()),
            }
        };
        let (counted, channel) =
            futures_util::future::join(counted, self.channel_by_handle(handle)).await;
        counted?;
        let channel = channel?;
        self.refuse_suspended(&channel)?;
        let mut channel = self.provision(channel).await?;
        let user = who.map(|w| &w.user_id);
        let role = ChatRole::of(&channel, user);
        let rules = &channel.chat_rules;
        // The rules as they apply to the caller: none to those who run the room.
        let (slow_mode_seconds, min_account_age_minutes, followers_only_minutes) =
            if role.runs_the_room() {
                (0, 0, None)
            } else {
                (
                    rules.slow_mode_seconds,
                    rules.min_account_age_minutes,
                    rules.followers_only_minutes,
                )
            };
        let emote_only = rules.emote_only && !role.runs_the_room();
        let links_off = rules.links_off && !role.runs_the_room();
        let unique_chat = rules.unique_chat && !role.runs_the_room();
        // What the caller may do there, who they are, whether they follow the channel and whom
        // they blocked do not depend on each other: read together, then judged in order (a ban,
        // then a private channel).
        let (restriction, may_watch, account, follow, blocks) = futures_util::future::join5(
            async {
                match user {
                    Some(user) => self.active_ban(&channel.id, user).await,
                    None => Ok(None),
                }
            },
            self.can_watch(&channel, user),
            async {
                match who {
                    Some(who) => self.ensure_account(who).await.map(Some),
                    None => Ok(None),
                }
            },
            async {
                // Only a caller the rule applies to is asked to follow.
                match user {
                    Some(user) if followers_only_minutes.is_some() => {
                        self.ports.follows.get_follow(user, &channel.id).await
                    }
                    _ => Ok(None),
                }
            },
            async {
                match user {
                    Some(user) => self.block_list(user).await,
                    None => Ok(BlockList::default()),
                }
            },
        )
        .await;
        let restriction = restriction?;
        if let Some(ban) = restriction.as_ref().filter(|ban| !ban.timeout) {
            return Err(DomainError::Banned {
                until: ban.expires_at,
            });
        }
        if !may_watch? {
            return Err(DomainError::Forbidden("this channel is private"));
        }
        let (user_id, nickname, avatar, own_handle, joined) = match (who, account?) {
            (Some(who), Some(account)) => (
                who.user_id.clone(),
                account.profile.nickname.as_str().to_owned(),
                account.profile.avatar.as_str().to_owned(),
                account.channel.handle.as_str().to_owned(),
                Some(account.channel.created_at),
            ),
            _ => (
                UserId::anonymous(),
                String::new(),
                String::new(),
                String::new(),
                None,
            ),
        };
        let old_enough_at = joined
            .filter(|_| min_account_age_minutes > 0)
            .map(|at| at + Duration::minutes(i64::from(min_account_age_minutes)));
        let followed_at = follow?.map(|follow| follow.followed_at);
        let followed_long_enough_at = followers_only_minutes
            .zip(followed_at)
            .map(|(minutes, at)| at + Duration::minutes(i64::from(minutes)));
        let now = self.now();
        let timed_out_until = restriction.and_then(|ban| ban.expires_at);
        let send_after = [timed_out_until, old_enough_at, followed_long_enough_at]
            .into_iter()
            .flatten()
            .filter(|at| *at > now)
            .max();
        let capabilities = role.capabilities();
        let mut attributes = BTreeMap::new();
        attributes.insert("nickname".to_owned(), nickname);
        attributes.insert("avatar".to_owned(), avatar);
        attributes.insert("role".to_owned(), role.as_str().to_owned());
        // Others mention the user by it (`@handle`) and find their channel.
        attributes.insert("handle".to_owned(), own_handle);
        let request = ChatTokenRequest {
            room: channel
                .chat_room
                .clone()
                .ok_or(DomainError::NotFound("chat room"))?,
            user_id: user_id.clone(),
            capabilities: capabilities.clone(),
            session_duration_minutes: self.config.chat_session_minutes,
            attributes,
        };
        debug_assert!(request.attributes_size() <= MAX_TOKEN_ATTRIBUTES_BYTES);
        // Only while a poll is news does the token carry it (and its count is read). A pinned
        // reply is read as anyone reads it (`erased_replies`), beside the rest.
        let mut pinned_message = channel.pinned_message.take();
        let (token, poll, pinned) = futures_util::future::join3(
            self.ports.chat_service.create_token(&request),
            async {
                match &channel.poll {
                    Some(poll) if poll.is_current(now) => self.poll_view(&channel, user).await,
                    _ => Ok(None),
                }
            },
            self.forget_erased_in_replies(pinned_message.as_mut().map(|p| &mut p.message)),
        )
        .await;
        let (token, poll) = (token?, poll?);
        pinned?;
        Ok(IssuedChatToken {
            token,
            user_id,
            role,
            capabilities,
            send_after,
            timed_out_until,
            joined_at: joined,
            slow_mode_seconds,
            min_account_age_minutes,
            followers_only_minutes,
            followed_at,
            emote_only,
            links_off,
            unique_chat,
            shield: channel.shield.is_some(),
            pinned_message,
            poll,
            blocked: blocks?.user_ids().cloned().collect(),
        })
    }
}
