//! Types of the Cloumer HTTP API (`/api/v1/...`), shared by the browser app and the backend.
//!
//! Only data and serde here (and the embed code, which the app and the API must write alike): no
//! behaviour, no framework types. Field names are camelCase on the
//! wire, times are RFC 3339 strings, and request bodies refuse unknown fields so that a typo is a
//! clear 400 instead of a silently ignored setting.

use serde::{Deserialize, Serialize};

pub mod chat;
pub mod embed;
mod reports;
mod whole;

pub use reports::{
    ExportedReport, FiledAppeal, FiledReport, NewAppeal, NewReport, ReportBody, ReportDecision,
    ReportKind, ReportPage, ReportReason, SettleReport, SettledReports,
};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Where the site's pages that other sites may frame live (`/embed/<page>`, a channel's, clip's
/// or video's player alone): the servers send the documents under it framable, and only those, and the browser app
/// shows nothing there that acts for a signed-in viewer. Shared here so the app and the local
/// stack cannot disagree; CloudFront's `/embed/*` behaviour is held to it by a test.
pub const EMBEDDED_PAGES: &str = "/embed/";

/// The languages a channel may say it streams in (ISO 639-1 codes), each with its own name for
/// it, which its speakers read whatever the site's language: what the apps offer.
pub const STREAM_LANGUAGES: &[(&str, &str)] = &[
    ("ar", "العربية"),
    ("de", "Deutsch"),
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("hi", "हिन्दी"),
    ("id", "Bahasa Indonesia"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("ms", "Bahasa Melayu"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("ru", "Русский"),
    ("sv", "Svenska"),
    ("th", "ไทย"),
    ("tl", "Tagalog"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("vi", "Tiếng Việt"),
    ("zh", "中文"),
];

/// Body of every non-2xx response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// Stable, machine-readable code such as `not_found` or `invalid_handle`.
    pub code: String,
    /// Human-readable explanation, safe to show to the user.
    pub message: String,
}

/// `GET /api/health`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Health {
    pub status: String,
    pub version: String,
    /// `local` for the embedded stack, `aws` in the cloud.
    pub environment: String,
}

/// `GET /config.json`: where the browser app finds everything. The only thing that differs
/// between the local stack and the cloud.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RuntimeConfig {
    /// Base URL of the HTTP API, without a trailing slash (`""` for the same origin).
    pub api_base: String,
    /// The Cognito Identity Provider JSON API endpoint (or the local stand-in).
    pub cognito_endpoint: String,
    /// The user pool app client id.
    pub cognito_client_id: String,
    /// `local` or `aws`.
    pub environment: String,
}

// ------------------------------------------------------------------ profiles and handles

/// `GET /api/v1/me`: the signed-in user's own profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub user_id: String,
    pub username: String,
    pub handle: String,
    pub nickname: String,
    /// `preset:<name>`: one of the built-in pictures.
    pub avatar: String,
    /// `en` or `ko`.
    pub language: String,
    /// The verified address go-live emails go to, if the identity provider gave one.
    pub email: Option<String>,
    /// Whether a channel the user follows going live sends them an email.
    pub email_notifications: bool,
    /// One of the platform's staff, who settle reports.
    #[serde(default)]
    pub staff: bool,
}

/// `PATCH /api/v1/me`: omitted fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateProfile {
    /// 1–25 characters (surrounding spaces are trimmed); no control, direction or invisible
    /// characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[ \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^ \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0][^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
            max_length = 25
        )
    )]
    pub nickname: Option<String>,
    /// One of the built-in pictures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^preset:(cat|dog|fox|panda|penguin|rabbit|tiger|whale)$")
    )]
    pub avatar: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(en|ko)$"))]
    pub language: Option<String>,
    /// Email me when a channel I follow goes live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_notifications: Option<bool>,
}

/// `GET /api/v1/handles/{handle}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HandleAvailability {
    /// The handle as it would be stored (lower case).
    pub handle: String,
    pub available: bool,
}

// ------------------------------------------------------------------ channels

/// A channel in a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChannelSummary {
    pub handle: String,
    pub owner_nickname: String,
    pub owner_avatar: String,
    pub title: String,
    pub category: String,
    pub live: bool,
    pub private: bool,
    /// Its streamer marked the channel for adult audiences: viewers are warned before it plays.
    #[serde(default)]
    pub mature: bool,
    /// The language it streams in (one of [`STREAM_LANGUAGES`]' codes), once its streamer
    /// chose one.
    #[serde(default)]
    pub language: Option<String>,
    pub viewer_count: u64,
    /// When the current (or latest) broadcast started.
    pub started_at: Option<String>,
    pub thumbnail_url: Option<String>,
}

/// `GET /api/v1/directory`: live channels first (most viewers first), then the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DirectoryPage {
    pub items: Vec<ChannelSummary>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next: Option<String>,
}

/// `GET /api/v1/categories`: the curated categories in the order to show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CategoryList {
    pub items: Vec<CategoryBody>,
}

/// One curated category and who is live in it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CategoryBody {
    /// As channels store it and `GET /directory?category=` takes it.
    pub name: String,
    pub live_channels: u64,
    pub viewer_count: u64,
}

/// `GET /api/v1/channels/{handle}`: a channel's public page, as the caller sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChannelPage {
    #[serde(flatten)]
    pub summary: ChannelSummary,
    /// The streamer's user id, as chat messages name their senders (a moderator's `/ban name`
    /// finds whom it means through it).
    pub owner_id: String,
    /// `LOW` or `NORMAL`.
    pub latency_mode: String,
    /// `HEALTHY`, `STARVING` or `UNKNOWN` while live.
    pub health: Option<String>,
    /// Whether the caller may play the stream (private channels: owner and allowed viewers;
    /// nobody while suspended).
    pub can_watch: bool,
    /// The platform's staff suspended it for breaking the rules: it does not broadcast, its chat
    /// is closed, and nothing of it is listed.
    #[serde(default)]
    pub suspended: bool,
    /// The caller's chat role: `anonymous`, `viewer` or `owner`.
    pub role: String,
    /// The HLS URL for public channels; private ones need `POST .../playback`.
    pub playback_url: Option<String>,
    /// How many signed-in users follow the channel.
    pub followers: u64,
    /// Whether the caller follows it (always false signed out).
    pub following: bool,
    /// Whether the caller hears when it goes live (false unless following).
    pub notify: bool,
    /// The next streams (at most 3) the streamer's weekly schedule promises, soonest first; one
    /// under way counts. Empty without a schedule.
    #[serde(default)]
    pub upcoming: Vec<PlannedStreamBody>,
    /// The streamer's bio and links; absent when they wrote none (or the caller may not watch
    /// this private channel).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<AboutBody>,
}

