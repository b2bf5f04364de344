//! Reporting to the platform's staff, and staff settling reports. A signed-in viewer reports a
//! channel, clip, uploaded video or past broadcast they can see (not their own), with a reason
//! and their words; one open report per person and subject. Staff (the identity provider's
//! staff group) read the open reports oldest first, each with what it is about as it is now,
//! and settle a subject once for all its open reports: dismissed, or the content removed. The
//! same queue holds appeals against suspensions (`appeals.rs`).

use time::Duration;

use crate::channel::{Channel, MAX_SUSPENSION_DAYS};
use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::ids::{ChannelId, ClipId, RecordingId, ReportId, UserId, VideoId};
use crate::limits::REPORTS;
use crate::page::Page;
use crate::platform::{Platform, refuse_non_staff};
use crate::report::{
    Report, ReportAction, ReportCursor, ReportOutcome, ReportReason, ReportSubject, clean_details,
};

/// What a reporter names: a channel by its handle, anything else by its id.
#[derive(Clone, Copy, Debug)]
pub enum Reported<'a> {
    Channel { handle: &'a str },
    Clip { id: &'a str },
    Video { id: &'a str },
    Recording { id: &'a str },
}

/// A report as staff see it: what it is about as it is now (`None` once it is gone).
#[derive(Clone, Debug)]
pub struct ReportInQueue {
    pub report: Report,
    /// The channel whose content it is (gone with its account).
    pub channel: Option<Channel>,
    /// The clip's, video's or past broadcast's title; the channel's stream title for a channel.
    pub subject_title: Option<String>,
    /// The reporter's handle now (`None` once their account is gone).
    pub reporter_handle: Option<String>,
}

/// What became of a settled subject.
#[derive(Clone, Debug)]
pub struct Settled {
    pub action: ReportAction,
    /// How many open reports on the subject this settled (the one named among them).
    pub reports: usize,
}

impl Platform {
    /// The caller reports `subject` for `reason`; `false` when they had already reported it
    /// and staff have not settled it yet (nothing changes then).
    pub async fn file_report(
        &self,
        who: &Identity,
        subject: Reported<'_>,
        reason: &str,
        details: &str,
    ) -> DomainResult<(Report, bool)> {
        let reason = ReportReason::parse(reason)?;
        let details = clean_details(details)?;
        let (subject, channel) = self.reported_subject(subject, &who.user_id).await?;
        self.refuse_erased(who).await?;
        self.rate_limit(&format!("reports:{}", who.user_id), REPORTS)
            .await?;
        let report = Report {
            id: ReportId::generate(),
            subject,
            channel_id: channel.id,
            reporter: who.user_id.clone(),
            reason,
            details,
            created_at: self.now(),
            outcome: None,
        };
        let filed = self.ports.reports.file_report(&report).await?;
        if filed {
            tracing::info!(
                report = %report.id,
                subject = %report.subject.key(),
                reason = report.reason.as_str(),
                "reported"
            );
        }
        Ok((report, filed))
    }

    /// The subject as the reporter sees it, and its channel: only what they may see (anything
    /// else is not found, as on its page), never their own. An id that cannot be one of its kind
    /// names nothing: not found either (the API names every kind's id with one pattern).
    async fn reported_subject(
        &self,
        subject: Reported<'_>,
        reporter: &UserId,
    ) -> DomainResult<(ReportSubject, Channel)> {
        let own = || DomainError::conflict("own_content", "you cannot report your own content");
        let who = Some(reporter);
        let (subject, channel, made_by) = match subject {
            Reported::Channel { handle } => {
                let channel = self.channel_by_handle(handle).await?;
                if !self.can_watch(&channel, who).await? {
                    return Err(DomainError::NotFound("channel"));
                }
                (ReportSubject::Channel(channel.id.clone()), channel, None)
            }
            Reported::Clip { id } => {
                let id = ClipId::parse(id).map_err(|_| DomainError::NotFound("clip"))?;
                let (clip, channel) = self.clip(&id, who).await?;
                (ReportSubject::Clip(clip.id), channel, Some(clip.clipper))
            }
            Reported::Video { id } => {
                let id = VideoId::parse(id).map_err(|_| DomainError::NotFound("video"))?;
                let (video, channel) = self.video(&id, who).await?;
                (
                    ReportSubject::Video(video.id),
                    channel,
                    Some(video.uploader),
                )
            }
            Reported::Recording { id } => {
                let id = RecordingId::parse(id).map_err(|_| DomainError::NotFound("recording"))?;
                let (recording, channel) = self.recording(&id, who).await?;
                (ReportSubject::Recording(recording.id), channel, None)
            }
        };
        if channel.is_owned_by(reporter) || made_by.as_ref() == Some(reporter) {
            return Err(own());
        }
        Ok((subject, channel))
    }

    /// Open reports, oldest first, for staff only.
    pub async fn open_reports(
        &self,
        who: &Identity,
        after: Option<ReportCursor>,
        limit: usize,
    ) -> DomainResult<Page<ReportInQueue, ReportCursor>> {
        refuse_non_staff(who)?;
        let page = self
            .ports
            .reports
            .list_open_reports(after.as_ref(), limit)
            .await?;
        let channel_ids: Vec<ChannelId> = page.items.iter().map(|r| r.channel_id.clone()).collect();
        let reporters: Vec<UserId> = page.items.iter().map(|r| r.reporter.clone()).collect();
        let titles = futures_util::future::try_join_all(
            page.items
                .iter()
                .map(|r| self.reported_content(&r.subject, None)),
        );
        let (channels, reporters, titles) = futures_util::future::try_join3(
            self.channels_by_id(&channel_ids),
            self.channels_of_owners(&reporters),
            titles,
        )
        .await?;
        let items = page
            .items
            .into_iter()
            .zip(titles)
            .map(|(report, title)| ReportInQueue {
                channel: channels.get(&report.channel_id).cloned(),
                reporter_handle: reporters
                    .get(&report.reporter)
                    .map(|channel| channel.handle.to_string()),
                subject_title: title.map(|content| content.title).or_else(|| {
                    // A channel's title is its stream title, read with the channel.
                    matches!(
                        report.subject,
                        ReportSubject::Channel(_) | ReportSubject::Suspension(_)
                    )
                    .then(|| channels.get(&report.channel_id))
                    .flatten()
                    .map(|channel| channel.title.as_str().to_owned())
                }),
                report,
            })
            .collect();
        Ok(Page {
            items,
            next: page.next,
        })
    }

    /// Staff settle the report's subject: `dismiss` keeps it, `remove` deletes the clip, video
    /// or past broadcast, `suspend` suspends the reported channel — for `suspend_days` days
    /// (1 to [`MAX_SUSPENSION_DAYS`]), or until staff lift it; an appeal against a suspension
    /// is dismissed (the suspension stays) or `reinstate`s the channel. Every open report on
    /// the subject is settled with it, so one decision answers all who reported it.
    pub async fn settle_report(
        &self,
        who: &Identity,
        id: &str,
        action: &str,
        suspend_days: Option<u32>,
    ) -> DomainResult<Settled> {
        refuse_non_staff(who)?;
        let action = match action {
            "dismiss" => ReportAction::Dismissed,
            "remove" => ReportAction::Removed,
            "suspend" => ReportAction::Suspended,
            "reinstate" => ReportAction::Reinstated,
            _ => {
                return Err(DomainError::invalid(
                    "invalid_action",
                    "the action must be dismiss, remove, suspend or reinstate",
                ));
            }
        };
        let suspended_until = match suspend_days {
            None => None,
            Some(_) if action != ReportAction::Suspended => {
                return Err(DomainError::invalid(
                    "invalid_days",
                    "days are for a suspension only",
                ));
            }
            Some(days @ 1..=MAX_SUSPENSION_DAYS) => {
                Some(self.now() + Duration::days(i64::from(days)))
            }
            Some(_) => {
                return Err(DomainError::invalid(
                    "invalid_days",
                    format!(
                        "a suspension lasts 1 to {MAX_SUSPENSION_DAYS} days, or until it is lifted"
                    ),
                ));
            }
        };
        let id = ReportId::parse(id)?;
        let report = self
            .ports
            .reports
            .get_report(&id)
            .await?
            .ok_or(DomainError::NotFound("report"))?;
        if let Some(outcome) = &report.outcome {
            return Err(DomainError::conflict(
                "already_settled",
                format!(
                    "this report was settled already ({})",
                    outcome.action.as_str()
                ),
            ));
        }
        // Read before a take-down deletes it: the people told need its title and maker.
        let channel = self.ports.channels.get_channel(&report.channel_id).await?;
        let content = self
            .reported_content(&report.subject, channel.as_ref())
            .await?;
        match (action, &report.subject) {
            (ReportAction::Dismissed, ReportSubject::Suspension(channel)) => {
                self.reject_appeal(channel).await?;
            }
            (ReportAction::Dismissed, _) => {}
            (ReportAction::Reinstated, ReportSubject::Suspension(channel)) => {
                self.reinstate(who, channel).await?;
            }
            (ReportAction::Reinstated, _) => {
                return Err(DomainError::invalid(
                    "cannot_reinstate",
                    "only an appeal against a suspension is settled by lifting it",
                ));
            }
            (ReportAction::Removed | ReportAction::Suspended, ReportSubject::Suspension(_)) => {
                return Err(DomainError::invalid(
                    "invalid_action",
                    "an appeal is dismissed (the suspension stays) or reinstates the channel",
                ));
            }
            (ReportAction::Removed, subject) => self.take_down(subject).await?,
            (ReportAction::Suspended, ReportSubject::Channel(channel)) => {
                self.suspend_channel(who, channel, report.reason, suspended_until)
                    .await?;
            }
            (ReportAction::Suspended, _) => {
                // A clip is its clipper's cut of the channel's broadcast: whom would it suspend?
                return Err(DomainError::invalid(
                    "cannot_suspend",
                    "only a report on a channel suspends it; remove the content instead",
                ));
            }
        }
        // The content is gone (or stays) before any report says so: if closing fails half-way,
        // settling again closes the rest.
        let mut open = self.ports.reports.open_reports_on(&report.subject).await?;
        if !open.iter().any(|r| r.id == report.id) {
            open.push(report.clone());
        }
        self.close_reports(&open, who, action).await?;
        tracing::info!(
            staff = %who.user_id,
            subject = %report.subject.key(),
            action = action.as_str(),
            reports = open.len(),
            "report settled"
        );
        // Told once the reports are closed: a settling retried after a failure half-way tells
        // only those whose reports it closes (nobody is told twice).
        if let Some(channel) = &channel {
            self.tell_report_outcome(channel, &open, action, report.reason, content.as_ref())
                .await;
        }
        Ok(Settled {
            action,
            reports: open.len(),
        })
    }

    /// Keeps `reports` as settled by `staff` with `action`, now (one at a time: each closes
    /// under its own condition).
    pub(crate) async fn close_reports(
        &self,
        reports: &[Report],
        staff: &Identity,
        action: ReportAction,
    ) -> DomainResult<()> {
        let outcome = ReportOutcome {
            action,
            by: staff.user_id.clone(),
            at: self.now(),
        };
        for report in reports {
            let settled = Report {
                outcome: Some(outcome.clone()),
                ..report.clone()
            };
            self.ports.reports.close_report(&settled).await?;
        }
        Ok(())
    }

    /// Deletes the reported clip, video or past broadcast (already gone: nothing to do).
    async fn take_down(&self, subject: &ReportSubject) -> DomainResult<()> {
        match subject {
            ReportSubject::Channel(_) | ReportSubject::Suspension(_) => Err(DomainError::invalid(
                "cannot_remove_channel",
                "a channel is not removed; suspend it instead",
            )),
            ReportSubject::Clip(id) => match self.ports.clips.get_clip(id).await? {
                Some(clip) => self.remove_clip(&clip).await,
                None => Ok(()),
            },
            ReportSubject::Video(id) => match self.ports.videos.get_video(id).await? {
                Some(video) => self.remove_video(&video).await,
                None => Ok(()),
            },
            ReportSubject::Recording(id) => match self.remove_recording(id).await {
                Err(DomainError::NotFound(_)) => Ok(()),
                done => done,
            },
        }
    }
}
