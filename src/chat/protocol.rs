//! The IVS Chat messaging protocol, client side: requests to send and frames received. Pure
//! data and serde, tested on the host.

use serde_json::{Value, json};

/// A chat line as the panel shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatLine {
    pub id: String,
    pub request_id: String,
    pub sender_id: String,
    pub nickname: String,
    pub avatar: String,
    pub role: String,
    pub content: String,
    pub send_time: String,
}

/// What the server sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Incoming {
    Message(ChatLine),
    Deleted {
        message_id: String,
    },
    Disconnected {
        user_id: String,
        reason: String,
    },
    StreamStarted,
    StreamEnded,
    OtherEvent(String),
    Error {
        request_id: String,
        code: u16,
        message: String,
    },
}

/// Reads a frame. Field access on a parsed JSON value rather than a derived enum: serde's
/// internally tagged enums cost several kilobytes of wasm, and frames have few fields.
pub fn parse(text: &str) -> Option<Incoming> {
    let frame: Value = serde_json::from_str(text).ok()?;
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    Some(match frame["Type"].as_str()? {
        "MESSAGE" => {
            let sender = &frame["Sender"];
            let attribute = |key: &str| text(&sender["Attributes"][key]);
            Incoming::Message(ChatLine {
                id: frame["Id"].as_str()?.to_owned(),
                request_id: text(&frame["RequestId"]),
                sender_id: sender["UserId"].as_str()?.to_owned(),
                nickname: attribute("nickname"),
                avatar: attribute("avatar"),
                role: attribute("role"),
                content: frame["Content"].as_str()?.to_owned(),
                send_time: text(&frame["SendTime"]),
            })
        }
        "EVENT" => {
            let attributes = &frame["Attributes"];
            match frame["EventName"].as_str()? {
                "aws:DELETE_MESSAGE" => Incoming::Deleted {
                    message_id: attributes["MessageId"]
                        .as_str()
                        .or(attributes["MessageID"].as_str())
                        .unwrap_or_default()
                        .to_owned(),
                },
                "aws:DISCONNECT_USER" => Incoming::Disconnected {
                    user_id: text(&attributes["UserId"]),
                    reason: text(&attributes["Reason"]),
                },
                "app:STREAM_START" => Incoming::StreamStarted,
                "app:STREAM_END" => Incoming::StreamEnded,
                other => Incoming::OtherEvent(other.to_owned()),
            }
        }
        "ERROR" => Incoming::Error {
            request_id: text(&frame["RequestId"]),
            code: u16::try_from(frame["ErrorCode"].as_u64()?).ok()?,
            message: text(&frame["ErrorMessage"]),
        },
        _ => return None,
    })
}

pub fn send_message(request_id: &str, content: &str) -> String {
    json!({"Action": "SEND_MESSAGE", "RequestId": request_id, "Content": content}).to_string()
}

/// Reconnection delay after `attempt` failures: 1 s, 2 s, 4 s … up to 30 s, with ±20% jitter
/// (`jitter` in 0..1) so a room's clients do not all come back at once.
pub fn backoff_ms(attempt: u32, jitter: f64) -> f64 {
    let base = 1000.0 * 2f64.powi(attempt.min(5) as i32);
    base.min(30_000.0) * (0.8 + 0.4 * jitter.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_events_and_errors_parse_as_ivs_sends_them() {
        let message = r#"{"Type":"MESSAGE","Id":"AbCdEf123456","RequestId":"r1","Attributes":null,
            "Content":"안녕","SendTime":"2026-11-22T12:00:00.123456789Z",
            "Sender":{"UserId":"u1","Attributes":{"nickname":"Alice","avatar":"preset:fox","role":"owner"}}}"#;
        match parse(message).unwrap() {
            Incoming::Message(line) => {
                assert_eq!(line.id, "AbCdEf123456");
                assert_eq!(line.nickname, "Alice");
                assert_eq!(line.role, "owner");
                assert_eq!(line.content, "안녕");
            }
            other => panic!("{other:?}"),
        }
        let deleted = r#"{"Type":"EVENT","Id":"x","RequestId":"","EventName":"aws:DELETE_MESSAGE","Attributes":{"MessageID":"m1","Reason":"spam"},"SendTime":"t"}"#;
        assert_eq!(
            parse(deleted),
            Some(Incoming::Deleted {
                message_id: "m1".into()
            })
        );
        let disconnected = r#"{"Type":"EVENT","EventName":"aws:DISCONNECT_USER","Attributes":{"UserId":"u2","Reason":"bye"}}"#;
        assert_eq!(
            parse(disconnected),
            Some(Incoming::Disconnected {
                user_id: "u2".into(),
                reason: "bye".into()
            })
        );
        let error = r#"{"Type":"ERROR","Id":"e","RequestId":"r9","ErrorCode":429,"ErrorMessage":"slow down"}"#;
        assert_eq!(
            parse(error),
            Some(Incoming::Error {
                request_id: "r9".into(),
                code: 429,
                message: "slow down".into()
            })
        );
        assert_eq!(
            parse(r#"{"Type":"EVENT","EventName":"app:STREAM_START"}"#),
            Some(Incoming::StreamStarted)
        );
        assert_eq!(parse("not json"), None);
    }

    #[test]
    fn send_requests_are_ivs_actions() {
        let frame: serde_json::Value =
            serde_json::from_str(&send_message("r1", "hi \"there\"")).unwrap();
        assert_eq!(frame["Action"], "SEND_MESSAGE");
        assert_eq!(frame["Content"], "hi \"there\"");
    }

    #[test]
    fn reconnection_backs_off_exponentially_with_a_cap() {
        assert_eq!(backoff_ms(0, 0.5), 1000.0);
        assert_eq!(backoff_ms(2, 0.5), 4000.0);
        assert_eq!(backoff_ms(9, 0.5), 30_000.0);
        assert_eq!(backoff_ms(0, 0.0), 800.0);
        assert!((backoff_ms(0, 1.0) - 1200.0).abs() < 1e-9);
    }
}