/// `PUT /api/v1/me/channel/about`: the channel's bio and the streamer's links elsewhere (both
/// empty: none). Answered as kept: the bio's lines trimmed with at most one empty line between
/// paragraphs, labels trimmed, addresses in their standard form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AboutBody {
    /// Up to 300 characters; line breaks (`\n`) make paragraphs. No other control, direction or
    /// invisible characters.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[^\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
            max_length = 300
        )
    )]
    pub bio: String,
    /// At most 5, in the order the page shows them.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 5))]
    pub links: Vec<AboutLinkBody>,
}

/// One of the streamer's links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AboutLinkBody {
    /// Up to 25 characters (surrounding spaces are trimmed); may be empty, and the page then
    /// shows the address's host.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
            max_length = 25
        )
    )]
    pub label: String,
    /// `https://` or `http://` and a site's name (not an address); no user name or password.
    /// Kept in its standard form (the URL standard's, as browsers write it), which must also be
    /// at most 300 characters: the pattern names the addresses whose standard form is never
    /// longer than they are (a path, and no character the standard escapes).
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,63}(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?/[!#-&(-;=?-\[\]_a-z|~]*$",
            max_length = 300
        )
    )]
    pub url: String,
}

/// A stream a channel's schedule promises.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlannedStreamBody {
    /// RFC 3339, UTC.
    pub starts_at: String,
    pub ends_at: String,
    /// What the streamer means to do then (may be empty).
    pub title: String,
}

/// `PUT /api/v1/me/channel/schedule`: the channel's weekly streams, in the streamer's time zone
/// (no streams: no schedule). Answered with the schedule as kept: sorted by day and time, the
/// zone's own name, titles trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScheduleBody {
    /// An IANA time zone name (`Asia/Seoul`, `America/New_York`, `UTC`); one the database does
    /// not know is refused with 409 `unknown_time_zone`.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^[A-Za-z0-9_+\-/]{1,64}$", max_length = 64)
    )]
    pub time_zone: String,
    /// At most 14; two that overlap (one running past midnight meets the next day's) are
    /// refused with 409 `schedule_overlap`.
    #[cfg_attr(feature = "openapi", schema(max_items = 14))]
    pub slots: Vec<ScheduleSlotBody>,
}

/// One weekly stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScheduleSlotBody {
    /// `MON`, `TUE`, `WED`, `THU`, `FRI`, `SAT` or `SUN`.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^(MON|TUE|WED|THU|FRI|SAT|SUN)$")
    )]
    pub day: String,
    /// When it starts, `HH:MM` (24-hour, the streamer's time).
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    )]
    pub start: String,
    /// 15 minutes to 12 hours.
    #[cfg_attr(feature = "openapi", schema(minimum = 15, maximum = 720))]
    #[serde(deserialize_with = "whole::u16")]
    pub duration_minutes: u16,
    /// Up to 80 characters (surrounding spaces are trimmed), as a stream title; may be empty.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
            max_length = 80
        )
    )]
    pub title: String,
}

/// `PUT`/`DELETE /api/v1/channels/{handle}/follow`: the channel's followers after the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FollowBody {
    pub followers: u64,
    pub following: bool,
    /// Whether the caller hears when the channel goes live (false unless following).
    pub notify: bool,
}

/// `PATCH /api/v1/channels/{handle}/follow`: how the caller follows the channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FollowSettings {
    /// Notify me when it goes live.
    pub notify: bool,
}

/// `GET /api/v1/me/following`: the channels the caller follows, most recently followed first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FollowingPage {
    /// On the first page only: every followed channel that is live now, most viewers first.
    pub live: Vec<ChannelSummary>,
    pub items: Vec<ChannelSummary>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next: Option<String>,
    /// On the first page only: the next streams (at most 5) that the schedules of its offline
    /// channels promise, soonest first; none already under way.
    #[serde(default)]
    pub coming_up: Vec<FollowedPlanBody>,
}

/// A stream a followed channel's schedule promises.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FollowedPlanBody {
    pub handle: String,
    pub owner_nickname: String,
    pub owner_avatar: String,
    /// RFC 3339, UTC.
    pub starts_at: String,
    pub ends_at: String,
    /// What the streamer means to do then (may be empty).
    pub title: String,
}

