//! Go-live emails wait in an SQS queue for their turn at SES's sending rate. The go-live function
//! puts them there ([`SqsEmailQueue`] is its `EmailSender`): one stream start of a channel with
//! 100,000 followers is 4,000 messages in 400 calls, seconds instead of the hours SES's rate may
//! need. The email-sender function takes them off the queue, sends them paced to that rate
//! ([`crate::ses::SesEmail::send_paced`]) and queues again, later, the ones SES throttled.

use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_sqs::types::SendMessageBatchRequestEntry;
use cloumer_domain::error::{PortContext, PortError, PortResult};
use cloumer_domain::notification::{EmailReport, GoLiveEmail};
use cloumer_domain::ports::EmailSender;
use cloumer_domain::video::VideoReadyEmail;
use futures_util::stream::{self, StreamExt, TryStreamExt};

/// Emails in one message: about 12 KB of JSON (SQS takes 256 KB), and a few seconds of sending
/// at SES's default rate, well inside the email-sender function's time limit.
pub const EMAILS_PER_MESSAGE: usize = 25;

/// SQS takes at most ten messages a call.
const MESSAGES_PER_CALL: usize = 10;

#[derive(Clone)]
pub struct SqsEmailQueue {
    client: aws_sdk_sqs::Client,
    queue_url: String,
}

/// The emails one queued message holds.
pub fn emails_of(body: &str) -> Result<Vec<GoLiveEmail>, serde_json::Error> {
    serde_json::from_str(body)
}

impl SqsEmailQueue {
    pub fn new(client: aws_sdk_sqs::Client, queue_url: &str) -> Self {
        Self {
            client,
            queue_url: queue_url.to_owned(),
        }
    }

    /// Queues the emails, [`EMAILS_PER_MESSAGE`] a message, receivable after `delay` (at most
    /// 15 minutes, SQS's limit). Counts queued emails as sent and those of refused messages as
    /// failed; an error means SQS could not be reached at all.
    pub async fn enqueue(
        &self,
        emails: &[GoLiveEmail],
        delay: Duration,
    ) -> PortResult<EmailReport> {
        let delay = i32::try_from(delay.as_secs().min(900)).unwrap_or(900);
        let messages: Vec<(String, usize)> = emails
            .chunks(EMAILS_PER_MESSAGE)
            .map(|chunk| Ok((serde_json::to_string(chunk)?, chunk.len())))
            .collect::<Result<_, serde_json::Error>>()
            .port("writing queued emails")?;
        // The calls are made up front (not in a closure over borrowed batches), which keeps the
        // future `Send` for async_trait.
        let calls: Vec<_> = messages
            .chunks(MESSAGES_PER_CALL)
            .map(|batch| self.send_batch(batch, delay))
            .collect();
        let reports: Vec<EmailReport> = stream::iter(calls)
            .buffer_unordered(4)
            .try_collect()
            .await?;
        Ok(reports
            .iter()
            .fold(EmailReport::default(), |total, report| EmailReport {
                sent: total.sent + report.sent,
                failed: total.failed + report.failed,
                stopped: false,
            }))
    }

    async fn send_batch(&self, batch: &[(String, usize)], delay: i32) -> PortResult<EmailReport> {
        let entries = batch
            .iter()
            .enumerate()
            .map(|(n, (body, _))| {
                SendMessageBatchRequestEntry::builder()
                    .id(n.to_string())
                    .message_body(body)
                    .delay_seconds(delay)
                    .build()
                    .port("building a queued message")
            })
            .collect::<PortResult<Vec<_>>>()?;
        let answer = self
            .client
            .send_message_batch()
            .queue_url(&self.queue_url)
            .set_entries(Some(entries))
            .send()
            .await
            .map_err(|error| PortError::new("SQS SendMessageBatch", error))?;
        let mut report = EmailReport::default();
        for (n, (_, emails)) in batch.iter().enumerate() {
            let refused = answer.failed().iter().find(|f| f.id() == n.to_string());
            match refused {
                Some(refused) => {
                    tracing::warn!(
                        code = refused.code(),
                        "SQS refused a message of go-live emails"
                    );
                    report.failed += emails;
                }
                None => report.sent += emails,
            }
        }
        Ok(report)
    }
}

#[async_trait]
impl EmailSender for SqsEmailQueue {
    /// Queues them: "sent" counts emails queued for the email-sender function.
    async fn send_go_live(&self, emails: &[GoLiveEmail]) -> PortResult<EmailReport> {
        self.enqueue(emails, Duration::ZERO).await
    }

    /// The queue paces go-live fan-outs; one email to an uploader goes through SES directly, from
    /// the function that publishes videos.
    async fn send_video_ready(&self, _: &VideoReadyEmail) -> PortResult<()> {
        Err(PortError::new(
            "emailing an uploader",
            "this function queues go-live emails only",
        ))
    }
}
