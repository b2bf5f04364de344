//! Web Push: a browser where a user turned push on gives us its subscription (an endpoint at its
//! push service and the keys to encrypt for it, RFC 8030/8291); when a channel they follow goes
//! live, we send each of their subscriptions an encrypted message their service worker shows.
//!
//! The endpoint is a URL the browser (so, the user) chose: our servers send requests to it, so it
//! follows the same rules as webhook URLs ([`crate::outbound`]), checked when it is given and
//! again by the sender on every request.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::error::DomainError;
use crate::ids::UserId;
use crate::limits::RateLimit;
use crate::outbound::{OutboundDestinations, checked_url};

/// Browsers (devices) one user may get push on; adding one more forgets the oldest, so a user who
/// keeps reinstalling browsers never meets an error.
pub const MAX_PUSH_SUBSCRIPTIONS: usize = 10;

/// The longest endpoint accepted (the big push services' are 150–400 characters).
pub const MAX_PUSH_ENDPOINT: usize = 1024;

/// Push subscriptions a user may add or remove a minute.
pub const PUSH_CHANGES: RateLimit = RateLimit {
    max: 20,
    per: Duration::minutes(1),
};

/// Where a browser's push service takes messages for it, checked like any URL we send to.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PushEndpoint(String);

impl PushEndpoint {
    pub fn parse(raw: &str, destinations: OutboundDestinations) -> Result<Self, DomainError> {
        checked_url(raw, MAX_PUSH_ENDPOINT, destinations)
            .map(|url| Self(url.to_string()))
            .map_err(|message| DomainError::invalid("invalid_push_endpoint", message))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The keys a browser gave for encrypting to it (RFC 8291), base64url without padding: its P-256
/// public key (`p256dh`, 65 bytes, uncompressed) and its authentication secret (`auth`, 16
/// bytes). Checked for shape here; whether `p256dh` is a point on the curve is the sender's
/// business (a subscription whose key is not gets dropped like an expired one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushKeys {
    pub p256dh: String,
    pub auth: String,
}

impl PushKeys {
    pub fn parse(p256dh: &str, auth: &str) -> Result<Self, DomainError> {
        let bad = |message: &str| DomainError::invalid("invalid_push_keys", message);
        let p256dh = base64url_of_length(p256dh, 65)
            .filter(|key| key.starts_with('B')) // 0x04: an uncompressed point
            .ok_or_else(|| bad("p256dh must be an uncompressed P-256 public key (base64url)"))?;
        let auth = base64url_of_length(auth, 16)
            .ok_or_else(|| bad("auth must be a 16-byte secret (base64url)"))?;
        Ok(Self { p256dh, auth })
    }
}

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `text` without padding, when it is the canonical base64url of exactly `bytes` bytes (browsers
/// may send it padded or not): the last character's unused bits must be zero, as decoders that
/// the sender uses insist.
fn base64url_of_length(text: &str, bytes: usize) -> Option<String> {
    let text = text.trim();
    let unpadded = text.trim_end_matches('=');
    let length = (bytes * 4).div_ceil(3);
    if unpadded.len() != length || text.len() > length.next_multiple_of(4) {
        return None;
    }
    let values: Option<Vec<usize>> = unpadded
        .bytes()
        .map(|c| BASE64URL.iter().position(|&a| a == c))
        .collect();
    let unused_bits = length * 6 - bytes * 8;
    let last = *values?.last()?;
    (last % (1 << unused_bits) == 0).then(|| unpadded.to_owned())
}

/// One browser's push subscription, for one user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushSubscription {
    pub user_id: UserId,
    pub endpoint: PushEndpoint,
    pub keys: PushKeys,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// What a push service said to one message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PushOutcome {
    /// Taken for delivery (201).
    Accepted,
    /// The subscription is gone for good (404 or 410, or keys we cannot encrypt for): forget it.
    Gone,
    /// Not taken this time (the service's error, or no answer); the subscription stays.
    Failed(String),
}

/// How one go-live's pushes went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PushReport {
    pub sent: usize,
    /// Subscriptions the push services said are gone, now forgotten.
    pub gone: usize,
    pub failed: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testkit::P256DH;

    #[test]
    fn keys_must_have_the_shapes_rfc_8291_gives_them() {
        let keys = PushKeys::parse(&format!("{P256DH}="), "_ordMnz7uTCmrpBTeUV4Bw==").unwrap();
        assert_eq!(keys.p256dh, P256DH, "padding is dropped");
        assert_eq!(keys.auth, "_ordMnz7uTCmrpBTeUV4Bw");
        for (p256dh, auth) in [
            (&P256DH[1..], "_ordMnz7uTCmrpBTeUV4Bw"),
            (&format!("A{}", &P256DH[1..]), "_ordMnz7uTCmrpBTeUV4Bw"),
            (&P256DH.replace('-', "+"), "_ordMnz7uTCmrpBTeUV4Bw"),
            (P256DH, "_ordMnz7uTCmrpBTeUV4"),
            (P256DH, "_ordMnz7uTCmrpBTeUV4B!"),
            (P256DH, "_ordMnz7uTCmrpBTeUV4Bx"),
            (P256DH, "_ordMnz7uTCmrpBTeUV4Bw==="),
            ("", ""),
        ] {
            let error = PushKeys::parse(p256dh, auth).expect_err(p256dh);
            assert!(matches!(
                error,
                DomainError::Invalid {
                    code: "invalid_push_keys",
                    ..
                }
            ));
        }
    }

    #[test]
    fn endpoints_follow_the_rules_of_every_url_we_send_to() {
        let public = OutboundDestinations::PublicHttpsOnly;
        assert!(PushEndpoint::parse("https://fcm.googleapis.com/fcm/send/abc:def", public).is_ok());
        for bad in [
            "http://fcm.googleapis.com/fcm/send/abc",
            "https://127.0.0.1/push",
            "https://169.254.169.254/",
            "https://push.internal/",
            "https://u:p@push.example/",
        ] {
            assert!(PushEndpoint::parse(bad, public).is_err(), "{bad}");
        }
        let long = format!("https://push.example/{}", "a".repeat(MAX_PUSH_ENDPOINT));
        assert!(PushEndpoint::parse(&long, public).is_err());

        let also = OutboundDestinations::AlsoLoopback;
        assert!(PushEndpoint::parse("http://127.0.0.1:9000/push/1", also).is_ok());
    }
}
