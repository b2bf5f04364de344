//! Cloumer's domain: the rules of channels, stream keys, chat, moderation, live state, history
//! and recordings, in plain Rust. No web framework, cloud SDK or UI types: those live in the
//! adapters behind the [`ports`].

pub mod channel;
pub mod chat;
pub mod error;
pub mod handle;
pub mod ids;
pub mod live;
pub mod moderation;
pub mod playback;
pub mod ports;
pub mod profile;
pub mod recording;
pub mod service;
mod text;

#[cfg(test)]
mod test_support;
#[cfg(any(test, feature = "testkit"))]
pub mod testkit;

pub use error::{DomainError, DomainResult, PortError, PortResult, WriteError};
pub use service::{Identity, Platform, PlatformConfig, Ports};
