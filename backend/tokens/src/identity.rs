//! Verifying Cognito ID and access tokens.

use std::sync::Arc;

use async_trait::async_trait;
use cloumer_domain::Identity;
use cloumer_domain::error::PortResult;
use cloumer_domain::ids::UserId;
use cloumer_domain::ports::{AuthFailure, Clock, IdentityVerifier};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde::Deserialize;

use crate::verified::{Verified, VerifiedTokens};

/// Where the verifier gets the signing keys.
#[async_trait]
pub trait JwksSource: Send + Sync {
    /// The current key set; `refresh` asks for a fresh copy because a token named an unknown key
    /// (sources rate-limit refreshes so forged key ids cannot make us hammer the issuer).
    async fn jwks(&self, refresh: bool) -> PortResult<Arc<JwkSet>>;
}

/// A key set known in advance (the local identity stand-in's own keys).
pub struct StaticJwks(pub Arc<JwkSet>);

#[async_trait]
impl JwksSource for StaticJwks {
    async fn jwks(&self, _refresh: bool) -> PortResult<Arc<JwkSet>> {
        Ok(self.0.clone())
    }
}

/// The claims we read. Cognito ID tokens carry `aud` and `cognito:username`; access tokens carry
/// `client_id` and `username` instead.
#[derive(Deserialize)]
struct Claims {
    sub: String,
    token_use: String,
    exp: i64,
    /// "Not before": Cognito does not set it, but a token that has it is held to it.
    #[serde(default)]
    nbf: Option<i64>,
    #[serde(default)]
    aud: Option<String>,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default, rename = "cognito:username")]
    cognito_username: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    preferred_username: Option<String>,
    #[serde(default)]
    nickname: Option<String>,
    #[serde(default)]
    email: Option<String>,
    /// Only a verified address is ever written to.
    #[serde(default)]
    email_verified: Option<bool>,
    /// When the user typed their password (Unix seconds); refreshing keeps it.
    #[serde(default)]
    auth_time: Option<i64>,
    /// The user pool groups the user is in (Cognito puts them in ID and access tokens alike).
    #[serde(default, rename = "cognito:groups")]
    groups: Vec<String>,
}

/// The user pool group of the platform's staff, who settle reports. Membership is given in the
/// identity provider (Cognito's AdminAddUserToGroup, the local stand-in's staff list), never by
/// our API.
pub const STAFF_GROUP: &str = "staff";

/// Verifies RS256 tokens from one user pool (issuer) for one app client.
pub struct JwtVerifier {
    issuer: String,
    client_id: String,
    keys: Arc<dyn JwksSource>,
    clock: Arc<dyn Clock>,
    verified: VerifiedTokens,
}

/// Clock skew tolerated between the issuer and us.
const LEEWAY_SECONDS: i64 = 30;

impl JwtVerifier {
    /// `issuer` is `https://cognito-idp.<region>.amazonaws.com/<poolId>` in the cloud.
    pub fn new(
        issuer: impl Into<String>,
        client_id: impl Into<String>,
        keys: Arc<dyn JwksSource>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            issuer: issuer.into(),
            client_id: client_id.into(),
            keys,
            clock,
            verified: VerifiedTokens::default(),
        }
    }

    /// The times of a verified token, against our clock's `now` (seconds since the epoch).
    fn check_times(verified: &Verified, now: i64) -> Result<(), AuthFailure> {
        let (expires, not_before) = (verified.expires, verified.not_before);
        if expires + LEEWAY_SECONDS < now {
            return Err(invalid("the token has expired"));
        }
        if not_before.is_some_and(|nbf| nbf - LEEWAY_SECONDS > now) {
            return Err(invalid("the token is not valid yet"));
        }
        Ok(())
    }

    /// Checks the signature and every claim that does not depend on time.
    async fn verify_signed(&self, bearer: &str) -> Result<Verified, AuthFailure> {
        let header = decode_header(bearer).map_err(|_| invalid("the token is malformed"))?;
        if header.alg != Algorithm::RS256 {
            return Err(invalid("the token is not signed with RS256"));
        }
        let kid = header
            .kid
            .ok_or_else(|| invalid("the token names no key"))?;
        let mut jwks = self.keys.jwks(false).await?;
        if jwks.find(&kid).is_none() {
            jwks = self.keys.jwks(true).await?;
        }
        let jwk = jwks
            .find(&kid)
            .ok_or_else(|| invalid("the token was signed by an unknown key"))?;
        let key = DecodingKey::from_jwk(jwk).map_err(|_| invalid("the signing key is unusable"))?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[&self.issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        // Access tokens have no `aud`; the app client is checked below for both kinds.
        validation.validate_aud = false;
        // Times are checked against our clock below, not the library's.
        validation.validate_exp = false;
        let claims = decode::<Claims>(bearer, &key, &validation)
            .map_err(|e| match e.kind() {
                ErrorKind::InvalidIssuer => invalid("the token is from another issuer"),
                ErrorKind::InvalidSignature => invalid("the token signature is invalid"),
                _ => invalid("the token is invalid"),
            })?
            .claims;
        let (client, username) = match claims.token_use.as_str() {
            "id" => (claims.aud, claims.cognito_username),
            "access" => (claims.client_id, claims.username),
            _ => return Err(invalid("the token is neither an ID nor an access token")),
        };
        if client.as_deref() != Some(self.client_id.as_str()) {
            return Err(invalid("the token is for another app"));
        }
        let user_id =
            UserId::parse(&claims.sub).map_err(|_| invalid("the token subject is invalid"))?;
        Ok(Verified {
            identity: Identity {
                username: username.unwrap_or_else(|| claims.sub.clone()),
                user_id,
                preferred_handle: claims.preferred_username,
                nickname: claims.nickname,
                email: claims.email.filter(|_| claims.email_verified == Some(true)),
                signed_in_at: claims
                    .auth_time
                    .and_then(|at| time::OffsetDateTime::from_unix_timestamp(at).ok()),
                staff: claims.groups.iter().any(|group| group == STAFF_GROUP),
            },
            expires: claims.exp,
            not_before: claims.nbf,
        })
    }
}

