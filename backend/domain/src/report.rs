//! Reports: a signed-in viewer tells the platform's staff that a channel, a clip, an uploaded
//! video or a past broadcast breaks the rules, and why. Staff work through the open reports and
//! settle each subject once: dismissed, or the content taken down. A suspended channel's owner
//! appeals the same way: a report on the suspension, in the same queue.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::error::DomainError;
use crate::ids::{ChannelId, ClipId, RecordingId, ReportId, UserId, VideoId};
use crate::page::Listed;
use crate::text::clean;

/// Longest explanation a reporter may add (code points).
pub const MAX_REPORT_DETAILS: usize = 1000;

/// What a report is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum ReportSubject {
    /// The channel itself: its live stream, its name, picture or About.
    Channel(ChannelId),
    Clip(ClipId),
    Video(VideoId),
    /// A past broadcast.
    Recording(RecordingId),
    /// The channel's suspension, appealed by its owner (the "reporter"): the reason is the
    /// suspension's, the details the owner's words.
    Suspension(ChannelId),
}

impl ReportSubject {
    /// One text per subject, the same in every store: `clip:cl…`.
    pub fn key(&self) -> String {
        let (kind, id) = match self {
            Self::Channel(id) => ("channel", id.as_str()),
            Self::Clip(id) => ("clip", id.as_str()),
            Self::Video(id) => ("video", id.as_str()),
            Self::Recording(id) => ("recording", id.as_str()),
            Self::Suspension(id) => ("suspension", id.as_str()),
        };
        format!("{kind}:{id}")
    }
}

/// Why the reporter thinks it breaks the rules: the categories staff sort by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    Spam,
    Harassment,
    Hate,
    Violence,
    Sexual,
    /// Anything endangering a child: the first to be looked at.
    ChildSafety,
    SelfHarm,
    /// Against the law in another way (copyright, fraud, …).
    Illegal,
    Impersonation,
    Other,
}

impl ReportReason {
    pub const ALL: [Self; 10] = [
        Self::Spam,
        Self::Harassment,
        Self::Hate,
        Self::Violence,
        Self::Sexual,
        Self::ChildSafety,
        Self::SelfHarm,
        Self::Illegal,
        Self::Impersonation,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Spam => "spam",
            Self::Harassment => "harassment",
            Self::Hate => "hate",
            Self::Violence => "violence",
            Self::Sexual => "sexual",
            Self::ChildSafety => "child_safety",
            Self::SelfHarm => "self_harm",
            Self::Illegal => "illegal",
            Self::Impersonation => "impersonation",
            Self::Other => "other",
        }
    }

    pub fn parse(value: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|reason| reason.as_str() == value)
            .ok_or_else(|| DomainError::invalid("invalid_reason", "the reason is not one we know"))
    }
}

/// The reporter's own words: optional, one paragraph (a line break typed in the box becomes a
/// space; every other control character is refused, as in any text we keep).
pub fn clean_details(input: &str) -> Result<String, DomainError> {
    let one_paragraph = input.replace("\r\n", " ").replace(['\n', '\r'], " ");
    clean(
        &one_paragraph,
        "invalid_details",
        "the details",
        0,
        MAX_REPORT_DETAILS,
    )
}

/// What staff decided about a subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportAction {
    /// It breaks no rule: it stays.
    Dismissed,
    /// It was taken down (the clip, video or past broadcast is deleted).
    Removed,
    /// The reported channel was suspended.
    Suspended,
    /// The appealed suspension was lifted.
    Reinstated,
}

impl ReportAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dismissed => "dismissed",
            Self::Removed => "removed",
            Self::Suspended => "suspended",
            Self::Reinstated => "reinstated",
        }
    }
}

/// How a report was settled, by whom and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportOutcome {
    pub action: ReportAction,
    pub by: UserId,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// One person's report on one subject.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub id: ReportId,
    pub subject: ReportSubject,
    /// The channel whose content it is (the subject's channel, or the channel itself).
    pub channel_id: ChannelId,
    pub reporter: UserId,
    pub reason: ReportReason,
    /// The reporter's words (may be empty).
    pub details: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// `None` while staff have not settled it.
    pub outcome: Option<ReportOutcome>,
}

impl Report {
    pub fn is_open(&self) -> bool {
        self.outcome.is_none()
    }

    /// An owner's appeal against their channel's suspension, not a report on content.
    pub fn is_appeal(&self) -> bool {
        matches!(self.subject, ReportSubject::Suspension(_))
    }
}

/// Where a list of open reports goes on: after this one (oldest first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportCursor {
    pub created_at: OffsetDateTime,
    pub id: ReportId,
}

impl Listed for Report {
    type Cursor = ReportCursor;
    fn cursor(&self) -> ReportCursor {
        ReportCursor {
            created_at: self.created_at,
            id: self.id.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_back_from_their_names_and_nothing_else() {
        for reason in ReportReason::ALL {
            assert_eq!(ReportReason::parse(reason.as_str()).unwrap(), reason);
            let json = serde_json::to_string(&reason).unwrap();
            assert_eq!(json, format!("\"{}\"", reason.as_str()));
        }
        assert!(ReportReason::parse("Spam").is_err());
        assert!(ReportReason::parse("").is_err());
    }

    #[test]
    fn details_are_one_clean_paragraph_of_at_most_a_thousand_characters() {
        assert_eq!(
            clean_details("  at 12:03 he shows  ").unwrap(),
            "at 12:03 he shows"
        );
        assert_eq!(clean_details("").unwrap(), "");
        assert!(clean_details(&"가".repeat(MAX_REPORT_DETAILS)).is_ok());
        assert!(clean_details(&"가".repeat(MAX_REPORT_DETAILS + 1)).is_err());
        assert!(clean_details("hidden\u{202e}text").is_err());
        assert!(clean_details("bell\u{7}").is_err());
        assert_eq!(
            clean_details("first\r\nsecond\nthird").unwrap(),
            "first second third"
        );
    }

    #[test]
    fn subjects_have_one_key_each() {
        let clip = ReportSubject::Clip(ClipId::parse("clAbc").unwrap());
        let video = ReportSubject::Video(VideoId::parse("clAbc").unwrap());
        assert_eq!(clip.key(), "clip:clAbc");
        assert_ne!(clip.key(), video.key());
    }
}
