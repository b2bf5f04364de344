//! A client for the Amazon Cognito Identity Provider JSON API (the operations the app needs).
//! The local stack serves the same API, so this one client works in both worlds.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::i18n::Texts;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CognitoError {
    /// `__type`, e.g. `NotAuthorizedException`.
    pub kind: String,
    pub message: String,
}

impl CognitoError {
    /// What to show, in the interface's language when we know the case.
    pub fn describe(&self, t: &Texts) -> String {
        match self.kind.as_str() {
            "NotAuthorizedException" if self.message.contains("Incorrect") => {
                t.err_incorrect_login.to_owned()
            }
            "UsernameExistsException" => t.err_user_exists.to_owned(),
            "CodeMismatchException" | "ExpiredCodeException" => t.err_code_mismatch.to_owned(),
            "UserNotConfirmedException" => t.err_not_confirmed.to_owned(),
            _ if self.message.is_empty() => t.error_generic.to_owned(),
            _ => self.message.clone(),
        }
    }
}

/// The tokens of a signed-in session.
#[derive(Clone, Debug, PartialEq, Deserialize, serde::Serialize)]
pub struct Tokens {
    pub id_token: String,
    pub access_token: String,
    pub refresh_token: String,
    /// When the ID and access tokens expire (ms since the epoch).
    pub expires_at_ms: f64,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AuthenticationResult {
    id_token: String,
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    expires_in: f64,
}

#[derive(Clone, Debug)]
pub struct Cognito {
    pub endpoint: String,
    pub client_id: String,
}

impl Cognito {
    async fn call(&self, operation: &str, body: Value) -> Result<Value, CognitoError> {
        let network = |e: gloo_net::Error| CognitoError {
            kind: "NetworkError".into(),
            message: e.to_string(),
        };
        let response = gloo_net::http::Request::post(&self.endpoint)
            .header(
                "X-Amz-Target",
                &format!("AWSCognitoIdentityProviderService.{operation}"),
            )
            .header("Content-Type", "application/x-amz-json-1.1")
            .body(body.to_string())
            .map_err(network)?
            .send()
            .await
            .map_err(network)?;
        let ok = response.ok();
        let value: Value = response.json().await.unwrap_or(Value::Null);
        if ok {
            return Ok(value);
        }
        let kind = value["__type"].as_str().unwrap_or("UnknownError");
        Err(CognitoError {
            // The type may come as `com.amazonaws…#NotAuthorizedException`.
            kind: kind.rsplit('#').next().unwrap_or(kind).to_owned(),
            message: value["message"]
                .as_str()
                .or(value["Message"].as_str())
                .unwrap_or_default()
                .to_owned(),
        })
    }

    pub async fn sign_up(
        &self,
        email: &str,
        password: &str,
        handle: &str,
        nickname: &str,
    ) -> Result<(), CognitoError> {
        self.call(
            "SignUp",
            json!({
                "ClientId": self.client_id, "Username": email, "Password": password,
                "UserAttributes": [
                    {"Name": "email", "Value": email},
                    {"Name": "preferred_username", "Value": handle},
                    {"Name": "nickname", "Value": nickname},
                ],
            }),
        )
        .await
        .map(drop)
    }

    pub async fn confirm(&self, email: &str, code: &str) -> Result<(), CognitoError> {
        self.call(
            "ConfirmSignUp",
            json!({"ClientId": self.client_id, "Username": email, "ConfirmationCode": code}),
        )
        .await
        .map(drop)
    }

    pub async fn resend_code(&self, email: &str) -> Result<(), CognitoError> {
        self.call(
            "ResendConfirmationCode",
            json!({"ClientId": self.client_id, "Username": email}),
        )
        .await
        .map(drop)
    }

    fn tokens(
        value: &Value,
        refresh_token: Option<&str>,
        now_ms: f64,
    ) -> Result<Tokens, CognitoError> {
        let result: AuthenticationResult =
            serde_json::from_value(value["AuthenticationResult"].clone()).map_err(|e| {
                CognitoError {
                    kind: "UnexpectedResponse".into(),
                    message: e.to_string(),
                }
            })?;
        Ok(Tokens {
            id_token: result.id_token,
            access_token: result.access_token,
            refresh_token: result
                .refresh_token
                .or(refresh_token.map(str::to_owned))
                .unwrap_or_default(),
            expires_at_ms: now_ms + result.expires_in * 1000.0,
        })
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Result<Tokens, CognitoError> {
        let value = self
            .call(
                "InitiateAuth",
                json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": self.client_id,
                       "AuthParameters": {"USERNAME": email, "PASSWORD": password}}),
            )
            .await?;
        Self::tokens(&value, None, crate::browser::now_ms())
    }

    /// New ID and access tokens for a refresh token (which stays the same).
    pub async fn refresh(&self, refresh_token: &str) -> Result<Tokens, CognitoError> {
        let value = self
            .call(
                "InitiateAuth",
                json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": self.client_id,
                       "AuthParameters": {"REFRESH_TOKEN": refresh_token}}),
            )
            .await?;
        Self::tokens(&value, Some(refresh_token), crate::browser::now_ms())
    }

    pub async fn revoke(&self, refresh_token: &str) -> Result<(), CognitoError> {
        self.call(
            "RevokeToken",
            json!({"ClientId": self.client_id, "Token": refresh_token}),
        )
        .await
        .map(drop)
    }
}
