//! IVS playback-authorization tokens: ES384 JWTs with the claims IVS documents.

use cloumer_domain::error::{PortContext, PortResult};
use cloumer_domain::playback::PlaybackClaims;
use cloumer_domain::ports::PlaybackSigner;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The token's claims as they travel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaybackTokenClaims {
    #[serde(rename = "aws:channel-arn")]
    pub channel_arn: String,
    #[serde(rename = "aws:access-control-allow-origin")]
    pub access_control_allow_origin: String,
    #[serde(
        rename = "aws:viewer-id",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub viewer_id: Option<String>,
    pub exp: i64,
}

/// Signs with the private half of the playback key pair whose public half IVS holds
/// (ImportPlaybackKeyPair). The key is PKCS#8 PEM (`BEGIN PRIVATE KEY`), P-384.
pub struct Es384PlaybackSigner {
    key: EncodingKey,
}

impl Es384PlaybackSigner {
    pub fn from_pkcs8_pem(pem: &[u8]) -> PortResult<Self> {
        Ok(Self {
            key: EncodingKey::from_ec_pem(pem).port("reading the playback private key")?,
        })
    }
}

impl PlaybackSigner for Es384PlaybackSigner {
    fn sign(&self, claims: &PlaybackClaims) -> PortResult<String> {
        let body = PlaybackTokenClaims {
            channel_arn: claims.channel_arn.clone(),
            access_control_allow_origin: claims.allowed_origin.clone(),
            viewer_id: claims.viewer_id.clone(),
            exp: claims.expires_at.unix_timestamp(),
        };
        // Header {"alg":"ES384","typ":"JWT"}, as IVS expects.
        encode(&Header::new(Algorithm::ES384), &body, &self.key).port("signing a playback token")
    }
}

/// Checks playback tokens the way IVS does: signature with the public key, expiry.
pub struct PlaybackTokenVerifier {
    key: DecodingKey,
}

impl PlaybackTokenVerifier {
    /// `pem` is the public key (`BEGIN PUBLIC KEY`).
    pub fn from_public_pem(pem: &[u8]) -> PortResult<Self> {
        Ok(Self {
            key: DecodingKey::from_ec_pem(pem).port("reading the playback public key")?,
        })
    }

    /// The claims of a token with a good signature that has not expired at `now`.
    pub fn verify(&self, token: &str, now: OffsetDateTime) -> Option<PlaybackTokenClaims> {
        let mut validation = Validation::new(Algorithm::ES384);
        validation.set_required_spec_claims(&["exp"]);
        validation.validate_aud = false;
        // Expiry is checked against the caller's clock below, not the library's.
        validation.validate_exp = false;
        let claims = decode::<PlaybackTokenClaims>(token, &self.key, &validation)
            .ok()?
            .claims;
        (claims.exp > now.unix_timestamp()).then_some(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p384::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
    use time::Duration;

    fn key_pair() -> (String, String) {
        let secret = p384::SecretKey::random(&mut rand::rngs::OsRng);
        let private = secret.to_pkcs8_pem(LineEnding::LF).unwrap().to_string();
        let public = secret
            .public_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap();
        (private, public)
    }

    fn claims(expires_in: Duration) -> PlaybackClaims {
        PlaybackClaims {
            channel_arn: "arn:aws:ivs:us-west-2:123456789012:channel/abcd".into(),
            allowed_origin: "https://cloumer.example".into(),
            viewer_id: Some("0b5c2e4a-1f3e-4d6b-9a7c-2e8f1d3b5a7c".into()),
            expires_at: OffsetDateTime::now_utc() + expires_in,
        }
    }

    #[test]
    fn a_signed_token_has_the_ivs_header_and_claims_and_verifies() {
        let (private, public) = key_pair();
        let signer = Es384PlaybackSigner::from_pkcs8_pem(private.as_bytes()).unwrap();
        let token = signer.sign(&claims(Duration::minutes(5))).unwrap();
        let header = jsonwebtoken::decode_header(&token).unwrap();
        assert_eq!(header.alg, Algorithm::ES384);
        assert_eq!(header.typ.as_deref(), Some("JWT"));
        let verified = PlaybackTokenVerifier::from_public_pem(public.as_bytes())
            .unwrap()
            .verify(&token, OffsetDateTime::now_utc())
            .unwrap();
        assert_eq!(
            verified.channel_arn,
            "arn:aws:ivs:us-west-2:123456789012:channel/abcd"
        );
        assert_eq!(
            verified.access_control_allow_origin,
            "https://cloumer.example"
        );
    }

    #[test]
    fn expired_or_foreign_tokens_do_not_verify() {
        let (private, public) = key_pair();
        let signer = Es384PlaybackSigner::from_pkcs8_pem(private.as_bytes()).unwrap();
        let verifier = PlaybackTokenVerifier::from_public_pem(public.as_bytes()).unwrap();
        let now = OffsetDateTime::now_utc();
        let soon = signer.sign(&claims(Duration::minutes(5))).unwrap();
        assert!(verifier.verify(&soon, now).is_some());
        assert!(
            verifier.verify(&soon, now + Duration::minutes(6)).is_none(),
            "expired by the caller's clock"
        );
        assert!(
            verifier
                .verify(&signer.sign(&claims(Duration::minutes(-1))).unwrap(), now)
                .is_none()
        );
        let (other_private, _) = key_pair();
        let other = Es384PlaybackSigner::from_pkcs8_pem(other_private.as_bytes()).unwrap();
        assert!(
            verifier
                .verify(&other.sign(&claims(Duration::minutes(5))).unwrap(), now)
                .is_none()
        );
        assert!(verifier.verify("garbage", now).is_none());
    }
}
