//! A client for the Amazon Cognito Identity Provider JSON API (the operations the app needs).
//! The local stack serves the same API, so this one client works in both worlds.

use crate::i18n::Lang;
use crate::json::Json;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CognitoError {
    /// `__type`, e.g. `NotAuthorizedException`.
    pub kind: String,
    pub message: String,
}

impl CognitoError {
    /// What to show, in the interface's language when we know the case.
    pub fn describe(&self, lang: Lang) -> String {
        let pages = lang.page_texts();
        match self.kind.as_str() {
            "NotAuthorizedException" if self.message.contains("Incorrect") => {
                pages.err_incorrect_login.to_owned()
            }
            "UsernameExistsException" => pages.err_user_exists.to_owned(),
            "CodeMismatchException" | "ExpiredCodeException" => pages.err_code_mismatch.to_owned(),
            "UserNotConfirmedException" => pages.err_not_confirmed.to_owned(),
            _ if self.message.is_empty() => lang.texts().error_generic.to_owned(),
            _ => self.message.clone(),
        }
    }
}

/// The tokens of a signed-in session.
#[derive(Clone, Debug, PartialEq)]
pub struct Tokens {
    pub id_token: String,
    pub access_token: String,
    pub refresh_token: String,
    /// When the ID and access tokens expire (ms since the epoch).
    pub expires_at_ms: f64,
}

impl Tokens {
    /// As kept in local storage.
    pub fn to_json(&self) -> Json {
        Json::object()
            .with("id_token", self.id_token.as_str())
            .with("access_token", self.access_token.as_str())
            .with("refresh_token", self.refresh_token.as_str())
            .with("expires_at_ms", self.expires_at_ms)
    }

    pub fn from_json(json: &Json) -> Option<Self> {
        Some(Self {
            id_token: json.get("id_token").string()?,
            access_token: json.get("access_token").string()?,
            refresh_token: json.get("refresh_token").string()?,
            expires_at_ms: json.get("expires_at_ms").number()?,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Cognito {
    pub endpoint: String,
    pub client_id: String,
}

impl Cognito {
    async fn call(&self, operation: &str, body: Json) -> Result<Json, CognitoError> {
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
            .body(body.stringify())
            .map_err(network)?
            .send()
            .await
            .map_err(network)?;
        let ok = response.ok();
        let text = response.text().await.unwrap_or_default();
        let value = Json::parse(&text).unwrap_or_else(Json::object);
        if ok {
            return Ok(value);
        }
        let kind = value
            .get("__type")
            .string()
            .unwrap_or_else(|| "UnknownError".into());
        Err(CognitoError {
            // The type may come as `com.amazonaws…#NotAuthorizedException`.
            kind: kind.rsplit('#').next().unwrap_or(&kind).to_owned(),
            message: value
                .get("message")
                .string()
                .or_else(|| value.get("Message").string())
                .unwrap_or_default(),
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
            Json::object()
                .with("ClientId", self.client_id.as_str())
                .with("Username", email)
                .with("Password", password)
                .with(
                    "UserAttributes",
                    Json::array([
                        attribute("email", email),
                        attribute("preferred_username", handle),
                        attribute("nickname", nickname),
                    ]),
                ),
        )
        .await
        .map(drop)
    }

    pub async fn confirm(&self, email: &str, code: &str) -> Result<(), CognitoError> {
        self.call(
            "ConfirmSignUp",
            Json::object()
                .with("ClientId", self.client_id.as_str())
                .with("Username", email)
                .with("ConfirmationCode", code),
        )
        .await
        .map(drop)
    }

    pub async fn resend_code(&self, email: &str) -> Result<(), CognitoError> {
        self.call(
            "ResendConfirmationCode",
            Json::object()
                .with("ClientId", self.client_id.as_str())
                .with("Username", email),
        )
        .await
        .map(drop)
    }

    /// Tokens from an `InitiateAuth` answer. A refresh answers without a refresh token: the
    /// one used stays valid.
    fn tokens(
        value: &Json,
        refresh_token: Option<&str>,
        now_ms: f64,
    ) -> Result<Tokens, CognitoError> {
        let result = value.get("AuthenticationResult");
        let unexpected = || CognitoError {
            kind: "UnexpectedResponse".into(),
            message: "no AuthenticationResult in the answer".into(),
        };
        Ok(Tokens {
            id_token: result.get("IdToken").string().ok_or_else(unexpected)?,
            access_token: result.get("AccessToken").string().ok_or_else(unexpected)?,
            refresh_token: result
                .get("RefreshToken")
                .string()
                .or(refresh_token.map(str::to_owned))
                .unwrap_or_default(),
            expires_at_ms: now_ms
                + result.get("ExpiresIn").number().ok_or_else(unexpected)? * 1000.0,
        })
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Result<Tokens, CognitoError> {
        let value = self
            .call(
                "InitiateAuth",
                Json::object()
                    .with("AuthFlow", "USER_PASSWORD_AUTH")
                    .with("ClientId", self.client_id.as_str())
                    .with(
                        "AuthParameters",
                        Json::object()
                            .with("USERNAME", email)
                            .with("PASSWORD", password),
                    ),
            )
            .await?;
        Self::tokens(&value, None, crate::browser::now_ms())
    }

    /// New ID and access tokens for a refresh token (which stays the same).
    pub async fn refresh(&self, refresh_token: &str) -> Result<Tokens, CognitoError> {
        let value = self
            .call(
                "InitiateAuth",
                Json::object()
                    .with("AuthFlow", "REFRESH_TOKEN_AUTH")
                    .with("ClientId", self.client_id.as_str())
                    .with(
                        "AuthParameters",
                        Json::object().with("REFRESH_TOKEN", refresh_token),
                    ),
            )
            .await?;
        Self::tokens(&value, Some(refresh_token), crate::browser::now_ms())
    }

    /// Deletes the signed-in user at the identity provider: every token of theirs stops
    /// working (`DeleteUser`).
    pub async fn delete_user(&self, access_token: &str) -> Result<(), CognitoError> {
        self.call(
            "DeleteUser",
            Json::object().with("AccessToken", access_token),
        )
        .await
        .map(drop)
    }

    pub async fn revoke(&self, refresh_token: &str) -> Result<(), CognitoError> {
        self.call(
            "RevokeToken",
            Json::object()
                .with("ClientId", self.client_id.as_str())
                .with("Token", refresh_token),
        )
        .await
        .map(drop)
    }
}

/// A Cognito `AttributeType`.
fn attribute(name: &str, value: &str) -> Json {
    Json::object().with("Name", name).with("Value", value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(kind: &str, message: &str) -> CognitoError {
        CognitoError {
            kind: kind.to_owned(),
            message: message.to_owned(),
        }
    }

    #[test]
    fn known_failures_are_told_in_the_interface_language_and_others_as_cognito_says() {
        let wrong = failure("NotAuthorizedException", "Incorrect username or password.");
        assert_eq!(
            wrong.describe(Lang::En),
            Lang::En.page_texts().err_incorrect_login
        );
        assert_eq!(
            wrong.describe(Lang::Ko),
            Lang::Ko.page_texts().err_incorrect_login
        );
        assert_ne!(wrong.describe(Lang::En), wrong.describe(Lang::Ko));
        let silent = failure("InternalErrorException", "");
        assert_eq!(silent.describe(Lang::Ko), Lang::Ko.texts().error_generic);
        let other = failure("InvalidPasswordException", "Password not long enough");
        assert_eq!(other.describe(Lang::Ko), "Password not long enough");
    }
}
