//! The private keys the API signs with, read once at cold start from AWS Secrets Manager.
//!
//! Keeping them out of the function's environment means they do not show in the Lambda console,
//! in `GetFunctionConfiguration` answers or in anything that copies a function's settings; only a
//! role allowed `secretsmanager:GetSecretValue` on this one secret can read them. The secret is a
//! JSON object written by Terraform (`infra/environments/prod`).

use anyhow::{Context, Result};
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

/// Reads the secret (by ARN or name). Errors name the secret, never its contents.
pub async fn load(client: &aws_sdk_secretsmanager::Client, secret: &str) -> Result<SigningKeys> {
    let value = client
        .get_secret_value()
        .secret_id(secret)
        .send()
        .await
        .with_context(|| format!("reading the signing keys from Secrets Manager ({secret})"))?;
    let text = value
        .secret_string()
        .with_context(|| format!("the secret {secret} holds no text"))?;
    serde_json::from_str(text).map_err(|error| {
        // serde's message can quote the input; say where it failed, not what it read.
        anyhow::anyhow!(
            "the secret {secret} is not the JSON object of keys Terraform writes (line {}, column {})",
            error.line(),
            error.column()
        )
    })
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
