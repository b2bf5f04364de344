//! Cloumer's domain: the rules of channels, stream keys, chat, moderation, live state, history
//! and recordings, in plain Rust. No web framework, cloud SDK or UI types: those live in the
//! adapters behind the [`ports`].
//!
//! Values and pure rules sit at the top level (`channel`, `chat`, `moderation`, `live`, …); the
//! [`Platform`] in [`platform`] holds the ports and the look-ups every use case shares; the use
//! cases are in [`use_cases`], one area per module.

pub mod about;
pub mod audience;
pub mod block_list;
pub mod channel;
pub mod chat;
pub mod chat_message;
pub mod chat_replies;
pub mod chat_rules;
pub mod clip;
pub mod clip_playlist;
pub mod emote;
pub mod error;
pub mod follow;
pub mod handle;
pub mod identity;
pub mod ids;
pub mod limits;
pub mod live;
pub mod media;
pub mod moderation;
pub mod moderation_log;
pub mod notification;
pub mod outbound;
pub mod page;
pub mod platform;
pub mod playback;
pub mod poll;
pub mod ports;
pub mod presence;
pub mod profile;
pub mod push;
pub mod recording;
pub mod report;
pub mod schedule;
pub mod stream_language;
mod text;
pub mod use_cases;
pub mod video;
pub mod webhook;
pub mod word_filter;

#[cfg(test)]
mod test_support;
#[cfg(any(test, feature = "testkit"))]
pub mod testkit;

pub use error::{DomainError, DomainResult, PortError, PortResult, WriteError};
pub use identity::Identity;
pub use platform::{Platform, PlatformConfig, Ports};
