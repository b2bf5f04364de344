//! How a receiver tells a delivery came from us: `X-Cloumer-Signature: t=<unix seconds>,v1=<hex>`,
//! where `v1` is HMAC-SHA256 with the webhook's secret over `<t>.<body>`. The time is inside
//! what is signed, so a receiver that rejects old timestamps cannot be fed a recorded delivery
//! again.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const SIGNATURE_HEADER: &str = "X-Cloumer-Signature";

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The signature header's value for `body` sent at `timestamp`.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let digest = mac(secret, timestamp, body).finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

/// What a receiver does: whether `header` signs `body` with `secret`, and when it was sent.
/// Compares in constant time.
pub fn verify(secret: &str, header: &str, body: &[u8]) -> Option<i64> {
    let mut timestamp = None;
    let mut signature = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => signature = Some(value),
            _ => {}
        }
    }
    let (timestamp, signature) = (timestamp?, signature?);
    if signature.len() != 64 || !signature.is_ascii() {
        return None;
    }
    let bytes: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&signature[i * 2..i * 2 + 2], 16).ok())
        .collect::<Option<_>>()?;
    mac(secret, timestamp, body)
        .verify_slice(&bytes)
        .ok()
        .map(|()| timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_with_its_secret_time_and_body() {
        let header = sign("whsec_a", 1_790_000_000, b"{\"a\":1}");
        assert!(header.starts_with("t=1790000000,v1="));
        assert_eq!(
            verify("whsec_a", &header, b"{\"a\":1}"),
            Some(1_790_000_000)
        );
        assert_eq!(verify("whsec_b", &header, b"{\"a\":1}"), None);
        assert_eq!(verify("whsec_a", &header, b"{\"a\":2}"), None);
        let replayed = header.replace("t=1790000000", "t=1790000999");
        assert_eq!(verify("whsec_a", &replayed, b"{\"a\":1}"), None);
        assert_eq!(verify("whsec_a", "t=1,v1=zz", b""), None);
        assert_eq!(verify("whsec_a", "garbage", b""), None);
    }
}
