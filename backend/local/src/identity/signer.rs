//! The pool's RS256 keys: ID and access tokens with the claims Cognito puts in them, the key set
//! it publishes, and checking its own access tokens (for `GetUser`).

use std::sync::Arc;

use cloumer_tokens::JwkSet;
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Value, json};

use super::CLIENT_ID;
use super::users::UserRecord;

/// How long ID and access tokens last.
pub const TOKEN_SECONDS: i64 = 3600;

/// ID and access tokens for one sign-in, as `InitiateAuth` returns them.
pub struct SignedTokens {
    pub id_token: String,
    pub access_token: String,
}

/// Why an access token was not accepted.
pub enum AccessTokenError {
    Expired,
    Invalid,
}

pub struct TokenSigner {
    issuer: String,
    key: EncodingKey,
    kid: String,
    jwks: Arc<JwkSet>,
}

impl TokenSigner {
    /// `key_pem` is the pool's RSA private key (PKCS#8 PEM).
    pub fn new(issuer: String, key_pem: &str) -> anyhow::Result<Self> {
        let key = EncodingKey::from_rsa_pem(key_pem.as_bytes())?;
        let mut jwk = Jwk::from_encoding_key(&key, Algorithm::RS256)?;
        // A stable key id: derived from the public key, so it survives restarts like the key.
        let modulus = match &jwk.algorithm {
            AlgorithmParameters::RSA(rsa) => rsa.n.clone(),
            _ => anyhow::bail!("the identity key is not RSA"),
        };
        let kid: String = modulus.chars().rev().take(16).collect();
        jwk.common.key_id = Some(kid.clone());
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        Ok(Self {
            issuer,
            key,
            kid,
            jwks: Arc::new(JwkSet { keys: vec![jwk] }),
        })
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    pub fn jwks(&self) -> Arc<JwkSet> {
        self.jwks.clone()
    }

    /// ID and access tokens for `user` (one of the staff group's, or not), issued at `now` for a
    /// sign-in at `auth_time`.
    pub fn sign(
        &self,
        user: &UserRecord,
        staff: bool,
        auth_time: i64,
        origin_jti: &str,
        now: i64,
    ) -> Result<SignedTokens, jsonwebtoken::errors::Error> {
        let exp = now + TOKEN_SECONDS;
        let event_id = uuid::Uuid::new_v4().to_string();
        let mut id_claims = json!({
            "sub": user.sub, "email_verified": true, "iss": self.issuer,
            "cognito:username": user.sub, "origin_jti": origin_jti, "aud": CLIENT_ID,
            "event_id": event_id, "token_use": "id", "auth_time": auth_time,
            "exp": exp, "iat": now, "jti": uuid::Uuid::new_v4().to_string(), "email": user.email,
        });
        for (name, value) in &user.attributes {
            if name != "email" {
                id_claims[name] = json!(value);
            }
        }
        let mut access_claims = json!({
            "sub": user.sub, "iss": self.issuer, "client_id": CLIENT_ID,
            "origin_jti": origin_jti, "event_id": event_id, "token_use": "access",
            "scope": "aws.cognito.signin.user.admin", "auth_time": auth_time,
            "exp": exp, "iat": now, "jti": uuid::Uuid::new_v4().to_string(), "username": user.sub,
        });
        if staff {
            // Cognito names a user's groups in both tokens (and leaves the claim out if none).
            for claims in [&mut id_claims, &mut access_claims] {
                claims["cognito:groups"] = json!([cloumer_tokens::STAFF_GROUP]);
            }
        }
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        Ok(SignedTokens {
            access_token: jsonwebtoken::encode(&header, &access_claims, &self.key)?,
            id_token: jsonwebtoken::encode(&header, &id_claims, &self.key)?,
        })
    }

    /// The `sub` of one of our own, unexpired access tokens.
    pub fn access_token_subject(&self, token: &str, now: i64) -> Result<String, AccessTokenError> {
        let key =
            DecodingKey::from_jwk(&self.jwks.keys[0]).map_err(|_| AccessTokenError::Invalid)?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[&self.issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        validation.validate_aud = false;
        validation.validate_exp = false;
        let claims = jsonwebtoken::decode::<Value>(token, &key, &validation)
            .map_err(|_| AccessTokenError::Invalid)?
            .claims;
        if claims.get("token_use").and_then(Value::as_str) != Some("access") {
            return Err(AccessTokenError::Invalid);
        }
        let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
        if exp < now {
            return Err(AccessTokenError::Expired);
        }
        claims
            .get("sub")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or(AccessTokenError::Invalid)
    }
}
