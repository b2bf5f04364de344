//! Clips as viewers find them — one by its id, a channel's newest first — and deleting one,
//! which the channel's owner may do to any of its clips and a clipper to their own. A clip
//! follows its recording: a private one is shown only to the channel's allowed viewers (with
//! URLs that work for them for a while), and a clip whose recording is gone (deleted, or never
//! playable) is gone too.

use std::collections::HashMap;

use crate::channel::Channel;
use crate::clip::{Clip, ClipCursor};
use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::ids::{ClipId, RecordingId, UserId};
use crate::page::Page;
use crate::platform::Platform;
use crate::recording::{Recording, RecordingStatus};
use crate::use_cases::past_broadcasts::add_grant;

impl Platform {
    /// The clip, for whoever may see it (a pending one is cut here if its recording has ended
    /// since).
    pub async fn clip(&self, id: &ClipId, who: Option<&UserId>) -> DomainResult<(Clip, Channel)> {
        let (clip, channel, recording) = self.clip_in_context(id).await?;
        if clip.private && !self.is_allowed_viewer(&channel, who).await? {
            return Err(DomainError::NotFound("clip"));
        }
        if channel.is_withheld_from(who, self.now()) {
            return Err(DomainError::NotFound("clip"));
        }
        let mut clip = self.finish_clip(clip, &recording).await?;
        self.open_private_clips(&channel, std::slice::from_mut(&mut clip))?;
        self.clippers_as_now(std::slice::from_mut(&mut clip))
            .await?;
        Ok((clip, channel))
    }

    /// A channel's clips, newest first: private ones only for its allowed viewers.
    pub async fn channel_clips(
        &self,
        handle: &str,
        who: Option<&UserId>,
        after: Option<ClipCursor>,
        limit: usize,
    ) -> DomainResult<(Page<Clip, ClipCursor>, Channel)> {
        let channel = self.channel_by_handle(handle).await?;
        self.refuse_suspended_to_others(&channel, who)?;
        if !self.can_watch(&channel, who).await? {
            return Err(DomainError::Forbidden("this channel is private"));
        }
        let allowed = self.is_allowed_viewer(&channel, who).await?;
        let mut page = self
            .ports
            .clips
            .list_channel_clips(&channel.id, after.as_ref(), limit)
            .await?;
        let mut alive: HashMap<RecordingId, bool> = HashMap::new();
        let mut kept = Vec::with_capacity(page.items.len());
        for clip in page.items {
            if clip.private && !allowed {
                continue;
            }
            if !alive.contains_key(&clip.recording_id) {
                let recording = self
                    .ports
                    .recordings
                    .get_recording(&clip.recording_id)
                    .await?;
                alive.insert(
                    clip.recording_id.clone(),
                    recording.as_ref().is_some_and(keeps_its_clips),
                );
            }
            if alive[&clip.recording_id] {
                kept.push(clip);
            }
        }
        page.items = kept;
        self.open_private_clips(&channel, &mut page.items)?;
        self.clippers_as_now(&mut page.items).await?;
        Ok((page, channel))
    }

    /// Names each clip's clipper by their handle as it is now (read together), or by none once
    /// their account is deleted: a handle kept from when they clipped may lead nowhere, or to
    /// whoever took it since.
    pub(crate) async fn clippers_as_now(&self, clips: &mut [Clip]) -> DomainResult<()> {
        let mut clippers: Vec<UserId> = clips.iter().map(|c| c.clipper.clone()).collect();
        clippers.sort_unstable();
        clippers.dedup();
        let channels = self.channels_of_owners(&clippers).await?;
        for clip in clips {
            clip.clipper_handle = channels
                .get(&clip.clipper)
                .map(|channel| channel.handle.to_string());
        }
        Ok(())
    }

    /// Deletes the clip and its playlists (never the recording's files it lists).
    pub async fn delete_clip(&self, who: &Identity, id: &ClipId) -> DomainResult<()> {
        let clip = self
            .ports
            .clips
            .get_clip(id)
            .await?
            .ok_or(DomainError::NotFound("clip"))?;
        let channel = self
            .ports
            .channels
            .get_channel(&clip.channel_id)
            .await?
            .ok_or(DomainError::NotFound("clip"))?;
        let user = &who.user_id;
        if !channel.is_owned_by(user) && clip.clipper != *user {
            if clip.private && !self.is_allowed_viewer(&channel, Some(user)).await? {
                return Err(DomainError::NotFound("clip"));
            }
            return Err(DomainError::Forbidden(
                "only the channel's owner and whoever made the clip can delete it",
            ));
        }
        self.remove_clip(&clip).await
    }

    /// Removes the clip's playlists, then the clip. The playlists first: if removing one fails
    /// the clip is still listed, and asking again finishes the job.
    pub(crate) async fn remove_clip(&self, clip: &Clip) -> DomainResult<()> {
        if let Some(recording) = self
            .ports
            .recordings
            .get_recording(&clip.recording_id)
            .await?
        {
            for file in &clip.files {
                self.ports
                    .recording_files
                    .delete_playlist(&recording, file)
                    .await?;
            }
        }
        self.ports.clips.delete_clip(clip).await?;
        Ok(())
    }

    /// The clip with its channel and recording, if all three still stand.
    async fn clip_in_context(&self, id: &ClipId) -> DomainResult<(Clip, Channel, Recording)> {
        let gone = || DomainError::NotFound("clip");
        let clip = self.ports.clips.get_clip(id).await?.ok_or_else(gone)?;
        let channel = self
            .ports
            .channels
            .get_channel(&clip.channel_id)
            .await?
            .ok_or_else(gone)?;
        let recording = self
            .ports
            .recordings
            .get_recording(&clip.recording_id)
            .await?
            .filter(keeps_its_clips)
            .ok_or_else(gone)?;
        Ok((clip, channel, recording))
    }

    fn open_private_clips(&self, channel: &Channel, clips: &mut [Clip]) -> DomainResult<()> {
        if !clips.iter().any(|c| c.private) {
            return Ok(());
        }
        let grant = self.private_files_grant(channel)?;
        for clip in clips.iter_mut().filter(|c| c.private) {
            for url in [&mut clip.playlist_url, &mut clip.thumbnail_url]
                .into_iter()
                .flatten()
            {
                add_grant(url, &grant);
            }
        }
        Ok(())
    }
}

/// Whether clips of this recording can still play (or will, once it has ended).
fn keeps_its_clips(recording: &Recording) -> bool {
    match recording.status {
        RecordingStatus::Recording => true,
        RecordingStatus::Ended => recording.playable(),
        RecordingStatus::Failed | RecordingStatus::Deleted => false,
    }
}
