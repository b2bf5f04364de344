//! The owner changes their channel: handle, title, category, latency, video qualities (channel
//! type), privacy, recording. The settings the video service mirrors (latency, channel type,
//! privacy, recording) are passed on to it.

use crate::channel::{Channel, ChannelChange};
use crate::error::DomainResult;
use crate::identity::Identity;
use crate::platform::{Platform, video_spec};

impl Platform {
    pub async fn update_channel(
        &self,
        who: &Identity,
        change: ChannelChange,
    ) -> DomainResult<Channel> {
        let account = self.ensure_account(who).await?;
        let touches_video = change.touches_video(&account.channel);
        let (channel, _) = self
            .modify_channel(&account.channel.id, |c| {
                let before = c.clone();
                change.clone().apply(c);
                Ok(*c != before)
            })
            .await?;
        if touches_video && let Some(video) = &channel.video {
            self.ports
                .video
                .update_channel(video, &video_spec(&channel))
                .await?;
        }
        Ok(channel)
    }
}