/// A followed channel went live (`LIVE`: `title` is the stream's), the caller's uploaded video
/// is ready to watch (`VIDEO_READY`: `title` and `videoId` are the video's), or a channel raided
/// the caller's (`RAID`). And what the platform's staff decided: on the caller's report
/// (`REPORT_REVIEWED`: `about`, `decision`), on the caller's clip, video or past broadcast
/// (`TAKEN_DOWN`: `about`, `ground`) or channel (`SUSPENDED`, `SUSPENSION_LIFTED`, and
/// `APPEAL_REJECTED` when staff kept a suspension its owner appealed: `ground`).
/// `title` is then the reported content's as it was (empty for a channel).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NotificationBody {
    /// `LIVE`, `VIDEO_READY`, `RAID`, `REPORT_REVIEWED`, `TAKEN_DOWN`, `SUSPENDED`,
    /// `SUSPENSION_LIFTED` or `APPEAL_REJECTED`.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^(LIVE|VIDEO_READY|RAID|REPORT_REVIEWED|TAKEN_DOWN|SUSPENDED|SUSPENSION_LIFTED|APPEAL_REJECTED)$"
        )
    )]
    pub kind: String,
    pub channel_handle: String,
    pub owner_nickname: String,
    pub owner_avatar: String,
    pub title: String,
    /// The ready video (`VIDEO_READY` only): its page is `/videos/<videoId>`.
    pub video_id: Option<String>,
    /// How many were watching the raiding channel (`RAID` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raid_viewers: Option<u64>,
    /// What was reported or taken down (`REPORT_REVIEWED`, `TAKEN_DOWN`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<ReportKind>,
    /// What staff decided on the caller's report (`REPORT_REVIEWED`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<ReportDecision>,
    /// The rule staff found broken (`TAKEN_DOWN`, `SUSPENDED`, `SUSPENSION_LIFTED`,
    /// `APPEAL_REJECTED`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ground: Option<ReportReason>,
    /// When the suspension ends by itself (`SUSPENDED` only; absent: when staff lift it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// When it happened.
    pub created_at: String,
    /// Newer than the caller's last `POST /api/v1/me/notifications/seen`.
    pub unread: bool,
}

/// `GET /api/v1/me/notifications`: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NotificationPage {
    pub items: Vec<NotificationBody>,
    /// How many of the newest 99 are unread.
    pub unread: u64,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next: Option<String>,
}

/// `GET /api/v1/me/channel`: the owner's dashboard view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MyChannel {
    #[serde(flatten)]
    pub page: ChannelPage,
    pub recording: bool,
    /// `STANDARD` (transcoded into several qualities) or `BASIC` (the source only).
    pub channel_type: String,
    /// Where OBS sends video (`Server` in OBS). The stream key is fetched separately.
    pub ingest_server: String,
    pub chat_rules: ChatRules,
    /// Whose raids the channel takes: `EVERYONE`, `FOLLOWED` or `NOBODY`.
    pub raids: String,
    /// The weekly schedule; absent when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<ScheduleBody>,
    /// While `suspended`: the rule staff found broken (shown to its owner only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspended_for: Option<ReportReason>,
    /// While `suspended`: since when (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspended_since: Option<String>,
    /// While `suspended`: when it ends by itself (RFC 3339, UTC); absent: when staff lift it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspended_until: Option<String>,
    /// While `suspended`: when its owner appealed it (once per suspension)…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appealed_at: Option<String>,
    /// … and when staff kept the suspension on that appeal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appeal_rejected_at: Option<String>,
}

/// `PATCH /api/v1/me/channel`: omitted fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateChannel {
    /// 3–25 letters, digits and underscores, any case, not starting with an underscore.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9_]{2,24}$")
    )]
    pub handle: Option<String>,
    /// Up to 140 characters (surrounding spaces are trimmed); no control, direction or
    /// invisible characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
            max_length = 140
        )
    )]
    pub title: Option<String>,
    /// Up to 40 characters, as a title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
            max_length = 40
        )
    )]
    pub category: Option<String>,
    /// `LOW` or `NORMAL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(LOW|NORMAL)$"))]
    pub latency_mode: Option<String>,
    /// `STANDARD` (transcoded into several qualities viewers choose from) or `BASIC` (the
    /// source only), as IVS channel types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(STANDARD|BASIC)$"))]
    pub channel_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording: Option<bool>,
    /// For adult audiences: viewers are warned before anything of the channel plays. May change
    /// while live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mature: Option<bool>,
    /// The language it streams in: one of [`STREAM_LANGUAGES`]' codes. May change while live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^(ar|de|en|es|fr|hi|id|it|ja|ko|ms|nl|pl|pt|ru|sv|th|tl|tr|uk|vi|zh)$")
    )]
    pub language: Option<String>,
    /// Whose raids the channel takes: `EVERYONE`, `FOLLOWED` (channels its streamer follows)
    /// or `NOBODY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(EVERYONE|FOLLOWED|NOBODY)$"))]
    pub raids: Option<String>,
}

/// `GET /api/v1/me/channel/stream-key` and `POST .../stream-key/reset`. Secret: owner only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct StreamKeyBody {
    pub ingest_server: String,
    pub stream_key: String,
}

/// `POST /api/v1/me/channel/raid`: where to send the people watching.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StartRaid {
    /// The channel to send them to: live, public and not the caller's.
    pub handle: String,
}

/// A raid that was sent: the channel the viewers were sent to, and how many were watching.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RaidBody {
    pub handle: String,
    pub nickname: String,
    pub viewer_count: u64,
}

/// `POST /api/v1/channels/{handle}/playback`: what to load in the player.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlaybackBody {
    /// The playback URL; with `?token=…` for private channels.
    pub url: String,
    pub token: Option<String>,
    pub expires_at: Option<String>,
}

/// A viewer allowed to watch the owner's private channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ViewerGrantBody {
    pub handle: String,
    pub granted_at: String,
}

/// Someone the caller blocked, as they go by now (`GET /api/v1/me/blocks`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BlockedUserBody {
    pub user_id: String,
    /// Empty once the account is gone.
    pub nickname: String,
    pub avatar: String,
    /// Their channel's handle; absent once the account is gone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
    pub blocked_at: String,
}

/// Someone who follows the caller's channel (`GET /api/v1/me/channel/followers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FollowerBody {
    pub user_id: String,
    pub nickname: String,
    pub avatar: String,
    /// Their own channel's handle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
    pub followed_at: String,
}

/// `GET /api/v1/me/channel/followers`: who follows the caller's channel, most recent first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FollowerPage {
    pub items: Vec<FollowerBody>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next: Option<String>,
}

/// `GET /api/v1/me/blocks`: everyone the caller blocked, most recent first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BlockedUsersBody {
    pub items: Vec<BlockedUserBody>,
}

