//! Who is talking: a card for someone in a channel's chat, opened from their name on a
//! message. Anyone who may watch the channel sees their name, picture and channel, how long
//! they have had an account and how long they have followed this channel (what a viewer or a
//! moderator weighs before answering a stranger); the channel's owner and moderators also see
//! a ban or timeout in force, what the room's runners did to them before (their deleted
//! messages, timeouts, bans and lifts), so a third offence is not judged as a first, and what
//! they said in the room lately, so a message is judged in its context.

use time::OffsetDateTime;

use crate::chat::{ChatRole, StoredMessage};
use crate::error::{DomainError, DomainResult};
use crate::handle::ChannelHandle;
use crate::ids::UserId;
use crate::moderation::Ban;
use crate::moderation_log::ModerationEntry;
use crate::platform::Platform;
use crate::profile::{Avatar, Nickname};

/// Someone in a channel's chat, as the caller may see them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatterCard {
    pub user_id: UserId,
    pub nickname: Nickname,
    pub avatar: Avatar,
    /// Their own channel (every account has one).
    pub handle: ChannelHandle,
    /// When their account was made.
    pub joined_at: OffsetDateTime,
    /// What they are in this channel's chat: its owner, a moderator or a viewer.
    pub role: ChatRole,
    /// Since when they follow this channel, if they do.
    pub followed_at: Option<OffsetDateTime>,
    /// A ban or timeout in force: only for the channel's owner and moderators to see.
    pub restriction: Option<Ban>,
    /// The moderation log's latest entries holding them to account in this channel, newest
    /// first (at most [`CARD_HISTORY`], kept [`LOG_LIFETIME`]): only for the channel's owner
    /// and moderators to see.
    ///
    /// [`LOG_LIFETIME`]: crate::moderation_log::LOG_LIFETIME
    pub history: Vec<ModerationEntry>,
    /// What they said in this channel's chat lately, newest first (at most [`CARD_MESSAGES`],
    /// found among their [`CARD_MESSAGES_WITHIN`] latest messages anywhere): only for the
    /// channel's owner and moderators to see.
    pub recent_messages: Vec<StoredMessage>,
}

/// How many of the log's entries a card shows.
pub const CARD_HISTORY: usize = 10;
/// How many of their messages in the room a card shows.
pub const CARD_MESSAGES: usize = 10;
/// How many of their latest messages, in every room, a card looks through for those.
pub const CARD_MESSAGES_WITHIN: usize = 200;

impl Platform {
    /// `user`'s card in the chat of the channel `handle`, for `who` (signed out: `None`). A
    /// private channel's chatters are for those who may watch it; an unknown user is not found.
    pub async fn chatter_card(
        &self,
        who: Option<&UserId>,
        handle: &str,
        user: &UserId,
    ) -> DomainResult<ChatterCard> {
        let channel = self.channel_by_handle(handle).await?;
        if !self.can_watch(&channel, who).await? {
            return Err(DomainError::Forbidden("this channel is private"));
        }
        let ports = &self.ports;
        // What the room's runners also see does not depend on who the user is: asked with the
        // rest, a card waits for one round trip to the store.
        let runs_the_room = ChatRole::of(&channel, who).runs_the_room();
        let for_runners = async {
            if !runs_the_room {
                return Ok((None, Vec::new(), Vec::new()));
            }
            let (restriction, history, said) = futures_util::future::join3(
                self.active_ban(&channel.id, user),
                ports
                    .chat
                    .list_moderation_of(&channel.id, user, CARD_HISTORY),
                ports.chat.list_sent_messages_in(
                    &channel.id,
                    user,
                    CARD_MESSAGES,
                    CARD_MESSAGES_WITHIN,
                ),
            )
            .await;
            DomainResult::Ok((restriction?, history?, said?))
        };
        let ((profile, theirs, follow), for_runners) = futures_util::future::join(
            futures_util::future::join3(
                ports.channels.get_profile(user),
                ports.channels.find_channel_by_owner(user),
                ports.follows.get_follow(user, &channel.id),
            ),
            for_runners,
        )
        .await;
        let (Some(profile), Some(theirs)) = (profile?, theirs?) else {
            return Err(DomainError::NotFound("user"));
        };
        let (restriction, history, mut recent_messages) = for_runners?;
        self.forget_erased_in_replies(&mut recent_messages).await?;
        Ok(ChatterCard {
            user_id: user.clone(),
            nickname: profile.nickname,
            avatar: profile.avatar,
            handle: theirs.handle,
            joined_at: theirs.created_at,
            role: ChatRole::of(&channel, Some(user)),
            followed_at: follow?.map(|follow| follow.followed_at),
            restriction,
            history,
            recent_messages,
        })
    }
}
