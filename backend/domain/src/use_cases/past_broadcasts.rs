//! Past broadcasts as viewers find them: one channel's, the most recent across public channels,
//! and one by its id. A recording keeps the privacy its channel had when it was made: private
//! ones are listed only to those who may watch the channel's private video (its owner and the
//! viewers the owner allowed), with URLs that work for them for a while
//! ([`RecordingAccess`](crate::ports::RecordingAccess)). A recording with nothing to play yet
//! (or ever: it failed) is shown to its owner only.

use std::collections::{HashMap, HashSet};

use crate::channel::Channel;
use crate::error::{DomainError, DomainResult};
use crate::ids::{ChannelId, RecordingId, UserId};
use crate::page::Page;
use crate::platform::Platform;
use crate::recording::{Recording, RecordingCursor};

impl Platform {
    /// One channel's past broadcasts (private ones only for allowed viewers), with the channel.
    pub async fn channel_recordings(
        &self,
        handle: &str,
        who: Option<&UserId>,
        after: Option<RecordingCursor>,
        limit: usize,
    ) -> DomainResult<(Page<Recording, RecordingCursor>, Channel)> {
        let channel = self.channel_by_handle(handle).await?;
        self.refuse_suspended_to_others(&channel, who)?;
        if !self.can_watch(&channel, who).await? {
            return Err(DomainError::Forbidden("this channel is private"));
        }
        let allowed = self.is_allowed_viewer(&channel, who).await?;
        let owner = who.is_some_and(|u| channel.is_owned_by(u));
        let mut page = self
            .ports
            .recordings
            .list_channel_recordings(&channel.id, after.as_ref(), limit)
            .await?;
        page.items
            .retain(|r| !r.deleted() && (allowed || !r.private) && (owner || r.playable()));
        self.open_private(&channel, &mut page.items)?;
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
            let listed: Vec<Recording> = page
                .items
                .into_iter()
                .filter(|r| !r.private && r.playable())
                .collect();
            // The page's channels not read yet, together.
            let new_ids: Vec<ChannelId> = listed
                .iter()
                .map(|r| r.channel_id.clone())
                .filter(|id| !channels.contains_key(id))
                .collect::<HashSet<_>>()
                .into_iter()
                .collect();
            let found = self.ports.channels.get_channels(&new_ids).await?;
            for id in new_ids {
                channels.insert(id, None);
            }
            // Recordings of deleted and suspended channels are not listed.
            let now = self.now();
            for channel in found.into_iter().filter(|c| !c.is_suspended(now)) {
                channels.insert(channel.id.clone(), Some(channel));
            }
            for recording in listed {
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
        let (recording, channel) = self.recording_and_channel(id).await?;
        let owner = who.is_some_and(|u| channel.is_owned_by(u));
        if channel.is_withheld_from(who, self.now()) {
            return Err(DomainError::NotFound("recording"));
        }
        if recording.private && !self.is_allowed_viewer(&channel, who).await? {
            return Err(DomainError::NotFound("recording"));
        }
        if recording.deleted() || (!owner && !recording.playable()) {
            return Err(DomainError::NotFound("recording"));
        }
        let mut recordings = [recording];
        self.open_private(&channel, &mut recordings)?;
        let [recording] = recordings;
        Ok((recording, channel))
    }

    /// The recording and its channel, whoever asks (callers decide who may see it).
    pub(crate) async fn recording_and_channel(
        &self,
        id: &RecordingId,
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
        Ok((recording, channel))
    }

    /// Makes the URLs of private recordings fetchable, for a caller already found allowed: one
    /// grant for the channel, added to each URL.
    fn open_private(&self, channel: &Channel, recordings: &mut [Recording]) -> DomainResult<()> {
        if !recordings.iter().any(|r| r.private) {
            return Ok(());
        }
        let grant = self.private_files_grant(channel)?;
        for recording in recordings.iter_mut().filter(|r| r.private) {
            for url in [&mut recording.playlist_url, &mut recording.thumbnail_url]
                .into_iter()
                .flatten()
            {
                add_grant(url, &grant);
            }
        }
        Ok(())
    }

    /// The query that lets a browser fetch the channel's private recorded files (clips' too)
    /// for a while: only for a caller already found allowed.
    pub(crate) fn private_files_grant(&self, channel: &Channel) -> DomainResult<String> {
        let video = channel
            .video
            .as_ref()
            .ok_or(DomainError::NotFound("video channel"))?;
        let expires_at = self.now() + self.config.recording_access_ttl;
        Ok(self
            .ports
            .recording_access
            .grant(&channel.id, video, expires_at)?)
    }
}

/// `url` with `grant` added to its query.
pub(crate) fn add_grant(url: &mut String, grant: &str) {
    let separator = if url.contains('?') { '&' } else { '?' };
    *url = format!("{url}{separator}{grant}");
}
