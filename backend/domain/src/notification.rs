//! Notifications in the app: "a channel you follow went live" (one per follower per stream start,
//! none when a stream flaps), "your video is ready", "a channel raided yours", and what the
//! platform's staff decided: the outcome of a user's report, and why their content was taken down
//! or their channel suspended (and when that is lifted). Kept for a month; the user's "seen"
//! mark makes the rest unread.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::ids::{ChannelId, StreamId, UserId, VideoId};
use crate::page::Listed;
use crate::profile::Language;
use crate::report::{ReportAction, ReportReason, ReportSubject};

/// A stream that starts again within this long of its channel's previous one ending is the same
/// broadcast to a viewer (an encoder reconnecting, a streamer fixing a setting): no new
/// notification.
pub const FLAP_WINDOW: Duration = Duration::minutes(10);

/// How long a notification is kept (DynamoDB's TTL removes it in the cloud).
pub const NOTIFICATION_LIFETIME: Duration = Duration::days(30);

/// Followers written per store call while fanning out one go-live.
pub const FAN_OUT_PAGE: usize = 500;

/// Unread notifications are counted up to this many ("99+").
pub const MAX_UNREAD: usize = 99;

/// What the bell lists, with what it needs to show it: news of `channel` (its owner's name and
/// picture) and a title (the stream's or the video's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub user_id: UserId,
    pub channel_id: ChannelId,
    #[serde(flatten)]
    pub kind: NotificationKind,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub channel_handle: String,
    pub owner_nickname: String,
    pub owner_avatar: String,
    pub title: String,
}

/// What a notification tells. Stored by its fields alone (no tag), so the go-live records
/// written before videos existed read as they are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum NotificationKind {
    /// The channel, which the user follows, went live with this stream.
    WentLive { stream_id: StreamId },
    /// The user's uploaded video, on their channel, is ready to watch.
    VideoReady { video_id: VideoId },
    /// The channel raided the user's channel, bringing the viewers it had.
    Raided { raid_viewers: u64 },
    /// Staff settled the user's report on `reported`, of the channel (the title is the
    /// subject's as it was then): kept, taken down or the channel suspended.
    ReportReviewed {
        reported: ReportSubject,
        outcome: ReportAction,
    },
    /// Staff took down the user's clip, video or past broadcast on the channel for breaking
    /// the rule on `ground` (the statement of reasons its owner is owed).
    TakenDown {
        taken_down: ReportSubject,
        ground: ReportReason,
    },
    /// Staff suspended the user's channel for breaking the rule on `suspended_for`, until
    /// `suspended_until` (`None`: until staff lift it).
    Suspended {
        suspended_for: ReportReason,
        #[serde(default, with = "time::serde::rfc3339::option")]
        suspended_until: Option<OffsetDateTime>,
    },
    /// Staff lifted the suspension (for `lifted_suspension`) of the user's channel.
    SuspensionLifted { lifted_suspension: ReportReason },
    /// Staff kept the suspension (for `rejected_appeal`) of the user's channel on their appeal.
    AppealRejected { rejected_appeal: ReportReason },
}

impl Notification {
    pub fn expires_at(&self) -> OffsetDateTime {
        self.created_at + NOTIFICATION_LIFETIME
    }
}

/// "`channel` went live": the event every way of telling people (webhooks, and in the cloud the
/// SNS topic they hang off) carries, with what a message about it needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoLive {
    pub channel_id: ChannelId,
    pub stream_id: StreamId,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    pub channel_handle: String,
    pub owner_nickname: String,
    pub title: String,
}

/// "A channel you follow went live", by email: to whom, in their language, and what the
/// unsubscribe link needs (the adapter knows the site's and the API's addresses). Serializable:
/// in the cloud emails wait in a queue for their turn at SES's sending rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoLiveEmail {
    pub to: String,
    pub language: Language,
    pub user_id: UserId,
    pub unsubscribe_token: String,
    pub event: GoLive,
}

