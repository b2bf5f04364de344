//! The moderation log: who deleted, timed out, banned or appointed whom in a channel (and who
//! pinned messages or ran polls), when and why, for the owner and the moderators to read.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::ids::{ChannelId, MessageId, PollId, UserId};
use crate::page::Listed;

/// How long the log keeps an entry (the cloud's table forgets older ones by TTL).
pub const LOG_LIFETIME: Duration = Duration::days(90);

/// What a moderator did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ModerationAction {
    /// A message removed; `excerpt` is its start, so the log says what it was.
    DeleteMessage {
        message_id: MessageId,
        excerpt: Option<String>,
    },
    Timeout {
        #[serde(with = "time::serde::rfc3339")]
        until: OffsetDateTime,
    },
    Ban {
        #[serde(with = "time::serde::rfc3339::option")]
        until: Option<OffsetDateTime>,
    },
    /// A ban or a timeout lifted.
    Unban,
    /// A message pinned above the chat; `excerpt` is its start.
    PinMessage {
        message_id: MessageId,
        excerpt: Option<String>,
    },
    /// The pinned message taken down (not by deleting it, which says so itself).
    UnpinMessage {
        message_id: MessageId,
        excerpt: Option<String>,
    },
    AddModerator,
    RemoveModerator,
    /// A poll opened in the chat, with its question.
    OpenPoll {
        poll_id: PollId,
        question: String,
    },
    /// A poll ended before its time (one that closes by itself is not logged).
    EndPoll {
        poll_id: PollId,
        question: String,
    },
    /// Shield mode raised on the chat.
    RaiseShield,
    /// Shield mode lowered, the rules from before it back.
    LowerShield,
}

/// One line of a channel's moderation log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationEntry {
    pub channel_id: ChannelId,
    /// Unique within the channel; orders entries made in the same instant.
    pub id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor: UserId,
    pub actor_nickname: String,
    pub action: ModerationAction,
    /// Whom it was done to (`None` for a message whose sender is unknown).
    pub target: Option<UserId>,
    pub target_nickname: Option<String>,
    pub reason: Option<String>,
}

impl ModerationEntry {
    /// Whom this entry holds to account, if anyone: the viewer whose message was deleted, who
    /// was timed out or banned, or whose ban was lifted. What a chatter's card shows the room's
    /// runners, and what the stores index by person. Pins, polls and appointments judge no one.
    pub fn holds_to_account(&self) -> Option<&UserId> {
        match self.action {
            ModerationAction::DeleteMessage { .. }
            | ModerationAction::Timeout { .. }
            | ModerationAction::Ban { .. }
            | ModerationAction::Unban => self.target.as_ref(),
            ModerationAction::PinMessage { .. }
            | ModerationAction::UnpinMessage { .. }
            | ModerationAction::AddModerator
            | ModerationAction::RemoveModerator
            | ModerationAction::OpenPoll { .. }
            | ModerationAction::EndPoll { .. }
            | ModerationAction::RaiseShield
            | ModerationAction::LowerShield => None,
        }
    }
}

/// The characters of a deleted message the log keeps.
pub const EXCERPT_CHARS: usize = 80;

/// The start of a message, as the log shows it.
pub fn excerpt(content: &str) -> String {
    let mut excerpt: String = content.chars().take(EXCERPT_CHARS).collect();
    if content.chars().nth(EXCERPT_CHARS).is_some() {
        excerpt.push('…');
    }
    excerpt
}

/// A position in a channel's log: entries strictly older come next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModerationCursor {
    pub at: OffsetDateTime,
    pub id: String,
}

impl Listed for ModerationEntry {
    type Cursor = ModerationCursor;
    fn cursor(&self) -> ModerationCursor {
        ModerationCursor {
            at: self.at,
            id: self.id.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_keeps_the_start_of_a_long_message_and_says_it_was_cut() {
        assert_eq!(excerpt("short 메시지"), "short 메시지");
        let long = "가".repeat(EXCERPT_CHARS + 1);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
    }
}
