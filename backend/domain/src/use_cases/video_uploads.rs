//! A streamer uploading a video to their channel: starting an upload (size and quota checked
//! first), getting signed URLs for its parts, finding which parts are in (to resume after a
//! dropped connection or a reload), and completing it once every part is whole. The bytes never
//! pass through the API: the browser sends each part to storage itself.

use time::Duration;

use crate::channel::Channel;
use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::ids::VideoId;
use crate::limits;
use crate::platform::Platform;
use crate::video::{
    self, MAX_PART_URLS, MAX_UPLOAD_BYTES, PART_BYTES, UPLOAD_QUOTA_BYTES, Video, VideoDescription,
    VideoStatus, VideoTitle,
};

/// How long a part's URL works: long enough for a slow connection to send 16 MiB.
const PART_URL_LIFETIME: Duration = Duration::hours(1);

/// What a streamer says about the video they start uploading.
#[derive(Clone, Debug)]
pub struct NewVideo {
    pub title: String,
    pub description: String,
    pub file_name: String,
    pub size_bytes: u64,
    pub private: bool,
}

/// Where an upload stands: how to cut the file, and which parts are in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadState {
    pub video: Video,
    /// The uploader's channel, which the video is on.
    pub channel: Channel,
    pub part_bytes: u64,
    pub part_count: u32,
    /// Parts the storage holds whole, in order.
    pub uploaded: Vec<u32>,
}

/// Where to send one part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartUrl {
    pub number: u32,
    pub size_bytes: u64,
    pub url: String,
}

impl Platform {
    /// Starts uploading a video to the caller's channel.
    pub async fn start_video_upload(
        &self,
        who: &Identity,
        new: NewVideo,
    ) -> DomainResult<UploadState> {
        let title = VideoTitle::parse(&new.title)?;
        let description = VideoDescription::parse(&new.description)?;
        let file_name = video::check_file_name(&new.file_name)?;
        if new.size_bytes == 0 || new.size_bytes > MAX_UPLOAD_BYTES {
            return Err(DomainError::invalid(
                "invalid_video_size",
                format!(
                    "a video file must be 1 byte to {} GiB",
                    MAX_UPLOAD_BYTES >> 30
                ),
            ));
        }
        self.rate_limit(
            &format!("video-uploads:{}", who.user_id),
            limits::VIDEO_UPLOADS,
        )
        .await?;
        let channel = self.ensure_account(who).await?.channel;
        // Checked here to begin no upload in vain, and again as the video is written (below):
        // only that write is atomic with uploads started at the same time.
        let used = self.ports.videos.stored_video_bytes(&channel.id).await?;
        if used + new.size_bytes > UPLOAD_QUOTA_BYTES {
            return Err(over_quota(used));
        }
        let id = VideoId::generate();
        let upload_id = self.ports.video_uploads.begin(&id).await?;
        let now = self.now();
        let video = Video {
            id,
            channel_id: channel.id.clone(),
            uploader: who.user_id.clone(),
            title,
            description,
            private: new.private,
            file_name,
            size_bytes: new.size_bytes,
            upload_id: Some(upload_id),
            status: VideoStatus::Uploading,
            progress: 0,
            failure: None,
            duration_ms: None,
            created_at: now,
            updated_at: now,
            playlist_url: None,
            thumbnail_url: None,
        };
        let created = self
            .ports
            .videos
            .create_video(&video, UPLOAD_QUOTA_BYTES)
            .await;
        if !matches!(created, Ok(true))
            && let Some(upload_id) = &video.upload_id
            && let Err(error) = self.ports.video_uploads.abort(&video.id, upload_id).await
        {
            // Refused either way; only its empty upload stays, until the storage's lifecycle
            // rule removes it.
            tracing::warn!(%error, video = %video.id, "an upload begun in vain was not aborted");
        }
        match created {
            Ok(true) => Ok(UploadState {
                part_bytes: PART_BYTES,
                part_count: video.part_count(),
                uploaded: Vec::new(),
                video,
                channel,
            }),
            Ok(false) => {
                let used = self
                    .ports
                    .videos
                    .stored_video_bytes(&video.channel_id)
                    .await?;
                Err(over_quota(used))
            }
            Err(error) => Err(error.into()),
        }
    }

    /// How the caller's upload stands: what a browser asks before sending (again).
    pub async fn video_upload_state(
        &self,
        who: &Identity,
        id: &VideoId,
    ) -> DomainResult<UploadState> {
        let video = self.own_video(who, id).await?;
        let channel = self.video_channel(&video).await?;
        let uploaded = match (&video.status, &video.upload_id) {
            (VideoStatus::Uploading, Some(upload_id)) => {
                let parts = self.ports.video_uploads.parts(&video.id, upload_id).await?;
                video::uploaded_parts(&video, &parts)
            }
            // Past uploading, every part is in.
            _ => (1..=video.part_count()).collect(),
        };
        Ok(UploadState {
            part_bytes: PART_BYTES,
            part_count: video.part_count(),
            uploaded,
            video,
            channel,
        })
    }