/// How sending a batch of emails went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EmailReport {
    pub sent: usize,
    pub failed: usize,
    /// Sending stopped at the time budget: followers after those counted got no email.
    pub stopped: bool,
}

/// Where a user's notifications continue (newest first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotificationCursor {
    pub at: OffsetDateTime,
    pub channel_id: ChannelId,
}

impl Listed for Notification {
    type Cursor = NotificationCursor;
    fn cursor(&self) -> NotificationCursor {
        NotificationCursor {
            at: self.created_at,
            channel_id: self.channel_id.clone(),
        }
    }
}

/// Whether a stream starting at `start` continues the channel's previous broadcast, which ended
/// at `previous_end`.
pub fn is_flap(previous_end: Option<OffsetDateTime>, start: OffsetDateTime) -> bool {
    previous_end.is_some_and(|end| start - end < FLAP_WINDOW)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_stored_by_their_fields_and_old_go_live_records_still_read() {
        let old = r#"{"user_id":"u-fan","channel_id":"ch-star","stream_id":"st-1",
            "created_at":"2026-11-01T10:00:00Z","channel_handle":"star","owner_nickname":"Star",
            "owner_avatar":"preset:fox","title":"Live"}"#;
        let read: Notification = serde_json::from_str(old).unwrap();
        assert_eq!(
            read.kind,
            NotificationKind::WentLive {
                stream_id: StreamId::parse("st-1").unwrap()
            }
        );
        let video = Notification {
            kind: NotificationKind::VideoReady {
                video_id: VideoId::parse("vdabc123").unwrap(),
            },
            ..read
        };
        let json = serde_json::to_string(&video).unwrap();
        assert!(json.contains(r#""video_id":"vdabc123""#), "{json}");
        assert_eq!(serde_json::from_str::<Notification>(&json).unwrap(), video);
        let raid = Notification {
            kind: NotificationKind::Raided { raid_viewers: 12 },
            ..video
        };
        let json = serde_json::to_string(&raid).unwrap();
        assert!(json.contains(r#""raid_viewers":12"#), "{json}");
        assert_eq!(serde_json::from_str::<Notification>(&json).unwrap(), raid);
        // Untagged: each kind needs a field of its own, or it would read as another.
        let clip = ReportSubject::Clip(crate::ids::ClipId::parse("clabc123").unwrap());
        for kind in [
            NotificationKind::ReportReviewed {
                reported: clip.clone(),
                outcome: ReportAction::Removed,
            },
            NotificationKind::TakenDown {
                taken_down: clip,
                ground: ReportReason::Hate,
            },
            NotificationKind::Suspended {
                suspended_for: ReportReason::Violence,
                suspended_until: None,
            },
            NotificationKind::Suspended {
                suspended_for: ReportReason::Violence,
                suspended_until: Some(raid.created_at + Duration::days(7)),
            },
            NotificationKind::SuspensionLifted {
                lifted_suspension: ReportReason::Violence,
            },
            NotificationKind::AppealRejected {
                rejected_appeal: ReportReason::Violence,
            },
        ] {
            let decided = Notification {
                kind,
                ..raid.clone()
            };
            let json = serde_json::to_string(&decided).unwrap();
            assert_eq!(
                serde_json::from_str::<Notification>(&json).unwrap(),
                decided,
                "{json}"
            );
        }
        // Written before suspensions could end by themselves: until lifted.
        let mut old = serde_json::to_value(&raid).unwrap();
        old.as_object_mut().unwrap().remove("raid_viewers");
        old["suspended_for"] = "hate".into();
        assert_eq!(
            serde_json::from_value::<Notification>(old).unwrap().kind,
            NotificationKind::Suspended {
                suspended_for: ReportReason::Hate,
                suspended_until: None,
            }
        );
    }

    #[test]
    fn a_restart_within_ten_minutes_is_a_flap() {
        let end = OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap();
        assert!(is_flap(Some(end), end + Duration::minutes(9)));
        assert!(!is_flap(Some(end), end + Duration::minutes(10)));
        assert!(!is_flap(None, end));
    }
}
