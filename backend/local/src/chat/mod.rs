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

/// Bytes that may wait for a connection's socket before it counts as a slow reader and is
/// dropped, so one stalled client never holds up a room. The kernel already holds up to twice
/// the stack's send buffer for it (`SEND_BUFFER_BYTES`, about 1,500 chat messages); this is
/// the slack beyond, kept small because each connection's backlog is its own copy.
const BACKLOG_BYTES: usize = 64 * 1024;

/// Knobs of the local chat server (the defaults are what IVS Chat behaves like).
#[derive(Clone, Debug, Default)]
pub struct ChatTuning {
    /// Ends sessions earlier than their token says (IVS's minimum is a minute; tests and
    /// demos of reconnection want seconds).
    pub session_cap: Option<std::time::Duration>,
}