    /// Signed URLs for parts of the caller's upload (at most [`MAX_PART_URLS`] at once).
    pub async fn video_part_urls(
        &self,
        who: &Identity,
        id: &VideoId,
        numbers: &[u32],
    ) -> DomainResult<Vec<PartUrl>> {
        let video = self.own_video(who, id).await?;
        let (VideoStatus::Uploading, Some(upload_id)) = (&video.status, &video.upload_id) else {
            return Err(DomainError::conflict(
                "not_uploading",
                "this video's file is already uploaded",
            ));
        };
        if numbers.is_empty() || numbers.len() > MAX_PART_URLS {
            return Err(DomainError::invalid(
                "invalid_parts",
                format!("ask for 1–{MAX_PART_URLS} parts at once"),
            ));
        }
        let count = video.part_count();
        if let Some(bad) = numbers.iter().find(|n| !(1..=count).contains(*n)) {
            return Err(DomainError::invalid(
                "invalid_parts",
                format!("part {bad} does not exist: this upload has parts 1–{count}"),
            ));
        }
        let expires_at = self.now() + PART_URL_LIFETIME;
        let mut urls = Vec::with_capacity(numbers.len());
        for &number in numbers {
            let size_bytes = video.part_size(number);
            let url = self
                .ports
                .video_uploads
                .part_url(&video.id, upload_id, number, size_bytes, expires_at)
                .await?;
            urls.push(PartUrl {
                number,
                size_bytes,
                url,
            });
        }
        Ok(urls)
    }

    /// Completes the caller's upload once every part is in and whole; processing starts from
    /// there (the storage tells it). Asking again after it completed changes nothing.
    /// Returns it with its channel.
    pub async fn complete_video_upload(
        &self,
        who: &Identity,
        id: &VideoId,
    ) -> DomainResult<(Video, Channel)> {
        let video = self.own_video(who, id).await?;
        let channel = self.video_channel(&video).await?;
        Ok((self.complete_upload(video).await?, channel))
    }

    async fn complete_upload(&self, video: Video) -> DomainResult<Video> {
        let (VideoStatus::Uploading, Some(upload_id)) = (&video.status, &video.upload_id) else {
            return Ok(video);
        };
        let parts = self.ports.video_uploads.parts(&video.id, upload_id).await?;
        let parts = video::whole_upload(&video, &parts).map_err(|missing| {
            DomainError::conflict(
                "upload_incomplete",
                format!(
                    "{} of {} parts are still missing (the first is part {})",
                    missing.len(),
                    video.part_count(),
                    missing[0]
                ),
            )
        })?;
        // Recorded as uploaded first: the storage's completion may start processing at once,
        // and processing takes only uploaded videos.
        let mut uploaded = video.clone();
        uploaded.status = VideoStatus::Uploaded;
        uploaded.updated_at = self.now();
        self.ports.videos.put_video(&uploaded, Some(&video)).await?;
        if let Err(error) = self
            .ports
            .video_uploads
            .complete(&video.id, upload_id, &parts)
            .await
        {
            // Back to uploading, so the browser can complete it again.
            self.ports.videos.put_video(&video, Some(&uploaded)).await?;
            return Err(error.into());
        }
        Ok(uploaded)
    }

    /// The channel `video` is on (not found if it is gone).
    pub(crate) async fn video_channel(&self, video: &Video) -> DomainResult<Channel> {
        self.ports
            .channels
            .get_channel(&video.channel_id)
            .await?
            .ok_or(DomainError::NotFound("video"))
    }

    /// The caller's own video, whatever its state (not found for anyone else).
    pub(crate) async fn own_video(&self, who: &Identity, id: &VideoId) -> DomainResult<Video> {
        match self.ports.videos.get_video(id).await? {
            Some(video) if video.uploader == who.user_id => Ok(video),
            _ => Err(DomainError::NotFound("video")),
        }
    }
}

/// "Your videos may take 20 GiB together", with how much they take.
fn over_quota(used: u64) -> DomainError {
    DomainError::conflict(
        "video_quota_exceeded",
        format!(
            "your videos may take {} GiB together; {:.1} GiB are used",
            UPLOAD_QUOTA_BYTES >> 30,
            used as f64 / f64::from(1u32 << 30)
        ),
    )
}
