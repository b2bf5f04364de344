//! What a connection does with each request it reads: `SEND_MESSAGE` goes to the room's delivery
//! line, `DELETE_MESSAGE` is recorded and announced, `DISCONNECT_USER` closes the user's
//! connections. Malformed, oversize and unauthorized requests get the protocol's `ERROR`.

use std::collections::BTreeMap;
use std::sync::Arc;

use cloumer_api_types::chat::{Request, code};
use cloumer_domain::Platform;
use cloumer_domain::chat::ChatCapability;
use cloumer_domain::ids::{MessageId, UserId};
use cloumer_domain::moderation::MAX_REASON_CHARS;
use cloumer_domain::ports::Clock;
use serde_json::Value;

use super::delivery::{Lines, Submission};
use super::frames;
use super::outlet::Outlet;
use super::rooms::Room;
use super::tokens::PendingToken;

/// Largest request we process; bigger ones (up to the WebSocket limit) get ERROR 413.
pub const MAX_REQUEST_BYTES: usize = 8 * 1024;
/// Message attributes may total 1 KB, like token attributes.
const MAX_ATTRIBUTES_BYTES: usize = 1024;

/// One connection as its requests see it, with what handling them needs.
pub struct Connection<'a> {
    pub platform: &'a Platform,
    pub lines: &'a Lines,
    pub clock: &'a dyn Clock,
    pub room: &'a Arc<Room>,
    pub session: &'a PendingToken,
    /// Where this connection's replies go.
    pub reply: &'a Arc<Outlet>,
}

/// A request refused: the error code and what the client is told.
type Refusal = (u16, String);

fn refuse(error_code: u16, message: impl Into<String>) -> Refusal {
    (error_code, message.into())
}

/// A field that is present and not empty.
fn given(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}

impl Connection<'_> {
    pub fn error(&self, request_id: &str, error_code: u16, message: &str) {
        // A connection closed or too slow to take its replies is ending anyway.
        let _ = self
            .reply
            .send_frame(&frames::error(request_id, error_code, message));
    }

    pub async fn handle(&self, text: &str) {
        if text.len() > MAX_REQUEST_BYTES {
            return self.error("", code::TOO_LARGE, "the request is too large");
        }
        let Ok(value) = serde_json::from_str::<Value>(text) else {
            return self.error("", code::BAD_REQUEST, "the request is not valid JSON");
        };
        // Read first, so that even a malformed request's error names it.
        let request_id = value
            .get("RequestId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let outcome = match serde_json::from_value::<Request>(value) {
            Err(_) => Err(refuse(
                code::BAD_REQUEST,
                "unknown or malformed action; expected SEND_MESSAGE, DELETE_MESSAGE or DISCONNECT_USER",
            )),
            Ok(Request::SendMessage {
                content,
                attributes,
                ..
            }) => self.send_message(&request_id, content, attributes.unwrap_or_default()),
            Ok(Request::DeleteMessage { id, reason, .. }) => {
                self.delete_message(&request_id, id, reason).await
            }
            Ok(Request::DisconnectUser {
                user_id, reason, ..
            }) => self.disconnect_user(&request_id, user_id, reason),
        };
        if let Err((error_code, message)) = outcome {
            self.error(&request_id, error_code, &message);
        }
    }

    fn require(&self, capability: ChatCapability) -> Result<(), Refusal> {
        if self.session.can(capability) {
            return Ok(());
        }
        let what = match capability {
            ChatCapability::SendMessage => "send messages",
            ChatCapability::DeleteMessage => "delete messages",
            ChatCapability::DisconnectUser => "disconnect users",
        };
        Err(refuse(
            code::FORBIDDEN,
            format!("this connection may not {what}"),
        ))
    }

    /// A moderator's request, checked: the token allows `capability`, the target (with the error
    /// for a missing or malformed one) names something, and the reason is optional and at most
    /// IVS's 256 characters.
    fn moderation<T>(
        &self,
        capability: ChatCapability,
        (target, malformed): (Option<String>, &str),
        parse: impl Fn(&str) -> Option<T>,
        reason: Option<String>,
    ) -> Result<(T, String), Refusal> {
        self.require(capability)?;
        let target = given(target)
            .and_then(|t| parse(&t))
            .ok_or_else(|| refuse(code::BAD_REQUEST, malformed))?;
        let reason = reason.unwrap_or_default();
        if reason.chars().count() > MAX_REASON_CHARS {
            return Err(refuse(
                code::TOO_LARGE,
                format!("Reason must be at most {MAX_REASON_CHARS} characters"),
            ));
        }
        Ok((target, reason))
    }

    fn send_message(
        &self,
        request_id: &str,
        content: Option<String>,
        attributes: BTreeMap<String, String>,
    ) -> Result<(), Refusal> {
        self.require(ChatCapability::SendMessage)?;
        let content =
            given(content).ok_or_else(|| refuse(code::BAD_REQUEST, "Content is required"))?;
        let attributes_size: usize = attributes.iter().map(|(k, v)| k.len() + v.len()).sum();
        if attributes_size > MAX_ATTRIBUTES_BYTES {
            return Err(refuse(
                code::TOO_LARGE,
                "Attributes must total at most 1 KB",
            ));
        }
        let limits = self.room.limits();
        if content.chars().count() > limits.max_message_length {
            return Err(refuse(
                code::BAD_REQUEST,
                format!(
                    "Messages must be at most {} characters",
                    limits.max_message_length
                ),
            ));
        }
        let submission = Submission {
            message_id: MessageId::generate(),
            sender: self.session.user_id.clone(),
            sender_attributes: self.session.attributes.clone(),
            content,
            attributes,
            request_id: request_id.to_owned(),
            reply: self.reply.clone(),
        };
        if !self.lines.submit(self.room, submission) {
            return Err(refuse(
                code::RATE_LIMITED,
                "the room is too busy; try again",
            ));
        }
        Ok(())
    }

    async fn delete_message(
        &self,
        request_id: &str,
        id: Option<String>,
        reason: Option<String>,
    ) -> Result<(), Refusal> {
        let (id, reason) = self.moderation(
            ChatCapability::DeleteMessage,
            (id, "Id must name a message"),
            |id| MessageId::parse(id).ok(),
            reason,
        )?;
        // History forgets it first, so nobody loading history later sees it again.
        if let Err(error) = self.platform.record_deletion(&self.room.arn, &id).await {
            tracing::error!(%error, "recording a chat deletion failed");
            return Err(refuse(
                code::INTERNAL,
                "the message could not be deleted; try again",
            ));
        }
        let at = self.clock.now();
        self.room
            .broadcast(&frames::deletion(&id, &reason, request_id, at));
        Ok(())
    }

    fn disconnect_user(
        &self,
        request_id: &str,
        user_id: Option<String>,
        reason: Option<String>,
    ) -> Result<(), Refusal> {
        let (user, reason) = self.moderation(
            ChatCapability::DisconnectUser,
            (user_id, "UserId must name a user"),
            |user| UserId::parse(user).ok(),
            reason,
        )?;
        let frame = frames::disconnection(&user, &reason, request_id, self.clock.now());
        self.room.disconnect(&user, &frame, &reason);
        Ok(())
    }
}
