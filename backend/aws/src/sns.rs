//! Stream starts onto the go-live SNS topic, whose subscribers (the `go-live` function, and
//! whatever an operator adds) act on them in parallel: the stream-events function only
//! publishes, so a slow webhook never holds up the next IVS event.

use async_trait::async_trait;
use cloumer_domain::error::{PortContext, PortError, PortResult};
use cloumer_domain::notification::GoLive;
use cloumer_domain::ports::GoLiveAnnouncer;

/// The subject every go-live message carries.
pub const GO_LIVE_SUBJECT: &str = "stream.started";

/// Publishes each stream start as one SNS message: the [`GoLive`] as JSON.
#[derive(Clone, Debug)]
pub struct SnsGoLive {
    client: aws_sdk_sns::Client,
    topic_arn: String,
}

impl SnsGoLive {
    pub fn new(client: aws_sdk_sns::Client, topic_arn: impl Into<String>) -> Self {
        Self {
            client,
            topic_arn: topic_arn.into(),
        }
    }
}

#[async_trait]
impl GoLiveAnnouncer for SnsGoLive {
    async fn announce(&self, event: &GoLive) -> PortResult<()> {
        let message = serde_json::to_string(event).port("encoding a go-live message")?;
        self.client
            .publish()
            .topic_arn(&self.topic_arn)
            .subject(GO_LIVE_SUBJECT)
            .message(message)
            .send()
            .await
            .map_err(|error| PortError::new("SNS Publish", error))?;
        Ok(())
    }
}

/// For functions built without the topic: they never announce, and say so if asked to.
pub struct NoGoLiveTopic;

#[async_trait]
impl GoLiveAnnouncer for NoGoLiveTopic {
    async fn announce(&self, _event: &GoLive) -> PortResult<()> {
        Err(PortError::new(
            "announcing a stream start",
            "GO_LIVE_TOPIC_ARN is not set for this function",
        ))
    }
}