/// `GET /api/v1/me/export`: everything the platform keeps of the caller's own, to take away
/// (sent as a file to save). What they said in other channels' chats is not in it: history is
/// kept per channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccountExport {
    pub exported_at: String,
    pub profile: Me,
    pub channel: MyChannel,
    /// The channels they follow, most recently followed first.
    pub following: Vec<ChannelSummary>,
    pub blocked: Vec<BlockedUserBody>,
    pub moderators: Vec<ModeratorBody>,
    pub allowed_viewers: Vec<ViewerGrantBody>,
    /// Their channel's past broadcasts, newest first.
    pub recordings: Vec<RecordingBody>,
    /// Clips of their channel, whoever made them.
    pub clips: Vec<ClipBody>,
    pub videos: Vec<VideoBody>,
    pub webhooks: Vec<WebhookBody>,
    pub notifications: Vec<NotificationBody>,
    /// The reports the caller filed with staff, and their appeals, newest first.
    pub reports: Vec<ExportedReport>,
}

// ------------------------------------------------------------------ chat

/// `POST /api/v1/channels/{handle}/chat-token`: connect with `new WebSocket(endpoint, token)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChatTokenBody {
    pub token: String,
    /// The IVS Chat messaging endpoint (or the local chat server).
    pub endpoint: String,
    pub token_expiration_time: String,
    pub session_expiration_time: String,
    pub user_id: String,
    /// `anonymous`, `viewer`, `moderator` or `owner`.
    pub role: String,
    /// IVS Chat capabilities: a subset of `SEND_MESSAGE`, `DELETE_MESSAGE`, `DISCONNECT_USER`.
    pub capabilities: Vec<String>,
    /// When a viewer who may not send yet may (a timeout's end, when their account is old
    /// enough for the room, or when they have followed a followers-only room long enough);
    /// absent when they may now.
    pub send_after: Option<String>,
    /// When the caller's timeout ends, if they are timed out.
    pub timed_out_until: Option<String>,
    /// When the caller's account is old enough for the room, if it is not yet (one of the
    /// waits `sendAfter` sums up, apart so that a later timeout does not hide it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_old_enough_at: Option<String>,
    /// When the caller's account was made (signed in only): with `minAccountAgeMinutes`, and
    /// the room's later changes of it (`app:CHAT_RULES`), a client works out when they may chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined_at: Option<String>,
    /// The room's slow mode for this caller (0: off, and always 0 for the owner and moderators).
    pub slow_mode_seconds: u16,
    /// The account age the room asks of this caller (0: none).
    pub min_account_age_minutes: u32,
    /// Followers-only chat for this caller: how many minutes they must have followed the
    /// channel to send (0: any follow); absent when the room is open to all, and always for the
    /// owner and moderators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers_only_minutes: Option<u32>,
    /// When the caller followed the channel, if they do and the room is followers-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followed_at: Option<String>,
    /// Whether the room is emote-only for the caller (never for the owner and moderators).
    #[serde(default)]
    pub emote_only: bool,
    /// Whether the room refuses the caller's links (never the owner's and moderators').
    #[serde(default)]
    pub links_off: bool,
    /// Whether the room holds the caller to unique chat (never the owner and moderators).
    #[serde(default)]
    pub unique_chat: bool,
    /// Whether shield mode is raised on the room (for everyone; the room hears a change as
    /// `Shield` in `app:CHAT_RULES`).
    #[serde(default)]
    pub shield: bool,
    /// The message pinned above the chat; absent when none is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned: Option<PinnedMessageBody>,
    /// The chat's poll while it is open or lately ended, with the caller's vote; absent else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poll: Option<PollBody>,
    /// The user ids the caller blocked: a client hides their messages (the room is not told).
    #[serde(default)]
    pub blocked: Vec<String>,
}

/// A signed-in user in a chat room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PresentUserBody {
    pub user_id: String,
    /// Their channel's handle: how they are mentioned (`@handle`).
    pub handle: String,
    pub nickname: String,
    pub avatar: String,
    /// `viewer`, `moderator` or `owner`.
    pub role: String,
}

/// `POST /api/v1/channels/{handle}/presence`: who is in the chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PresenceBody {
    /// Signed-in users: the owner and moderators first, then by nickname; at most 100.
    pub users: Vec<PresentUserBody>,
    /// Every signed-in user present (`users` may list fewer).
    pub user_count: u64,
    /// Signed-out readers.
    pub readers: u64,
    /// How often to say "still here", in seconds; a client that stops is gone after about
    /// three times as long.
    pub heartbeat_seconds: u32,
}

/// Who sent a chat message, from their token attributes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChatSender {
    pub user_id: String,
    /// Their channel's handle (empty for messages from before handles were attached).
    #[serde(default)]
    pub handle: String,
    pub nickname: String,
    pub avatar: String,
    pub role: String,
}

/// A message in a channel's chat history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChatMessageBody {
    pub id: String,
    pub sent_at: String,
    pub sender: ChatSender,
    pub content: String,
    pub attributes: std::collections::BTreeMap<String, String>,
}

/// The message the owner or a moderator pinned above a channel's chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PinnedMessageBody {
    pub message: ChatMessageBody,
    /// The nickname of whoever pinned it.
    pub pinned_by: String,
    pub pinned_at: String,
}

/// `GET /api/v1/channels/{handle}/chat/pin`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChatPinBody {
    /// `null` when nothing is pinned.
    pub pinned: Option<PinnedMessageBody>,
}

/// `PUT /api/v1/channels/{handle}/chat/pin`: pins a message of the room's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PinMessageRequest {
    /// The message's id, as the room delivered it.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^[A-Za-z0-9._:-]{1,64}$", max_length = 64)
    )]
    pub message_id: String,
}

/// A poll in a channel's chat: a question, its answers and the votes of each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PollBody {
    pub id: String,
    pub question: String,
    pub choices: Vec<String>,
    /// Each answer's votes, in the order of `choices`.
    pub votes: Vec<u64>,
    /// The caller's answer (its place in `choices`, from 0), if they voted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub my_vote: Option<u8>,
    /// Whether it takes votes now.
    pub open: bool,
    /// The nickname of whoever opened it.
    pub opened_by: String,
    pub opened_at: String,
    /// When it closes by itself.
    pub ends_at: String,
    /// When the owner or a moderator ended it, if they did before `endsAt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_early_at: Option<String>,
}

