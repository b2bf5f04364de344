//! Announcements onto SNS topics, whose subscribers act on them in parallel: stream starts onto
//! the go-live topic (the `go-live` function, and whatever an operator adds), ready videos onto
//! the video-ready topic (the `video-events` function tells the uploader). The functions that
//! announce only publish, so a slow webhook or email never holds up the next event.

use std::marker::PhantomData;

use async_trait::async_trait;
use cloumer_domain::error::{PortContext, PortError, PortResult};
use cloumer_domain::notification::GoLive;
use cloumer_domain::ports::{GoLiveAnnouncer, VideoAnnouncer};
use cloumer_domain::video::VideoReady;
use serde::Serialize;

/// The subject every go-live message carries.
pub const GO_LIVE_SUBJECT: &str = "stream.started";
/// The subject every ready-video message carries.
pub const VIDEO_READY_SUBJECT: &str = "video.ready";

/// Publishes each event of one kind as one SNS message: the event as JSON.
#[derive(Debug)]
pub struct SnsTopic<E> {
    client: aws_sdk_sns::Client,
    topic_arn: String,
    kind: PhantomData<fn(&E)>,
}

impl<E: Serialize> SnsTopic<E> {
    pub fn new(client: aws_sdk_sns::Client, topic_arn: impl Into<String>) -> Self {
        Self {
            client,
            topic_arn: topic_arn.into(),
            kind: PhantomData,
        }
    }

    async fn publish(&self, subject: &str, event: &E) -> PortResult<()> {
        let message = serde_json::to_string(event).port("encoding an SNS message")?;
        self.client
            .publish()
            .topic_arn(&self.topic_arn)
            .subject(subject)
            .message(message)
            .send()
            .await
            .map_err(|error| PortError::new("SNS Publish", error))?;
        Ok(())
    }
}

#[async_trait]
impl GoLiveAnnouncer for SnsTopic<GoLive> {
    async fn announce(&self, event: &GoLive) -> PortResult<()> {
        self.publish(GO_LIVE_SUBJECT, event).await
    }
}

#[async_trait]
impl VideoAnnouncer for SnsTopic<VideoReady> {
    async fn announce_ready(&self, event: &VideoReady) -> PortResult<()> {
        self.publish(VIDEO_READY_SUBJECT, event).await
    }
}

/// For functions built without the topic: they never announce, and say so if asked to.
pub struct NoTopic(pub &'static str);

#[async_trait]
impl GoLiveAnnouncer for NoTopic {
    async fn announce(&self, _event: &GoLive) -> PortResult<()> {
        Err(PortError::new("announcing a stream start", self.0))
    }
}

#[async_trait]
impl VideoAnnouncer for NoTopic {
    async fn announce_ready(&self, _event: &VideoReady) -> PortResult<()> {
        Err(PortError::new("announcing a ready video", self.0))
    }
}
