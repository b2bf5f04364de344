//! CloudFront signed URLs and cookies with a custom policy: a resource pattern and an expiry,
//! signed RSA-SHA1 (PKCS#1 v1.5) with the private half of a key in a trusted key group.
//! [`CloudFrontSigner`] signs for CloudFront; [`CloudFrontVerifier`] checks as CloudFront does,
//! for the local stack's stand-in.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cloumer_domain::error::{PortContext, PortResult};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::{Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};
use time::OffsetDateTime;

/// A signed policy: the three values CloudFront reads from a URL's query string
/// (`Policy`, `Signature`, `Key-Pair-Id`) or from cookies (`CloudFront-Policy`, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedPolicy {
    pub policy: String,
    pub signature: String,
    pub key_pair_id: String,
}

impl SignedPolicy {
    /// The query string of a signed URL (the values are URL-safe already).
    pub fn query(&self) -> String {
        format!(
            "Policy={}&Signature={}&Key-Pair-Id={}",
            self.policy, self.signature, self.key_pair_id
        )
    }
}

#[derive(Serialize, Deserialize)]
struct Policy {
    #[serde(rename = "Statement")]
    statement: Vec<Statement>,
}

#[derive(Serialize, Deserialize)]
struct Statement {
    #[serde(rename = "Resource")]
    resource: String,
    #[serde(rename = "Condition")]
    condition: Condition,
}

#[derive(Serialize, Deserialize)]
struct Condition {
    #[serde(rename = "DateLessThan")]
    date_less_than: Epoch,
}

#[derive(Serialize, Deserialize)]
struct Epoch {
    #[serde(rename = "AWS:EpochTime")]
    epoch_time: i64,
}

/// Base64 with the three characters CloudFront replaces so the value fits a URL or a cookie.
fn encode(bytes: &[u8]) -> String {
    STANDARD
        .encode(bytes)
        .replace('+', "-")
        .replace('=', "_")
        .replace('/', "~")
}

fn decode(text: &str) -> Option<Vec<u8>> {
    let standard = text.replace('-', "+").replace('_', "=").replace('~', "/");
    STANDARD.decode(standard).ok()
}

fn digest(policy: &[u8]) -> Vec<u8> {
    Sha1::digest(policy).to_vec()
}

pub struct CloudFrontSigner {
    key_pair_id: String,
    key: RsaPrivateKey,
}

impl CloudFrontSigner {
    /// `pem` is an RSA private key, PKCS#1 (`BEGIN RSA PRIVATE KEY`, as Terraform's
    /// `tls_private_key` writes it) or PKCS#8 (`BEGIN PRIVATE KEY`); `key_pair_id` is the id
    /// CloudFront gave its public half.
    pub fn from_pem(key_pair_id: &str, pem: &str) -> PortResult<Self> {
        let key = RsaPrivateKey::from_pkcs1_pem(pem)
            .or_else(|_| RsaPrivateKey::from_pkcs8_pem(pem))
            .port("reading the CloudFront signing key")?;
        Ok(Self {
            key_pair_id: key_pair_id.to_owned(),
            key,
        })
    }

    /// A policy allowing GETs of URLs matching `resource` (`*` any characters, `?` one) until
    /// `expires_at`.
    pub fn sign(&self, resource: &str, expires_at: OffsetDateTime) -> PortResult<SignedPolicy> {
        let policy = serde_json::to_vec(&Policy {
            statement: vec![Statement {
                resource: resource.to_owned(),
                condition: Condition {
                    date_less_than: Epoch {
                        epoch_time: expires_at.unix_timestamp(),
                    },
                },
            }],
        })
        .port("writing a CloudFront policy")?;
        let signature = self
            .key
            .sign(Pkcs1v15Sign::new::<Sha1>(), &digest(&policy))
            .port("signing a CloudFront policy")?;
        Ok(SignedPolicy {
            policy: encode(&policy),
            signature: encode(&signature),
            key_pair_id: self.key_pair_id.clone(),
        })
    }
}

/// Checks signed policies as CloudFront does for a behaviour that trusts one public key.
pub struct CloudFrontVerifier {
    key_pair_id: String,
    key: RsaPublicKey,
}

impl CloudFrontVerifier {
    /// `pem` is the public key (`BEGIN PUBLIC KEY`).
    pub fn from_public_pem(key_pair_id: &str, pem: &str) -> PortResult<Self> {
        Ok(Self {
            key_pair_id: key_pair_id.to_owned(),
            key: RsaPublicKey::from_public_key_pem(pem)
                .port("reading the CloudFront public key")?,
        })
    }

