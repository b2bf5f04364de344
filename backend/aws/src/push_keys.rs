//! The VAPID key Web Push messages are signed with, for the functions that push (go-live and
//! video-events) only: a Secrets Manager secret of its own ([`crate::secrets::load`]), so neither
//! the API nor any other function can sign pushes, and those functions cannot sign playback
//! tokens.

use async_trait::async_trait;
use cloumer_domain::notification::GoLive;
use cloumer_domain::ports::PushSender;
use cloumer_domain::profile::Language;
use cloumer_domain::push::{PushOutcome, PushSubscription};
use cloumer_domain::video::VideoReady;
use serde::Deserialize;

/// The secret's value.
#[derive(Deserialize)]
pub struct PushKeys {
    /// PKCS#8 PEM P-256 private key; its public half is what browsers subscribe with.
    pub vapid_private_key: String,
}

impl std::fmt::Debug for PushKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PushKeys { .. }")
    }
}

/// For functions that never push (the API keeps subscriptions but sends nothing): a push asked of
/// them fails and says why, and the subscription stays.
pub struct NoPushKeys;

/// What a push asked of a function without the key comes to.
fn no_key() -> PushOutcome {
    PushOutcome::Failed("this function has no VAPID key (PUSH_KEYS_SECRET_ARN is not set)".into())
}

#[async_trait]
impl PushSender for NoPushKeys {
    async fn push_go_live(
        &self,
        _subscription: &PushSubscription,
        _language: Language,
        _event: &GoLive,
    ) -> PushOutcome {
        no_key()
    }

    async fn push_video_ready(
        &self,
        _subscription: &PushSubscription,
        _language: Language,
        _event: &VideoReady,
    ) -> PushOutcome {
        no_key()
    }
}
