//! Uploaded videos as viewers and their uploader find them — one by its id, a channel's newest
//! first — and the uploader editing (title, description, privacy) or deleting one with all its
//! files. Viewers see only ready videos; a private one only the channel's allowed viewers. Every
//! video's files open with a grant the API adds to their URLs, so privacy is simply who gets one,
//! and changing it never moves a file.

use crate::channel::Channel;
use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::ids::{UserId, VideoId};
use crate::notification::NotificationKind;
use crate::page::Page;
use crate::platform::Platform;
use crate::use_cases::past_broadcasts::add_grant;
use crate::video::{Video, VideoCursor, VideoDescription, VideoTitle};

/// Notifications read at a time while looking for a deleted video's bell item.
const FORGET_PAGE: usize = 100;

/// What the uploader changes; `None` leaves it.
#[derive(Clone, Debug, Default)]
pub struct VideoChange {
    pub title: Option<String>,
    pub description: Option<String>,
    pub private: Option<bool>,
}

impl Platform {
    /// The video, for whoever may see it: its uploader in any state, others once it is ready.
    pub async fn video(
        &self,
        id: &VideoId,
        who: Option<&UserId>,
    ) -> DomainResult<(Video, Channel)> {
        let video = self
            .ports
            .videos
            .get_video(id)
            .await?
            .ok_or(DomainError::NotFound("video"))?;
        let channel = self.video_channel(&video).await?;
        let own = who == Some(&video.uploader);
        if !own
            && (channel.is_withheld_from(who, self.now())
                || !self.may_see_video(&video, &channel, who).await?)
        {
            return Err(DomainError::NotFound("video"));
        }
        let mut video = video;
        self.open_videos(std::slice::from_mut(&mut video))?;
        Ok((video, channel))
    }

    /// A channel's videos, newest first: ready ones for viewers (private ones only for allowed
    /// viewers), every one for the uploader, who follows their uploads there.
    pub async fn channel_videos(
        &self,
        handle: &str,
        who: Option<&UserId>,
        after: Option<VideoCursor>,
        limit: usize,
    ) -> DomainResult<(Page<Video, VideoCursor>, Channel)> {
        let channel = self.channel_by_handle(handle).await?;
        self.refuse_suspended_to_others(&channel, who)?;
        if !self.can_watch(&channel, who).await? {
            return Err(DomainError::Forbidden("this channel is private"));
        }
        let owner = who.is_some_and(|user| channel.is_owned_by(user));
        let allowed = self.is_allowed_viewer(&channel, who).await?;
        let mut page = self
            .ports
            .videos
            .list_channel_videos(&channel.id, after.as_ref(), limit)
            .await?;
        page.items
            .retain(|v| owner || (v.published() && (!v.private || allowed)));
        self.open_videos(&mut page.items)?;
        Ok((page, channel))
    }

    /// Changes the uploader's video; its files stay where they are. Returns it with its channel.
    pub async fn edit_video(
        &self,
        who: &Identity,
        id: &VideoId,
        change: VideoChange,
    ) -> DomainResult<(Video, Channel)> {
        let channel = self.video_channel(&self.own_video(who, id).await?).await?;
        let title = change.title.as_deref().map(VideoTitle::parse).transpose()?;
        let description = change
            .description
            .as_deref()
            .map(VideoDescription::parse)
            .transpose()?;
        let changed = self
            .change_video(id, |video| {
                if let Some(title) = &title {
                    video.title = title.clone();
                }
                if let Some(description) = &description {
                    video.description = description.clone();
                }
                if let Some(private) = change.private {
                    video.private = private;
                }
                Some(())
            })
            .await?
            .ok_or(DomainError::NotFound("video"))?;
        let mut changed = changed;
        self.open_videos(std::slice::from_mut(&mut changed))?;
        Ok((changed, channel))
    }

    /// Deletes the uploader's video and every file of it (an unfinished upload and a running
    /// job too). The files go first: if removing one fails the video stays listed, and deleting
    /// again finishes the job.
    pub async fn delete_video(&self, who: &Identity, id: &VideoId) -> DomainResult<()> {
        let video = self.own_video(who, id).await?;
        self.remove_video(&video).await
    }

    /// Deletes the video and its files, whoever asked (callers decide who may).
    pub(crate) async fn remove_video(&self, video: &Video) -> DomainResult<()> {
        self.remove_video_files(video).await?;
        self.ports.videos.delete_video(video).await?;
        if let Err(error) = self.forget_ready_notification(video).await {
            tracing::warn!(%error, video = %video.id, "a deleted video's bell item stays");
        }
        Ok(())
    }

    /// Takes a deleted video's "Your video is ready" off its uploader's bell, where it would lead
    /// to a page that no longer exists. It is newer than the video, so only what came after the
    /// video was made is read.
    async fn forget_ready_notification(&self, video: &Video) -> DomainResult<()> {
        let mut before = None;
        loop {
            let page = self
                .ports
                .notifications
                .list_notifications(&video.uploader, before.as_ref(), FORGET_PAGE)
                .await?;
            for notification in &page.items {
                if notification.created_at < video.created_at {
                    return Ok(());
                }
                if notification.kind
                    == (NotificationKind::VideoReady {
                        video_id: video.id.clone(),
                    })
                {
                    self.ports
                        .notifications
                        .remove_notification(notification)
                        .await?;
                    return Ok(());
                }
            }
            match page.next {
                Some(next) => before = Some(next),
                None => return Ok(()),
            }
        }
    }

    async fn may_see_video(
        &self,
        video: &Video,
        channel: &Channel,
        who: Option<&UserId>,
    ) -> DomainResult<bool> {
        if !video.published() {
            return Ok(false);
        }
        if video.private || channel.private {
            return self.is_allowed_viewer(channel, who).await;
        }
        Ok(true)
    }

    /// Adds to each ready video's URLs the grant that lets the caller's browser fetch its files
    /// (only called for videos the caller may see).
    fn open_videos(&self, videos: &mut [Video]) -> DomainResult<()> {
        let expires_at = self.now() + self.config.recording_access_ttl;
        for video in videos.iter_mut().filter(|v| v.published()) {
            let grant = self.ports.video_processing.grant(&video.id, expires_at)?;
            for url in [&mut video.playlist_url, &mut video.thumbnail_url]
                .into_iter()
                .flatten()
            {
                add_grant(url, &grant);
            }
        }
        Ok(())
    }
}
