//! Streamer webhooks: URLs a streamer gives us, which we call (signed with the webhook's own
//! secret) when their channel goes live, so a Discord server or a bot hears it at once.
//!
//! A webhook URL is hostile input: whoever adds one makes our servers send a request to it. So
//! it must be `https` to a public address, checked here when it is added (for a clear error) and
//! again by the sender on every request, after DNS and after each redirect, with
//! [`is_public_address`].

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::error::DomainError;
use crate::ids::{ChannelId, WebhookId, random_alphanumeric};
use crate::limits::RateLimit;

/// Webhooks one channel may have: a Discord server, a bot, an automation or two.
pub const MAX_WEBHOOKS: usize = 5;

/// The longest webhook URL accepted (Discord's are about 120 characters).
pub const MAX_WEBHOOK_URL: usize = 2048;

/// Webhooks a streamer may add or remove a minute.
pub const WEBHOOK_CHANGES: RateLimit = RateLimit {
    max: 10,
    per: Duration::minutes(1),
};

/// Where webhooks may point: public `https` only, unless the operator explicitly allows plain
/// `http` to this machine (tests' own receivers; never on by default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WebhookDestinations {
    #[default]
    PublicHttpsOnly,
    AlsoLoopback,
}

impl WebhookDestinations {
    /// Whether a request may go to `address`.
    pub fn allows(self, address: IpAddr) -> bool {
        is_public_address(address) || (self == Self::AlsoLoopback && address.is_loopback())
    }
}

/// A webhook's URL, checked: `https`, a host name or public address, no credentials.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WebhookUrl(String);

