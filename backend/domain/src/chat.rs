//! Chat: who may do what in a room, the tokens that carry it, and the stored history.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::channel::{Channel, ChatRoom};
// History's values have their own module, which channels can name without naming chat rooms.
pub use crate::chat_message::{
    ChatActivity, MessageCursor, PinnedMessage, StoredMessage, message_order_key,
};
use crate::ids::UserId;

/// An IVS Chat capability carried by a chat token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ChatCapability {
    SendMessage,
    DeleteMessage,
    DisconnectUser,
}

impl ChatCapability {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SendMessage => "SEND_MESSAGE",
            Self::DeleteMessage => "DELETE_MESSAGE",
            Self::DisconnectUser => "DISCONNECT_USER",
        }
    }
}

/// The caller's role in one channel's chat. Decided by the server, never taken from a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChatRole {
    /// Signed out: reads only.
    Anonymous,
    /// Signed in: may send.
    Viewer,
    /// Appointed by the owner: may also delete messages and disconnect users, and time out and
    /// ban viewers through the API, but not touch the owner, other moderators or the settings.
    Moderator,
    /// The channel's owner: may also delete messages and disconnect users.
    Owner,
}

impl ChatRole {
    pub fn of(channel: &Channel, user: Option<&UserId>) -> Self {
        match user {
            None => Self::Anonymous,
            Some(user) if channel.is_owned_by(user) => Self::Owner,
            Some(user) if channel.is_moderated_by(user) => Self::Moderator,
            Some(_) => Self::Viewer,
        }
    }

    pub fn capabilities(self) -> Vec<ChatCapability> {
        match self {
            Self::Anonymous => vec![],
            Self::Viewer => vec![ChatCapability::SendMessage],
            Self::Owner | Self::Moderator => vec![
                ChatCapability::SendMessage,
                ChatCapability::DeleteMessage,
                ChatCapability::DisconnectUser,
            ],
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Anonymous => "anonymous",
            Self::Viewer => "viewer",
            Self::Moderator => "moderator",
            Self::Owner => "owner",
        }
    }

    /// Whether the room's rules for viewers (limits, slow mode, account age) pass this role by.
    pub fn runs_the_room(self) -> bool {
        matches!(self, Self::Owner | Self::Moderator)
    }
}

/// Token attributes travel with every message the user sends; IVS Chat caps them at 1 KB.
pub const MAX_TOKEN_ATTRIBUTES_BYTES: usize = 1024;
/// Chat sessions last 1–180 minutes (IVS `sessionDurationInMinutes`).
pub const MAX_SESSION_MINUTES: u16 = 180;

/// What the chat service is asked to mint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatTokenRequest {
    pub room: ChatRoom,
    pub user_id: UserId,
    pub capabilities: Vec<ChatCapability>,
    pub session_duration_minutes: u16,
    /// Shown next to the user's messages: `nickname`, `avatar`, `role`, `handle`.
    pub attributes: BTreeMap<String, String>,
}

impl ChatTokenRequest {
    pub fn attributes_size(&self) -> usize {
        self.attributes.iter().map(|(k, v)| k.len() + v.len()).sum()
    }
}

/// A minted token: the WebSocket subprotocol the client connects with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatToken {
    pub token: String,
    /// Where to connect: `wss://edge.ivschat.<region>.amazonaws.com`, or the local chat server.
    pub endpoint: String,
    pub token_expiration_time: OffsetDateTime,
    pub session_expiration_time: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_come_from_the_role() {
        let owner = UserId::parse("owner").unwrap();
        let channel = crate::test_support::channel("owner", "alice");
        let viewer = UserId::parse("viewer").unwrap();
        let mut channel = channel;
        channel.moderators.push(UserId::parse("moderator").unwrap());
        assert_eq!(
            ChatRole::of(&channel, Some(&UserId::parse("moderator").unwrap())).capabilities(),
            vec![
                ChatCapability::SendMessage,
                ChatCapability::DeleteMessage,
                ChatCapability::DisconnectUser
            ]
        );
        assert_eq!(ChatRole::of(&channel, None).capabilities(), vec![]);
        assert_eq!(
            ChatRole::of(&channel, Some(&viewer)).capabilities(),
            vec![ChatCapability::SendMessage]
        );
        assert_eq!(
            ChatRole::of(&channel, Some(&owner)).capabilities(),
            vec![
                ChatCapability::SendMessage,
                ChatCapability::DeleteMessage,
                ChatCapability::DisconnectUser
            ]
        );
    }

    #[test]
    fn capabilities_serialize_with_their_ivs_names() {
        for capability in [
            ChatCapability::SendMessage,
            ChatCapability::DeleteMessage,
            ChatCapability::DisconnectUser,
        ] {
            let json = serde_json::to_string(&capability).unwrap();
            assert_eq!(json, format!("\"{}\"", capability.as_str()));
        }
    }
}
