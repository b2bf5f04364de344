//! Past broadcasts.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cloumer_api_types as api;
use cloumer_domain::DomainError;
use cloumer_domain::ids::RecordingId;
use cloumer_domain::platform::check_limit;

use super::params::{DEFAULT_LIMIT, HandlePath, MarkerPath, RecordingIdPath, RecordingsQuery};
use crate::error::ApiError;
use crate::extract::{AppJson, AppPath, AppQuery, Caller};
use crate::{AppState, convert, cursor};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Past broadcasts.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(recent))
        .routes(routes!(of_channel))
        .routes(routes!(one))
        .routes(routes!(chat_replay))
        .routes(routes!(markers))
        .routes(routes!(add_marker))
        .routes(routes!(remove_marker, rename_marker))
        .routes(routes!(rename, delete))
        .routes(routes!(summary))
}

/// Recent past broadcasts of every public channel, newest first.
#[utoipa::path(get, path = "/recordings", tag = "recordings", params(RecordingsQuery),
    responses((status = 200, body = api::RecordingPage), (status = 400, body = api::ErrorBody)))]
pub async fn recent(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<RecordingsQuery>,
) -> Result<Json<api::RecordingPage>, ApiError> {
    let limit = check_limit(query.limit.map(|l| l as usize), DEFAULT_LIMIT)?;
    let after = query
        .cursor
        .as_deref()
        .map(cursor::decode_recording)
        .transpose()?;
    let page = state.platform.recent_recordings(after, limit).await?;
    Ok(Json(api::RecordingPage {
        items: page
            .items
            .iter()
            .map(|(r, c)| convert::recording(r, c))
            .collect(),
        next: page.next.as_ref().map(cursor::encode_recording),
    }))
}

/// One channel's past broadcasts, newest first.
#[utoipa::path(get, path = "/channels/{handle}/recordings", tag = "recordings",
    params(HandlePath, RecordingsQuery),
    responses((status = 200, body = api::RecordingPage), (status = 403, body = api::ErrorBody, description = "a private channel the caller may not watch"),
        (status = 404, body = api::ErrorBody)))]
pub async fn of_channel(
    State(state): State<AppState>,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
    AppQuery(query): AppQuery<RecordingsQuery>,
    caller: Option<Caller>,
) -> Result<Json<api::RecordingPage>, ApiError> {
    let limit = check_limit(query.limit.map(|l| l as usize), DEFAULT_LIMIT)?;
    let after = query
        .cursor
        .as_deref()
        .map(cursor::decode_recording)
        .transpose()?;
    let who = caller.as_ref().map(|Caller(who)| &who.user_id);
    let (page, channel) = state
        .platform
        .channel_recordings(&handle, who, after, limit)
        .await?;
    Ok(Json(api::RecordingPage {
        items: page
            .items
            .iter()
            .map(|r| convert::recording(r, &channel))
            .collect(),
        next: page.next.as_ref().map(cursor::encode_recording),
    }))
}

/// One past broadcast.
#[utoipa::path(get, path = "/recordings/{id}", tag = "recordings",
    params(RecordingIdPath),
    responses((status = 200, body = api::RecordingBody), (status = 404, body = api::ErrorBody)))]
pub async fn one(
    State(state): State<AppState>,
    AppPath(RecordingIdPath { id }): AppPath<RecordingIdPath>,
    caller: Option<Caller>,
) -> Result<Json<api::RecordingBody>, ApiError> {
    let id = recording_id(&id)?;
    let who = caller.as_ref().map(|Caller(who)| &who.user_id);
    let (recording, channel) = state.platform.recording(&id, who).await?;
    Ok(Json(api::RecordingBody {
        yours: who.is_some_and(|u| channel.is_owned_by(u)),
        ..convert::recording(&recording, &channel)
    }))
}

/// The moments of a past broadcast its streamer marked while live, in order: chapters to jump
/// to. For whoever may watch the recording.
#[utoipa::path(get, path = "/recordings/{id}/markers", tag = "recordings",
    params(RecordingIdPath),
    responses((status = 200, body = api::MarkerList), (status = 404, body = api::ErrorBody)))]
pub async fn markers(
    State(state): State<AppState>,
    AppPath(RecordingIdPath { id }): AppPath<RecordingIdPath>,
    caller: Option<Caller>,
) -> Result<Json<api::MarkerList>, ApiError> {
    let id = recording_id(&id)?;
    let who = caller.as_ref().map(|Caller(who)| &who.user_id);
    let (recording, _) = state.platform.recording(&id, who).await?;
    Ok(Json(api::MarkerList {
        items: recording.markers.iter().map(convert::marker).collect(),
    }))
}

/// Marks the present moment of the caller's live broadcast (it must be being recorded); its
/// past broadcast lists the marker as a chapter.
#[utoipa::path(post, path = "/me/channel/markers", tag = "recordings", security(("cognito" = [])),
    request_body = api::NewMarker,
    responses((status = 201, body = api::MarkerBody), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody, description = "not live, not recorded, or 50 markers already"),
        (status = 429, body = api::ErrorBody)))]
pub async fn add_marker(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppJson(body): AppJson<api::NewMarker>,
) -> Result<(StatusCode, Json<api::MarkerBody>), ApiError> {
    let marker = state.platform.add_marker(&who, &body.note).await?;
    Ok((StatusCode::CREATED, Json(convert::marker(&marker))))
}

/// Takes a marker made by mistake off the caller's broadcast (live or past).
#[utoipa::path(delete, path = "/me/channel/recordings/{id}/markers/{atMs}", tag = "recordings",
    security(("cognito" = [])), params(MarkerPath),
    responses((status = 204), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody), (status = 404, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody)))]