impl WebhookUrl {
    pub fn parse(raw: &str, destinations: WebhookDestinations) -> Result<Self, DomainError> {
        let raw = raw.trim();
        let bad = |message: &str| DomainError::invalid("invalid_webhook_url", message);
        if raw.len() > MAX_WEBHOOK_URL {
            return Err(bad("the URL is too long"));
        }
        let url = url::Url::parse(raw).map_err(|_| bad("that is not a URL"))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("the URL must not carry a user name or password"));
        }
        let host = url.host().ok_or_else(|| bad("the URL has no host"))?;
        let address = match host {
            url::Host::Ipv4(v4) => Some(IpAddr::V4(v4)),
            url::Host::Ipv6(v6) => Some(IpAddr::V6(v6)),
            url::Host::Domain(_) => None,
        };
        let loopback_allowed = destinations == WebhookDestinations::AlsoLoopback
            && (address.is_some_and(|a| a.is_loopback()) || url.host_str() == Some("localhost"));
        if url.scheme() != "https" && !(loopback_allowed && url.scheme() == "http") {
            return Err(bad("the URL must start with https://"));
        }
        if let Some(address) = address
            && !destinations.allows(address)
        {
            return Err(bad("the URL must point to a public address"));
        }
        if let url::Host::Domain(name) = host {
            let name = name.trim_end_matches('.');
            let local = ["localhost", "local", "internal", "home.arpa", "localdomain"]
                .iter()
                .any(|suffix| name == *suffix || name.ends_with(&format!(".{suffix}")));
            if local && !loopback_allowed {
                return Err(bad("the URL must point to a public address"));
            }
        }
        Ok(Self(url.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `address` is on the public internet: not loopback, private, link-local, shared
/// (carrier-grade NAT), multicast, documentation, benchmarking or reserved, including IPv4
/// addresses carried inside IPv6 ones (mapped, NAT64, 6to4), which would otherwise smuggle a
/// private IPv4 address past an IPv6 check.
pub fn is_public_address(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(v4: Ipv4Addr) -> bool {
    let [a, b, c, _] = v4.octets();
    !(v4.is_unspecified()
        || v4.is_loopback()
        || v4.is_private()
        || v4.is_link_local()
        || v4.is_broadcast()
        || v4.is_documentation()
        || v4.is_multicast()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // shared address space (carrier-grade NAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240) // reserved
}

fn is_public_v6(v6: Ipv6Addr) -> bool {
    if let Some(v4) = v6.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let segments = v6.segments();
    let embedded_v4 = |high: u16, low: u16| {
        let [a, b] = high.to_be_bytes();
        let [c, d] = low.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    // NAT64 (64:ff9b::/96) reaches the IPv4 address in its last 32 bits.
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_public_v4(embedded_v4(segments[6], segments[7]));
    }
    // 6to4 (2002::/16) carries an IPv4 address in bits 16–48.
    if segments[0] == 0x2002 {
        return is_public_v4(embedded_v4(segments[1], segments[2]));
    }
    !(v6.is_unspecified()
        || v6.is_loopback()
        || v6.is_multicast()
        || v6.is_unique_local()
        || v6.is_unicast_link_local()
        || segments[0] == 0x2001 && segments[1] == 0xdb8 // documentation
        || segments[..6] == [0, 0, 0, 0, 0, 0] // IPv4-compatible (deprecated)
        || segments[0] & 0xffc0 == 0xfec0) // site-local (deprecated)
}

/// One of a channel's webhooks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook {
    pub id: WebhookId,
    pub channel_id: ChannelId,
    pub url: WebhookUrl,
    /// Signs every delivery (HMAC-SHA256), so the receiver can tell it came from us. Shown to
    /// the streamer once, when the webhook is added.
    pub secret: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// How the latest delivery went.
    #[serde(default)]
    pub last_delivery: Option<Delivery>,
}

impl Webhook {
    pub fn new(channel_id: ChannelId, url: WebhookUrl, created_at: OffsetDateTime) -> Self {
        Self {
            id: WebhookId::generate(),
            channel_id,
            url,
            secret: format!("whsec_{}", random_alphanumeric(32)),
            created_at,
            last_delivery: None,
        }
    }
}

/// How one delivery ended, after its retries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryReport {
    /// Requests made (1 when the first succeeded).
    pub attempts: u32,
    /// The last response's HTTP status, if a response came.
    pub status: Option<u16>,
    /// Why it failed, for the streamer; `None` when delivered.
    pub error: Option<String>,
}

impl DeliveryReport {
    pub fn delivered(&self) -> bool {
        self.error.is_none()
    }
}

/// A delivery as the dashboard lists it: when, and how it ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    #[serde(flatten)]
    pub report: DeliveryReport,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<WebhookUrl, DomainError> {
        WebhookUrl::parse(raw, WebhookDestinations::PublicHttpsOnly)
    }

    #[test]
    fn only_https_urls_to_public_hosts_are_accepted() {
        assert!(parse("https://discord.com/api/webhooks/1/abc").is_ok());
        assert!(parse("https://93.184.215.14:8443/hook").is_ok());
        for bad in [
            "http://discord.com/api/webhooks/1/abc",
            "ftp://example.com/",
            "https://user:pass@example.com/",
            "https://127.0.0.1/",
            "https://10.1.2.3/",
            "https://169.254.169.254/latest/meta-data/",
            "https://[::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://[fd00::1]/",
            "https://0x7f000001/",
            "https://2130706433/",
            "https://localhost/",
            "https://metadata.google.internal/",
            "https://printer.local/",
            "not a url",
        ] {
            let error = parse(bad).expect_err(bad);
            assert!(
                matches!(
                    error,
                    DomainError::Invalid {
                        code: "invalid_webhook_url",
                        ..
                    }
                ),
                "{bad}: {error:?}"
            );
        }
        assert!(parse(&format!("https://example.com/{}", "a".repeat(2100))).is_err());
    }

    #[test]
    fn loopback_over_http_needs_the_explicit_setting() {
        let also = WebhookDestinations::AlsoLoopback;
        assert!(WebhookUrl::parse("http://127.0.0.1:9000/hook", also).is_ok());
        assert!(WebhookUrl::parse("http://localhost:9000/hook", also).is_ok());
        assert!(WebhookUrl::parse("http://example.com/hook", also).is_err());
        assert!(WebhookUrl::parse("https://10.0.0.1/hook", also).is_err());
        assert!(parse("http://127.0.0.1:9000/hook").is_err());
    }

    #[test]
    fn private_addresses_hidden_in_ipv6_are_not_public() {
        for private in [
            "127.0.0.1",
            "10.0.0.1",
            "172.16.0.1",
            "192.168.1.1",
            "100.64.0.1",
            "169.254.169.254",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "198.18.0.1",
            "240.0.0.1",
            "::",
            "::1",
            "fe80::1",
            "fc00::1",
            "ff02::1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "2002:a00:1::",
            "::127.0.0.1",
            "2001:db8::1",
        ] {
            assert!(!is_public_address(private.parse().unwrap()), "{private}");
        }
        for public in [
            "93.184.215.14",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "::ffff:1.1.1.1",
            "64:ff9b::101:101",
        ] {
            assert!(is_public_address(public.parse().unwrap()), "{public}");
        }
    }
}
