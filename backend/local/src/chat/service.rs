//! The local IVS Chat as the domain's [`ChatService`]: rooms, tokens, and the events the backend
//! sends into a room (deletions, disconnections, stream starts and ends).

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use cloumer_domain::channel::ChatRoom;
use cloumer_domain::chat::{ChatToken, ChatTokenRequest};
use cloumer_domain::chat_rules::ChatRules;
use cloumer_domain::error::PortResult;
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

    async fn send_event(
        &self,
        room: &ChatRoom,
        name: &str,
        attributes: &BTreeMap<String, String>,
    ) -> PortResult<()> {
        let frame = frames::event(name, attributes.clone(), "", self.clock.now());
        self.rooms.room(&room.arn).broadcast(&frame);
        Ok(())
    }
}
