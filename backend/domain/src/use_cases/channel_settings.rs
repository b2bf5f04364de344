//! The owner changes their channel: handle, title, category, latency, video qualities (channel
//! type), privacy, recording. The settings the video service mirrors (latency, channel type,
//! privacy, recording) are passed on to it.

use crate::channel::{Channel, ChannelChange};
use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::platform::{Platform, video_spec};

impl Platform {
    pub async fn update_channel(
        &self,
        who: &Identity,
        change: ChannelChange,
    ) -> DomainResult<Channel> {
        self.count_channel_change(who).await?;
        let account = self.ensure_account(who).await?;
        let touches_video = change.touches_video(&account.channel);
        let (channel, _) = self
            .modify_channel(&account.channel.id, |c| {
                // IVS refuses to update a live channel (stop the stream, update, restart):
                // stored anyway, the two would disagree — a channel its owner made private
                // still playing publicly. Checked on the version being written.
                if change.touches_video(c) && c.is_live() {
                    return Err(DomainError::conflict(
                        "channel_live",
                        "End your broadcast to change latency, video qualities, privacy or recording.",
                    ));
                }
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
