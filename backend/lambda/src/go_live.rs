//! `go-live`: the go-live SNS topic's subscriber. Each message is one stream start (the domain's
//! `GoLive` as JSON, published by stream-events); the channel's webhooks are called for it and
//! followers who want it get an email and a push on each browser they turned push on in.
//! A failure to keep the outcome fails the invocation, so Lambda retries it and then sends it to
//! the dead-letter queue; a receiver that fails is not a failure of ours (its outcome is kept).

use aws_lambda_events::event::sns::SnsEvent;
use cloumer_domain::Platform;
use cloumer_domain::notification::GoLive;

#[derive(Debug, thiserror::Error)]
pub enum GoLiveError {
    #[error("the message is not a go-live event: {0}")]
    NotGoLive(#[from] serde_json::Error),
    #[error(transparent)]
    Domain(#[from] cloumer_domain::DomainError),
}

/// What the invocation did, as its result (Lambda logs it; tests read it).
#[derive(Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Delivered {
    pub webhooks: usize,
    /// Handed on: queued for the email-sender in the cloud (sent by SES, or not, later).
    pub emails_sent: usize,
    pub emails_failed: usize,
    pub pushes_sent: usize,
    /// Subscriptions the push services said are gone, now forgotten.
    pub pushes_gone: usize,
    pub pushes_failed: usize,
    /// Telling followers stopped at its time budget: some got no email or push.
    pub stopped: bool,
}

/// Delivers every stream start in the event.
pub async fn handle(platform: &Platform, event: SnsEvent) -> Result<Delivered, GoLiveError> {
    let mut delivered = Delivered::default();
    for record in event.records {
        let go_live: GoLive = serde_json::from_str(&record.sns.message)?;
        let done = platform.deliver_go_live(&go_live).await?;
        delivered.webhooks += done.webhooks;
        delivered.emails_sent += done.emails.sent;
        delivered.emails_failed += done.emails.failed;
        delivered.pushes_sent += done.pushes.sent;
        delivered.pushes_gone += done.pushes.gone;
        delivered.pushes_failed += done.pushes.failed;
        delivered.stopped |= done.emails.stopped;
    }
    Ok(delivered)
}
