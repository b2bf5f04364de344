//! Past broadcasts.

use axum::Json;
use axum::extract::State;
use cloumer_api_types as api;
use cloumer_domain::DomainError;
use cloumer_domain::ids::RecordingId;
use cloumer_domain::platform::check_limit;

use super::params::{DEFAULT_LIMIT, HandlePath, RecordingIdPath, RecordingsQuery};
use crate::error::ApiError;
use crate::extract::{AppPath, AppQuery, Caller};
use crate::{AppState, convert, cursor};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Past broadcasts.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(recent))
        .routes(routes!(of_channel))
        .routes(routes!(one))
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
    let id = RecordingId::parse(&id).map_err(|_| DomainError::NotFound("recording"))?;
    let who = caller.as_ref().map(|Caller(who)| &who.user_id);
    let (recording, channel) = state.platform.recording(&id, who).await?;
    Ok(Json(convert::recording(&recording, &channel)))
}
