//! A chat message as history keeps it, where history stands, and the message pinned above a
//! room. Apart from [`crate::chat`], which knows channels: a channel holds its pinned message.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::ids::{ChannelId, MessageId, UserId};
use crate::page::Listed;

/// One delivered chat message as kept for history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMessage {
    pub channel_id: ChannelId,
    pub id: MessageId,
    #[serde(with = "time::serde::rfc3339")]
    pub sent_at: OffsetDateTime,
    pub sender: UserId,
    /// The sender's token attributes when they sent it (nickname, avatar, role).
    pub sender_attributes: BTreeMap<String, String>,
    pub content: String,
    /// The message's own attributes (IVS `Attributes`), e.g. a reply-to id.
    pub attributes: BTreeMap<String, String>,
}

impl Listed for StoredMessage {
    type Cursor = MessageCursor;
    fn cursor(&self) -> MessageCursor {
        MessageCursor {
            sent_at: self.sent_at,
            id: self.id.clone(),
        }
    }
}

/// A position in a room's history: messages strictly older than this come next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageCursor {
    pub sent_at: OffsetDateTime,
    pub id: MessageId,
}

/// How much a room chatted over a stretch of time (a broadcast's): the messages kept (not those
/// deleted since) and how many different people sent them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatActivity {
    pub messages: u64,
    pub chatters: u64,
}

/// A message the owner or a moderator pinned above the room's chat: a copy, so that everyone
/// who joins reads it without paging back through history. One per channel; deleting the
/// message unpins it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinnedMessage {
    pub message: StoredMessage,
    pub pinned_by: UserId,
    pub pinned_by_nickname: String,
    #[serde(with = "time::serde::rfc3339")]
    pub pinned_at: OffsetDateTime,
}

/// Ordering key of a message in a room: time, then id for ties.
pub fn message_order_key(sent_at: OffsetDateTime, id: &MessageId) -> (i128, String) {
    (sent_at.unix_timestamp_nanos(), id.as_str().to_owned())
}