    /// Whether `signed` allows a GET of `url` at `now`: a trusted key, a signature over the
    /// policy, an unexpired policy whose resource matches the URL.
    pub fn allows(&self, signed: &SignedPolicy, url: &str, now: OffsetDateTime) -> bool {
        if signed.key_pair_id != self.key_pair_id {
            return false;
        }
        let (Some(policy), Some(signature)) = (decode(&signed.policy), decode(&signed.signature))
        else {
            return false;
        };
        if self
            .key
            .verify(Pkcs1v15Sign::new::<Sha1>(), &digest(&policy), &signature)
            .is_err()
        {
            return false;
        }
        let Ok(policy) = serde_json::from_slice::<Policy>(&policy) else {
            return false;
        };
        policy.statement.iter().any(|statement| {
            now.unix_timestamp() < statement.condition.date_less_than.epoch_time
                && matches(&statement.resource, url)
        })
    }
}

/// CloudFront's resource patterns: `*` matches any run of characters, `?` exactly one.
fn matches(pattern: &str, text: &str) -> bool {
    let (pattern, text): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), text.chars().collect());
    let (mut p, mut t) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                backtrack = Some((p, t));
                p += 1;
            }
            Some(&c) if c == '?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match backtrack {
                // Let the last star swallow one more character and try again.
                Some((star, from)) => {
                    p = star + 1;
                    t = from + 1;
                    backtrack = Some((star, from + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
    use time::Duration;

    use super::*;

    fn keys() -> (CloudFrontSigner, CloudFrontVerifier) {
        let key = RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
        let private = key.to_pkcs8_pem(LineEnding::LF).unwrap();
        let public = key
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap();
        (
            CloudFrontSigner::from_pem("K2JCJMDEHXQW5F", &private).unwrap(),
            CloudFrontVerifier::from_public_pem("K2JCJMDEHXQW5F", &public).unwrap(),
        )
    }

    #[test]
    fn a_policy_allows_what_it_names_until_it_expires() {
        let (signer, verifier) = keys();
        let now = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        let signed = signer
            .sign(
                "https://d1.cloudfront.net/*ivs/v1/123/chan/*",
                now + Duration::hours(1),
            )
            .unwrap();
        let url = "https://d1.cloudfront.net/private-recordings/ivs/v1/123/chan/2026/11/30/1/5/rec/media/hls/master.m3u8";
        assert!(verifier.allows(&signed, url, now));
        assert!(verifier.allows(&signed, &url.replace("/private-recordings", ""), now));
        assert!(!verifier.allows(&signed, &url.replace("/chan/", "/other/"), now));
        assert!(!verifier.allows(&signed, url, now + Duration::hours(1)));
        // The values are safe in a URL and a cookie.
        for value in [&signed.policy, &signed.signature] {
            assert!(!value.contains(['+', '=', '/']), "{value}");
        }
        let forged = SignedPolicy {
            policy: encode(br#"{"Statement":[{"Resource":"*","Condition":{"DateLessThan":{"AWS:EpochTime":9999999999}}}]}"#),
            ..signed.clone()
        };
        assert!(!verifier.allows(&forged, url, now));
        let other_key = SignedPolicy {
            key_pair_id: "KOTHER".into(),
            ..signed
        };
        assert!(!verifier.allows(&other_key, url, now));
    }

    #[test]
    fn the_policy_is_the_json_cloudfront_documents() {
        let (signer, _) = keys();
        let signed = signer
            .sign(
                "https://d1.cloudfront.net/*",
                OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap(),
            )
            .unwrap();
        assert_eq!(
            String::from_utf8(decode(&signed.policy).unwrap()).unwrap(),
            r#"{"Statement":[{"Resource":"https://d1.cloudfront.net/*","Condition":{"DateLessThan":{"AWS:EpochTime":1800000000}}}]}"#
        );
        assert!(signed.query().ends_with("&Key-Pair-Id=K2JCJMDEHXQW5F"));
    }

    #[test]
    fn patterns_match_as_cloudfront_documents() {
        assert!(matches("https://d/*", "https://d/a/b.ts"));
        assert!(matches("https://d/*ivs/v1/*", "https://d/ivs/v1/x"));
        assert!(matches("https://d/a?c", "https://d/abc"));
        assert!(!matches("https://d/a?c", "https://d/ac"));
        assert!(!matches("https://d/*/x", "https://d/x"));
        assert!(matches("*", ""));
        assert!(!matches("https://d/a", "https://d/ab"));
        assert!(matches("*a*b*", "xxaxxbxx"));
    }
}
