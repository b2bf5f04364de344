//! What happens when a stream starts or ends: the video service's events (IVS "Stream State
//! Change" through EventBridge in the cloud, the local ingest's callbacks locally) move the
//! channel's live state, and the room hears about it. Events may repeat, arrive late or out of
//! order; [`crate::live::apply`] makes any order end in the same state.

use std::collections::{BTreeMap, HashSet};

use crate::channel::ChannelType;
use crate::error::DomainResult;
use crate::ids::ChannelId;
use crate::live::{self, StreamEvent, StreamEventKind};
use crate::platform::Platform;

/// What the video service must know about a channel when an encoder starts publishing (IVS keeps
/// this in the channel's configuration).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BroadcastPolicy {
    /// Record the broadcast as a past broadcast.
    pub record: bool,
    /// Keep the recording private (as IVS records a channel into the bucket its recording
    /// configuration names when the stream starts).
    pub private: bool,
    /// STANDARD broadcasts are transcoded into a ladder of qualities; BASIC ones are not.
    pub channel_type: ChannelType,
}

impl Platform {
    /// Applies a stream-state event. Returns whether the live state changed. Unknown channels are
    /// ignored (their events may arrive after a deletion). A start that puts the channel live
    /// notifies its followers.
    pub async fn handle_stream_event(&self, event: &StreamEvent) -> DomainResult<bool> {
        let Some(before) = self.ports.channels.get_channel(&event.channel_id).await? else {
            tracing::warn!(channel = %event.channel_id, "stream event for an unknown channel");
            return Ok(false);
        };
        if event.kind == StreamEventKind::Start && before.is_suspended(self.now()) {
            // Its key was replaced; a broadcast that starts anyway (a key read just before) is
            // stopped, and the channel never shows live.
            if let Some(video) = &before.video {
                self.ports.video.stop_stream(video).await?;
            }
            tracing::warn!(channel = %before.id, "a suspended channel's broadcast was stopped");
            return Ok(false);
        }
        let (channel, changed) = self
            .modify_channel(&event.channel_id, |c| match live::apply(&c.live, event) {
                Some(next) => {
                    c.live = next;
                    Ok(true)
                }
                None => Ok(false),
            })
            .await?;
        if changed && let Some(room) = &channel.chat_room {
            // Tell everyone in the chat at once; best effort, pages also refresh on their own.
            let name = if channel.is_live() {
                "app:STREAM_START"
            } else {
                "app:STREAM_END"
            };
            let mut attributes = BTreeMap::new();
            attributes.insert("streamId".to_owned(), event.stream_id.as_str().to_owned());
            if let Err(error) = self
                .ports
                .chat_service
                .send_event(room, name, &attributes)
                .await
            {
                tracing::warn!(error = %error, "could not announce the stream state in chat");
            }
        }
        let went_live = changed && event.kind == StreamEventKind::Start && channel.is_live();
        // Only the invocation whose write made the channel live gets here, so a repeated or
        // racing event notifies nobody twice. The previous broadcast's end tells a flap.
        let previous_end = before
            .live
            .ended_at
            .filter(|_| before.live.stream_id.as_ref() != Some(&event.stream_id));
        if went_live {
            self.announce_go_live(&channel, &event.stream_id, previous_end)
                .await;
        }
        Ok(changed)
    }

    /// How to run a broadcast that is starting on `channel`; `None` for an unknown channel.
    pub async fn broadcast_policy(
        &self,
        channel: &ChannelId,
    ) -> DomainResult<Option<BroadcastPolicy>> {
        Ok(self
            .ports
            .channels
            .get_channel(channel)
            .await?
            // A suspended channel may not broadcast: the local ingest refuses the publish.
            .filter(|c| !c.is_suspended(self.now()))
            .map(|c| BroadcastPolicy {
                record: c.recording,
                private: c.private,
                channel_type: c.channel_type,
            }))
    }

    /// Ends every broadcast the store still counts as live but the video service does not
    /// stream (its end event was lost, or the local stack stopped abruptly). Returns the
    /// channels it ended.
    pub async fn end_stale_broadcasts(&self) -> DomainResult<Vec<ChannelId>> {
        let streaming: HashSet<String> = self
            .ports
            .video
            .live_streams()
            .await?
            .into_iter()
            .map(|s| s.channel_arn)
            .collect();
        let mut ended = Vec::new();
        for channel in self.ports.channels.list_live_channels().await? {
            let still_streaming = channel
                .video
                .as_ref()
                .is_some_and(|v| streaming.contains(&v.arn));
            let Some(stream_id) = channel.live.stream_id.clone() else {
                continue;
            };
            if still_streaming {
                continue;
            }
            let event = StreamEvent {
                channel_id: channel.id.clone(),
                stream_id,
                kind: StreamEventKind::End,
                at: self.now(),
            };
            self.handle_stream_event(&event).await?;
            ended.push(channel.id);
        }
        Ok(ended)
    }
}
