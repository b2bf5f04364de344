//! Streamer webhooks: URLs a streamer gives us, which we call (signed with the webhook's own
//! secret) when their channel goes live, so a Discord server or a bot hears it at once.
//!
//! A webhook URL is hostile input: whoever adds one makes our servers send a request to it. So
//! it must be `https` to a public address ([`crate::outbound`]), checked here when it is added
//! (for a clear error) and again by the sender on every request, after DNS and after each
//! redirect.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::error::DomainError;
use crate::ids::{ChannelId, WebhookId, random_alphanumeric};
use crate::limits::RateLimit;
use crate::outbound::{OutboundDestinations, checked_url};

/// Webhooks one channel may have: a Discord server, a bot, an automation or two.
pub const MAX_WEBHOOKS: usize = 5;

/// The longest webhook URL accepted (Discord's are about 120 characters).
pub const MAX_WEBHOOK_URL: usize = 2048;

/// Webhooks a streamer may add or remove a minute.
pub const WEBHOOK_CHANGES: RateLimit = RateLimit {
    max: 10,
    per: Duration::minutes(1),
};

/// A webhook's URL, checked: `https`, a host name or public address, no credentials.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WebhookUrl(String);

impl WebhookUrl {
    pub fn parse(raw: &str, destinations: OutboundDestinations) -> Result<Self, DomainError> {
        checked_url(raw, MAX_WEBHOOK_URL, destinations)
            .map(|url| Self(url.to_string()))
            .map_err(|message| DomainError::invalid("invalid_webhook_url", message))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
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
        WebhookUrl::parse(raw, OutboundDestinations::PublicHttpsOnly)
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
        let also = OutboundDestinations::AlsoLoopback;
        assert!(WebhookUrl::parse("http://127.0.0.1:9000/hook", also).is_ok());
        assert!(WebhookUrl::parse("http://localhost:9000/hook", also).is_ok());
        assert!(WebhookUrl::parse("http://example.com/hook", also).is_err());
        assert!(WebhookUrl::parse("https://10.0.0.1/hook", also).is_err());
        assert!(parse("http://127.0.0.1:9000/hook").is_err());
    }
}
