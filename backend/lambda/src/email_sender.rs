//! `email-sender`: takes go-live emails off the queue the go-live function fills and sends them
//! through SES, paced to this function's share of the account's sending rate. Emails SES
//! throttled anyway go back on the queue, later; each message (up to 25 emails) is otherwise
//! done once, so a throttled email never makes the others of its message go out twice.
//!
//! A message that is not a batch of emails, or whose throttled emails cannot be queued again, is
//! reported failed: SQS hands it out again and, after five tries, moves it to the dead-letter
//! queue the ops alarm watches.

use std::time::Duration;

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use cloumer_aws::EmailSending;
use cloumer_aws::sqs::emails_of;

/// How long throttled emails wait before they are tried again: SES's rate is per second and its
/// quota per day, so this mostly rides out a burst.
pub const THROTTLED_DELAY: Duration = Duration::from_secs(60);

/// What one invocation did, logged; the answer to Lambda lists the failed messages only.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sent {
    pub sent: usize,
    pub failed: usize,
    pub requeued: usize,
}

/// Sends every email of the event's messages.
pub async fn handle(sending: &EmailSending, event: SqsEvent) -> (SqsBatchResponse, Sent) {
    let mut response = SqsBatchResponse::default();
    let mut total = Sent::default();
    for record in event.records {
        let id = record.message_id.clone().unwrap_or_default();
        let emails = match emails_of(record.body.as_deref().unwrap_or_default()) {
            Ok(emails) => emails,
            Err(error) => {
                tracing::error!(message = %id, error = %error, "a queued message is not go-live emails");
                response.add_failure(id);
                continue;
            }
        };
        let report = sending.ses.send_paced(&emails, sending.per_second).await;
        total.sent += report.sent;
        total.failed += report.failed;
        if report.throttled.is_empty() {
            continue;
        }
        match sending
            .queue
            .enqueue(&report.throttled, THROTTLED_DELAY)
            .await
        {
            Ok(queued) if queued.failed == 0 => total.requeued += queued.sent,
            outcome => {
                // Trying the whole message again sends its other emails twice; losing the
                // throttled ones would be worse.
                tracing::error!(message = %id, outcome = ?outcome, "throttled emails could not be queued again");
                response.add_failure(id);
            }
        }
    }
    tracing::info!(
        sent = total.sent,
        failed = total.failed,
        requeued = total.requeued,
        "go-live emails sent"
    );
    (response, total)
}
