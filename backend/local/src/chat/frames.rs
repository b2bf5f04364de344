//! Every frame the local chat server writes, built here and nowhere else from the shared protocol
//! types ([`cloumer_api_types::chat`]). Each is serialized and framed once and shared by every
//! connection it goes to: a server's WebSocket frames are not masked, so every reader gets the
//! same bytes.

use std::sync::Arc;

use cloumer_api_types::chat::{
    Attributes, ErrorFrame, EventFrame, MessageFrame, Sender, ServerFrame, event,
};
use cloumer_domain::chat::StoredMessage;
use cloumer_domain::ids::{MessageId, UserId, random_alphanumeric};
use time::OffsetDateTime;
use time::format_description::FormatItem;
use time::macros::format_description;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{CloseCode, Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::{Frame as WireFrame, Utf8Bytes};

/// A WebSocket frame as it goes on the wire, header included; clones share the bytes (no copy
/// per receiver).
#[derive(Clone)]
pub struct Frame(Arc<[u8]>);

impl Frame {
    /// A text frame carrying `text` (the JSON of one server frame).
    pub fn text(text: String) -> Self {
        Self::wire(WireFrame::message(text, OpCode::Data(Data::Text), true))
    }

    /// A close frame with `code` and as much of `reason` as a control frame holds (123 bytes,
    /// cut between characters): a moderator's reason may be far longer, and a client must fail
    /// the connection on an oversized control frame rather than read it.
    pub fn close(code: u16, reason: &str) -> Self {
        let mut end = reason.len().min(MAX_CLOSE_REASON_BYTES);
        while !reason.is_char_boundary(end) {
            end -= 1;
        }
        Self::wire(WireFrame::close(Some(CloseFrame {
            code: CloseCode::from(code),
            reason: Utf8Bytes::from(&reason[..end]),
        })))
    }

    fn wire(frame: WireFrame) -> Self {
        let mut bytes = Vec::with_capacity(frame.len());
        frame
            .format(&mut bytes)
            .expect("writing to memory cannot fail");
        Self(bytes.into())
    }

    /// The frame's bytes, header and payload.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

/// A control frame's payload is at most 125 bytes, two of which are the close code.
const MAX_CLOSE_REASON_BYTES: usize = 123;

/// `SendTime` as IVS Chat writes it: RFC 3339, UTC, nanoseconds.
const SEND_TIME: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:9]Z");

pub fn send_time(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(SEND_TIME)
        .unwrap_or_default()
}

fn serialize(frame: &ServerFrame) -> Frame {
    Frame::text(serde_json::to_string(frame).expect("frames serialize"))
}

/// An event or error id: 12 letters and digits, like IVS's.
fn frame_id() -> String {
    random_alphanumeric(12)
}

/// An allowed message as every member receives it, timed as history keeps it.
pub fn message(message: &StoredMessage, request_id: &str) -> Frame {
    serialize(&ServerFrame::Message(MessageFrame {
        id: message.id.to_string(),
        request_id: request_id.to_owned(),
        attributes: Some(message.attributes.clone()),
        content: message.content.clone(),
        send_time: send_time(message.sent_at),
        sender: Sender {
            user_id: message.sender.to_string(),
            attributes: Some(message.sender_attributes.clone()),
        },
    }))
}

/// An event for the room: a custom one the backend sends, or one of IVS's own (see below).
pub fn event(name: &str, attributes: Attributes, request_id: &str, at: OffsetDateTime) -> Frame {
    serialize(&ServerFrame::Event(EventFrame {
        id: frame_id(),
        request_id: request_id.to_owned(),
        event_name: name.to_owned(),
        attributes: Some(attributes),
        send_time: send_time(at),
    }))
}

/// `aws:DELETE_MESSAGE`, with the id under both `MessageId` and the deprecated `MessageID`.
pub fn deletion(id: &MessageId, reason: &str, request_id: &str, at: OffsetDateTime) -> Frame {
    let attributes = Attributes::from([
        ("MessageID".to_owned(), id.to_string()),
        ("MessageId".to_owned(), id.to_string()),
        ("Reason".to_owned(), reason.to_owned()),
    ]);
    event(event::DELETE_MESSAGE, attributes, request_id, at)
}

/// `aws:DISCONNECT_USER`, sent to the room before the user's connections close.
pub fn disconnection(user: &UserId, reason: &str, request_id: &str, at: OffsetDateTime) -> Frame {
    let attributes = Attributes::from([
        ("UserId".to_owned(), user.to_string()),
        ("Reason".to_owned(), reason.to_owned()),
    ]);
    event(event::DISCONNECT_USER, attributes, request_id, at)
}

/// An `ERROR` answering the request `request_id` (`""` when the request could not be read).
pub fn error(request_id: &str, error_code: u16, message: &str) -> Frame {
    serialize(&ServerFrame::Error(ErrorFrame {
        id: frame_id(),
        request_id: request_id.to_owned(),
        error_code,
        error_message: message.to_owned(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_time_has_nanoseconds_and_a_z() {
        let at = OffsetDateTime::from_unix_timestamp_nanos(1_664_911_168_374_489_549).unwrap();
        assert_eq!(send_time(at), "2022-10-04T19:19:28.374489549Z");
    }

    #[test]
    fn a_deletion_names_the_message_both_ways_and_echoes_the_request() {
        let id = MessageId::parse("AbCdEf123456").unwrap();
        let frame = deletion(&id, "spam", "d1", OffsetDateTime::UNIX_EPOCH);
        // A short text frame: FIN and opcode 1, then a 16-bit length, then the JSON.
        assert_eq!(frame.bytes()[..2], [0x81, 126]);
        let value: serde_json::Value = serde_json::from_slice(&frame.bytes()[4..]).unwrap();
        assert_eq!(value["Type"], "EVENT");
        assert_eq!(value["EventName"], "aws:DELETE_MESSAGE");
        assert_eq!(value["Attributes"]["MessageId"], "AbCdEf123456");
        assert_eq!(value["Attributes"]["MessageID"], "AbCdEf123456");
        assert_eq!(value["RequestId"], "d1");
        assert_eq!(value["Id"].as_str().unwrap().len(), 12);
    }

    #[test]
    fn a_close_frame_holds_at_most_123_bytes_of_reason_cut_between_characters() {
        let frame = Frame::close(1000, &"가".repeat(100));
        // FIN and opcode 8; 2 bytes of code and 41 three-byte characters.
        assert_eq!(frame.bytes()[..4], [0x88, 125, 0x03, 0xE8]);
        assert_eq!(
            std::str::from_utf8(&frame.bytes()[4..]).unwrap(),
            "가".repeat(41)
        );
        assert_eq!(Frame::close(1001, "").bytes(), [0x88, 2, 0x03, 0xE9]);
    }
}
