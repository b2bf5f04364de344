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
pub mod outlet;
pub mod presence;
pub mod requests;
pub mod rooms;
pub mod server;
pub mod service;
pub mod tokens;

pub use rooms::Rooms;
pub use service::LocalChat;
pub use tokens::Tokens;

/// Bytes that may wait for a connection's socket (beyond what its kernel buffers hold) before it
/// counts as a slow reader and is dropped, so one stalled client never holds up a room: about
/// 500 chat messages.
pub const BACKLOG_BYTES: usize = 256 * 1024;

/// Knobs of the local chat server (the defaults are what IVS Chat behaves like).
#[derive(Clone, Debug)]
pub struct ChatTuning {
    /// Bytes that may wait for a connection's socket before it counts as a slow reader and is
    /// dropped.
    pub backlog_bytes: usize,
    /// Ends sessions earlier than their token says (IVS's minimum is a minute; tests and
    /// demos of reconnection want seconds).
    pub session_cap: Option<std::time::Duration>,
}

impl Default for ChatTuning {
    fn default() -> Self {
        Self {
            backlog_bytes: BACKLOG_BYTES,
            session_cap: None,
        }
    }
}
