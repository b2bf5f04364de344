//! Moderation: bans, moderators' reasons, and the one pure review every chat message passes, in
//! the cloud (the IVS Chat message-review Lambda) and locally (the chat server).

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::chat_rules::{ChatRules, FilterMode};
use crate::error::DomainError;
use crate::ids::{ChannelId, UserId};
use crate::text;

/// The longest reason a moderator may give, in characters (IVS Chat's limit for `Reason`).
pub const MAX_REASON_CHARS: usize = 256;

/// A reason a moderator gave: 1–[`MAX_REASON_CHARS`] characters.
pub fn parse_reason(input: &str) -> Result<String, DomainError> {
    text::clean(input, "invalid_reason", "a reason", 1, MAX_REASON_CHARS)
}

/// The shortest and longest timeouts: a minute to cool off, a day at most (longer is a ban).
pub const MIN_TIMEOUT: Duration = Duration::minutes(1);
pub const MAX_TIMEOUT: Duration = Duration::hours(24);

/// A user kept from one channel's chat, for a while or for good: banned (no chat token, not even
/// to read), or timed out (still reading, but nothing they send is delivered until it ends).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ban {
    pub channel_id: ChannelId,
    pub user_id: UserId,
    /// The nickname when banned, so the moderator's list is readable.
    pub nickname: String,
    pub reason: Option<String>,
    pub banned_by: UserId,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
    /// A timeout rather than a ban: it always ends, and the user may keep reading.
    #[serde(default)]
    pub timeout: bool,
}

impl Ban {
    pub fn is_active(&self, now: OffsetDateTime) -> bool {
        self.expires_at.is_none_or(|expiry| expiry > now)
    }
}

/// Why a message was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DenyReason {
    /// The sender sent too many messages in too short a time (their own limit, before the room's).
    RateLimited,
    Banned,
    /// Timed out by a moderator: may read, not send, until the timeout ends.
    TimedOut,
    /// Slow mode: the sender's previous message was too recent.
    SlowMode,
    /// The sender's account is younger than the room asks for.
    AccountTooNew,
    /// Followers-only chat: the sender does not follow the channel, or not for long enough.
    FollowersOnly,
    /// Emote-only chat: the message has words, not just emotes and emoji.
    EmoteOnly,
    /// Links off: the message has a link.
    LinksOff,
    /// Unique chat: the room saw the same message moments ago.
    NotUnique,
    Empty,
    TooLong,
    Filtered,
    /// The sender deleted their account: a chat connection it left open says nothing more
    /// (what they said is erased with it, and their handle may be someone else's now).
    AccountDeleted,
    /// Staff suspended the channel: a connection opened before says nothing more.
    ChannelSuspended,
}

impl DenyReason {
    pub fn message(self) -> &'static str {
        match self {
            Self::RateLimited => "you are sending messages too fast",
            Self::Banned => "you are banned from this chat",
            Self::TimedOut => "you are timed out in this chat",
            Self::SlowMode => "slow mode is on: wait before sending another message",
            Self::AccountTooNew => "this chat asks for an older account before you can send",
            Self::FollowersOnly => "this chat is for the channel's followers",
            Self::EmoteOnly => "this chat is emote-only",
            Self::LinksOff => "links are off in this chat",
            Self::NotUnique => "unique chat is on: this was said in the last 30 seconds",
            Self::Empty => "the message is empty",
            Self::TooLong => "the message is too long",
            Self::Filtered => "the message contains a word this channel filters",
            Self::AccountDeleted => "your account was deleted",
            Self::ChannelSuspended => "this channel is suspended",
        }
    }
}

