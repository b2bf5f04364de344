//! The local stand-ins for the cloud's SNS topics: stream starts and ready videos queue here, and
//! a background task hands each to the platform's delivery, in a task of its own, as SNS invokes
//! the topic's subscriber function once per message; so a slow webhook or email never holds up
//! the ingest's callback or the transcoding worker that announced it.

use async_trait::async_trait;
use cloumer_domain::notification::GoLive;
use cloumer_domain::ports::{GoLiveAnnouncer, VideoAnnouncer};
use cloumer_domain::video::VideoReady;
use cloumer_domain::{Platform, PortError, PortResult};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::{JoinHandle, JoinSet};

/// Where events of one kind are announced.
pub struct LocalTopic<E>(UnboundedSender<E>);

impl<E: Clone> LocalTopic<E> {
    fn publish(&self, event: &E, what: &'static str) -> PortResult<()> {
        self.0
            .send(event.clone())
            .map_err(|_| PortError::new(what, "the stack is stopping"))
    }
}

/// What the topics hold for [`deliver`].
pub struct Announced {
    go_live: UnboundedReceiver<GoLive>,
    video_ready: UnboundedReceiver<VideoReady>,
}

/// The two topics and what they will hold.
pub fn topics() -> (LocalTopic<GoLive>, LocalTopic<VideoReady>, Announced) {
    let (go_live, go_live_announced) = unbounded_channel();
    let (video_ready, video_ready_announced) = unbounded_channel();
    (
        LocalTopic(go_live),
        LocalTopic(video_ready),
        Announced {
            go_live: go_live_announced,
            video_ready: video_ready_announced,
        },
    )
}

#[async_trait]
impl GoLiveAnnouncer for LocalTopic<GoLive> {
    async fn announce(&self, event: &GoLive) -> PortResult<()> {
        self.publish(event, "announcing a stream start")
    }
}

#[async_trait]
impl VideoAnnouncer for LocalTopic<VideoReady> {
    async fn announce_ready(&self, event: &VideoReady) -> PortResult<()> {
        self.publish(event, "announcing a ready video")
    }
}

/// Delivers every announcement, each in its own task, until the stack stops. The deliveries
/// belong to this task: a stop (which aborts it) ends those still running, rather than leaving
/// them holding the store while a webhook is retried for most of a minute.
pub fn deliver(platform: Platform, mut announced: Announced) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut running = JoinSet::new();
        loop {
            let platform = platform.clone();
            tokio::select! {
                Some(event) = announced.go_live.recv() => {
                    running.spawn(async move {
                        if let Err(error) = platform.deliver_go_live(&event).await {
                            tracing::error!(%error, channel = %event.channel_id, "go-live delivery failed");
                        }
                    });
                }
                Some(event) = announced.video_ready.recv() => {
                    running.spawn(async move {
                        if let Err(error) = platform.deliver_video_ready(&event).await {
                            tracing::error!(%error, video = %event.video_id, "ready-video delivery failed");
                        }
                    });
                }
                // Finished deliveries are let go of as they finish.
                Some(_) = running.join_next(), if !running.is_empty() => {}
                else => break,
            }
        }
        while running.join_next().await.is_some() {}
    })
}
