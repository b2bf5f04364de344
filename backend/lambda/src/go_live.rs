//! `go-live`: the go-live SNS topic's subscriber. Each message is one stream start (the domain's
//! `GoLive` as JSON, published by stream-events); the channel's webhooks are called for it.
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

/// Delivers every stream start in the event; returns how many webhooks were delivered to.
pub async fn handle(platform: &Platform, event: SnsEvent) -> Result<usize, GoLiveError> {
    let mut delivered = 0;
    for record in event.records {
        let go_live: GoLive = serde_json::from_str(&record.sns.message)?;
        delivered += platform.deliver_go_live(&go_live).await?;
    }
    Ok(delivered)
}