/// `GET /api/v1/channels/{handle}/chat/poll`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChatPollBody {
    /// The latest poll, open or ended; `null` when the chat never had one.
    pub poll: Option<PollBody>,
}

/// `POST /api/v1/channels/{handle}/chat/poll`: opens a poll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OpenPollRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = PollQuestionText))]
    pub question: String,
    /// 2–5 answers, no two the same in any letter case or spacing around them.
    #[cfg_attr(feature = "openapi", schema(value_type = PollAnswers))]
    pub choices: Vec<String>,
    /// How long it is open: 15 seconds to 30 minutes.
    #[serde(deserialize_with = "whole::u32")]
    #[cfg_attr(feature = "openapi", schema(minimum = 15, maximum = 1800))]
    pub duration_seconds: u32,
}

/// `POST /api/v1/channels/{handle}/chat/poll/end`: ends a poll early.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EndPollRequest {
    /// The poll the caller means (another open since is not ended).
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^[A-Za-z0-9._:-]{1,64}$", max_length = 64)
    )]
    pub poll_id: String,
}

/// `PUT /api/v1/channels/{handle}/chat/poll/vote`: the caller's one vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VoteRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^[A-Za-z0-9._:-]{1,64}$", max_length = 64)
    )]
    pub poll_id: String,
    /// The answer's place in the poll's `choices`, from 0 (a poll has at most five).
    #[serde(deserialize_with = "whole::u8")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 4))]
    pub choice: u8,
}

/// `GET /api/v1/channels/{handle}/chat/messages`: newest first; page backwards with `before`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChatHistoryPage {
    pub items: Vec<ChatMessageBody>,
    /// Pass as `before` for older messages; absent when there are none.
    pub next: Option<String>,
}

/// A message the caller sent, and the channel whose chat they sent it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SentMessageBody {
    /// The channel's handle (absent if it could not be read).
    pub channel: Option<String>,
    pub message: ChatMessageBody,
}

/// `GET /api/v1/me/messages`: what the caller said in every channel's chat, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SentMessagePage {
    pub items: Vec<SentMessageBody>,
    /// Pass as `before` for older messages; absent when there are none.
    pub next: Option<String>,
}

/// `PATCH /api/v1/me/channel/recordings/{id}`: the owner renames a past broadcast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RenameRecording {
    /// The new title, as a stream title: up to 140 characters, no control or invisible
    /// characters; empty for untitled.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
            max_length = 140
        )
    )]
    pub title: String,
}

/// A message of a past broadcast, with its moment in the video.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReplayedMessageBody {
    #[serde(flatten)]
    pub message: ChatMessageBody,
    /// Milliseconds from the start of the recording.
    pub offset_ms: u64,
}

/// `GET /api/v1/recordings/{id}/chat`: a past broadcast's chat, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChatReplayPage {
    pub items: Vec<ReplayedMessageBody>,
    /// Pass as `after` for the messages that follow; absent after the last.
    pub next: Option<String>,
}

/// `POST /api/v1/me/channel/chat/messages/{id}/delete`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeleteMessageRequest {
    /// Shown to the room (1–256 characters); defaults to a generic reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[ \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^ \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0][^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
            max_length = 256
        )
    )]
    pub reason: Option<String>,
}

/// A channel's chat limits and word filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChatRules {
    /// 1–500 characters.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 500))]
    #[serde(deserialize_with = "whole::u16")]
    pub max_message_length: u16,
    /// 1–100 messages per second across the room.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100))]
    #[serde(deserialize_with = "whole::u16")]
    pub max_messages_per_second: u16,
    /// Up to 200 words, matched in any letter case.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Vec<FilteredWord>, max_items = 200)
    )]
    pub filtered_words: Vec<String>,
    /// `BLOCK` (refuse the message) or `MASK` (replace the words with asterisks).
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(BLOCK|MASK)$"))]
    pub filter_mode: String,
    /// Slow mode: a viewer sends at most one message per this many seconds; 0 is off.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 600))]
    #[serde(default, deserialize_with = "whole::u16")]
    pub slow_mode_seconds: u16,
    /// Accounts younger than this many minutes cannot send; 0 is off (at most 30 days).
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 43_200))]
    #[serde(default, deserialize_with = "whole::u32")]
    pub min_account_age_minutes: u32,
    /// Followers-only chat: only viewers who have followed the channel for at least this many
    /// minutes may send (0: any follower; at most 90 days); absent or `null` is off.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 129_600))]
    #[serde(default, deserialize_with = "whole::option_u32")]
    pub followers_only_minutes: Option<u32>,
    /// Emote-only chat: viewers send only the channel's emotes and emoji (the owner and
    /// moderators anything); absent is off.
    #[serde(default)]
    pub emote_only: bool,
    /// Links off: a viewer's message with a web address in it (`example.com` as much as
    /// `https://example.com/x`) is refused (the owner and moderators post links); absent is off.
    #[serde(default)]
    pub links_off: bool,
    /// Unique chat: a viewer's message of 10 characters or more that the room saw in the last
    /// 30 seconds (the same words, any case and spacing) is refused; absent is off.
    #[serde(default)]
    pub unique_chat: bool,
}

/// A filtered word: 1–50 characters (surrounding spaces are trimmed); no control, direction or
/// invisible characters. Only in the OpenAPI document: on the wire it is a string.
#[cfg(feature = "openapi")]
pub struct FilteredWord;

/// Text someone types and others read: at least one visible character, and no control,
/// direction or invisible characters anywhere (the domain's `text::clean`).
#[cfg(feature = "openapi")]
const VISIBLE_TEXT: &str = r"^[ \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^ \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0][^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$";

