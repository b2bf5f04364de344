//! What a streamer's encoder needs: the ingest server and the secret stream key, and resetting
//! that key when it leaked.

use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::platform::Platform;
use crate::ports::StreamKey;

/// The ingest settings an encoder needs. The key is secret: only ever returned to the owner.
#[derive(Clone, Debug)]
pub struct IngestSettings {
    pub server: String,
    pub stream_key: StreamKey,
}

impl Platform {
    pub async fn ingest_settings(&self, who: &Identity) -> DomainResult<IngestSettings> {
        let channel = self.ensure_account(who).await?.channel;
        self.refuse_suspended(&channel)?;
        let video = channel
            .video
            .ok_or(DomainError::NotFound("video channel"))?;
        let stream_key = self.ports.video.get_stream_key(&video).await?;
        Ok(IngestSettings {
            server: video.ingest_server,
            stream_key,
        })
    }

    /// Replaces the stream key; the old one stops working, and a broadcast running with it ends
    /// (a leaked key's broadcast must not stay on air).
    pub async fn reset_stream_key(&self, who: &Identity) -> DomainResult<IngestSettings> {
        self.count_channel_change(who).await?;
        let channel = self.ensure_account(who).await?.channel;
        self.refuse_suspended(&channel)?;
        let video = channel
            .video
            .ok_or(DomainError::NotFound("video channel"))?;
        let stream_key = self.ports.video.reset_stream_key(&video).await?;
        self.ports.video.stop_stream(&video).await?;
        tracing::info!(channel = %channel.id, "stream key reset");
        Ok(IngestSettings {
            server: video.ingest_server,
            stream_key,
        })
    }
}
