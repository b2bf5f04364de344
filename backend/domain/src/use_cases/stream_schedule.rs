//! The owner plans their streams: a weekly schedule, which their channel page shows viewers as
//! the next streams (each viewer's page in their own time).

use crate::channel::Channel;
use crate::error::DomainResult;
use crate::identity::Identity;
use crate::platform::Platform;
use crate::schedule::Schedule;

impl Platform {
    /// Replaces the caller's channel's schedule (`None`, or no streams: no schedule).
    pub async fn set_schedule(
        &self,
        who: &Identity,
        schedule: Option<Schedule>,
    ) -> DomainResult<Channel> {
        let schedule = schedule.filter(|s| !s.slots.is_empty());
        self.count_channel_change(who).await?;
        let account = self.ensure_account(who).await?;
        let (channel, _) = self
            .modify_channel(&account.channel.id, |c| {
                let changed = c.schedule != schedule;
                c.schedule = schedule.clone();
                Ok(changed)
            })
            .await?;
        Ok(channel)
    }
}
