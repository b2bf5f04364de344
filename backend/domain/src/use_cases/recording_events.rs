//! What happens when a recording starts, ends or fails: the video service's recording events
//! (IVS "Recording State Change" in the cloud, the local recorder locally) build the past
//! broadcast's record, and keep the live thumbnail fresh. Order-tolerant like stream events.

use time::OffsetDateTime;

use crate::channel::Channel;
use crate::error::{DomainError, DomainResult, WriteError};
use crate::ids::ChannelId;
use crate::platform::{MAX_RETRIES, Platform};
use crate::recording::{self, Recording, RecordingEvent, RecordingEventKind, RecordingStatus};

/// How far back [`Platform::unfinished_recordings`] looks: a channel records one broadcast at a
/// time, so an unfinished one is among its latest.
const RECENT_RECORDINGS: usize = 5;

impl Platform {
    /// Applies a recording-state event: keeps the past broadcast record, and the live thumbnail.
    pub async fn handle_recording_event(&self, event: &RecordingEvent) -> DomainResult<bool> {
        let Some(channel) = self.ports.channels.get_channel(&event.channel_id).await? else {
            // Its channel was deleted while the recorder was still writing: once it has
            // finished, what it wrote goes too.
            if event.kind != RecordingEventKind::Started {
                let orphan = recording::orphaned(event);
                if let Err(error) = self.ports.recording_files.delete(&orphan).await {
                    tracing::warn!(%error, recording = %orphan.id, "a gone channel's recording keeps its files");
                }
            }
            tracing::info!(channel = %event.channel_id, "recording event for a channel that is gone");
            return Ok(false);
        };
        let mut changed = false;
        for _ in 0..MAX_RETRIES {
            let existing = self
                .ports
                .recordings
                .get_recording(&event.recording_id)
                .await?;
            let Some(next) = recording::merge(existing.as_ref(), event, &channel) else {
                break;
            };
            match self
                .ports
                .recordings
                .put_recording(&next, existing.as_ref())
                .await
            {
                Ok(()) => {
                    changed = true;
                    if next.status == RecordingStatus::Ended {
                        self.finish_clips_of(&next).await;
                    }
                    break;
                }
                Err(WriteError::VersionMismatch) => continue,
                Err(WriteError::Port(e)) => return Err(e.into()),
                Err(other) => return Err(DomainError::conflict("recording", other.to_string())),
            }
        }
        if let Some(thumbnail) = &event.live_thumbnail_url {
            self.modify_channel(&channel.id, |c| {
                let current = event.stream_id.is_none() || c.live.stream_id == event.stream_id;
                let update = current && c.live.thumbnail_url.as_ref() != Some(thumbnail);
                if update {
                    c.live.thumbnail_url = Some(thumbnail.clone());
                }
                Ok(update)
            })
            .await?;
        }
        Ok(changed)
    }

    /// The recording of `channel`'s live broadcast, if it is live and recorded, with when that
    /// recording started (a moment of the broadcast is an offset from it).
    pub(crate) async fn live_recording(
        &self,
        channel: &Channel,
    ) -> DomainResult<Option<(Recording, OffsetDateTime)>> {
        if !channel.live.is_live() {
            return Ok(None);
        }
        let recording = self
            .unfinished_recordings(&channel.id)
            .await?
            .into_iter()
            .find(|r| r.stream_id.is_none() || r.stream_id == channel.live.stream_id);
        Ok(recording.map(|recording| {
            let started = recording
                .started_at
                .or(channel.live.started_at)
                .unwrap_or_else(|| self.now());
            (recording, started)
        }))
    }

    /// The channel's recordings that never heard their end (the recorder stopped abruptly).
    pub async fn unfinished_recordings(&self, channel: &ChannelId) -> DomainResult<Vec<Recording>> {
        let page = self
            .ports
            .recordings
            .list_channel_recordings(channel, None, RECENT_RECORDINGS)
            .await?;
        Ok(page
            .items
            .into_iter()
            .filter(|r| r.status == RecordingStatus::Recording)
            .collect())
    }
}
