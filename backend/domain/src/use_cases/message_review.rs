//! What happens when someone sends a chat message: the one review every message passes before
//! anyone sees it (the sender's own rate limit, bans, the word filter, length), and keeping
//! allowed messages as history.
//! The IVS Chat review Lambda runs this in the cloud; the local chat server runs it in-process.

use std::collections::BTreeMap;

use time::{Duration, OffsetDateTime};

use crate::channel::Channel;
use crate::chat::{ChatRole, StoredMessage};
use crate::chat_replies;
use crate::chat_rules;
use crate::error::DomainResult;
use crate::ids::{MessageId, UserId};
use crate::limits::{self, RateLimit};
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
    /// Reviews one message, judged in this order: whether the sender's account still exists
    /// (a connection a deleted account left open is refused), the sender's own rate limit (so one sender
    /// cannot use up the room's), their ban or timeout and the channel's rules, the room's
    /// account age, followers-only, and last slow mode. The owner and moderators have no sender
    /// limit, slow mode, age or follow to show: they run the room. A reply is delivered naming
    /// whose message it answers, as history holds that message ([`chat_replies`]). Stores
    /// nothing: a caller keeps allowed messages with [`Platform::keep_messages`], one or many at
    /// a time.
    pub async fn review_message(&self, input: ReviewInput) -> DomainResult<Verdict> {
        let channel = self.channel_of_room(&input.room_arn).await?;
        if channel.is_suspended(self.now()) {
            // Tokens were refused since; a connection opened before is silenced here.
            return Ok(Verdict::Deny(DenyReason::ChannelSuspended));
        }
        let role = ChatRole::of(&channel, Some(&input.sender));
        let rules = &channel.chat_rules;
        let limited = !role.runs_the_room();
        // The sender's rate, their ban, their account's age, their follow and the message a reply
        // answers do not depend on each other: asked together, a review waits for one round trip
        // to the store instead of six (every message waits for its review, and IVS Chat gives
        // one 200 ms).
        let answered = chat_replies::answered(&input.attributes);
        // And whether the sender deleted their account: a connection it left open must not
        // speak for it, or for whoever takes its handle next.
        let erased = self.ports.channels.was_erased(&input.sender);
        let reads = futures_util::future::join5(
            async {
                if limited {
                    self.sender_within(&channel, &input.sender).await
                } else {
                    Ok(true)
                }
            },
            self.ports.chat.get_ban(&channel.id, &input.sender),
            async {
                if limited && rules.min_account_age_minutes > 0 {
                    self.account_created_at(&input.sender).await.map(Some)
                } else {
                    Ok(None)
                }
            },
            async {
                match rules.followers_only_minutes {
                    Some(minutes) if limited => self
                        .ports
                        .follows
                        .get_follow(&input.sender, &channel.id)
                        .await
                        .map(|follow| Some((minutes, follow))),
                    _ => Ok(None),
                }
            },
            async {
                match &answered {
                    Some(id) => self.ports.chat.get_message(&channel.id, id).await,
                    None => Ok(None),
                }
            },
        );
        let ((within, ban, joined, follow, parent), erased) =
            futures_util::future::join(reads, erased).await;
        if erased? {
            return Ok(Verdict::Deny(DenyReason::AccountDeleted));
        }
        if !within? {
            return Ok(Verdict::Deny(DenyReason::RateLimited));
        }
        let now = self.now();
        let content = match moderation::review(&input.content, rules, ban?.as_ref(), now) {
            Err(reason) => return Ok(Verdict::Deny(reason)),
            Ok(content) => content,
        };
        if limited {
            if let Some(joined) = joined? {
                let old_enough = joined.is_some_and(|at| {
                    at + Duration::minutes(i64::from(rules.min_account_age_minutes)) <= now
                });
                if !old_enough {
                    return Ok(Verdict::Deny(DenyReason::AccountTooNew));
                }
            }
            if let Some((minutes, follow)) = follow? {
                // A follow counts from when it was made: unfollowing and following again starts
                // the wait over, so a raid's strangers cannot follow their way in at once.
                let long_enough = follow.is_some_and(|follow| {
                    follow.followed_at + Duration::minutes(i64::from(minutes)) <= now
                });
                if !long_enough {
                    return Ok(Verdict::Deny(DenyReason::FollowersOnly));
                }
            }
            // Who may send comes before what they send: a stranger to a followers-only room
            // hears that first, whatever they wrote.
            if rules.emote_only
                && !chat_rules::only_emotes(&input.content, |code| {
                    channel.emotes.iter().any(|e| e.code.as_str() == code)
                })
            {
                return Ok(Verdict::Deny(DenyReason::EmoteOnly));
            }
            if rules.links_off && chat_rules::has_link(&input.content) {
                return Ok(Verdict::Deny(DenyReason::LinksOff));
            }
            // Near the end: only a message that is otherwise delivered uses up the sender's turn.
            if rules.slow_mode_seconds > 0 {
                let key = format!("chat-slow:{}:{}", channel.id, input.sender);
                let interval = Duration::seconds(i64::from(rules.slow_mode_seconds));
                if !self.within(&key, RateLimit::once_per(interval)).await? {
                    return Ok(Verdict::Deny(DenyReason::SlowMode));
                }
            }
        }
        // Unique chat remembers what everyone says, those who run the room too (a viewer may not
        // echo the streamer's line either), and holds only viewers to it. After the sender's
        // turn: a repeat costs its sender their turn, and words the room never got are never
        // remembered as said.
        if rules.unique_chat
            && let Some(said) = chat_rules::unique_key(&input.content)
        {
            let key = format!("chat-said:{}:{said}", channel.id);
            let interval = Duration::seconds(chat_rules::UNIQUE_SECONDS);
            if !self.within(&key, RateLimit::once_per(interval)).await? && limited {
                return Ok(Verdict::Deny(DenyReason::NotUnique));
            }
        }
        Ok(Verdict::Allow(StoredMessage {
            channel_id: channel.id,
            id: input.message_id,
            sent_at: input.sent_at,
            sender: input.sender,
            sender_attributes: input.sender_attributes,
            content,
            // Whom a reply answers is decoration: a store that cannot say sends it as a plain
            // message rather than refusing it.
            attributes: chat_replies::with_reply(
                input.attributes,
                parent
                    .inspect_err(
                        |error| tracing::warn!(%error, "reading the message a reply answers"),
                    )
                    .ok()
                    .flatten()
                    .as_ref(),
            ),
        }))
    }

    /// Whether `sender` is within their own rate in `channel`'s room (counting this message):
    /// a burst per second, at most half the room's, and [`limits::CHAT_SENDER`].
    async fn sender_within(&self, channel: &Channel, sender: &UserId) -> DomainResult<bool> {
        let key = format!("chat-sender:{}:{}", channel.id, sender);
        let burst = limits::chat_sender_burst(channel.chat_rules.max_messages_per_second);
        Ok(self.within(&format!("{key}:second"), burst).await?
            && self.within(&key, limits::CHAT_SENDER).await?)
    }

    /// When the user's account was made (their channel comes with it), if they have one.
    pub(crate) async fn account_created_at(
        &self,
        user: &UserId,
    ) -> DomainResult<Option<OffsetDateTime>> {
        Ok(self
            .ports
            .channels
            .find_channel_by_owner(user)
            .await?
            .map(|c| c.created_at))
    }

    /// Stores allowed messages for history (all or none), before they are delivered.
    pub async fn keep_messages(&self, messages: &[StoredMessage]) -> DomainResult<()> {
        Ok(self.ports.chat.append_messages(messages).await?)
    }
}
