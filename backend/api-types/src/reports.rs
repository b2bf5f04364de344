//! Reports to the platform's staff: what a viewer files, and the staff's queue.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// What is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// A channel (its live stream, name, picture, About): `id` is its handle.
    Channel,
    Clip,
    /// An uploaded video.
    Video,
    /// A past broadcast.
    Recording,
}

impl ReportKind {
    pub const ALL: [Self; 4] = [Self::Channel, Self::Clip, Self::Video, Self::Recording];

    /// Its name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Channel => "channel",
            Self::Clip => "clip",
            Self::Video => "video",
            Self::Recording => "recording",
        }
    }
}

/// Why it breaks the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    Spam,
    Harassment,
    Hate,
    Violence,
    Sexual,
    ChildSafety,
    SelfHarm,
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

    /// Its name on the wire.
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
}

/// `POST /api/v1/reports`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewReport {
    pub kind: ReportKind,
    /// The channel's handle, or the clip's, video's or past broadcast's id.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^[A-Za-z0-9._:-]{1,128}$", max_length = 128)
    )]
    pub id: String,
    pub reason: ReportReason,
    /// The reporter's words, at most 1,000 characters: line breaks become spaces; no other
    /// control, direction or invisible characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[^\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
            max_length = 1000
        )
    )]
    pub details: Option<String>,
}

/// The answer to a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FiledReport {
    pub id: String,
    /// True when the caller had reported it already and staff have not looked at it yet: the
    /// earlier report stands (`id` is the one just refused).
    pub already_reported: bool,
}

/// A report in the staff's queue, with what it is about as it is now; or a suspended channel's
/// owner's appeal (`appeal`: `reporterHandle` is the owner, `reason` the suspension's,
/// `details` their words).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReportBody {
    pub id: String,
    pub kind: ReportKind,
    /// An appeal against the channel's suspension: settled by `dismiss` (it stays suspended)
    /// or `reinstate`.
    pub appeal: bool,
    /// The clip's, video's or past broadcast's id, or the channel's id.
    pub subject_id: String,
    /// Its title now: null once it is gone (deleted by its owner, or taken down).
    pub subject_title: Option<String>,
    /// The channel whose content it is: its handle and streamer now (null once the account is
    /// gone).
    pub channel_handle: Option<String>,
    pub channel_nickname: Option<String>,
    pub reason: ReportReason,
    pub details: String,
    /// Who reported it: their handle now (null once their account is gone).
    pub reporter_handle: Option<String>,
    pub created_at: String,
}

/// `GET /api/v1/reports`: open reports, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReportPage {
    pub items: Vec<ReportBody>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next: Option<String>,
}

/// What staff decide about a report's subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportDecision {
    /// It breaks no rule: it stays.
    Dismiss,
    /// Delete the clip, video or past broadcast.
    Remove,
    /// Suspend the reported channel (a report on a channel only).
    Suspend,
    /// Lift the appealed suspension (an appeal only).
    Reinstate,
}

impl ReportDecision {
    pub const ALL: [Self; 4] = [Self::Dismiss, Self::Remove, Self::Suspend, Self::Reinstate];

    /// Its name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dismiss => "dismiss",
            Self::Remove => "remove",
            Self::Suspend => "suspend",
            Self::Reinstate => "reinstate",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_serdes() {
        let wire = |value: serde_json::Value| value.as_str().unwrap().to_owned();
        for kind in ReportKind::ALL {
            assert_eq!(wire(serde_json::to_value(kind).unwrap()), kind.as_str());
        }
        for decision in ReportDecision::ALL {
            assert_eq!(
                wire(serde_json::to_value(decision).unwrap()),
                decision.as_str()
            );
        }
        for reason in ReportReason::ALL {
            assert_eq!(wire(serde_json::to_value(reason).unwrap()), reason.as_str());
        }
    }
}

/// `POST /api/v1/reports/{id}/settle`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SettleReport {
    pub decision: ReportDecision,
    /// With `suspend` only: the suspension ends by itself after this many days (1 to 365);
    /// absent, it lasts until staff lift it. A 400 with any other decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 365))]
    pub suspend_days: Option<u32>,
}

/// A report (or appeal) its reporter filed, as their data download holds it: what it was
/// about, what they said, and what became of it (not who on staff decided).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExportedReport {
    pub id: String,
    pub kind: ReportKind,
    /// An appeal against their channel's suspension.
    pub appeal: bool,
    /// The clip's, video's or past broadcast's id, or the channel's id.
    pub subject_id: String,
    pub reason: ReportReason,
    pub details: String,
    pub created_at: String,
    /// What staff decided; absent while it waits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<ReportDecision>,
    /// When they decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_at: Option<String>,
}

/// `POST /api/v1/me/channel/suspension/appeal`: why the suspension should be lifted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewAppeal {
    /// At most 1,000 characters, not blank: line breaks become spaces; no other control,
    /// direction or invisible characters.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[^\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*[^\s\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0][^\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
            min_length = 1,
            max_length = 1000
        )
    )]
    pub words: String,
}

/// The answer to an appeal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FiledAppeal {
    /// RFC 3339, UTC.
    pub appealed_at: String,
}

/// The answer to settling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SettledReports {
    pub decision: ReportDecision,
    /// How many open reports on the subject this settled (every reporter's).
    pub reports: u64,
}
