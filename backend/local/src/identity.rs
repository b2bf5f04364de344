//! A local stand-in for an Amazon Cognito user pool.
//!
//! It speaks the subset of the Cognito Identity Provider JSON API the browser app uses (`POST /`
//! with `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`, `application/x-amz-json-1.1`,
//! errors as `{"__type": "...Exception", "message": ...}`), issues RS256 ID and access tokens with
//! Cognito's claims, and publishes its keys at `<issuer>/.well-known/jwks.json`. The pool signs
//! users in by email (Cognito's `username_attributes = ["email"]`), applies Cognito's default
//! password policy, and prints confirmation codes to the log instead of emailing them. Confirming
//! a sign-up creates the user's channel, as the post-confirmation trigger does in the cloud.

use std::collections::BTreeMap;
use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use cloumer_domain::ids::{UserId, random_alphanumeric};
use cloumer_domain::{Identity, Platform};
use cloumer_tokens::JwkSet;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rand::Rng;
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::OffsetDateTime;

/// email → user
const USERS: TableDefinition<&str, &[u8]> = TableDefinition::new("identity_users");
/// sub → email
const SUBS: TableDefinition<&str, &str> = TableDefinition::new("identity_user_subs");
/// refresh token → session
const REFRESH_TOKENS: TableDefinition<&str, &[u8]> =
    TableDefinition::new("identity_refresh_tokens");

pub const POOL_ID: &str = "local_cloumer";
pub const CLIENT_ID: &str = "cloumerlocalclient";
const TOKEN_SECONDS: i64 = 3600;
const REFRESH_SECONDS: i64 = 30 * 24 * 3600;
const CODE_SECONDS: i64 = 24 * 3600;
const MAX_ATTEMPTS: u32 = 5;
const LOCKOUT_SECONDS: i64 = 15 * 60;

#[derive(Clone, Debug, Serialize, Deserialize)]
struct UserRecord {
    sub: String,
    email: String,
    password_hash: String,
    attributes: BTreeMap<String, String>,
    confirmed: bool,
    /// The pending code (sign-up confirmation or password reset) and when it expires.
    code: Option<(String, i64)>,
    failed_attempts: u32,
    locked_until: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct RefreshSession {
    email: String,
    expires_at: i64,
    auth_time: i64,
    origin_jti: String,
}

/// A Cognito error: its `__type` and message.
#[derive(Debug)]
struct CognitoError(&'static str, String);

impl CognitoError {
    fn new(kind: &'static str, message: impl Into<String>) -> Self {
        Self(kind, message.into())
    }
    fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "local identity failure");
        Self("InternalErrorException", "internal error".into())
    }
}

impl IntoResponse for CognitoError {
    fn into_response(self) -> Response {
        let status = if self.0 == "InternalErrorException" {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::BAD_REQUEST
        };
        let mut response = (
            status,
            amz_json(json!({ "__type": self.0, "message": self.1 })),
        )
            .into_response();
        if let Ok(value) = HeaderValue::from_str(&format!("{}:", self.0)) {
            response.headers_mut().insert("x-amzn-ErrorType", value);
        }
        response
    }
}

fn amz_json(value: Value) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/x-amz-json-1.1")],
        value.to_string(),
    )
}

type Outcome = Result<Value, CognitoError>;

/// The local user pool.
#[derive(Clone)]
pub struct LocalIdentity {
    inner: Arc<Inner>,
}

struct Inner {
    db: Arc<Database>,
    issuer: String,
    key: EncodingKey,
    kid: String,
    jwks: Arc<JwkSet>,
    platform: Platform,
}

fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

fn uuid_v4() -> String {
    let mut bytes: [u8; 16] = rand::thread_rng().r#gen();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn mask_email(email: &str) -> String {
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let first = local.chars().next().unwrap_or('*');
    let domain_first = domain.chars().next().unwrap_or('*');
    let tld = domain.rsplit_once('.').map(|(_, t)| t).unwrap_or("");
    format!("{first}***@{domain_first}***.{tld}")
}

fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.contains('@')
}

