//! The IVS Chat messaging protocol's frames, as the official SDK reads and writes them, defined
//! once: the local chat server reads [`Request`]s and writes [`ServerFrame`]s, the browser app
//! the other way round. Field names are IVS's own (PascalCase), not this crate's camelCase.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// String attributes, as IVS carries them on tokens, messages and events. IVS may send `null`
/// for none.
pub type Attributes = BTreeMap<String, String>;

/// A request from a client (a JSON text frame). Every field is optional on the wire: a server
/// answers a missing one with ERROR 400 naming it, rather than failing to read the frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "Action", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Request {
    #[serde(rename_all = "PascalCase")]
    SendMessage {
        request_id: Option<String>,
        content: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        attributes: Option<Attributes>,
    },
    #[serde(rename_all = "PascalCase")]
    DeleteMessage {
        request_id: Option<String>,
        id: Option<String>,
        reason: Option<String>,
    },
    #[serde(rename_all = "PascalCase")]
    DisconnectUser {
        request_id: Option<String>,
        user_id: Option<String>,
        reason: Option<String>,
    },
}

impl Request {
    /// `SEND_MESSAGE` with the given content; a reply names the message it answers
    /// ([`reply::TO`], its only attribute).
    pub fn send_message(request_id: &str, content: &str, reply_to: Option<&str>) -> Self {
        Self::SendMessage {
            request_id: Some(request_id.to_owned()),
            content: Some(content.to_owned()),
            attributes: reply_to
                .map(|id| Attributes::from([(reply::TO.to_owned(), id.to_owned())])),
        }
    }
}

/// A reply's message attributes. A client sends only [`TO`], the id of the message it answers;
/// the chat review writes the others from that message as the room's history holds it (and drops
/// [`TO`] when history does not hold it), so a page trusts them. Read back once the answered
/// sender's account was deleted, a reply has none of them: it is a plain message.
pub mod reply {
    pub const TO: &str = "replyTo";
    pub const SENDER: &str = "replyToSender";
    pub const NICKNAME: &str = "replyToNickname";
    pub const HANDLE: &str = "replyToHandle";
}

/// What the server sends: a message, an event, or an error answering a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "Type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ServerFrame {
    Message(MessageFrame),
    Event(EventFrame),
    Error(ErrorFrame),
}

/// `{"Type":"MESSAGE", ...}`: a message everyone in the room receives, the sender included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MessageFrame {
    /// 12 letters and digits.
    pub id: String,
    /// The sender's `RequestId`; `""` for everyone else's copy is not guaranteed, so clients
    /// match on it only for their own messages.
    #[serde(default)]
    pub request_id: String,
    #[serde(default)]
    pub attributes: Option<Attributes>,
    pub content: String,
    /// RFC 3339 with nanoseconds.
    pub send_time: String,
    pub sender: Sender,
}

/// Who sent a message: their user id and their token's attributes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Sender {
    pub user_id: String,
    #[serde(default)]
    pub attributes: Option<Attributes>,
}

/// `{"Type":"EVENT", ...}`: `aws:DELETE_MESSAGE`, `aws:DISCONNECT_USER`, or an event the backend
/// sent (such as `app:STREAM_START`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventFrame {
    #[serde(default)]
    pub id: String,
    /// `""` for events the server started.
    #[serde(default)]
    pub request_id: String,
    pub event_name: String,
    #[serde(default)]
    pub attributes: Option<Attributes>,
    #[serde(default)]
    pub send_time: String,
}

/// `{"Type":"ERROR", ...}`: a request failed; `RequestId` names which.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ErrorFrame {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub request_id: String,
    pub error_code: u16,
    #[serde(default)]
    pub error_message: String,
}

/// Event names IVS Chat itself sends.
pub mod event {
    pub const DELETE_MESSAGE: &str = "aws:DELETE_MESSAGE";
    pub const DISCONNECT_USER: &str = "aws:DISCONNECT_USER";
    /// Sent by our backend when a channel's stream starts or ends.
    pub const STREAM_START: &str = "app:STREAM_START";
    pub const STREAM_END: &str = "app:STREAM_END";
    /// Staff suspended the channel, or lifted its suspension: read it again (no attributes).
    pub const CHANNEL_SUSPENDED: &str = "app:CHANNEL_SUSPENDED";
    /// A viewer was timed out: attributes `UserId` and `Until` (RFC 3339).
    pub const TIMEOUT: &str = "app:TIMEOUT";
    /// The room's rules for viewers changed: `SlowModeSeconds`, `MinAccountAgeMinutes`,
    /// `FollowersOnlyMinutes` while the room is followers-only, `EmoteOnly` (`true`) while it
    /// is emote-only, `LinksOff` (`true`) while viewers may post no links and `UniqueChat`
    /// (`true`) while a message the room just saw is refused.
    pub const CHAT_RULES: &str = "app:CHAT_RULES";
    /// The channel's custom emotes changed: read them again (no attributes).
    pub const EMOTES: &str = "app:EMOTES";
    /// The streamer sends everyone to another live channel: its `Handle` and `Nickname`.
    pub const RAID: &str = "app:RAID";
    /// A streamer is sending their viewers here: their `Handle`, `Nickname` and `Viewers`.
    pub const RAIDED: &str = "app:RAIDED";
    /// A message was pinned above the chat: its `MessageId`, and who pinned it (`By`).
    pub const PIN: &str = "app:PIN";
    /// The pinned message (`MessageId`) was taken down, by `By`.
    pub const UNPIN: &str = "app:UNPIN";
    /// A poll opened: `PollId`, `Question`, `Choice1`…`Choice5`, `EndsAt` and `By`.
    pub const POLL: &str = "app:POLL";
    /// The open poll's count: `PollId` and `Votes` (each answer's, in order: `3,0,12`).
    pub const POLL_VOTES: &str = "app:POLL_VOTES";
    /// The poll `PollId` was ended early, with its final `Votes`.
    pub const POLL_END: &str = "app:POLL_END";
}

