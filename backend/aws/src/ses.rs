//! Go-live emails through Amazon SES (v2 `SendEmail`, the raw message `cloumer-email` writes,
//! so the local outbox and the cloud send the very same bytes). One call per follower (each
//! message has its own unsubscribe link), a few at a time to stay inside the account's sending
//! rate.

use async_trait::async_trait;
use aws_sdk_sesv2::primitives::Blob;
use aws_sdk_sesv2::types::{EmailContent, RawMessage};
use cloumer_domain::error::{PortContext, PortError, PortResult};
use cloumer_domain::notification::{EmailReport, GoLiveEmail};
use cloumer_domain::ports::EmailSender;
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
        let message = go_live_message(email, &self.from, &self.links)
            .map_err(|error| PortError::new("writing an email", error))?;
        let raw = RawMessage::builder()
            .data(Blob::new(message.formatted()))
            .build()
            .port("building a raw email")?;
        self.client
            .send_email()
            .content(EmailContent::builder().raw(raw).build())
            .send()
            .await
            .map_err(|error| PortError::new("SES SendEmail", error))?;
        Ok(())
    }
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
}