/// Cognito's default password policy.
fn check_password(password: &str) -> Result<(), CognitoError> {
    let fail = |why: &str| {
        Err(CognitoError::new(
            "InvalidPasswordException",
            format!("Password did not conform with policy: {why}"),
        ))
    };
    if password.chars().count() < 8 {
        return fail("Password not long enough");
    }
    if password.chars().count() > 256 {
        return fail("Password is too long");
    }
    if !password.chars().any(|c| c.is_ascii_uppercase()) {
        return fail("Password must have uppercase characters");
    }
    if !password.chars().any(|c| c.is_ascii_lowercase()) {
        return fail("Password must have lowercase characters");
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        return fail("Password must have numeric characters");
    }
    if !password
        .chars()
        .any(|c| !c.is_alphanumeric() && !c.is_whitespace())
    {
        return fail("Password must have symbol characters");
    }
    Ok(())
}

fn str_field<'a>(body: &'a Value, name: &str) -> Result<&'a str, CognitoError> {
    body.get(name).and_then(Value::as_str).ok_or_else(|| {
        CognitoError::new(
            "InvalidParameterException",
            format!("1 validation error detected: Value at '{}' failed to satisfy constraint: Member must not be null", lower_first(name)),
        )
    })
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

fn new_code() -> String {
    format!("{:06}", rand::thread_rng().gen_range(0..1_000_000))
}

const WRITABLE_ATTRIBUTES: &[&str] = &["preferred_username", "nickname", "name", "locale"];

impl LocalIdentity {
    /// `base_url` is where the stack is reached (e.g. `http://127.0.0.1:8080`).
    pub fn new(
        db: Arc<Database>,
        base_url: &str,
        key_pem: &str,
        platform: Platform,
    ) -> anyhow::Result<Self> {
        let tx = db.begin_write()?;
        tx.open_table(USERS)?;
        tx.open_table(SUBS)?;
        tx.open_table(REFRESH_TOKENS)?;
        tx.commit()?;
        let key = EncodingKey::from_rsa_pem(key_pem.as_bytes())?;
        let mut jwk = Jwk::from_encoding_key(&key, Algorithm::RS256)?;
        // A stable key id: derived from the public key, so it survives restarts like the key.
        let modulus = match &jwk.algorithm {
            jsonwebtoken::jwk::AlgorithmParameters::RSA(rsa) => rsa.n.clone(),
            _ => anyhow::bail!("the identity key is not RSA"),
        };
        let kid: String = modulus.chars().rev().take(16).collect();
        jwk.common.key_id = Some(kid.clone());
        jwk.common.public_key_use = Some(jsonwebtoken::jwk::PublicKeyUse::Signature);
        Ok(Self {
            inner: Arc::new(Inner {
                db,
                issuer: format!("{}/cognito/{POOL_ID}", base_url.trim_end_matches('/')),
                key,
                kid,
                jwks: Arc::new(JwkSet { keys: vec![jwk] }),
                platform,
            }),
        })
    }

    /// The `iss` of every token, as the API's verifier must expect it.
    pub fn issuer(&self) -> &str {
        &self.inner.issuer
    }

    pub fn jwks(&self) -> Arc<JwkSet> {
        self.inner.jwks.clone()
    }

    /// The pending confirmation (or password-reset) code of a user, for tests and tools; the
    /// code is also printed to the log.
    pub fn pending_code(&self, email: &str) -> Option<String> {
        self.user(&email.to_lowercase())
            .ok()
            .flatten()
            .and_then(|u| u.code.map(|(c, _)| c))
    }

