//! The owner says what their channel is: a bio and their links elsewhere, which the channel
//! page shows under the player.

use crate::about::ChannelAbout;
use crate::channel::Channel;
use crate::error::DomainResult;
use crate::identity::Identity;
use crate::platform::Platform;

impl Platform {
    /// Replaces the caller's channel's bio and links (both empty: none).
    pub async fn set_about(&self, who: &Identity, about: ChannelAbout) -> DomainResult<Channel> {
        let about = Some(about).filter(|a| !a.is_empty());
        self.count_channel_change(who).await?;
        let account = self.ensure_account(who).await?;
        let (channel, _) = self
            .modify_channel(&account.channel.id, |c| {
                let changed = c.about != about;
                c.about = about.clone();
                Ok(changed)
            })
            .await?;
        Ok(channel)
    }
}
