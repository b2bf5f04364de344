//! Making clips: a signed-in viewer who may watch a channel clips a stretch of one of its past
//! broadcasts, or the last half-minute of its live one. A clip of a finished recording gets its
//! playlists at once; a clip of a broadcast still being recorded waits (pending) until the
//! recording has ended, when [`Platform::handle_recording_event`] or the first viewer of the clip
//! cuts them. Clips count against a per-user rate limit.

use crate::channel::Channel;
use crate::clip::{
    self, Clip, ClipStatus, ClipTitle, LIVE_CLIP, MIN_CLIP, RECORDING_START, millis,
};
use crate::clip_playlist::{self, Cut, beside_url};
use crate::error::{DomainError, DomainResult, WriteError};
use crate::identity::Identity;
use crate::ids::{ClipId, RecordingId};
use crate::limits;
use crate::platform::Platform;
use crate::recording::{Recording, RecordingStatus};

/// How many of a channel's latest clips a finished recording looks through for its pending ones.
const PENDING_SCAN: usize = 100;

impl Platform {
    /// A clip of `start_ms..end_ms` of a past broadcast.
    pub async fn clip_recording(
        &self,
        who: &Identity,
        recording_id: &RecordingId,
        title: &str,
        start_ms: u64,
        end_ms: u64,
    ) -> DomainResult<Clip> {
        let title = ClipTitle::parse(title)?;
        let (recording, channel) = self.recording_and_channel(recording_id).await?;
        let viewer = Some(&who.user_id);
        // A suspended channel's past broadcasts are shown to nobody else: nor cut into clips.
        let visible = !recording.deleted()
            && recording.playable()
            && !channel.is_withheld_from(viewer, self.now())
            && (!recording.private || self.is_allowed_viewer(&channel, viewer).await?)
            && self.can_watch(&channel, viewer).await?;
        if !visible {
            return Err(DomainError::NotFound("recording"));
        }
        if recording.status != RecordingStatus::Ended {
            return Err(DomainError::conflict(
                "not_clippable",
                "only a finished broadcast can be clipped this way",
            ));
        }
        clip::check_range(start_ms, end_ms, recording.duration_ms.unwrap_or(0))?;
        let clip = self
            .new_clip(
                who,
                &channel,
                &recording,
                title,
                start_ms,
                end_ms - start_ms,
            )
            .await?;
        match self.finish_clip(clip.clone(), &recording).await {
            Ok(ready) => Ok(ready),
            Err(error) => {
                // A clip that could not be cut is not kept (pending, it would wait for nothing).
                if let Err(cleanup) = self.ports.clips.delete_clip(&clip).await {
                    tracing::warn!(error = %cleanup, clip = %clip.id, "unfinished clip kept");
                }
                Err(error)
            }
        }
    }

    /// A clip of the last [`LIVE_CLIP`] of the channel's live broadcast. It is cut from the
    /// broadcast's recording, so the channel must be recording; it plays once the broadcast has
    /// ended.
    pub async fn clip_live(&self, who: &Identity, handle: &str, title: &str) -> DomainResult<Clip> {
        let title = ClipTitle::parse(title)?;
        let channel = self.channel_by_handle(handle).await?;
        if !self.can_watch(&channel, Some(&who.user_id)).await? {
            return Err(DomainError::Forbidden("this channel is private"));
        }
        if !channel.live.is_live() {
            return Err(DomainError::conflict("not_live", "the channel is not live"));
        }
        let Some((recording, started)) = self.live_recording(&channel).await? else {
            let recording_soon = channel.recording
                && channel
                    .live
                    .started_at
                    .is_some_and(|at| self.now() - at < RECORDING_START);
            return Err(if recording_soon {
                just_started()
            } else {
                DomainError::conflict(
                    "not_recording",
                    "this broadcast is not being recorded, so it cannot be clipped",
                )
            });
        };
        let end_ms = u64::try_from((self.now() - started).whole_milliseconds()).unwrap_or(0);
        if end_ms < millis(MIN_CLIP) {
            return Err(just_started());
        }
        let start_ms = end_ms.saturating_sub(millis(LIVE_CLIP));
        self.new_clip(
            who,
            &channel,
            &recording,
            title,
            start_ms,
            end_ms - start_ms,
        )
        .await
    }

    async fn new_clip(
        &self,
        who: &Identity,
        channel: &Channel,
        recording: &Recording,
        title: ClipTitle,
        start_ms: u64,
        duration_ms: u64,
    ) -> DomainResult<Clip> {
        self.rate_limit(&format!("clips:{}", who.user_id), limits::CLIPS)
            .await?;
        let clipper = self.ensure_account(who).await?.channel;
        let clip = Clip {
            id: ClipId::generate(),
            channel_id: channel.id.clone(),
            recording_id: recording.id.clone(),
            title,
            clipper: who.user_id.clone(),
            clipper_handle: Some(clipper.handle.as_str().to_owned()),
            private: recording.private,
            status: ClipStatus::Pending,
            start_ms,
            duration_ms,
            created_at: self.now(),
            playlist_url: None,
            thumbnail_url: recording.thumbnail_url.clone(),
            files: Vec::new(),
        };
        match self.ports.clips.put_clip(&clip, None).await {
            Ok(()) => Ok(clip),
            Err(WriteError::Port(e)) => Err(e.into()),
            Err(other) => Err(DomainError::conflict("clip", other.to_string())),
        }
    }