    /// Routes: the JSON API at `/cognito/` and the key set at `/cognito/<pool>/.well-known/jwks.json`.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/cognito", post(handle))
            .route("/cognito/", post(handle))
            .route(
                &format!("/cognito/{POOL_ID}/.well-known/jwks.json"),
                get(jwks),
            )
            .with_state(self.clone())
    }

    fn user(&self, email: &str) -> Result<Option<UserRecord>, CognitoError> {
        let tx = self.inner.db.begin_read().map_err(CognitoError::internal)?;
        let table = tx.open_table(USERS).map_err(CognitoError::internal)?;
        let found = table.get(email).map_err(CognitoError::internal)?;
        found
            .map(|v| serde_json::from_slice(v.value()).map_err(CognitoError::internal))
            .transpose()
    }

    fn put_user(&self, user: &UserRecord, must_be_new: bool) -> Result<(), CognitoError> {
        let tx = self
            .inner
            .db
            .begin_write()
            .map_err(CognitoError::internal)?;
        {
            let mut table = tx.open_table(USERS).map_err(CognitoError::internal)?;
            if must_be_new
                && table
                    .get(user.email.as_str())
                    .map_err(CognitoError::internal)?
                    .is_some()
            {
                return Err(CognitoError::new(
                    "UsernameExistsException",
                    "An account with the given email already exists.",
                ));
            }
            let bytes = serde_json::to_vec(user).map_err(CognitoError::internal)?;
            table
                .insert(user.email.as_str(), bytes.as_slice())
                .map_err(CognitoError::internal)?;
            if must_be_new {
                let mut subs = tx.open_table(SUBS).map_err(CognitoError::internal)?;
                subs.insert(user.sub.as_str(), user.email.as_str())
                    .map_err(CognitoError::internal)?;
            }
        }
        tx.commit().map_err(CognitoError::internal)
    }

    fn check_client(&self, body: &Value) -> Result<(), CognitoError> {
        let client = str_field(body, "ClientId")?;
        if client != CLIENT_ID {
            return Err(CognitoError::new(
                "ResourceNotFoundException",
                format!("User pool client {client} does not exist."),
            ));
        }
        Ok(())
    }

    fn username(body: &Value) -> Result<String, CognitoError> {
        Ok(str_field(body, "Username")?.trim().to_lowercase())
    }

    fn existing(&self, email: &str) -> Result<UserRecord, CognitoError> {
        self.user(email)?.ok_or_else(|| {
            CognitoError::new(
                "UserNotFoundException",
                "Username/client id combination not found.",
            )
        })
    }

    async fn sign_up(&self, body: Value) -> Outcome {
        self.check_client(&body)?;
        let email = Self::username(&body)?;
        if !valid_email(&email) {
            return Err(CognitoError::new(
                "InvalidParameterException",
                "Username should be an email.",
            ));
        }
        let password = str_field(&body, "Password")?.to_owned();
        check_password(&password)?;
        let mut attributes = BTreeMap::new();
        for attribute in body
            .get("UserAttributes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = attribute
                .get("Name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let value = attribute
                .get("Value")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if name == "email" {
                continue;
            }
            if !WRITABLE_ATTRIBUTES.contains(&name) {
                return Err(CognitoError::new(
                    "InvalidParameterException",
                    format!(
                        "Attributes did not conform to the schema: Type for attribute {{{name}}} could not be determined"
                    ),
                ));
            }
            if value.chars().count() > 2048 {
                return Err(CognitoError::new(
                    "InvalidParameterException",
                    format!("{name} is too long"),
                ));
            }
            attributes.insert(name.to_owned(), value.to_owned());
        }
        if self.user(&email)?.is_some() {
            return Err(CognitoError::new(
                "UsernameExistsException",
                "An account with the given email already exists.",
            ));
        }
        let password_hash = tokio::task::spawn_blocking(move || {
            let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
        })
        .await
        .map_err(CognitoError::internal)?
        .map_err(CognitoError::internal)?;
        let sub = uuid_v4();
        let code = new_code();
        attributes.insert("email".into(), email.clone());
        let user = UserRecord {
            sub: sub.clone(),
            email: email.clone(),
            password_hash,
            attributes,
            confirmed: false,
            code: Some((code.clone(), now() + CODE_SECONDS)),
            failed_attempts: 0,
            locked_until: 0,
        };
        self.put_user(&user, true)?;
        tracing::info!("confirmation code for {email}: {code}");
        Ok(json!({
            "UserConfirmed": false,
            "UserSub": sub,
            "CodeDeliveryDetails": { "Destination": mask_email(&email), "DeliveryMedium": "EMAIL", "AttributeName": "email" }
        }))
    }

    fn check_code(&self, user: &mut UserRecord, given: &str) -> Result<(), CognitoError> {
        let Some((code, expires_at)) = user.code.clone() else {
            return Err(CognitoError::new(
                "ExpiredCodeException",
                "Invalid code provided, please request a code again.",
            ));
        };
        if expires_at < now() {
            return Err(CognitoError::new(
                "ExpiredCodeException",
                "Invalid code provided, please request a code again.",
            ));
        }
        if code != given.trim() {
            user.failed_attempts += 1;
            if user.failed_attempts >= MAX_ATTEMPTS {
                user.code = None;
                user.failed_attempts = 0;
                self.put_user(user, false)?;
                return Err(CognitoError::new(
                    "LimitExceededException",
                    "Attempt limit exceeded, please try after some time.",
                ));
            }
            self.put_user(user, false)?;
            return Err(CognitoError::new(
                "CodeMismatchException",
                "Invalid verification code provided, please try again.",
            ));
        }
        user.code = None;
        user.failed_attempts = 0;
        Ok(())
    }

    async fn confirm_sign_up(&self, body: Value) -> Outcome {
        self.check_client(&body)?;
        let mut user = self.existing(&Self::username(&body)?)?;
        if user.confirmed {
            return Err(CognitoError::new(
                "NotAuthorizedException",
                "User cannot be confirmed. Current status is CONFIRMED",
            ));
        }
        self.check_code(&mut user, str_field(&body, "ConfirmationCode")?)?;
        user.confirmed = true;
        self.put_user(&user, false)?;
        self.post_confirmation(&user).await;
        Ok(json!({}))
    }

    /// What the Cognito post-confirmation trigger does in the cloud: create the user's channel.
    /// A failure here does not undo the confirmation (the API creates the channel on first use).
    async fn post_confirmation(&self, user: &UserRecord) {
        let Ok(user_id) = UserId::parse(&user.sub) else {
            return;
        };
        let identity = Identity {
            user_id,
            username: user.sub.clone(),
            preferred_handle: user.attributes.get("preferred_username").cloned(),
            nickname: user.attributes.get("nickname").cloned(),
        };
        if let Err(error) = self.inner.platform.ensure_account(&identity).await {
            tracing::warn!(%error, "post-confirmation could not create the channel yet");
        }
    }

    async fn resend_code(&self, body: Value) -> Outcome {
        self.check_client(&body)?;
        let mut user = self.existing(&Self::username(&body)?)?;
        if user.confirmed {
            return Err(CognitoError::new(
                "InvalidParameterException",
                "User is already confirmed.",
            ));
        }
        let code = new_code();
        user.code = Some((code.clone(), now() + CODE_SECONDS));
        self.put_user(&user, false)?;
        tracing::info!("confirmation code for {}: {code}", user.email);
        Ok(
            json!({ "CodeDeliveryDetails": { "Destination": mask_email(&user.email), "DeliveryMedium": "EMAIL", "AttributeName": "email" } }),
        )
    }

    async fn forgot_password(&self, body: Value) -> Outcome {
        self.check_client(&body)?;
        let mut user = self.existing(&Self::username(&body)?)?;
        let code = new_code();
        user.code = Some((code.clone(), now() + 3600));
        self.put_user(&user, false)?;
        tracing::info!("password reset code for {}: {code}", user.email);
        Ok(
            json!({ "CodeDeliveryDetails": { "Destination": mask_email(&user.email), "DeliveryMedium": "EMAIL", "AttributeName": "email" } }),
        )
    }

    async fn confirm_forgot_password(&self, body: Value) -> Outcome {
        self.check_client(&body)?;
        let mut user = self.existing(&Self::username(&body)?)?;
        let password = str_field(&body, "Password")?.to_owned();
        check_password(&password)?;
        self.check_code(&mut user, str_field(&body, "ConfirmationCode")?)?;
        user.password_hash = tokio::task::spawn_blocking(move || {
            let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
        })
        .await
        .map_err(CognitoError::internal)?
        .map_err(CognitoError::internal)?;
        user.locked_until = 0;
        self.put_user(&user, false)?;
        Ok(json!({}))
    }

    async fn initiate_auth(&self, body: Value) -> Outcome {
        self.check_client(&body)?;
        let flow = str_field(&body, "AuthFlow")?;
        let params = body.get("AuthParameters").cloned().unwrap_or(Value::Null);
        match flow {
            "USER_PASSWORD_AUTH" => self.password_auth(&params).await,
            "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => self.refresh_auth(&params),
            other => Err(CognitoError::new(
                "InvalidParameterException",
                format!("Initiate Auth method not supported: {other}"),
            )),
        }
    }

    async fn password_auth(&self, params: &Value) -> Outcome {
        let email = str_field(params, "USERNAME")?.trim().to_lowercase();
        let password = str_field(params, "PASSWORD")?.to_owned();
        let wrong =
            || CognitoError::new("NotAuthorizedException", "Incorrect username or password.");
        // Unknown users get the same answer as wrong passwords (PreventUserExistenceErrors).
        let Some(mut user) = self.user(&email)? else {
            return Err(wrong());
        };
        if user.locked_until > now() {
            return Err(CognitoError::new(
                "NotAuthorizedException",
                "Password attempts exceeded",
            ));
        }
        let hash = user.password_hash.clone();
        let matches = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&hash)
                .map(|parsed| {
                    Argon2::default()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false)
        })
        .await
        .map_err(CognitoError::internal)?;
        if !matches {
            user.failed_attempts += 1;
            if user.failed_attempts >= MAX_ATTEMPTS {
                user.failed_attempts = 0;
                user.locked_until = now() + LOCKOUT_SECONDS;
            }
            self.put_user(&user, false)?;
            return Err(wrong());
        }
        if !user.confirmed {
            return Err(CognitoError::new(
                "UserNotConfirmedException",
                "User is not confirmed.",
            ));
        }
        if user.failed_attempts > 0 {
            user.failed_attempts = 0;
            self.put_user(&user, false)?;
        }
        let auth_time = now();
        let origin_jti = uuid_v4();
        let refresh = random_alphanumeric(96);
        let session = RefreshSession {
            email: user.email.clone(),
            expires_at: auth_time + REFRESH_SECONDS,
            auth_time,
            origin_jti: origin_jti.clone(),
        };
        let tx = self
            .inner
            .db
            .begin_write()
            .map_err(CognitoError::internal)?;
        {
            let mut table = tx
                .open_table(REFRESH_TOKENS)
                .map_err(CognitoError::internal)?;
            let bytes = serde_json::to_vec(&session).map_err(CognitoError::internal)?;
            table
                .insert(refresh.as_str(), bytes.as_slice())
                .map_err(CognitoError::internal)?;
        }
        tx.commit().map_err(CognitoError::internal)?;
        let mut result = self.tokens(&user, auth_time, &origin_jti)?;
        result["RefreshToken"] = json!(refresh);
        Ok(json!({ "AuthenticationResult": result, "ChallengeParameters": {} }))
    }

    fn refresh_auth(&self, params: &Value) -> Outcome {
        let token = str_field(params, "REFRESH_TOKEN")?;
        let invalid = || CognitoError::new("NotAuthorizedException", "Invalid Refresh Token");
        let tx = self.inner.db.begin_read().map_err(CognitoError::internal)?;
        let table = tx
            .open_table(REFRESH_TOKENS)
            .map_err(CognitoError::internal)?;
        let session: RefreshSession = match table.get(token).map_err(CognitoError::internal)? {
            Some(bytes) => serde_json::from_slice(bytes.value()).map_err(CognitoError::internal)?,
            None => return Err(invalid()),
        };
        if session.expires_at < now() {
            return Err(CognitoError::new(
                "NotAuthorizedException",
                "Refresh Token has expired",
            ));
        }
        let user = self.user(&session.email)?.ok_or_else(invalid)?;
        let result = self.tokens(&user, session.auth_time, &session.origin_jti)?;
        Ok(json!({ "AuthenticationResult": result, "ChallengeParameters": {} }))
    }

    /// ID and access tokens with the claims Cognito puts in them.
    fn tokens(
        &self,
        user: &UserRecord,
        auth_time: i64,
        origin_jti: &str,
    ) -> Result<Value, CognitoError> {
        let iat = now();
        let exp = iat + TOKEN_SECONDS;
        let event_id = uuid_v4();
        let mut id_claims = json!({
            "sub": user.sub, "email_verified": true, "iss": self.inner.issuer,
            "cognito:username": user.sub, "origin_jti": origin_jti, "aud": CLIENT_ID,
            "event_id": event_id, "token_use": "id", "auth_time": auth_time,
            "exp": exp, "iat": iat, "jti": uuid_v4(), "email": user.email,
        });
        for (name, value) in &user.attributes {
            if name != "email" {
                id_claims[name] = json!(value);
            }
        }
        let access_claims = json!({
            "sub": user.sub, "iss": self.inner.issuer, "client_id": CLIENT_ID,
            "origin_jti": origin_jti, "event_id": event_id, "token_use": "access",
            "scope": "aws.cognito.signin.user.admin", "auth_time": auth_time,
            "exp": exp, "iat": iat, "jti": uuid_v4(), "username": user.sub,
        });
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.inner.kid.clone());
        let sign = |claims: &Value| {
            jsonwebtoken::encode(&header, claims, &self.inner.key).map_err(CognitoError::internal)
        };
        Ok(json!({
            "AccessToken": sign(&access_claims)?,
            "IdToken": sign(&id_claims)?,
            "ExpiresIn": TOKEN_SECONDS,
            "TokenType": "Bearer",
        }))
    }

    /// Checks one of our own access tokens (for GetUser).
    fn access_token_user(&self, token: &str) -> Result<UserRecord, CognitoError> {
        let invalid = || CognitoError::new("NotAuthorizedException", "Invalid Access Token");
        let jwk = &self.inner.jwks.keys[0];
        let key = jsonwebtoken::DecodingKey::from_jwk(jwk).map_err(CognitoError::internal)?;
        let mut validation = jsonwebtoken::Validation::new(Algorithm::RS256);
        validation.set_issuer(&[&self.inner.issuer]);
        validation.validate_aud = false;
        let claims = jsonwebtoken::decode::<Value>(token, &key, &validation).map_err(|e| {
            if matches!(e.kind(), jsonwebtoken::errors::ErrorKind::ExpiredSignature) {
                CognitoError::new("NotAuthorizedException", "Access Token has expired")
            } else {
                invalid()
            }
        })?;
        if claims.claims.get("token_use").and_then(Value::as_str) != Some("access") {
            return Err(invalid());
        }
        let sub = claims
            .claims
            .get("sub")
            .and_then(Value::as_str)
            .ok_or_else(invalid)?;
        let email = {
            let tx = self.inner.db.begin_read().map_err(CognitoError::internal)?;
            let subs = tx.open_table(SUBS).map_err(CognitoError::internal)?;
            let found = subs.get(sub).map_err(CognitoError::internal)?;
            found.map(|e| e.value().to_owned()).ok_or_else(invalid)?
        };
        self.user(&email)?.ok_or_else(invalid)
    }

    fn get_user(&self, body: Value) -> Outcome {
        let user = self.access_token_user(str_field(&body, "AccessToken")?)?;
        let mut attributes = vec![
            json!({ "Name": "sub", "Value": user.sub }),
            json!({ "Name": "email_verified", "Value": "true" }),
        ];
        for (name, value) in &user.attributes {
            attributes.push(json!({ "Name": name, "Value": value }));
        }
        Ok(json!({ "Username": user.sub, "UserAttributes": attributes }))
    }

    fn revoke_token(&self, body: Value) -> Outcome {
        self.check_client(&body)?;
        let token = str_field(&body, "Token")?;
        let tx = self
            .inner
            .db
            .begin_write()
            .map_err(CognitoError::internal)?;
        {
            let mut table = tx
                .open_table(REFRESH_TOKENS)
                .map_err(CognitoError::internal)?;
            table.remove(token).map_err(CognitoError::internal)?;
        }
        tx.commit().map_err(CognitoError::internal)?;
        Ok(json!({}))
    }
}

