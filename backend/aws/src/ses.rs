//! Go-live emails through Amazon SES (v2 `SendEmail`, the raw message `cloumer-email` writes,
//! so the local outbox and the cloud send the very same bytes). One call per follower (each
//! message has its own unsubscribe link): a few at a time as an `EmailSender`, or paced to the
//! account's sending rate by the email-sender function ([`SesEmail::send_paced`]), which takes
//! them from the queue the go-live function fills ([`crate::sqs`]).

use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_sesv2::primitives::Blob;
use aws_sdk_sesv2::types::{EmailContent, RawMessage};
use cloumer_domain::error::{PortContext, PortError, PortResult};
use cloumer_domain::notification::{EmailReport, GoLiveEmail};
use cloumer_domain::ports::EmailSender;
use cloumer_domain::video::VideoReadyEmail;
use cloumer_email::{Links, go_live_message};
use futures_util::stream::{self, StreamExt};
use lettre::message::Mailbox;

/// Emails in flight at once.
const CONCURRENCY: usize = 8;

pub struct SesEmail {
    client: aws_sdk_sesv2::Client,
    from: Mailbox,
    links: Links,
}

impl SesEmail {
    /// `from` is the sender (`Name <address>`), an identity verified in SES.
    pub fn new(client: aws_sdk_sesv2::Client, from: &str, links: Links) -> PortResult<Self> {
        Ok(Self {
            client,
            from: from.parse().port("parsing EMAIL_FROM")?,
            links,
        })
    }

    async fn send(&self, email: &GoLiveEmail) -> PortResult<()> {
        self.send_classified(email)
            .await
            .map_err(|(error, _)| error)
    }

    async fn send_message(&self, message: &cloumer_email::Message) -> PortResult<()> {
        self.client
            .send_email()
            .content(EmailContent::builder().raw(raw(message)?).build())
            .send()
            .await
            .map_err(|error| PortError::new("SES SendEmail", error))?;
        Ok(())
    }

    /// One email; a failure says whether SES refused it for the rate or quota (worth sending
    /// again later) or for good.
    async fn send_classified(&self, email: &GoLiveEmail) -> Result<(), (PortError, Throttled)> {
        let message = go_live_message(email, &self.from, &self.links)
            .map_err(|error| (PortError::new("writing an email", error), false))?;
        let raw = raw(&message).map_err(|error| (error, false))?;
        match self
            .client
            .send_email()
            .content(EmailContent::builder().raw(raw).build())
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error) => {
                let throttled = error.as_service_error().is_some_and(|e| {
                    e.is_too_many_requests_exception()
                        || e.is_limit_exceeded_exception()
                        || e.meta()
                            .code()
                            .is_some_and(|code| THROTTLING.contains(&code))
                });
                Err((PortError::new("SES SendEmail", error), throttled))
            }
        }
    }

    /// Sends the emails no faster than `per_second` (this function's share of the account's
    /// sending rate), a few in flight. Those SES throttled anyway come back, to be queued again.
    pub async fn send_paced(&self, emails: &[GoLiveEmail], per_second: f64) -> PacedReport {
        let interval = Duration::from_secs_f64(1.0 / per_second.max(0.1));
        let start = tokio::time::Instant::now();
        let outcomes: Vec<_> = stream::iter(emails.iter().enumerate())
            .map(|(n, email)| async move {
                tokio::time::sleep_until(start + interval * u32::try_from(n).unwrap_or(u32::MAX))
                    .await;
                (email, self.send_classified(email).await)
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        let mut report = PacedReport::default();
        for (email, outcome) in outcomes {
            match outcome {
                Ok(()) => report.sent += 1,
                Err((_, true)) => report.throttled.push(email.clone()),
                Err((error, false)) => {
                    report.failed += 1;
                    tracing::warn!(error = %error, "a go-live email was not sent");
                }
            }
        }
        report
    }
}

/// A written message as SES takes it.
fn raw(message: &cloumer_email::Message) -> PortResult<RawMessage> {
    RawMessage::builder()
        .data(Blob::new(message.formatted()))
        .build()
        .port("building a raw email")
}

/// Whether SES refused for the rate or the day's quota.
type Throttled = bool;

/// Error codes for "not now" beyond SES's own (its sending rate and daily quota are
/// `TooManyRequestsException` and `LimitExceededException`), after the SDK's own retries.
const THROTTLING: [&str; 2] = ["Throttling", "ThrottlingException"];

/// How a paced batch went.
#[derive(Debug, Default)]
pub struct PacedReport {
    pub sent: usize,
    /// Refused for good (an address SES will not send to, a message it will not take).
    pub failed: usize,
    /// Refused for now: to send again later.
    pub throttled: Vec<GoLiveEmail>,
}

#[async_trait]
impl EmailSender for SesEmail {
    async fn send_go_live(&self, emails: &[GoLiveEmail]) -> PortResult<EmailReport> {
        let sends: Vec<_> = emails.iter().map(|email| self.send(email)).collect();
        let outcomes: Vec<PortResult<()>> = stream::iter(sends)
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        let mut report = EmailReport::default();
        for outcome in outcomes {
            match outcome {
                Ok(()) => report.sent += 1,
                Err(error) => {
                    report.failed += 1;
                    tracing::warn!(error = %error, "a go-live email was not sent");
                }
            }
        }
        Ok(report)
    }

    async fn send_video_ready(&self, email: &VideoReadyEmail) -> PortResult<()> {
        let message = cloumer_email::video_ready_message(email, &self.from, &self.links)
            .map_err(|error| PortError::new("writing an email", error))?;
        self.send_message(&message).await
    }
}

/// For an environment without a sender address: emails are counted as not sent, and why is
/// logged once per batch.
pub struct NoEmail;

#[async_trait]
impl EmailSender for NoEmail {
    async fn send_go_live(&self, emails: &[GoLiveEmail]) -> PortResult<EmailReport> {
        tracing::warn!(
            emails = emails.len(),
            "EMAIL_FROM is not set for this function: go-live emails are not sent"
        );
        Ok(EmailReport {
            failed: emails.len(),
            ..EmailReport::default()
        })
    }

    async fn send_video_ready(&self, _: &VideoReadyEmail) -> PortResult<()> {
        Err(PortError::new(
            "emailing an uploader",
            "EMAIL_FROM is not set for this function",
        ))
    }
}