    /// Cuts a pending clip's playlists once its recording has ended, and stores it ready. A clip
    /// already ready, or whose recording cannot be played (yet, or ever), is returned as it is.
    pub(crate) async fn finish_clip(
        &self,
        clip: Clip,
        recording: &Recording,
    ) -> DomainResult<Clip> {
        if clip.status == ClipStatus::Ready
            || recording.status != RecordingStatus::Ended
            || !recording.playable()
        {
            return Ok(clip);
        }
        let (cut, mut files) = self.cut_playlists(&clip, recording).await?;
        // A second in (or the middle of a shorter clip): past a cut's first, often dark, frame.
        let moment = cut.start_ms + (cut.duration_ms / 2).min(1_000);
        let picture = match self
            .ports
            .recording_files
            .clip_picture(recording, moment, &clip.file_stem())
            .await
        {
            Ok(picture) => picture,
            Err(error) => {
                // The broadcast's own picture will do.
                tracing::warn!(%error, clip = %clip.id, "no picture of the clip's moment");
                None
            }
        };
        files.extend(picture.as_ref().and_then(|p| p.written.clone()));
        let ready = Clip {
            status: ClipStatus::Ready,
            start_ms: cut.start_ms,
            duration_ms: cut.duration_ms,
            playlist_url: recording
                .playlist_url
                .as_deref()
                .map(|url| beside_url(url, &clip.playlist_file())),
            thumbnail_url: picture
                .map(|p| p.url)
                .or_else(|| recording.thumbnail_url.clone()),
            files,
            ..clip.clone()
        };
        match self.ports.clips.put_clip(&ready, Some(&clip)).await {
            Ok(()) => Ok(ready),
            // Someone else finished (or deleted) it meanwhile: theirs stands.
            Err(WriteError::VersionMismatch) => self
                .ports
                .clips
                .get_clip(&clip.id)
                .await?
                .ok_or(DomainError::NotFound("clip")),
            Err(WriteError::Port(e)) => Err(e.into()),
            Err(other) => Err(DomainError::conflict("clip", other.to_string())),
        }
    }

    /// Writes the clip's playlists beside the recording's; returns the cut of the first quality
    /// (every quality of a recording has its segments at the same times) and the files written.
    async fn cut_playlists(
        &self,
        clip: &Clip,
        recording: &Recording,
    ) -> DomainResult<(Cut, Vec<String>)> {
        let files = &self.ports.recording_files;
        let unreadable =
            || DomainError::conflict("clip_unavailable", "the recording cannot be read");
        let main = recording
            .playlist_url
            .as_deref()
            .and_then(file_name)
            .filter(|name| clip_playlist::plain_relative(name))
            .ok_or_else(unreadable)?;
        let own = clip.playlist_file();
        let (start_ms, end_ms) = within_recording(clip, recording.duration_ms);
        let text = files
            .read_playlist(recording, &main)
            .await?
            .ok_or_else(unreadable)?;
        if !clip_playlist::is_multivariant(&text) {
            let cut = clip_playlist::cut_media(&text, start_ms, end_ms).ok_or_else(unreadable)?;
            files.write_playlist(recording, &own, &cut.text).await?;
            return Ok((cut, vec![own]));
        }
        let (multivariant, variants) =
            clip_playlist::clip_multivariant(&text, &own).ok_or_else(unreadable)?;
        let mut first = None;
        let mut written = Vec::new();
        for variant in &variants {
            let media = files
                .read_playlist(recording, variant)
                .await?
                .ok_or_else(unreadable)?;
            let cut = clip_playlist::cut_media(&media, start_ms, end_ms).ok_or_else(unreadable)?;
            let path = clip_playlist::beside(variant, &own);
            files.write_playlist(recording, &path, &cut.text).await?;
            written.push(path);
            first.get_or_insert(cut);
        }
        files.write_playlist(recording, &own, &multivariant).await?;
        written.push(own);
        Ok((first.ok_or_else(unreadable)?, written))
    }

    /// Finishes the pending clips of a recording that has just ended (each on its own: one that
    /// fails is cut when it is first viewed).
    pub(crate) async fn finish_clips_of(&self, recording: &Recording) {
        let page = match self
            .ports
            .clips
            .list_channel_clips(&recording.channel_id, None, PENDING_SCAN)
            .await
        {
            Ok(page) => page,
            Err(error) => {
                tracing::warn!(%error, recording = %recording.id, "pending clips not listed");
                return;
            }
        };
        for clip in page
            .items
            .into_iter()
            .filter(|c| c.recording_id == recording.id && c.status == ClipStatus::Pending)
        {
            let id = clip.id.clone();
            if let Err(error) = self.finish_clip(clip, recording).await {
                tracing::warn!(%error, clip = %id, "clip not finished");
            }
        }
    }
}

/// The stretch to cut: the clip's, moved back to end inside the recording if the recording came
/// out shorter than the clock said while live.
fn within_recording(clip: &Clip, duration_ms: Option<u64>) -> (u64, u64) {
    let end = clip.end_ms();
    match duration_ms {
        Some(total) if end > total => {
            let start = total.saturating_sub(clip.duration_ms);
            (start, total)
        }
        _ => (clip.start_ms, end),
    }
}

/// The last path segment of a URL, without its query.
fn file_name(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    Some(path.rsplit_once('/')?.1.to_owned())
}

/// A live clip asked for before there is enough broadcast to take it from.
fn just_started() -> DomainError {
    DomainError::invalid(
        "invalid_clip_range",
        "the broadcast has only just started; clip it in a few seconds",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_beside_a_playlist() {
        assert_eq!(
            beside_url(
                "https://cdn/ivs/v1/a/media/hls/master.m3u8?x=1",
                "clip-c.m3u8"
            ),
            "https://cdn/ivs/v1/a/media/hls/clip-c.m3u8"
        );
        assert_eq!(
            file_name("/recordings/ch/rec/index.m3u8?Policy=p").as_deref(),
            Some("index.m3u8")
        );
    }
}
