//! Secrets Manager secrets holding JSON objects Terraform writes (private keys), read once at
//! cold start. Keeping keys out of a function's environment means they do not show in the Lambda
//! console, in `GetFunctionConfiguration` answers or in anything that copies a function's
//! settings; only a role allowed `secretsmanager:GetSecretValue` on the secret can read it.

use anyhow::{Context, Result};
use serde::de::DeserializeOwned;

/// Reads the secret (by ARN or name). Errors name the secret, never its contents.
pub async fn load<T: DeserializeOwned>(
    client: &aws_sdk_secretsmanager::Client,
    secret: &str,
) -> Result<T> {
    let value = client
        .get_secret_value()
        .secret_id(secret)
        .send()
        .await
        .with_context(|| format!("reading a secret from Secrets Manager ({secret})"))?;
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
