//! The private keys the API signs with, read once at cold start from AWS Secrets Manager.
//!
//! Keeping them out of the function's environment means they do not show in the Lambda console,
//! in `GetFunctionConfiguration` answers or in anything that copies a function's settings; only a
//! role allowed `secretsmanager:GetSecretValue` on this one secret can read them. The secret is a
//! JSON object written by Terraform (`infra/environments/prod`), read with [`crate::secrets::load`].

use cloumer_domain::channel::VideoChannel;
use cloumer_domain::error::{PortError, PortResult};
use cloumer_domain::ids::ChannelId;
use cloumer_domain::playback::PlaybackClaims;
use cloumer_domain::ports::{PlaybackSigner, RecordingAccess};
use serde::Deserialize;
use time::OffsetDateTime;

/// The secret's value.
#[derive(Deserialize)]
pub struct SigningKeys {
    /// PKCS#8 PEM whose public half is the IVS playback key pair (private channels' tokens).
    pub playback_private_key: String,
    /// RSA PEM whose public half is the CloudFront public key (private recordings' policies).
    pub recordings_private_key: String,
}

impl std::fmt::Debug for SigningKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKeys { .. }")
    }
}

/// For functions that never sign (stream events, chat review, post-confirmation): they get no
/// access to the secret, and would say so if a code path ever asked them to sign.
pub struct NoSigningKeys;

fn not_here(operation: &'static str) -> PortError {
    PortError::new(
        operation,
        "this function has no signing keys (SIGNING_KEYS_SECRET_ARN is not set)",
    )
}

impl PlaybackSigner for NoSigningKeys {
    fn sign(&self, _claims: &PlaybackClaims) -> PortResult<String> {
        Err(not_here("sign playback token"))
    }
}

impl RecordingAccess for NoSigningKeys {
    fn grant(
        &self,
        _channel: &ChannelId,
        _video: &VideoChannel,
        _expires_at: OffsetDateTime,
    ) -> PortResult<String> {
        Err(not_here("grant recording access"))
    }
}