async fn jwks(State(identity): State<LocalIdentity>) -> Json<JwkSet> {
    Json((*identity.inner.jwks).clone())
}

async fn handle(
    State(identity): State<LocalIdentity>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("AWSCognitoIdentityProviderService."))
        .unwrap_or_default()
        .to_owned();
    let body: Value = match serde_json::from_slice(&body) {
        Ok(Value::Object(map)) => Value::Object(map),
        _ => {
            return CognitoError::new(
                "SerializationException",
                "the request body is not a JSON object",
            )
            .into_response();
        }
    };
    let outcome = match target.as_str() {
        "SignUp" => identity.sign_up(body).await,
        "ConfirmSignUp" => identity.confirm_sign_up(body).await,
        "ResendConfirmationCode" => identity.resend_code(body).await,
        "InitiateAuth" => identity.initiate_auth(body).await,
        "GetUser" => identity.get_user(body),
        "RevokeToken" => identity.revoke_token(body),
        "ForgotPassword" => identity.forgot_password(body).await,
        "ConfirmForgotPassword" => identity.confirm_forgot_password(body).await,
        "" => Err(CognitoError::new(
            "UnknownOperationException",
            "missing X-Amz-Target",
        )),
        _ => Err(CognitoError::new(
            "UnknownOperationException",
            format!("{target} is not supported by the local user pool"),
        )),
    };
    match outcome {
        Ok(value) => amz_json(value).into_response(),
        Err(error) => error.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_password_policy_is_cognitos() {
        assert!(check_password("Passw0rd!").is_ok());
        for weak in [
            "Pa0!",
            "password0!",
            "PASSWORD0!",
            "Password!!",
            "Password00",
        ] {
            assert!(check_password(weak).is_err(), "{weak}");
        }
    }

    #[test]
    fn emails_are_checked_and_masked_like_cognito_delivery_details() {
        assert!(valid_email("alice@example.com"));
        for bad in [
            "alice",
            "alice@",
            "@example.com",
            "al ice@example.com",
            "a@b@c.com",
            "a@example.",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
        assert_eq!(mask_email("alice@example.com"), "a***@e***.com");
    }

    #[test]
    fn subs_are_version_4_uuids() {
        let id = uuid_v4();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert_ne!(id, uuid_v4());
    }
}
