//! The local stack's timer for stream summaries: each live broadcast's audience sampled every
//! minute, as an EventBridge schedule does in the cloud.

use std::time::Duration;

use cloumer_domain::Platform;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

/// Samples every `every` until aborted. A tick missed while the machine was busy is taken late,
/// not twice (the domain would refuse the second within its gap anyway).
pub(crate) fn sample_audiences(platform: Platform, every: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(error) = platform.sample_audiences().await {
                tracing::warn!(error = %error, "audiences not sampled");
            }
        }
    })
}
