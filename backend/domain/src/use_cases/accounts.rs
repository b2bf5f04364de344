//! Accounts: the user's profile, and whether a handle is free. (Creating the account itself is
//! [`Platform::ensure_account`], which every signed-in use case relies on.)

use crate::error::DomainResult;
use crate::handle::ChannelHandle;
use crate::identity::Identity;
use crate::platform::{Account, Platform};
use crate::profile::ProfileChange;

impl Platform {
    /// Changes the caller's nickname, avatar or language; the channel keeps a copy of the
    /// nickname and avatar for listings.
    pub async fn update_profile(
        &self,
        who: &Identity,
        change: ProfileChange,
    ) -> DomainResult<Account> {
        // Each change writes the profile and the channel's copy of its name and picture: counted
        // with the channel's settings, so that a loop cannot hammer either.
        self.count_channel_change(who).await?;
        let account = self.ensure_account(who).await?;
        let mut profile = account.profile;
        profile.apply(change);
        self.ports.channels.put_profile(&profile).await?;
        let (channel, _) = self
            .modify_channel(&account.channel.id, |c| {
                let changed =
                    c.owner_nickname != profile.nickname || c.owner_avatar != profile.avatar;
                c.owner_nickname = profile.nickname.clone();
                c.owner_avatar = profile.avatar.clone();
                Ok(changed)
            })
            .await?;
        Ok(Account { profile, channel })
    }

    /// Whether `raw` is a valid handle that no channel has.
    pub async fn handle_available(&self, raw: &str) -> DomainResult<(ChannelHandle, bool)> {
        let handle = ChannelHandle::parse(raw)?;
        let taken = self
            .ports
            .channels
            .find_channel_by_handle(&handle)
            .await?
            .is_some();
        Ok((handle, !taken))
    }
}
