//! Requests our servers send to addresses users chose, for the local stack and the cloud alike:
//! streamers' webhooks ([`HttpWebhookSender`]) and browsers' Web Push endpoints
//! ([`WebPushSender`]).
//!
//! Such an address is hostile input, so every request is checked where it matters: the resolver
//! ([`PublicOnly`]) hands the connector only public addresses, an address written in the URL is
//! checked before anything is sent, and redirects are checked (webhooks) or not followed (push).

mod destinations;
mod payload;
mod push;
mod signature;
#[cfg(feature = "testing")]
pub mod testing;
mod webhooks;

pub use destinations::PublicOnly;
pub use payload::go_live_payload;
pub use push::{PushMessage, VapidKey, WebPushSender, go_live_message, video_ready_message};
pub use signature::{SIGNATURE_HEADER, sign, verify};
pub use webhooks::{HttpWebhookSender, Retries};