/// Reviews a message against the channel's rules and the sender's ban, if any: the content as it
/// will be delivered (the word filter may have masked it), or why it is refused. Pure and fast:
/// the IVS Chat review hook must answer within 200 ms, and this is microseconds.
pub fn review(
    content: &str,
    rules: &ChatRules,
    ban: Option<&Ban>,
    now: OffsetDateTime,
) -> Result<String, DenyReason> {
    if let Some(ban) = ban.filter(|ban| ban.is_active(now)) {
        return Err(if ban.timeout {
            DenyReason::TimedOut
        } else {
            DenyReason::Banned
        });
    }
    if content.trim().is_empty() {
        return Err(DenyReason::Empty);
    }
    if content.chars().count() > usize::from(rules.max_message_length) {
        return Err(DenyReason::TooLong);
    }
    if let Some(masked) = rules.word_filter.masked(content) {
        return match rules.word_filter.mode {
            FilterMode::Block => Err(DenyReason::Filtered),
            FilterMode::Mask => Ok(masked),
        };
    }
    Ok(content.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat_rules::WordFilter;
    use time::macros::datetime;

    fn rules(words: &[&str], mode: FilterMode) -> ChatRules {
        let words: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        ChatRules {
            word_filter: WordFilter::new(&words, mode).unwrap(),
            ..ChatRules::default()
        }
    }

    const NOW: OffsetDateTime = datetime!(2026-11-22 12:00 UTC);

    fn ban(expires_at: Option<OffsetDateTime>) -> Ban {
        Ban {
            channel_id: crate::ids::ChannelId::parse("ch1").unwrap(),
            user_id: UserId::parse("u1").unwrap(),
            nickname: "troll".into(),
            reason: None,
            banned_by: UserId::parse("owner").unwrap(),
            created_at: datetime!(2026-11-22 11:00 UTC),
            expires_at,
            timeout: false,
        }
    }

    #[test]
    fn a_clean_message_is_allowed_unchanged() {
        let outcome = review(
            "hello 안녕",
            &rules(&["spam"], FilterMode::Block),
            None,
            NOW,
        );
        assert_eq!(outcome, Ok("hello 안녕".into()));
    }

    #[test]
    fn a_filtered_word_blocks_the_message_in_block_mode_whatever_its_case() {
        let outcome = review(
            "buy SpAm now",
            &rules(&["spam"], FilterMode::Block),
            None,
            NOW,
        );
        assert_eq!(outcome, Err(DenyReason::Filtered));
    }

    #[test]
    fn a_filtered_word_is_masked_in_mask_mode_even_when_glued_to_korean_particles() {
        let outcome = review(
            "바보야 spam!",
            &rules(&["바보", "spam"], FilterMode::Mask),
            None,
            NOW,
        );
        assert_eq!(outcome, Ok("**야 ****!".into()));
    }

    #[test]
    fn zero_width_characters_do_not_hide_a_filtered_word() {
        let outcome = review(
            "sp\u{200B}am",
            &rules(&["spam"], FilterMode::Mask),
            None,
            NOW,
        );
        assert_eq!(outcome, Ok("*****".into()));
    }

    #[test]
    fn an_active_ban_denies_and_an_expired_one_does_not() {
        let r = ChatRules::default();
        assert_eq!(
            review("hi", &r, Some(&ban(None)), NOW),
            Err(DenyReason::Banned)
        );
        let later = Some(datetime!(2026-11-22 13:00 UTC));
        assert_eq!(
            review("hi", &r, Some(&ban(later)), NOW),
            Err(DenyReason::Banned)
        );
        let earlier = Some(datetime!(2026-11-22 11:30 UTC));
        assert!(review("hi", &r, Some(&ban(earlier)), NOW).is_ok());
    }

    #[test]
    fn a_timeout_denies_as_a_timeout_until_it_ends() {
        let r = ChatRules::default();
        let mut timeout = ban(Some(datetime!(2026-11-22 12:10 UTC)));
        timeout.timeout = true;
        assert_eq!(
            review("hi", &r, Some(&timeout), NOW),
            Err(DenyReason::TimedOut)
        );
        let after = datetime!(2026-11-22 12:10 UTC);
        assert!(review("hi", &r, Some(&timeout), after).is_ok());
    }

    #[test]
    fn a_message_over_the_room_limit_in_code_points_is_denied() {
        let r = ChatRules {
            max_message_length: 5,
            ..ChatRules::default()
        };
        assert!(review("가나다라마", &r, None, NOW).is_ok());
        assert_eq!(
            review("가나다라마바", &r, None, NOW),
            Err(DenyReason::TooLong)
        );
        assert_eq!(review("   ", &r, None, NOW), Err(DenyReason::Empty));
    }
}
