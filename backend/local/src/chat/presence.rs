//! Who is here, locally: the chat server sees its connections, so presence is exact and
//! immediate, and the heartbeats clients send (for the cloud, where IVS Chat has no member list)
//! have nothing to add.

use std::sync::Arc;

use async_trait::async_trait;
use cloumer_domain::channel::ChatRoom;
use cloumer_domain::error::PortResult;
use cloumer_domain::ids::ChannelId;
use cloumer_domain::ports::PresenceRegistry;
use cloumer_domain::presence::{Presence, Visitor};
use time::OffsetDateTime;

use super::rooms::Rooms;

/// Presence from the local chat server's rooms.
pub struct ConnectedPresence {
    rooms: Arc<Rooms>,
}

impl ConnectedPresence {
    pub fn new(rooms: Arc<Rooms>) -> Self {
        Self { rooms }
    }
}

#[async_trait]
impl PresenceRegistry for ConnectedPresence {
    async fn heartbeat(&self, _: &ChannelId, _: &Visitor, _: OffsetDateTime) -> PortResult<()> {
        Ok(())
    }

    async fn leave(&self, _: &ChannelId, _: &Visitor) -> PortResult<()> {
        Ok(())
    }

    async fn present(
        &self,
        _: &ChannelId,
        room: &ChatRoom,
        _: OffsetDateTime,
    ) -> PortResult<Presence> {
        Ok(self.rooms.room(&room.arn).presence())
    }
}
