//! What happens to an uploaded file: when it has arrived it is probed (from the upload alone) and
//! refused with a reason unless it is a video we take, else transcoded; the job reports its
//! progress, and then either publishes the video or fails it, leaving nothing of it published.
//! Every step is safe to repeat (events arrive more than once, workers restart).

use crate::error::{DomainResult, WriteError};
use crate::ids::VideoId;
use crate::media::{self, Refusal};
use crate::platform::{MAX_RETRIES, Platform};
use crate::video::{Transcoded, Video, VideoStatus};

impl Platform {
    /// An upload has arrived whole (the storage's event): probes it, and refuses it or starts
    /// transcoding. Nothing happens for a video that is gone or already past this step.
    pub async fn process_upload(&self, id: &VideoId) -> DomainResult<()> {
        let Some(video) = self.ports.videos.get_video(id).await? else {
            return Ok(());
        };
        if video.status != VideoStatus::Uploaded {
            return Ok(());
        }
        let media = match self.ports.video_processing.probe(&video).await? {
            Ok(media) => media,
            Err(reason) => return self.video_failed(id, reason).await,
        };
        if let Err(reason) = media::check(&media) {
            return self.video_failed(id, reason).await;
        }
        let Some(processing) = self
            .change_video(id, |video| {
                (video.status == VideoStatus::Uploaded).then(|| {
                    video.status = VideoStatus::Processing;
                    video.progress = 0;
                    video.duration_ms = Some(media.duration_ms);
                })
            })
            .await?
        else {
            return Ok(());
        };
        if let Err(error) = self
            .ports
            .video_processing
            .transcode(&processing, &media)
            .await
        {
            // Back to uploaded, so the event's retry starts it again.
            self.change_video(id, |video| {
                (video.status == VideoStatus::Processing).then(|| {
                    video.status = VideoStatus::Uploaded;
                })
            })
            .await?;
            return Err(error.into());
        }
        Ok(())
    }

    /// A job's progress (0–100). Only ever forward: reports may arrive out of order.
    pub async fn video_progress(&self, id: &VideoId, percent: u8) -> DomainResult<()> {
        let percent = percent.min(99);
        self.change_video(id, |video| {
            (video.status == VideoStatus::Processing && percent > video.progress).then(|| {
                video.progress = percent;
            })
        })
        .await?;
        Ok(())
    }

    /// A job finished: the video is published, and the upload it was made from removed.
    pub async fn video_transcoded(&self, id: &VideoId, output: Transcoded) -> DomainResult<()> {
        let ready = self
            .change_video(id, |video| {
                (video.status == VideoStatus::Processing).then(|| {
                    video.status = VideoStatus::Ready;
                    video.progress = 100;
                    video.upload_id = None;
                    video.playlist_url = Some(output.playlist_url.clone());
                    video.thumbnail_url = output.thumbnail_url.clone();
                })
            })
            .await?;
        match ready {
            Some(video) => {
                self.ports.video_uploads.delete(&video.id).await?;
                self.announce_ready(&video).await;
            }
            // Deleted while its job ran: what the job wrote after the deletion goes too.
            None if self.ports.videos.get_video(id).await?.is_none() => {
                self.ports.video_processing.delete_outputs(id).await?;
            }
            None => {}
        }
        Ok(())
    }

    /// Refused, or a job failed: nothing of the video stays published or stored, and the
    /// uploader sees why. A video that is already ready stays so (a late duplicate report).
    pub async fn video_failed(&self, id: &VideoId, reason: Refusal) -> DomainResult<()> {
        let failed = self
            .change_video(id, |video| {
                (video.status != VideoStatus::Ready && video.status != VideoStatus::Failed).then(
                    || {
                        video.status = VideoStatus::Failed;
                        video.failure = Some(reason.clone());
                        video.playlist_url = None;
                        video.thumbnail_url = None;
                    },
                )
            })
            .await?;
        if let Some(video) = failed {
            self.remove_video_files(&video).await?;
        }
        Ok(())
    }

    /// Every file of the video: its outputs, its upload, and an unfinished upload's parts.
    pub(crate) async fn remove_video_files(&self, video: &Video) -> DomainResult<()> {
        self.ports
            .video_processing
            .delete_outputs(&video.id)
            .await?;
        if let Some(upload_id) = &video.upload_id {
            self.ports.video_uploads.abort(&video.id, upload_id).await?;
        }
        self.ports.video_uploads.delete(&video.id).await?;
        Ok(())
    }

    /// Applies `change` to the stored video (retrying on a racing write); `change` returns
    /// `None` to leave it as it is. The video as stored, if it changed.
    pub(crate) async fn change_video(
        &self,
        id: &VideoId,
        mut change: impl FnMut(&mut Video) -> Option<()>,
    ) -> DomainResult<Option<Video>> {
        for _ in 0..MAX_RETRIES {
            let Some(stored) = self.ports.videos.get_video(id).await? else {
                return Ok(None);
            };
            let mut changed = stored.clone();
            if change(&mut changed).is_none() {
                return Ok(None);
            }
            changed.updated_at = self.now();
            match self.ports.videos.put_video(&changed, Some(&stored)).await {
                Ok(()) => return Ok(Some(changed)),
                Err(WriteError::VersionMismatch) => continue,
                Err(other) => return Err(other.into()),
            }
        }
        Err(WriteError::VersionMismatch.into())
    }
}
