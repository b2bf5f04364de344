//! Telling the people a staff decision concerns, in their bell: every reporter of the subject
//! hears what became of their report, and whoever's clip, video or past broadcast was taken down
//! or whose channel was suspended hears what was done and for which rule (the statement of
//! reasons a platform owes them), and again when a suspension is lifted or kept on appeal. The decision stands
//! whatever happens here: a notice that cannot be written is logged, not retried.

use crate::channel::Channel;
use crate::error::DomainResult;
use crate::ids::UserId;
use crate::notification::{Notification, NotificationKind};
use crate::platform::Platform;
use crate::report::{Report, ReportAction, ReportReason, ReportSubject};

/// A reported clip, video or past broadcast as it is before staff decide (a take-down deletes
/// it): its title and who made it.
#[derive(Clone, Debug)]
pub(crate) struct ReportedContent {
    pub(crate) title: String,
    /// The clipper, the uploader, or the channel's owner for a past broadcast.
    pub(crate) made_by: UserId,
}

impl Platform {
    /// The reported clip, video or past broadcast, while it is there (`None` for a channel,
    /// whose owner and title come with it, and for what is gone).
    pub(crate) async fn reported_content(
        &self,
        subject: &ReportSubject,
        channel: Option<&Channel>,
    ) -> DomainResult<Option<ReportedContent>> {
        Ok(match subject {
            ReportSubject::Channel(_) | ReportSubject::Suspension(_) => None,
            ReportSubject::Clip(id) => {
                self.ports
                    .clips
                    .get_clip(id)
                    .await?
                    .map(|clip| ReportedContent {
                        title: clip.title.as_str().to_owned(),
                        made_by: clip.clipper,
                    })
            }
            ReportSubject::Video(id) => {
                self.ports
                    .videos
                    .get_video(id)
                    .await?
                    .map(|video| ReportedContent {
                        title: video.title.as_str().to_owned(),
                        made_by: video.uploader,
                    })
            }
            ReportSubject::Recording(id) => self
                .ports
                .recordings
                .get_recording(id)
                .await?
                .filter(|recording| !recording.deleted())
                .zip(channel)
                .map(|(recording, channel)| ReportedContent {
                    title: recording.title.as_str().to_owned(),
                    made_by: channel.owner.clone(),
                }),
        })
    }

    /// After staff settled `settled` (every open report on one subject of `channel`) with
    /// `action`: each reporter hears the outcome, and the maker of content taken down hears
    /// why (a suspended channel's owner hears it from the suspension itself). `content` is the
    /// subject as it was before the decision; nobody hears of what was already gone.
    pub(crate) async fn tell_report_outcome(
        &self,
        channel: &Channel,
        settled: &[Report],
        action: ReportAction,
        ground: ReportReason,
        content: Option<&ReportedContent>,
    ) {
        let Some(decided) = settled.first() else {
            return;
        };
        if let ReportSubject::Suspension(_) = decided.subject {
            // An appeal: its owner hears it was kept (lifting tells them itself), unless the
            // suspension was lifted meanwhile.
            if action == ReportAction::Dismissed && channel.is_suspended(self.now()) {
                self.tell_owner_of_suspension(
                    channel,
                    NotificationKind::AppealRejected {
                        rejected_appeal: ground,
                    },
                )
                .await;
            }
            return;
        }
        let title = content.map_or("", |content| content.title.as_str());
        let mut notices: Vec<Notification> = settled
            .iter()
            .map(|report| {
                self.notice(
                    &report.reporter,
                    channel,
                    NotificationKind::ReportReviewed {
                        reported: report.subject.clone(),
                        outcome: action,
                    },
                    title,
                )
            })
            .collect();
        if action == ReportAction::Removed
            && let Some(content) = content
        {
            notices.push(self.notice(
                &content.made_by,
                channel,
                NotificationKind::TakenDown {
                    taken_down: decided.subject.clone(),
                    ground,
                },
                title,
            ));
        }
        if let Err(error) = self.ports.notifications.put_notifications(&notices).await {
            tracing::error!(error = %error, subject = %decided.subject.key(), "could not tell the people a decision concerns");
        }
    }

    /// Tells `channel`'s owner that staff suspended it, lifted its suspension or kept it on
    /// appeal.
    pub(crate) async fn tell_owner_of_suspension(&self, channel: &Channel, kind: NotificationKind) {
        let notice = self.notice(&channel.owner, channel, kind, "");
        if let Err(error) = self.ports.notifications.add_notification(&notice).await {
            tracing::error!(error = %error, channel = %channel.id, "could not tell a streamer of their suspension");
        }
    }

    /// A notification for `user` about `channel`, written now.
    fn notice(
        &self,
        user: &UserId,
        channel: &Channel,
        kind: NotificationKind,
        title: &str,
    ) -> Notification {
        Notification {
            user_id: user.clone(),
            channel_id: channel.id.clone(),
            kind,
            created_at: self.now(),
            channel_handle: channel.handle.to_string(),
            owner_nickname: channel.owner_nickname.as_str().to_owned(),
            owner_avatar: channel.owner_avatar.as_str().to_owned(),
            title: title.to_owned(),
        }
    }
}
