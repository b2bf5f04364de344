//! The local stand-in for the cloud's go-live SNS topic: stream starts queue here, and a
//! background task hands each to the platform's delivery (webhooks) as the topic's subscriber
//! function does in the cloud, so a slow receiver never holds up the ingest's callback.

use async_trait::async_trait;
use cloumer_domain::notification::GoLive;
use cloumer_domain::ports::GoLiveAnnouncer;
use cloumer_domain::{Platform, PortError, PortResult};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;

/// Where stream starts are announced.
pub struct LocalGoLive(UnboundedSender<GoLive>);

/// The announcements, for [`deliver`].
pub struct Announced(UnboundedReceiver<GoLive>);

pub fn topic() -> (LocalGoLive, Announced) {
    let (sender, receiver) = unbounded_channel();
    (LocalGoLive(sender), Announced(receiver))
}

#[async_trait]
impl GoLiveAnnouncer for LocalGoLive {
    async fn announce(&self, event: &GoLive) -> PortResult<()> {
        self.0
            .send(event.clone())
            .map_err(|_| PortError::new("announcing a stream start", "the stack is stopping"))
    }
}

/// Delivers every announcement, each in its own task (as SNS invokes its subscriber once per
/// message), until the stack stops.
pub fn deliver(platform: Platform, mut announced: Announced) -> JoinHandle<()> {
    tokio::spawn(async move {
        while let Some(event) = announced.0.recv().await {
            let platform = platform.clone();
            tokio::spawn(async move {
                if let Err(error) = platform.deliver_go_live(&event).await {
                    tracing::error!(error = %error, channel = %event.channel_id, "go-live delivery failed");
                }
            });
        }
    })
}
