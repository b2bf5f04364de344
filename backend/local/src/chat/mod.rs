//! The local IVS Chat: rooms, single-use chat tokens, and a WebSocket server speaking the IVS
//! Chat messaging protocol, so the browser app (and AWS's own chat SDK) work against it as they
//! do against the real service.
//!
//! A message travels one way: a connection reads it ([`server`], [`requests`]) → the room's
//! delivery line stamps, reviews (the domain), keeps it as history and fans it out
//! ([`delivery`]) → every connection of the room ([`rooms`]). The domain reaches the chat only
//! through [`LocalChat`], its [`ChatService`](cloumer_domain::ports::ChatService): rooms,
//! tokens, and events into a room. Frames are built in [`frames`] alone.

pub mod delivery;
pub mod frames;
pub mod presence;
pub mod replies;
pub mod requests;
pub mod rooms;
pub mod server;
pub mod service;
pub mod tokens;

pub use rooms::Rooms;
pub use service::LocalChat;
pub use tokens::Tokens;

/// Frames a connection may fall behind its room (the length of the room's ring) before it counts
/// as a slow reader and is dropped, so one stalled client never holds up a room.
pub const OUTBOX_CAPACITY: usize = 512;

/// Knobs of the local chat server (the defaults are what IVS Chat behaves like).
#[derive(Clone, Debug)]
pub struct ChatTuning {
    /// Frames a connection may fall behind before it counts as a slow reader and is dropped
    /// (rounded up to a power of two).
    pub outbox_capacity: usize,
    /// Ends sessions earlier than their token says (IVS's minimum is a minute; tests and
    /// demos of reconnection want seconds).
    pub session_cap: Option<std::time::Duration>,
}

impl Default for ChatTuning {
    fn default() -> Self {
        Self {
            outbox_capacity: OUTBOX_CAPACITY,
            session_cap: None,
        }
    }
}