pub async fn remove_marker(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(MarkerPath { id, at_ms }): AppPath<MarkerPath>,
) -> Result<StatusCode, ApiError> {
    let id = recording_id(&id)?;
    state.platform.remove_marker(&who, &id, at_ms).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Renames a marker of the caller's broadcast (live or past), which stays at its moment.
#[utoipa::path(patch, path = "/me/channel/recordings/{id}/markers/{atMs}", tag = "recordings",
    security(("cognito" = [])), params(MarkerPath),
    request_body = api::NewMarker,
    responses((status = 200, body = api::MarkerBody), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody), (status = 404, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody)))]
pub async fn rename_marker(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(MarkerPath { id, at_ms }): AppPath<MarkerPath>,
    AppJson(body): AppJson<api::NewMarker>,
) -> Result<Json<api::MarkerBody>, ApiError> {
    let id = recording_id(&id)?;
    let marker = state
        .platform
        .rename_marker(&who, &id, at_ms, &body.note)
        .await?;
    Ok(Json(convert::marker(&marker)))
}

/// `?from=&after=&limit=` on a past broadcast's chat.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReplayQuery {
    /// Milliseconds into the video to start from (after a seek); default 0.
    pub from: Option<u64>,
    /// The `next` value of the previous page: the messages after it come next.
    #[param(pattern = r"^[0-9]{1,19}:[A-Za-z0-9._:-]{1,64}$")]
    pub after: Option<String>,
    /// How many messages at most; default 100.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// A past broadcast's chat, oldest first, each message with its moment in the video; deleted
/// messages are left out. For whoever may watch the recording.
#[utoipa::path(get, path = "/recordings/{id}/chat", tag = "recordings",
    params(RecordingIdPath, ReplayQuery),
    responses((status = 200, body = api::ChatReplayPage), (status = 400, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody)))]
pub async fn chat_replay(
    State(state): State<AppState>,
    AppPath(RecordingIdPath { id }): AppPath<RecordingIdPath>,
    AppQuery(query): AppQuery<ReplayQuery>,
    caller: Option<Caller>,
) -> Result<Json<api::ChatReplayPage>, ApiError> {
    let id = recording_id(&id)?;
    let limit = check_limit(query.limit.map(|l| l as usize), 100)?;
    let after = query
        .after
        .as_deref()
        .map(cursor::decode_message)
        .transpose()?;
    let who = caller.as_ref().map(|Caller(who)| &who.user_id);
    let page = state
        .platform
        .chat_replay(&id, who, query.from.unwrap_or(0), after, limit)
        .await?;
    Ok(Json(api::ChatReplayPage {
        items: page
            .items
            .iter()
            .map(|r| api::ReplayedMessageBody {
                message: convert::message(&r.message),
                offset_ms: r.offset_ms,
            })
            .collect(),
        next: page.next.as_ref().map(cursor::encode_message),
    }))
}

/// The owner gives one of their past broadcasts a new title.
#[utoipa::path(patch, path = "/me/channel/recordings/{id}", tag = "recordings", security(("cognito" = [])),
    params(RecordingIdPath), request_body = api::RenameRecording,
    responses((status = 200, body = api::RecordingBody), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody), (status = 404, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody)))]
pub async fn rename(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(RecordingIdPath { id }): AppPath<RecordingIdPath>,
    AppJson(body): AppJson<api::RenameRecording>,
) -> Result<Json<api::RecordingBody>, ApiError> {
    let id = recording_id(&id)?;
    state
        .platform
        .rename_recording(&who, &id, &body.title)
        .await?;
    let (recording, channel) = state.platform.recording(&id, Some(&who.user_id)).await?;
    Ok(Json(api::RecordingBody {
        yours: true,
        ..convert::recording(&recording, &channel)
    }))
}

/// The owner deletes one of their past broadcasts and its files, for good. A broadcast still
/// being recorded cannot be (409). If removing the files fails (500), the broadcast is already
/// gone from every page and asking again removes them.
#[utoipa::path(delete, path = "/me/channel/recordings/{id}", tag = "recordings", security(("cognito" = [])),
    params(RecordingIdPath),
    responses((status = 204), (status = 401, body = api::ErrorBody), (status = 404, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody), (status = 500, body = api::ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(RecordingIdPath { id }): AppPath<RecordingIdPath>,
) -> Result<StatusCode, ApiError> {
    let id = recording_id(&id)?;
    state.platform.delete_recording(&who, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who watched one of the caller's broadcasts (live: so far): peak and average viewers,
/// followers gained, viewers over time. Its owner's only (404 to anyone else, as a missing
/// broadcast); 404 `not_found` too for a broadcast never sampled (under a minute, or from before
/// summaries).
#[utoipa::path(get, path = "/me/channel/recordings/{id}/summary", tag = "recordings", security(("cognito" = [])),
    params(RecordingIdPath),
    responses((status = 200, body = api::StreamSummaryBody), (status = 401, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody)))]
pub async fn summary(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(RecordingIdPath { id }): AppPath<RecordingIdPath>,
) -> Result<Json<api::StreamSummaryBody>, ApiError> {
    let id = recording_id(&id)?;
    let summary = state.platform.stream_summary(&who, &id).await?;
    Ok(Json(convert::stream_summary(summary)))
}

/// A past broadcast's id from the path: one that cannot be an id names no recording (404, as a
/// missing one).
fn recording_id(raw: &str) -> Result<RecordingId, DomainError> {
    RecordingId::parse(raw).map_err(|_| DomainError::NotFound("recording"))
}
