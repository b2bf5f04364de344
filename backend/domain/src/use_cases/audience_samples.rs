//! Every minute, each live broadcast's audience is sampled onto its recording; its streamer
//! reads the summary (peak and average viewers, followers gained, chat messages, viewers over
//! time) on the past broadcast's page.

use futures_util::{StreamExt, stream};

use crate::audience::StreamSummary;
use crate::channel::Channel;
use crate::chat_message::ChatActivity;
use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::ids::RecordingId;
use crate::platform::{MAX_RETRIES, Platform};
use crate::recording::Recording;
use crate::use_cases::broadcast_management::busy;
use crate::use_cases::directory::status_of;

/// Broadcasts sampled at once (each a follower count, a read and a write).
const SAMPLES_IN_FLIGHT: usize = 8;

impl Platform {
    /// Samples the audience of every live, recorded broadcast the video service streams now
    /// (called every [`crate::audience::SAMPLE_EVERY`]). A broadcast sampled less than
    /// [`crate::audience::SAMPLE_GAP`] ago is left as it is, so a doubled or retried tick counts
    /// once; one channel's failure is logged and does not stop the others. Returns how many
    /// broadcasts were sampled.
    pub async fn sample_audiences(&self) -> DomainResult<usize> {
        let statuses = self.statuses().await;
        if statuses.is_empty() {
            // Nothing streams, or the video service did not answer: no sample rather than zeros.
            return Ok(0);
        }
        let streaming: Vec<(Channel, u64)> = self
            .ports
            .channels
            .list_live_channels()
            .await?
            .into_iter()
            .filter_map(|channel| {
                let viewers = status_of(&channel, &statuses)?.viewer_count;
                Some((channel, viewers))
            })
            .collect();
        // A few at a time: a busy evening's hundreds of broadcasts fit in the minute.
        let sampled = stream::iter(streaming)
            .map(|(channel, viewers)| async move {
                match self.sample_audience(&channel, viewers).await {
                    Ok(sampled) => sampled,
                    Err(error) => {
                        tracing::warn!(channel = %channel.id, error = %error, "audience not sampled");
                        false
                    }
                }
            })
            .buffer_unordered(SAMPLES_IN_FLIGHT)
            .filter(|sampled| std::future::ready(*sampled))
            .count()
            .await;
        Ok(sampled)
    }

    async fn sample_audience(&self, channel: &Channel, viewers: u64) -> DomainResult<bool> {
        let followers = self.ports.follows.follower_count(&channel.id).await?;
        for _ in 0..MAX_RETRIES {
            let Some((recording, _)) = self.live_recording(channel).await? else {
                // Not recorded (or its recording has not started): no record to keep it on.
                return Ok(false);
            };
            let mut audience = recording.audience.clone();
            if !audience.sample(self.now(), viewers, followers) {
                return Ok(false);
            }
            let sampled = Recording {
                audience,
                ..recording.clone()
            };
            if self.store_recording(&sampled, &recording).await? {
                return Ok(true);
            }
        }
        Err(busy())
    }

    /// The audience of the caller's broadcast `id` (live: so far). Only its channel's owner
    /// reads it: to anyone else there is no such broadcast; a broadcast never sampled (from
    /// before summaries, or under a minute long) has none.
    pub async fn stream_summary(
        &self,
        who: &Identity,
        id: &RecordingId,
    ) -> DomainResult<StreamSummary> {
        let recording = self.owned_recording(who, id).await?;
        if recording.deleted() {
            return Err(DomainError::NotFound("recording"));
        }
        let mut summary = recording
            .audience
            .summary()
            .ok_or(DomainError::NotFound("summary"))?;
        // The chat while it was live (so far, if it still is), counted from the room's history:
        // the review stores each message as it passes, so the count is whole when read. Once
        // the broadcast is over it is counted once and kept.
        if let Some(started) = recording.started_at {
            let chat = match (recording.ended_at, recording.audience.chat) {
                (Some(_), Some(kept)) => kept,
                (ended, _) => {
                    let until = ended.unwrap_or_else(|| self.now());
                    let chat = self
                        .ports
                        .chat
                        .chat_activity_between(&recording.channel_id, started, until)
                        .await?;
                    if ended.is_some() {
                        self.keep_chat_count(&recording, chat).await;
                    }
                    chat
                }
            };
            summary.chat_messages = chat.messages;
            summary.chatters = chat.chatters;
        }
        Ok(summary)
    }

    /// Keeps an ended broadcast's chat count on its recording. Best effort: a recording changed
    /// meanwhile (renamed, say) or a failed write leaves it to be counted at the next read.
    async fn keep_chat_count(&self, recording: &Recording, chat: ChatActivity) {
        let mut counted = recording.clone();
        counted.audience.chat = Some(chat);
        if let Err(error) = self.store_recording(&counted, recording).await {
            tracing::warn!(error = %error, recording = %recording.id, "could not keep a chat count");
        }
    }
}