/// IVS Chat's error codes.
pub mod code {
    pub const BAD_REQUEST: u16 = 400;
    pub const UNAUTHORIZED: u16 = 401;
    pub const FORBIDDEN: u16 = 403;
    pub const NOT_FOUND: u16 = 404;
    pub const DENIED: u16 = 406;
    pub const TOO_LARGE: u16 = 413;
    pub const RATE_LIMITED: u16 = 429;
    pub const INTERNAL: u16 = 500;
}

impl EventFrame {
    /// The id of the message an `aws:DELETE_MESSAGE` event removes (`MessageId`, or the
    /// deprecated `MessageID` older servers send).
    pub fn deleted_message_id(&self) -> Option<&str> {
        let attributes = self.attributes.as_ref()?;
        attributes
            .get("MessageId")
            .or_else(|| attributes.get("MessageID"))
            .map(String::as_str)
    }

    /// An attribute's value, or `""`.
    pub fn attribute(&self, name: &str) -> &str {
        self.attributes
            .as_ref()
            .and_then(|a| a.get(name))
            .map_or("", String::as_str)
    }
}

impl Sender {
    /// A token attribute's value (`nickname`, `avatar`, `role`), or `""`.
    pub fn attribute(&self, name: &str) -> &str {
        self.attributes
            .as_ref()
            .and_then(|a| a.get(name))
            .map_or("", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_read_as_ivs_writes_them_with_null_attributes() {
        let message = r#"{"Type":"MESSAGE","Id":"AbCdEf123456","RequestId":"r1","Attributes":null,
            "Content":"안녕","SendTime":"2026-11-22T12:00:00.123456789Z",
            "Sender":{"UserId":"u1","Attributes":{"nickname":"Alice","role":"owner"}}}"#;
        let ServerFrame::Message(frame) = serde_json::from_str(message).unwrap() else {
            panic!("a message");
        };
        assert_eq!(frame.content, "안녕");
        assert_eq!(frame.sender.attribute("nickname"), "Alice");
        assert_eq!(frame.sender.attribute("avatar"), "");
        let deleted = r#"{"Type":"EVENT","Id":"x","RequestId":"","EventName":"aws:DELETE_MESSAGE",
            "Attributes":{"MessageID":"m1","Reason":"spam"},"SendTime":"t"}"#;
        let ServerFrame::Event(event) = serde_json::from_str(deleted).unwrap() else {
            panic!("an event");
        };
        assert_eq!(event.deleted_message_id(), Some("m1"));
        let error = r#"{"Type":"ERROR","Id":"e","RequestId":"r9","ErrorCode":429,"ErrorMessage":"slow down"}"#;
        assert!(matches!(
            serde_json::from_str(error).unwrap(),
            ServerFrame::Error(ErrorFrame {
                error_code: 429,
                ..
            })
        ));
    }

    #[test]
    fn frames_are_written_with_ivs_field_names_type_first() {
        let frame = ServerFrame::Error(ErrorFrame {
            id: "e1".into(),
            request_id: "r1".into(),
            error_code: code::DENIED,
            error_message: "no".into(),
        });
        assert_eq!(
            serde_json::to_string(&frame).unwrap(),
            r#"{"Type":"ERROR","Id":"e1","RequestId":"r1","ErrorCode":406,"ErrorMessage":"no"}"#
        );
        let request = serde_json::to_string(&Request::send_message("r1", "hi", None)).unwrap();
        assert_eq!(
            request,
            r#"{"Action":"SEND_MESSAGE","RequestId":"r1","Content":"hi"}"#
        );
        let reply = serde_json::to_string(&Request::send_message("r2", "yes", Some("M1"))).unwrap();
        assert_eq!(
            reply,
            r#"{"Action":"SEND_MESSAGE","RequestId":"r2","Content":"yes","Attributes":{"replyTo":"M1"}}"#
        );
    }
}