fn invalid(message: &str) -> AuthFailure {
    AuthFailure::Invalid(message.to_owned())
}

#[async_trait]
impl IdentityVerifier for JwtVerifier {
    async fn verify(&self, bearer: &str) -> Result<Identity, AuthFailure> {
        let now = self.clock.now().unix_timestamp();
        if let Some(known) = self.verified.get(bearer) {
            Self::check_times(&known, now)?;
            return Ok(known.identity);
        }
        let verified = self.verify_signed(bearer).await?;
        Self::check_times(&verified, now)?;
        let identity = verified.identity.clone();
        self.verified.keep(bearer, verified, now);
        Ok(identity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::jwk::Jwk;
    use jsonwebtoken::{EncodingKey, Header, encode};
    use rsa::pkcs8::{EncodePrivateKey, LineEnding};
    use serde_json::json;

    struct Issuer {
        key: EncodingKey,
        jwks: Arc<JwkSet>,
    }

    fn issuer(kid: &str) -> Issuer {
        let private = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap();
        let pem = private.to_pkcs8_pem(LineEnding::LF).unwrap();
        let key = EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap();
        let mut jwk = Jwk::from_encoding_key(&key, Algorithm::RS256).unwrap();
        jwk.common.key_id = Some(kid.to_owned());
        Issuer {
            key,
            jwks: Arc::new(JwkSet { keys: vec![jwk] }),
        }
    }

    fn sign(issuer: &Issuer, kid: &str, claims: serde_json::Value) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(kid.to_owned());
        encode(&header, &claims, &issuer.key).unwrap()
    }

    const ISS: &str = "https://cognito-idp.ap-northeast-2.amazonaws.com/ap-northeast-2_abc";

    fn now() -> i64 {
        time::OffsetDateTime::now_utc().unix_timestamp()
    }

    fn id_claims() -> serde_json::Value {
        json!({
            "sub": "0b5c2e4a-1f3e-4d6b-9a7c-2e8f1d3b5a7c",
            "aud": "client-1",
            "token_use": "id",
            "iss": ISS,
            "exp": now() + 3600,
            "iat": now(),
            "cognito:username": "alice",
            "preferred_username": "alice_tv",
            "nickname": "앨리스",
        })
    }

    fn verifier(issuer: &Issuer) -> JwtVerifier {
        JwtVerifier::new(
            ISS,
            "client-1",
            Arc::new(StaticJwks(issuer.jwks.clone())),
            Arc::new(cloumer_domain::ports::SystemClock),
        )
    }

    #[tokio::test]
    async fn an_id_token_yields_the_user_and_their_sign_up_attributes() {
        let keys = issuer("k1");
        let who = verifier(&keys)
            .verify(&sign(&keys, "k1", id_claims()))
            .await
            .unwrap();
        assert_eq!(who.user_id.as_str(), "0b5c2e4a-1f3e-4d6b-9a7c-2e8f1d3b5a7c");
        assert_eq!(who.username, "alice");
        assert_eq!(who.preferred_handle.as_deref(), Some("alice_tv"));
        assert_eq!(who.nickname.as_deref(), Some("앨리스"));
        assert!(!who.staff, "a user in no group is not staff");
    }

    #[tokio::test]
    async fn staff_are_the_users_in_the_staff_group_of_the_pool() {
        let keys = issuer("k1");
        let with_groups = |groups: serde_json::Value| {
            let mut claims = id_claims();
            claims["cognito:groups"] = groups;
            sign(&keys, "k1", claims)
        };
        let verifier = verifier(&keys);
        let staff = verifier
            .verify(&with_groups(json!(["beta", "staff"])))
            .await
            .unwrap();
        assert!(staff.staff);
        for other in [json!(["Staff"]), json!(["staffers"]), json!([])] {
            let who = verifier.verify(&with_groups(other.clone())).await.unwrap();
            assert!(!who.staff, "{other} is not the staff group");
        }
        // Claims are only read from a token our pool signed: a forged group gets nothing.
        let forger = issuer("k1");
        let mut claims = id_claims();
        claims["cognito:groups"] = json!(["staff"]);
        assert!(verifier.verify(&sign(&forger, "k1", claims)).await.is_err());
    }

    #[tokio::test]
    async fn an_access_token_for_the_app_client_is_accepted() {
        let keys = issuer("k1");
        let claims = json!({
            "sub": "u-1", "client_id": "client-1", "token_use": "access", "iss": ISS,
            "exp": now() + 3600, "username": "alice", "scope": "aws.cognito.signin.user.admin",
        });
        let who = verifier(&keys)
            .verify(&sign(&keys, "k1", claims))
            .await
            .unwrap();
        assert_eq!(who.username, "alice");
    }

    #[tokio::test]
    async fn a_remembered_token_still_expires_and_a_changed_one_is_checked_again() {
        use cloumer_domain::testkit::ManualClock;
        let keys = issuer("k1");
        let clock = Arc::new(ManualClock::at(time::OffsetDateTime::now_utc()));
        let verifier = JwtVerifier::new(
            ISS,
            "client-1",
            Arc::new(StaticJwks(keys.jwks.clone())),
            clock.clone(),
        );
        let token = sign(&keys, "k1", id_claims());
        for _ in 0..2 {
            let who = verifier.verify(&token).await.unwrap();
            assert_eq!(who.username, "alice");
        }
        // The same claims with another signature: not the remembered token.
        let (unsigned, signature) = token.rsplit_once('.').unwrap();
        let mut forged = signature.as_bytes().to_vec();
        forged[10] = if forged[10] == b'A' { b'B' } else { b'A' };
        let forged = format!("{unsigned}.{}", String::from_utf8(forged).unwrap());
        assert!(matches!(
            verifier.verify(&forged).await,
            Err(AuthFailure::Invalid(_))
        ));
        clock.advance(time::Duration::seconds(3600 + LEEWAY_SECONDS + 1));
        match verifier.verify(&token).await {
            Err(AuthFailure::Invalid(message)) => assert_eq!(message, "the token has expired"),
            other => panic!("a remembered token outlived its expiry: {other:?}"),
        }
    }

    async fn rejection(keys: &Issuer, token: &str) -> String {
        match verifier(keys).verify(token).await {
            Err(AuthFailure::Invalid(message)) => message,
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn expired_foreign_and_forged_tokens_are_rejected() {
        let keys = issuer("k1");
        let mut expired = id_claims();
        expired["exp"] = json!(now() - 120);
        assert_eq!(
            rejection(&keys, &sign(&keys, "k1", expired)).await,
            "the token has expired"
        );

        let mut other_pool = id_claims();
        other_pool["iss"] = json!("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_zzz");
        assert_eq!(
            rejection(&keys, &sign(&keys, "k1", other_pool)).await,
            "the token is from another issuer"
        );

        let mut other_app = id_claims();
        other_app["aud"] = json!("client-2");
        assert_eq!(
            rejection(&keys, &sign(&keys, "k1", other_app)).await,
            "the token is for another app"
        );

        let mut refresh_like = id_claims();
        refresh_like["token_use"] = json!("refresh");
        assert!(
            rejection(&keys, &sign(&keys, "k1", refresh_like))
                .await
                .contains("neither")
        );

        // Signed by someone else's key that claims our key id.
        let forger = issuer("k1");
        assert_eq!(
            rejection(&keys, &sign(&forger, "k1", id_claims())).await,
            "the token signature is invalid"
        );
        assert_eq!(
            rejection(&keys, &sign(&keys, "k9", id_claims())).await,
            "the token was signed by an unknown key"
        );
        assert_eq!(
            rejection(&keys, "not.a.jwt").await,
            "the token is malformed"
        );
    }

    #[tokio::test]
    async fn a_token_that_is_not_valid_yet_is_rejected() {
        let keys = issuer("k1");
        let mut early = id_claims();
        early["nbf"] = json!(now() + 600);
        assert_eq!(
            rejection(&keys, &sign(&keys, "k1", early)).await,
            "the token is not valid yet"
        );
        let mut skewed = id_claims();
        skewed["nbf"] = json!(now() + 10);
        assert!(
            verifier(&keys)
                .verify(&sign(&keys, "k1", skewed))
                .await
                .is_ok(),
            "a little clock skew is tolerated"
        );
    }

    #[tokio::test]
    async fn a_token_signed_with_hs256_is_rejected_even_with_the_public_key_as_secret() {
        let keys = issuer("k1");
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some("k1".into());
        let token = encode(
            &header,
            &id_claims(),
            &EncodingKey::from_secret(b"anything"),
        )
        .unwrap();
        assert_eq!(
            rejection(&keys, &token).await,
            "the token is not signed with RS256"
        );
    }
}