/// A string of [`VISIBLE_TEXT`] of at most `max_length` characters.
#[cfg(feature = "openapi")]
fn visible_text(max_length: usize) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .pattern(Some(VISIBLE_TEXT))
        .max_length(Some(max_length))
        .into()
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for FilteredWord {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        visible_text(50)
    }
}

#[cfg(feature = "openapi")]
impl ToSchema for FilteredWord {}

/// A poll's question: 1–60 characters (surrounding spaces are trimmed); no control, direction
/// or invisible characters. Only in the OpenAPI document: on the wire it is a string.
#[cfg(feature = "openapi")]
pub struct PollQuestionText;

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for PollQuestionText {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        visible_text(60)
    }
}

#[cfg(feature = "openapi")]
impl ToSchema for PollQuestionText {}

/// One of a poll's answers: 1–25 characters, as a question's.
#[cfg(feature = "openapi")]
pub struct PollAnswerText;

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for PollAnswerText {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        visible_text(25)
    }
}

#[cfg(feature = "openapi")]
impl ToSchema for PollAnswerText {}

/// A poll's answers: 2–5, each different. Only in the OpenAPI document: on the wire an array
/// of strings.
#[cfg(feature = "openapi")]
pub struct PollAnswers;

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for PollAnswers {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ArrayBuilder::new()
            .items(utoipa::openapi::Ref::from_schema_name("PollAnswerText"))
            .min_items(Some(2))
            .max_items(Some(5))
            .unique_items(true)
            .into()
    }
}

#[cfg(feature = "openapi")]
impl ToSchema for PollAnswers {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        schemas.push((
            PollAnswerText::name().into_owned(),
            <PollAnswerText as utoipa::PartialSchema>::schema(),
        ));
    }
}

// ------------------------------------------------------------------ moderation

/// `PUT /api/v1/me/channel/bans/{userId}`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BanRequest {
    /// Kept with the ban (1–256 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[ \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^ \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0][^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
            max_length = 256
        )
    )]
    pub reason: Option<String>,
    /// A minute to ten years; omit for a permanent ban.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "whole::option_u32"
    )]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5_256_000))]
    pub duration_minutes: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BanBody {
    pub user_id: String,
    pub nickname: String,
    pub reason: Option<String>,
    pub created_at: String,
    pub expires_at: Option<String>,
    /// A timeout (the user reads on, cannot send until `expiresAt`) rather than a ban.
    pub timeout: bool,
}

/// `GET /api/v1/channels/{handle}/chatters/{userId}`: someone in a channel's chat, as the caller
/// may see them (opened from their name on a message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChatterCard {
    pub user_id: String,
    pub nickname: String,
    pub avatar: String,
    /// Their own channel's handle.
    pub handle: String,
    /// When their account was made.
    pub joined_at: String,
    /// What they are in this channel's chat: `owner`, `moderator` or `viewer`.
    pub role: String,
    /// Since when they follow this channel, if they do.
    pub followed_at: Option<String>,
    /// A ban or timeout in force: only for the channel's owner and moderators.
    pub restriction: Option<BanBody>,
    /// What the room's runners did to them in this channel — their deleted messages, timeouts,
    /// bans and lifts — newest first, at most 10 of the log's last 90 days: only for the
    /// channel's owner and moderators (empty for anyone else).
    #[serde(default)]
    pub history: Vec<ModerationEntryBody>,
    /// What they said in this channel's chat lately, newest first, at most 10 (found among
    /// their 200 latest messages anywhere; deleted ones never): only for the channel's owner and
    /// moderators (empty for anyone else).
    #[serde(default)]
    pub recent_messages: Vec<ChatMessageBody>,
}

/// `PUT /api/v1/channels/{handle}/chat/shield`: raises or lowers shield mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ShieldRequest {
    /// `true` raises it, `false` lowers it.
    pub raised: bool,
}

/// Shield mode on a channel's chat, and the rules the room now has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ShieldBody {
    pub raised: bool,
    /// Who raised it (their nickname) and when, while it is raised.
    pub raised_by: Option<String>,
    pub raised_at: Option<String>,
    pub rules: ChatRules,
}

/// `PUT /api/v1/channels/{handle}/timeouts/{userId}`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TimeoutRequest {
    /// Kept with the timeout and in the moderation log (1–256 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[ \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^ \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0][^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
            max_length = 256
        )
    )]
    pub reason: Option<String>,
    /// 1 minute to 24 hours.
    #[serde(deserialize_with = "whole::u32")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1440))]
    pub duration_minutes: u32,
}

/// A moderator of the caller's channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ModeratorBody {
    pub user_id: String,
    /// Their channel's handle (absent if their account is gone).
    pub handle: Option<String>,
    pub nickname: String,
    pub avatar: String,
}

/// One line of a channel's moderation log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ModerationEntryBody {
    pub id: String,
    pub at: String,
    pub actor_user_id: String,
    pub actor_nickname: String,
    /// `delete_message`, `timeout`, `ban`, `unban`, `add_moderator`, `remove_moderator`,
    /// `pin_message`, `unpin_message`, `open_poll`, `end_poll` (ended early), `raise_shield` or
    /// `lower_shield`.
    pub action: String,
    pub target_user_id: Option<String>,
    pub target_nickname: Option<String>,
    pub reason: Option<String>,
    /// When a timeout or a ban ends (absent for a permanent ban).
    pub until: Option<String>,
    /// A deleted, pinned or unpinned message's id and start; a poll's question.
    pub message_id: Option<String>,
    pub excerpt: Option<String>,
}

/// `GET /api/v1/channels/{handle}/moderation-log`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ModerationLogPage {
    pub items: Vec<ModerationEntryBody>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next: Option<String>,
}

// ------------------------------------------------------------------ webhooks

/// `GET /api/v1/push/key`: the key browsers subscribe to push with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PushKey {
    /// The VAPID public key, base64url (`applicationServerKey` for `pushManager.subscribe`).
    pub public_key: String,
}

