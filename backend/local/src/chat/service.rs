//! The local IVS Chat as the domain's [`ChatService`]: rooms, tokens, and the events the backend
//! sends into a room (deletions, disconnections, stream starts and ends).

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use cloumer_domain::channel::ChatRoom;
use cloumer_domain::chat::{ChatToken, ChatTokenRequest};
use cloumer_domain::chat_rules::ChatRules;
use cloumer_domain::error::{PortError, PortResult};
use cloumer_domain::ids::{MessageId, UserId};
use cloumer_domain::ports::{ChatRoomSpec, ChatService, Clock};

use super::frames;
use super::rooms::Rooms;
use super::tokens::Tokens;

/// The local chat service: what the domain mints tokens with and moderates through.
#[derive(Clone)]
pub struct LocalChat {
    /// The WebSocket URL clients connect to (`ws://127.0.0.1:8080/chat`).
    endpoint: String,
    rooms: Arc<Rooms>,
    tokens: Arc<Tokens>,
    clock: Arc<dyn Clock>,
}

impl LocalChat {
    pub fn new(
        endpoint: String,
        rooms: Arc<Rooms>,
        tokens: Arc<Tokens>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            endpoint,
            rooms,
            tokens,
            clock,
        }
    }
}

#[async_trait]
impl ChatService for LocalChat {
    async fn create_room(&self, spec: &ChatRoomSpec) -> PortResult<ChatRoom> {
        let arn = Rooms::arn(&spec.name);
        self.rooms.room(&arn).set_limits(&spec.rules);
        Ok(ChatRoom { arn })
    }

    async fn update_room(&self, room: &ChatRoom, rules: &ChatRules) -> PortResult<()> {
        self.rooms.room(&room.arn).set_limits(rules);
        Ok(())
    }

    async fn create_token(&self, request: &ChatTokenRequest) -> PortResult<ChatToken> {
        let (token, pending) = self.tokens.mint(request, self.clock.now());
        Ok(ChatToken {
            token,
            endpoint: self.endpoint.clone(),
            token_expiration_time: pending.token_expires_at,
            session_expiration_time: pending.session_expires_at,
        })
    }

    async fn delete_message(
        &self,
        room: &ChatRoom,
        id: &MessageId,
        reason: &str,
    ) -> PortResult<()> {
        // A moderator deletes what they saw, so the message went out before this event does.
        let frame = frames::deletion(id, reason, "", self.clock.now());
        self.rooms.room(&room.arn).broadcast(&frame);
        Ok(())
    }

    async fn disconnect_user(
        &self,
        room: &ChatRoom,
        user: &UserId,
        reason: &str,
    ) -> PortResult<()> {
        let frame = frames::disconnection(user, reason, "", self.clock.now());
        self.rooms.room(&room.arn).disconnect(user, &frame, reason);
        Ok(())
    }

    async fn delete_room(&self, room: &ChatRoom) -> PortResult<()> {
        self.rooms.delete(&room.arn);
        Ok(())
    }

    async fn send_event(
        &self,
        room: &ChatRoom,
        name: &str,
        attributes: &BTreeMap<String, String>,
    ) -> PortResult<()> {
        check_event(name, attributes)
            .map_err(|problem| PortError::new("IVS Chat SendEvent", problem))?;
        let frame = frames::event(name, attributes.clone(), "", self.clock.now());
        self.rooms.room(&room.arn).broadcast(&frame);
        Ok(())
    }
}

/// What IVS Chat's `SendEvent` refuses (a `ValidationException`): a name of more than 100
/// characters, or attributes of more than 1 KB, keys and values together. Refused here too, so
/// an event that would fail in the cloud fails locally first.
fn check_event(name: &str, attributes: &BTreeMap<String, String>) -> Result<(), &'static str> {
    const MAX_NAME_CHARS: usize = 100;
    const MAX_ATTRIBUTES_BYTES: usize = 1024;
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err("an event's name is 1–100 characters");
    }
    let size: usize = attributes.iter().map(|(k, v)| k.len() + v.len()).sum();
    if size > MAX_ATTRIBUTES_BYTES {
        return Err("an event's attributes total at most 1 KB");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_held_to_ivs_chat_limits() {
        let attributes = |value: &str| BTreeMap::from([("K".to_owned(), value.to_owned())]);
        assert!(check_event("app:PIN", &attributes("x")).is_ok());
        assert!(check_event(&"e".repeat(100), &BTreeMap::new()).is_ok());
        assert!(check_event(&"e".repeat(101), &BTreeMap::new()).is_err());
        assert!(check_event("", &BTreeMap::new()).is_err());
        assert!(check_event("app:X", &attributes(&"가".repeat(341))).is_ok());
        assert!(check_event("app:X", &attributes(&"가".repeat(342))).is_err());
    }
}
