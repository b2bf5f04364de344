//! Streamers' webhooks ([`HttpWebhookSender`], the domain's `WebhookSender`): each delivery is
//! signed with the webhook's secret and retried with backoff while the failure may pass (no
//! answer, 408, 429, 5xx); every redirect's target is checked again.

use std::error::Error as _;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use cloumer_domain::notification::GoLive;
use cloumer_domain::outbound::OutboundDestinations;
use cloumer_domain::ports::WebhookSender;
use cloumer_domain::webhook::{DeliveryReport, Webhook, WebhookUrl};
use reqwest::{StatusCode, redirect};

use crate::destinations::{NotPublic, PublicOnly};
use crate::payload::go_live_payload;
use crate::signature::{SIGNATURE_HEADER, sign};

/// Redirects followed before a delivery gives up.
const MAX_REDIRECTS: usize = 3;

/// How hard a delivery tries.
#[derive(Clone, Copy, Debug)]
pub struct Retries {
    /// Requests at most, the first included.
    pub attempts: u32,
    /// The wait before the second request; it doubles after each failure.
    pub first_backoff: Duration,
    /// The longest wait, also for a receiver's `Retry-After`.
    pub max_backoff: Duration,
    /// How long one request may take, answer included.
    pub request_timeout: Duration,
}

impl Default for Retries {
    /// Four requests over about a quarter of a minute: a go-live message that arrives later than
    /// that is stale, and the functions that deliver have a minute.
    fn default() -> Self {
        Self {
            attempts: 4,
            first_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(8),
            request_timeout: Duration::from_secs(10),
        }
    }
}

/// A redirect to somewhere a webhook may not go.
#[derive(Debug)]
struct RefusedRedirect;

impl std::fmt::Display for RefusedRedirect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("redirected to a URL a webhook may not reach")
    }
}

impl std::error::Error for RefusedRedirect {}

/// Sends go-live deliveries over HTTPS.
#[derive(Clone)]
pub struct HttpWebhookSender {
    http: reqwest::Client,
    destinations: OutboundDestinations,
    site_url: Arc<str>,
    retries: Retries,
}

impl HttpWebhookSender {
    /// `site_url` is where the channel links in messages point (`<site_url>/<handle>`).
    pub fn new(
        destinations: OutboundDestinations,
        site_url: &str,
        retries: Retries,
    ) -> reqwest::Result<Self> {
        let policy = redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > MAX_REDIRECTS {
                attempt.error("too many redirects")
            } else if WebhookUrl::parse(attempt.url().as_str(), destinations).is_err() {
                attempt.error(RefusedRedirect)
            } else {
                attempt.follow()
            }
        });
        let http = reqwest::Client::builder()
            .dns_resolver(Arc::new(PublicOnly(destinations)))
            .redirect(policy)
            .connect_timeout(retries.request_timeout.min(Duration::from_secs(5)))
            .timeout(retries.request_timeout)
            .user_agent(concat!("Cloumer-Webhooks/", env!("CARGO_PKG_VERSION")))
            .no_proxy()
            .build()?;
        Ok(Self {
            http,
            destinations,
            site_url: site_url.trim_end_matches('/').into(),
            retries,
        })
    }

    /// One request: the answer, or why none came.
    async fn attempt(&self, url: &str, secret: &str, body: &str) -> Result<Answer, NoAnswer> {
        let timestamp = time::OffsetDateTime::now_utc().unix_timestamp();
        let response = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(SIGNATURE_HEADER, sign(secret, timestamp, body.as_bytes()))
            .header("X-Cloumer-Event", "stream.started")
            .body(body.to_owned())
            .send()
            .await
            .map_err(|error| describe(&error))?;
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        Ok(Answer {
            status: response.status(),
            retry_after,
        })
    }
}

struct Answer {
    status: StatusCode,
    retry_after: Option<Duration>,
}

/// Why a request got no answer, and whether trying again could change that.
struct NoAnswer {
    why: String,
    refused: bool,
}

/// Whether a later request may get a different answer.
fn worth_retrying(status: StatusCode) -> bool {
    status.is_server_error()
        || status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
}

/// What went wrong, in words a streamer can act on (never the secret or our internals).
fn describe(error: &reqwest::Error) -> NoAnswer {
    let mut source = error.source();
    while let Some(cause) = source {
        if cause.is::<NotPublic>() || cause.is::<RefusedRedirect>() {
            return NoAnswer {
                why: cause.to_string(),
                refused: true,
            };
        }
        source = cause.source();
    }
    let why = if error.is_timeout() {
        "the receiver did not answer in time"
    } else if error.is_redirect() {
        "too many redirects"
    } else if error.is_connect() {
        "could not connect to the receiver"
    } else {
        "the request failed"
    };
    NoAnswer {
        why: why.to_owned(),
        refused: error.is_redirect(),
    }
}

#[async_trait]
impl WebhookSender for HttpWebhookSender {
    async fn deliver(&self, webhook: &Webhook, event: &GoLive) -> DeliveryReport {
        // Checked again now: the rules may be stricter than when the webhook was added.
        if WebhookUrl::parse(webhook.url.as_str(), self.destinations).is_err() {
            return DeliveryReport {
                attempts: 0,
                status: None,
                error: Some("the URL is not allowed".to_owned()),
            };
        }
        let body = go_live_payload(event, &self.site_url).to_string();
        let mut backoff = self.retries.first_backoff;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let outcome = self
                .attempt(webhook.url.as_str(), &webhook.secret, &body)
                .await;
            let (status, error, retry, wait) = match outcome {
                Ok(answer) if answer.status.is_success() => {
                    return DeliveryReport {
                        attempts,
                        status: Some(answer.status.as_u16()),
                        error: None,
                    };
                }
                Ok(answer) => (
                    Some(answer.status.as_u16()),
                    format!("the receiver answered {}", answer.status.as_u16()),
                    worth_retrying(answer.status),
                    answer.retry_after.unwrap_or(backoff),
                ),
                // A refused destination stays refused.
                Err(failure) => (None, failure.why, !failure.refused, backoff),
            };
            if !retry || attempts >= self.retries.attempts {
                return DeliveryReport {
                    attempts,
                    status,
                    error: Some(error),
                };
            }
            tokio::time::sleep(wait.min(self.retries.max_backoff)).await;
            backoff = (backoff * 2).min(self.retries.max_backoff);
        }
    }
}