/// `PUT /api/v1/me/push-subscription`: a browser's push subscription, as
/// `PushSubscription.toJSON()` gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewPushSubscription {
    /// The push service's URL for this browser: `https://` and a host name.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^https://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,63}(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?([/?#][^\s]*)?$",
            max_length = 1024
        )
    )]
    pub endpoint: String,
    pub keys: PushSubscriptionKeys,
    /// When the push service will end the subscription (milliseconds since the epoch), if it
    /// says; browsers renew subscriptions themselves, so it is not kept.
    #[serde(default)]
    pub expiration_time: Option<f64>,
}

/// The keys a browser gives for encrypting to it (RFC 8291), base64url.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PushSubscriptionKeys {
    /// Its P-256 public key, uncompressed (65 bytes).
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^B[A-Za-z0-9_-]{85}[AEIMQUYcgkosw048]=?$")
    )]
    pub p256dh: String,
    /// Its authentication secret (16 bytes).
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^[A-Za-z0-9_-]{21}[AQgw](==)?$")
    )]
    pub auth: String,
}

/// `POST /api/v1/me/channel/webhooks`: a URL the channel calls when it goes live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewWebhook {
    /// `https://` and a host name (a Discord webhook URL works as it is). Host names that
    /// resolve only to private addresses are refused when the webhook is called.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^https://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,63}(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?([/?#][^\s]*)?$",
            max_length = 2048
        )
    )]
    pub url: String,
}

/// One of the caller's channel's webhooks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WebhookBody {
    pub id: String,
    pub url: String,
    pub created_at: String,
    /// The latest delivery, if there was one.
    pub last_delivery: Option<DeliveryBody>,
}

/// How a delivery ended, after its retries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeliveryBody {
    pub at: String,
    pub delivered: bool,
    pub attempts: u32,
    /// The receiver's last HTTP status, if it answered.
    pub status: Option<u16>,
    /// Why it failed.
    pub error: Option<String>,
}

/// The answer to adding a webhook: the webhook and its signing secret, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreatedWebhook {
    pub webhook: WebhookBody,
    /// Signs every delivery: `X-Cloumer-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
    /// "<t>.<body>">`.
    pub secret: String,
}

// ------------------------------------------------------------------ recordings

/// A past broadcast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RecordingBody {
    pub id: String,
    pub channel_handle: String,
    pub owner_nickname: String,
    pub owner_avatar: String,
    pub title: String,
    pub category: String,
    /// `RECORDING`, `ENDED` or `FAILED`.
    pub status: String,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    pub duration_ms: Option<u64>,
    /// Recorded while the channel was private: listed only to its allowed viewers, whose URLs
    /// carry a grant that expires (fetch the recording again for fresh ones).
    #[serde(default)]
    pub private: bool,
    /// Its streamer marked its channel for adult audiences (now): viewers are warned before it plays.
    #[serde(default)]
    pub mature: bool,
    pub playlist_url: Option<String>,
    pub thumbnail_url: Option<String>,
    /// Whether the caller owns the channel (and may rename or delete it); set on
    /// `GET /api/v1/recordings/{id}`, false in lists.
    #[serde(default)]
    pub yours: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RecordingPage {
    pub items: Vec<RecordingBody>,
    pub next: Option<String>,
}

/// `GET /api/v1/me/channel/recordings/{id}/summary`: who watched one of the caller's
/// broadcasts (while live, so far), from a sample of its viewers each minute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct StreamSummaryBody {
    pub peak_viewers: u64,
    /// The sampled viewer counts' mean, to the nearest viewer.
    pub average_viewers: u64,
    /// Followers at the last sample less those at the first; negative if more left than came.
    pub followers_gained: i64,
    /// How many samples (one a minute) it is made of.
    pub samples: u32,
    /// Viewers over time from the first sample: each point the most seen in its
    /// `secondsPerPoint` (a minute each, longer for long broadcasts; at most 240 points).
    pub viewers: Vec<u64>,
    pub seconds_per_point: u64,
    /// Chat messages sent while it was live (so far, while it is), not those deleted since.
    pub chat_messages: u64,
    /// How many different people sent them.
    pub chatters: u64,
}

/// `POST /api/v1/me/channel/markers`: marks the present moment of the caller's live broadcast
/// (and `PATCH /api/v1/me/channel/recordings/{id}/markers/{atMs}` renames a marker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewMarker {
    /// Up to 60 characters (surrounding spaces are trimmed); may be empty.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
            max_length = 60
        )
    )]
    pub note: String,
}

/// A moment of a broadcast its streamer marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MarkerBody {
    /// Where it is in the past broadcast, from its start.
    pub at_ms: u64,
    pub note: String,
}

/// `GET /api/v1/recordings/{id}/markers`: the moments its streamer marked, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MarkerList {
    pub items: Vec<MarkerBody>,
}

/// A clip of a past broadcast: `POST /api/v1/recordings/{id}/clips`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClipRecording {
    /// 1–100 characters, no control or invisible characters.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*[^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0\s][^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
            min_length = 1,
            max_length = 100
        )
    )]
    pub title: String,
    /// Where the clip starts, in milliseconds into the broadcast.
    #[serde(deserialize_with = "whole::u32")]
    pub start_ms: u32,
    /// Where it ends: 5–60 seconds after the start, inside the broadcast. The clip takes the
    /// whole segments that cover the stretch, so it may start a little earlier and end a little
    /// later.
    #[serde(deserialize_with = "whole::u32")]
    pub end_ms: u32,
}

