//! The video-ready SNS topic's subscriber (wired to the `video-events` function): each message
//! is one video that became ready (the domain's `VideoReady` as JSON, published when its job
//! ended); its uploader is told, on their bell and by email. A failure to write the bell fails
//! the invocation, so Lambda retries it and then sends it to the dead-letter queue.

use aws_lambda_events::event::sns::SnsEvent;
use cloumer_domain::Platform;
use cloumer_domain::video::VideoReady;

#[derive(Debug, thiserror::Error)]
pub enum VideoReadyError {
    #[error("the message is not a ready video: {0}")]
    NotVideoReady(#[from] serde_json::Error),
    #[error(transparent)]
    Domain(#[from] cloumer_domain::DomainError),
}

/// Delivers every ready video in the event; returns how many.
pub async fn handle(platform: &Platform, event: SnsEvent) -> Result<usize, VideoReadyError> {
    let mut delivered = 0;
    for record in event.records {
        let ready: VideoReady = serde_json::from_str(&record.sns.message)?;
        platform.deliver_video_ready(&ready).await?;
        delivered += 1;
    }
    Ok(delivered)
}
