//! Past broadcasts as viewers find them: one channel's, the most recent across public channels,
//! and one by its id. Private ones are listed to their owner only.

use std::collections::HashMap;

use crate::channel::Channel;
use crate::error::{DomainError, DomainResult};
use crate::ids::{ChannelId, RecordingId, UserId};
use crate::page::Page;
use crate::platform::Platform;
use crate::recording::{Recording, RecordingCursor};

impl Platform {
    /// One channel's past broadcasts (private ones only for the owner), with the channel.
    pub async fn channel_recordings(
        &self,
        handle: &str,
        who: Option<&UserId>,
        after: Option<RecordingCursor>,
        limit: usize,
    ) -> DomainResult<(Page<Recording, RecordingCursor>, Channel)> {
        let channel = self.channel_by_handle(handle).await?;
        if !self.can_watch(&channel, who).await? {
            return Err(DomainError::Forbidden("this channel is private"));
        }
        let owner = who.is_some_and(|u| channel.is_owned_by(u));
        let mut page = self
            .ports
            .recordings
            .list_channel_recordings(&channel.id, after.as_ref(), limit)
            .await?;
        page.items.retain(|r| owner || !r.private);
        Ok((page, channel))
    }

    /// Recent past broadcasts of every public channel, each with its channel.
    pub async fn recent_recordings(
        &self,
        mut after: Option<RecordingCursor>,
        limit: usize,
    ) -> DomainResult<Page<(Recording, Channel), RecordingCursor>> {
        let mut items = Vec::with_capacity(limit);
        let mut channels: HashMap<ChannelId, Option<Channel>> = HashMap::new();
        while items.len() < limit {
            let page = self
                .ports
                .recordings
                .list_recent_recordings(after.as_ref(), limit - items.len())
                .await?;
            for recording in page.items.into_iter().filter(|r| !r.private) {
                if !channels.contains_key(&recording.channel_id) {
                    let channel = self
                        .ports
                        .channels
                        .get_channel(&recording.channel_id)
                        .await?;
                    channels.insert(recording.channel_id.clone(), channel);
                }
                // Recordings of deleted channels are not listed.
                if let Some(Some(channel)) = channels.get(&recording.channel_id) {
                    items.push((recording, channel.clone()));
                }
            }
            after = page.next;
            if after.is_none() {
                break;
            }
        }
        Ok(Page { items, next: after })
    }

    pub async fn recording(
        &self,
        id: &RecordingId,
        who: Option<&UserId>,
    ) -> DomainResult<(Recording, Channel)> {
        let recording = self
            .ports
            .recordings
            .get_recording(id)
            .await?
            .ok_or(DomainError::NotFound("recording"))?;
        let channel = self
            .ports
            .channels
            .get_channel(&recording.channel_id)
            .await?
            .ok_or(DomainError::NotFound("recording"))?;
        let owner = who.is_some_and(|u| channel.is_owned_by(u));
        if recording.private && !owner {
            return Err(DomainError::NotFound("recording"));
        }
        Ok((recording, channel))
    }
}