/// A clip of the last 30 seconds of a live broadcast: `POST /api/v1/channels/{handle}/clips`.
/// The channel must be recording; the clip plays once the broadcast has ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClipLive {
    /// 1–100 characters, as [`ClipRecording::title`].
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*[^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0\s][^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
            min_length = 1,
            max_length = 100
        )
    )]
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ClipBody {
    pub id: String,
    pub channel_handle: String,
    pub owner_nickname: String,
    pub owner_avatar: String,
    /// The past broadcast it comes from.
    pub recording_id: String,
    pub title: String,
    /// The handle of whoever made it, as it is now; `null` once their account is deleted.
    pub clipped_by: Option<String>,
    /// `PENDING` (a live clip waiting for its broadcast to end) or `READY`.
    pub status: String,
    /// Where it starts in its broadcast, and how long it lasts, in milliseconds.
    pub start_ms: u64,
    pub duration_ms: u64,
    pub created_at: String,
    /// From a broadcast recorded while the channel was private: for its allowed viewers only,
    /// with URLs that carry a grant that expires.
    #[serde(default)]
    pub private: bool,
    /// Its streamer marked its channel for adult audiences (now): viewers are warned before it plays.
    #[serde(default)]
    pub mature: bool,
    /// The clip's playlist (once ready): play it like a past broadcast's.
    pub playlist_url: Option<String>,
    pub thumbnail_url: Option<String>,
    /// Whether the caller may delete it (the channel's owner, or whoever made it); set on
    /// `GET /api/v1/clips/{id}`, false in lists.
    #[serde(default)]
    pub deletable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ClipPage {
    pub items: Vec<ClipBody>,
    pub next: Option<String>,
}

/// One of a channel's custom emotes: chat shows the image wherever `:code:` appears.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EmoteBody {
    /// 2–24 letters, digits or `_`; case matters.
    pub code: String,
    /// The image, on the site's own origin (`/emotes/…`), cached for good: a new upload gets a
    /// new address.
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub animated: bool,
}

/// Starting to upload a video: `POST /api/v1/videos`. The file then goes straight to storage in
/// parts ([`VideoUpload`] says how to cut it), each to a URL from
/// `POST /api/v1/videos/{id}/upload/parts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewVideo {
    /// 1–100 characters, no control or invisible characters.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*[^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0\s][^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
            min_length = 1,
            max_length = 100
        )
    )]
    pub title: String,
    /// Up to 5,000 characters; line breaks allowed.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[^\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
            max_length = 5000
        )
    )]
    pub description: String,
    /// The file's name on the uploader's machine (1–255 characters), shown to them only.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*[^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0\s][^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
            min_length = 1,
            max_length = 255
        )
    )]
    pub file_name: String,
    /// The file's length: 1 byte to 4 GiB, within the uploader's 20 GiB.
    #[serde(deserialize_with = "whole::u64")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 4294967296u64))]
    pub size_bytes: u64,
    /// For the channel's allowed viewers only.
    #[serde(default)]
    pub private: bool,
}

/// What the uploader changes: `PATCH /api/v1/videos/{id}`; absent members stay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateVideo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*[^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0\s][^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
            min_length = 1,
            max_length = 100
        )
    )]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[^\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
            max_length = 5000
        )
    )]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct VideoBody {
    pub id: String,
    pub channel_handle: String,
    pub owner_nickname: String,
    pub owner_avatar: String,
    pub title: String,
    pub description: String,
    pub private: bool,
    /// Its streamer marked its channel for adult audiences (now): viewers are warned before it plays.
    #[serde(default)]
    pub mature: bool,
    /// `UPLOADING`, `UPLOADED`, `PROCESSING`, `READY` or `FAILED`.
    pub status: String,
    /// 0–100 while processing.
    pub progress: u8,
    /// Why it failed (for the uploader), in English.
    pub failure: Option<String>,
    /// The reason's stable code, for saying it in another language: `unreadable`, `container`,
    /// `no_video`, `video_codec`, `audio_codec`, `picture_size`, `over_4k`, `too_short`,
    /// `too_long`, `not_transcoded`, or `other` (an older reason, only in English).
    pub failure_code: Option<String>,
    /// What the reason names: a codec (`video_codec`, `audio_codec`) or a picture's size `W×H`
    /// (`picture_size`, `over_4k`).
    pub failure_found: Option<String>,
    pub duration_ms: Option<u64>,
    pub created_at: String,
    /// Once ready: play it like a past broadcast's. The URLs carry a grant that expires.
    pub playlist_url: Option<String>,
    pub thumbnail_url: Option<String>,
    /// The uploader's own: the file's name and length (absent for everyone else).
    pub file_name: Option<String>,
    pub size_bytes: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct VideoPage {
    pub items: Vec<VideoBody>,
    pub next: Option<String>,
}

/// How an upload stands: cut the file into `partCount` parts of `partBytes` (the last one
/// shorter), and send those not in `uploadedParts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct VideoUpload {
    pub video: VideoBody,
    pub part_bytes: u64,
    pub part_count: u32,
    pub uploaded_parts: Vec<u32>,
}

/// Parts to send: `POST /api/v1/videos/{id}/upload/parts`, 1–50 part numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PartsWanted {
    #[serde(deserialize_with = "whole::vec_u32")]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 50))]
    pub parts: Vec<u32>,
}

/// Where to `PUT` each part: exactly `sizeBytes` of the file from `(number - 1) × partBytes`.
/// The URLs work for an hour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PartUrls {
    pub parts: Vec<PartUrl>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PartUrl {
    pub number: u32,
    pub size_bytes: u64,
    pub url: String,
}

/// `GET /api/v1/oembed`: what embeds the player of a page a link names, as the oEmbed format
/// (<https://oembed.com>) has it, for the blog engines, note apps and link-preview services that
/// ask. Its field names are oEmbed's (snake_case), not this API's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OEmbedBody {
    /// Always `video`: every page a link may name has a player.
    #[serde(rename = "type")]
    pub kind: String,
    /// `1.0`
    pub version: String,
    pub title: String,
    /// The streamer, and their channel's page.
    pub author_name: String,
    pub author_url: String,
    pub provider_name: String,
    pub provider_url: String,
    /// Seconds the answer may be kept.
    pub cache_age: u32,
    /// The `<iframe>` of the page's player, within the consumer's `maxwidth` and `maxheight`.
    pub html: String,
    pub width: u32,
    pub height: u32,
    /// The streamer's avatar (256 × 256) for a page without a frame of its own (an offline
    /// channel); absent for frames, whose size the API does not know (oEmbed requires one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail_width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail_height: Option<u32>,
}
