//! Path and query parameters shared by several routes, with the constraints the handlers
//! enforce written into the OpenAPI document (a generated client knows what is valid).

use serde::Deserialize;
use utoipa::IntoParams;

/// `{handle}`: a channel handle, any letter case (`Alice_99` is `alice_99`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct HandlePath {
    /// 3–25 letters, digits and underscores, not starting with an underscore.
    #[param(pattern = r"^[A-Za-z0-9][A-Za-z0-9_]{2,24}$")]
    pub handle: String,
}

/// `{userId}`: a chat user id (a message sender's `userId`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct UserIdPath {
    #[param(pattern = r"^[A-Za-z0-9._:-]{1,128}$")]
    #[serde(rename = "userId")]
    pub user_id: String,
}

/// `{id}`: a chat message's id.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct MessageIdPath {
    #[param(pattern = r"^[A-Za-z0-9._:-]{1,64}$")]
    pub id: String,
}

/// `{handle}` and `{userId}`: a user in a channel's chat.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ChannelUserPath {
    #[param(pattern = r"^[A-Za-z0-9][A-Za-z0-9_]{2,24}$")]
    pub handle: String,
    #[param(pattern = r"^[A-Za-z0-9._:-]{1,128}$")]
    #[serde(rename = "userId")]
    pub user_id: String,
}

/// `{id}`: a recording's id.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct RecordingIdPath {
    #[param(pattern = r"^[A-Za-z0-9._:-]{1,128}$")]
    pub id: String,
}

/// `{id}` and `{atMs}`: a recording's id and one of its markers, named by its moment.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
#[serde(rename_all = "camelCase")]
pub struct MarkerPath {
    #[param(pattern = r"^[A-Za-z0-9._:-]{1,128}$")]
    pub id: String,
    /// Milliseconds from the recording's start (a broadcast lasts at most 48 hours).
    #[param(minimum = 0, maximum = 172_800_000)]
    pub at_ms: u64,
}

/// `{id}`: a clip's id.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ClipIdPath {
    #[param(pattern = r"^[A-Za-z0-9]{2,64}$")]
    pub id: String,
}

/// `{id}`: an uploaded video's id.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct VideoIdPath {
    #[param(pattern = r"^[A-Za-z0-9]{2,64}$")]
    pub id: String,
}

/// `{id}`: a webhook's id.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct WebhookIdPath {
    #[param(pattern = r"^wh[A-Za-z0-9]{16}$")]
    pub id: String,
}

/// `{id}`: a report's id.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ReportIdPath {
    #[param(pattern = r"^rp[A-Za-z0-9]{16}$")]
    pub id: String,
}

/// `?q=&category=&cursor=&limit=` on the directory.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DirectoryQuery {
    /// Words every listed channel has in its title, handle or owner's nickname (any case).
    #[param(
        max_length = 100,
        pattern = r"^[^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$"
    )]
    pub q: Option<String>,
    /// Only channels of this category (any case), e.g. one of `GET /categories`.
    #[param(
        max_length = 40,
        pattern = r"^[^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$"
    )]
    pub category: Option<String>,
    /// Only channels streaming in this language (ISO 639-1), e.g. `ko`; blank filters nothing.
    #[param(pattern = r"^(ar|de|en|es|fr|hi|id|it|ja|ko|ms|nl|pl|pt|ru|sv|th|tl|tr|uk|vi|zh)?$")]
    pub language: Option<String>,
    /// The `next` value of the previous page, as the API gave it.
    #[param(pattern = r"^(L[0-9]{1,9}|O|O[0-9]{1,19}:[A-Za-z0-9._:-]{1,64})$")]
    pub cursor: Option<String>,
    /// How many channels at most; default 24.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// `?cursor=&limit=` on lists of recordings.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RecordingsQuery {
    /// The `next` value of the previous page, as the API gave it.
    #[param(pattern = r"^[0-9]{1,19}:[A-Za-z0-9._:-]{1,128}$")]
    pub cursor: Option<String>,
    /// How many recordings at most; default 24.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// `?cursor=&limit=` on a channel's clips or uploaded videos.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ChannelListQuery {
    /// The `next` value of the previous page, as the API gave it.
    #[param(pattern = r"^[0-9]{1,19}:[A-Za-z0-9]{2,64}$")]
    pub cursor: Option<String>,
    /// How many at most; default 24.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// `?cursor=&limit=` on the caller's own lists (followed channels, notifications) and the
/// staff's open reports.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MyListQuery {
    /// The `next` value of the previous page, as the API gave it.
    #[param(pattern = r"^[0-9]{1,19}:[A-Za-z0-9._:-]{1,64}$")]
    pub cursor: Option<String>,
    /// How many items at most; default 24.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// `?user=&token=`: an unsubscribe link from a go-live email.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UnsubscribeQuery {
    #[param(pattern = r"^[A-Za-z0-9._:-]{1,128}$")]
    pub user: String,
    #[param(pattern = r"^[A-Za-z0-9]{1,64}$")]
    pub token: String,
}

pub const DEFAULT_LIMIT: usize = 24;

/// `?endpoint=`: a browser's push endpoint (the one it subscribed with).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PushEndpointQuery {
    #[param(max_length = 1024)]
    pub endpoint: String,
}
