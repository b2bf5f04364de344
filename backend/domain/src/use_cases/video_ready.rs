//! Telling of a ready video: the job's end announces it (an SNS topic in the cloud, a background
//! task locally) and the announcement's delivery tells the uploader, on their bell, by email and
//! by Web Push.
//! The video is published before anyone hears: nothing here can unpublish it.

use crate::error::DomainResult;
use crate::notification::{Notification, NotificationKind};
use crate::platform::Platform;
use crate::profile::{Language, Profile};
use crate::push::PushReport;
use crate::video::{Video, VideoReady, VideoReadyEmail};

impl Platform {
    /// Announces that `video` has just become ready. A failure is logged, not retried: the video
    /// stays published, and its uploader finds it on their dashboard.
    pub(crate) async fn announce_ready(&self, video: &Video) {
        let announced = async {
            let Some(channel) = self.ports.channels.get_channel(&video.channel_id).await? else {
                return Ok(());
            };
            let event = VideoReady {
                video_id: video.id.clone(),
                channel_id: channel.id.clone(),
                uploader: video.uploader.clone(),
                title: video.title.as_str().to_owned(),
                private: video.private,
                duration_ms: video.duration_ms,
                ready_at: video.updated_at,
                channel_handle: channel.handle.to_string(),
                owner_nickname: channel.owner_nickname.as_str().to_owned(),
                owner_avatar: channel.owner_avatar.as_str().to_owned(),
            };
            self.ports.video_ready.announce_ready(&event).await?;
            DomainResult::Ok(())
        };
        if let Err(error) = announced.await {
            tracing::error!(%error, video = %video.id, "could not announce a ready video");
        }
    }

    /// Delivers one announcement (the topic's subscriber): "Your video is ready" on the
    /// uploader's bell, at the time it became ready, by email when their account has an address,
    /// and by push to the browsers where they turned push on. A repeated delivery (SNS delivers at least once) finds the notification there
    /// and does nothing: no second bell item, email or push. Fails only when the bell could
    /// not be written, so the delivery is tried again; an email that failed is not.
    pub async fn deliver_video_ready(&self, event: &VideoReady) -> DomainResult<()> {
        let notification = Notification {
            user_id: event.uploader.clone(),
            channel_id: event.channel_id.clone(),
            kind: NotificationKind::VideoReady {
                video_id: event.video_id.clone(),
            },
            created_at: event.ready_at,
            channel_handle: event.channel_handle.clone(),
            owner_nickname: event.owner_nickname.clone(),
            owner_avatar: event.owner_avatar.clone(),
            title: event.title.clone(),
        };
        let first_delivery = self
            .ports
            .notifications
            .add_notification(&notification)
            .await?;
        if !first_delivery {
            return Ok(());
        }
        let profile = match self.ports.channels.get_profile(&event.uploader).await {
            Ok(profile) => profile,
            Err(error) => {
                tracing::warn!(%error, video = %event.video_id, "the uploader's profile could not be read");
                None
            }
        };
        let language = profile.as_ref().map(|p| p.language).unwrap_or_default();
        let (emailed, pushed) = futures_util::future::join(
            self.email_uploader(event, profile.as_ref()),
            self.push_uploader(event, language),
        )
        .await;
        if let Err(error) = emailed {
            tracing::warn!(%error, video = %event.video_id, "the uploader was not emailed");
        }
        if let Err(error) = pushed {
            tracing::warn!(%error, video = %event.video_id, "the uploader was not pushed to");
        }
        Ok(())
    }

    /// To every browser where the uploader turned push on.
    async fn push_uploader(&self, event: &VideoReady, language: Language) -> DomainResult<()> {
        let subscriptions = self
            .ports
            .push_subscriptions
            .push_subscriptions_of(std::slice::from_ref(&event.uploader))
            .await?;
        let mut report = PushReport::default();
        for subscription in subscriptions {
            let outcome = self
                .ports
                .push
                .push_video_ready(&subscription, language, event)
                .await;
            self.settle_push(&subscription, outcome, &mut report)
                .await?;
        }
        tracing::info!(
            video = %event.video_id,
            sent = report.sent,
            gone = report.gone,
            failed = report.failed,
            "pushed to the uploader's browsers"
        );
        Ok(())
    }

    /// When their account has an address.
    async fn email_uploader(
        &self,
        event: &VideoReady,
        profile: Option<&Profile>,
    ) -> DomainResult<()> {
        let Some((profile, to)) = profile.and_then(|p| Some((p, p.email.clone()?))) else {
            return Ok(());
        };
        let email = VideoReadyEmail {
            to,
            language: profile.language,
            user_id: event.uploader.clone(),
            video_id: event.video_id.clone(),
            title: event.title.clone(),
        };
        self.ports.email.send_video_ready(&email).await?;
        Ok(())
    }
}
