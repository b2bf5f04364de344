//! Suspending a channel: staff take it off the platform (settling a report on it) for a number
//! of days or until they lift the suspension. A suspension with an end needs no timer: it stops
//! counting at its end wherever a channel is read (see [`Suspension::in_force`]). While suspended it cannot broadcast — the stream on air is stopped, the
//! stream key replaced and not shown, a new stream is stopped as it starts — its chat gives no
//! tokens, and nothing of it is listed or played: its page says it is suspended. Its owner may
//! appeal (`appeals.rs`).

use std::collections::BTreeMap;

use time::OffsetDateTime;

use crate::channel::{Channel, Suspension};
use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::ids::ChannelId;
use crate::notification::NotificationKind;
use crate::platform::{Platform, refuse_non_staff};
use crate::report::{ReportAction, ReportReason, ReportSubject};

/// What the chat room hears when its channel is suspended or back: pages read the channel
/// again (the API's `event::CHANNEL_SUSPENDED`).
pub const SUSPENSION_EVENT: &str = "app:CHANNEL_SUSPENDED";

impl Platform {
    /// Suspends the channel until `until` (`None`: until staff lift it) — when it is suspended
    /// already, nothing changes — ends its broadcast and replaces its key.
    pub(crate) async fn suspend_channel(
        &self,
        staff: &Identity,
        id: &ChannelId,
        reason: ReportReason,
        until: Option<OffsetDateTime>,
    ) -> DomainResult<Channel> {
        let now = self.now();
        let (channel, changed) = self
            .modify_channel(id, |channel| {
                if channel.is_suspended(now) {
                    return Ok(false);
                }
                channel.suspension = Some(Suspension {
                    since: now,
                    until,
                    by: staff.user_id.clone(),
                    reason,
                    appealed_at: None,
                    appeal_rejected_at: None,
                });
                Ok(true)
            })
            .await?;
        // The key goes even when it was suspended already: asking again finishes a suspension
        // whose first try failed here.
        if let Some(video) = &channel.video {
            self.ports.video.reset_stream_key(video).await?;
            self.ports.video.stop_stream(video).await?;
        }
        if changed {
            self.tell_room_event(&channel, SUSPENSION_EVENT, &BTreeMap::new())
                .await;
            self.tell_owner_of_suspension(
                &channel,
                NotificationKind::Suspended {
                    suspended_for: reason,
                    suspended_until: until,
                },
            )
            .await;
            tracing::info!(channel = %channel.id, staff = %staff.user_id, reason = reason.as_str(), "channel suspended");
        }
        Ok(channel)
    }

    /// Staff lift the channel's suspension: it may broadcast again (with a new key from its
    /// dashboard) and is shown again. An appeal against it waiting in the queue is settled with
    /// it.
    pub async fn lift_suspension(&self, who: &Identity, handle: &str) -> DomainResult<()> {
        refuse_non_staff(who)?;
        let channel = self.channel_by_handle(handle).await?;
        self.reinstate(who, &channel.id).await?;
        let appeals = self
            .ports
            .reports
            .open_reports_on(&ReportSubject::Suspension(channel.id))
            .await?;
        self.close_reports(&appeals, who, ReportAction::Reinstated)
            .await
    }

    /// Lifts the channel's suspension (nothing when it is not suspended), and tells its room
    /// and its owner. One that ran out meanwhile is only cleared: nothing changes for them.
    pub(crate) async fn reinstate(&self, staff: &Identity, id: &ChannelId) -> DomainResult<()> {
        let now = self.now();
        let mut lifted = None;
        let (channel, changed) = self
            .modify_channel(id, |channel| {
                let cleared = channel.suspension.take();
                lifted = cleared
                    .clone()
                    .filter(|suspension| suspension.in_force(now));
                Ok(cleared.is_some())
            })
            .await?;
        if changed && let Some(lifted) = lifted {
            self.tell_room_event(&channel, SUSPENSION_EVENT, &BTreeMap::new())
                .await;
            self.tell_owner_of_suspension(
                &channel,
                NotificationKind::SuspensionLifted {
                    lifted_suspension: lifted.reason,
                },
            )
            .await;
            tracing::info!(channel = %channel.id, staff = %staff.user_id, "suspension lifted");
        }
        Ok(())
    }

    /// What a suspended channel's owner may still see of it (their own lists and pages) and
    /// nobody else: refused for everyone but its owner.
    pub(crate) fn refuse_suspended_to_others(
        &self,
        channel: &Channel,
        who: Option<&crate::ids::UserId>,
    ) -> DomainResult<()> {
        if channel.is_withheld_from(who, self.now()) {
            self.refuse_suspended(channel)
        } else {
            Ok(())
        }
    }

    /// What is refused of a suspended channel to everyone (its chat, its stream).
    pub(crate) fn refuse_suspended(&self, channel: &Channel) -> DomainResult<()> {
        if channel.is_suspended(self.now()) {
            Err(DomainError::Forbidden(
                "this channel is suspended for breaking the rules",
            ))
        } else {
            Ok(())
        }
    }
}
