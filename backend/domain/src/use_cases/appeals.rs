//! Appealing a suspension: a suspended channel's owner tells staff, once per suspension, why it
//! should be lifted. The appeal waits in the staff's queue as a report on the suspension (the
//! owner its reporter, the suspension's reason its reason, their words its details); staff keep
//! the suspension (the owner is told) or lift it.

use time::OffsetDateTime;

use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::ids::{ChannelId, ReportId};
use crate::platform::Platform;
use crate::report::{Report, ReportSubject, clean_details};

impl Platform {
    /// The caller appeals their channel's suspension with their words (one paragraph, as a
    /// report's details, but not empty); when they did.
    pub async fn appeal_suspension(
        &self,
        who: &Identity,
        words: &str,
    ) -> DomainResult<OffsetDateTime> {
        let words = clean_details(words)?;
        if words.is_empty() {
            return Err(DomainError::invalid(
                "invalid_details",
                "say why the suspension should be lifted",
            ));
        }
        let channel = self.ensure_account(who).await?.channel;
        let suspension = channel.suspension_at(self.now()).cloned().ok_or_else(|| {
            DomainError::conflict("not_suspended", "your channel is not suspended")
        })?;
        if suspension.appealed_at.is_some() {
            return Err(DomainError::conflict(
                "already_appealed",
                "you have appealed this suspension already",
            ));
        }
        let now = self.now();
        let appeal = Report {
            id: ReportId::generate(),
            subject: ReportSubject::Suspension(channel.id.clone()),
            channel_id: channel.id.clone(),
            reporter: who.user_id.clone(),
            reason: suspension.reason,
            details: words,
            created_at: now,
            outcome: None,
        };
        // Filed before it is marked: a mark without an appeal would leave nothing to review. An
        // appeal racing this one is not filed twice (one open report per person and subject).
        let filed = self.ports.reports.file_report(&appeal).await?;
        self.modify_channel(&channel.id, |channel| match &mut channel.suspension {
            Some(current) if current.since == suspension.since && current.appealed_at.is_none() => {
                current.appealed_at = Some(now);
                Ok(true)
            }
            _ => Ok(false),
        })
        .await?;
        if filed {
            tracing::info!(channel = %channel.id, report = %appeal.id, "suspension appealed");
        }
        Ok(now)
    }

    /// Staff kept the appealed suspension of `channel`: its dashboard says so (its owner's
    /// bell, too: see `staff_notices.rs`). Nothing when it was lifted meanwhile.
    pub(crate) async fn reject_appeal(&self, channel: &ChannelId) -> DomainResult<()> {
        let now = self.now();
        self.modify_channel(channel, |channel| match &mut channel.suspension {
            Some(suspension) if suspension.appeal_rejected_at.is_none() => {
                suspension.appeal_rejected_at = Some(now);
                Ok(true)
            }
            _ => Ok(false),
        })
        .await?;
        Ok(())
    }
}
