//! Clips: made from a past broadcast or a live one, watched, listed on their channel, deleted.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cloumer_api_types as api;
use cloumer_domain::DomainError;
use cloumer_domain::ids::{ClipId, RecordingId};
use cloumer_domain::platform::check_limit;

use super::params::{ChannelListQuery, ClipIdPath, DEFAULT_LIMIT, HandlePath, RecordingIdPath};
use crate::error::ApiError;
use crate::extract::{AppJson, AppPath, AppQuery, Caller};
use crate::{AppState, convert, cursor};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(clip_recording))
        .routes(routes!(clip_live, of_channel))
        .routes(routes!(one, delete))
}

/// A signed-in viewer who may watch the channel clips 5–60 s of a past broadcast; the clip
/// plays at once. At most 10 clips per user in 10 minutes (429).
#[utoipa::path(post, path = "/recordings/{id}/clips", tag = "clips", security(("cognito" = [])),
    params(RecordingIdPath), request_body = api::ClipRecording,
    responses((status = 201, body = api::ClipBody), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody), (status = 404, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody, description = "the broadcast is still being recorded"),
        (status = 429, body = api::ErrorBody)))]
pub async fn clip_recording(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(RecordingIdPath { id }): AppPath<RecordingIdPath>,
    AppJson(body): AppJson<api::ClipRecording>,
) -> Result<(StatusCode, Json<api::ClipBody>), ApiError> {
    let id = RecordingId::parse(&id).map_err(|_| DomainError::NotFound("recording"))?;
    let clip = state
        .platform
        .clip_recording(
            &who,
            &id,
            &body.title,
            u64::from(body.start_ms),
            u64::from(body.end_ms),
        )
        .await?;
    created(&state, &clip.id, &who).await
}

/// A signed-in viewer clips the last 30 s of the channel's live broadcast. It is cut from the
/// broadcast's recording, so it is `PENDING` until the broadcast ends (409 if the channel does
/// not record, or is not live).
#[utoipa::path(post, path = "/channels/{handle}/clips", tag = "clips", security(("cognito" = [])),
    params(HandlePath), request_body = api::ClipLive,
    responses((status = 201, body = api::ClipBody), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody), (status = 403, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody), (status = 409, body = api::ErrorBody),
        (status = 429, body = api::ErrorBody)))]
pub async fn clip_live(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
    AppJson(body): AppJson<api::ClipLive>,
) -> Result<(StatusCode, Json<api::ClipBody>), ApiError> {
    let clip = state.platform.clip_live(&who, &handle, &body.title).await?;
    created(&state, &clip.id, &who).await
}

async fn created(
    state: &AppState,
    id: &ClipId,
    who: &cloumer_domain::Identity,
) -> Result<(StatusCode, Json<api::ClipBody>), ApiError> {
    let (clip, channel) = state.platform.clip(id, Some(&who.user_id)).await?;
    Ok((
        StatusCode::CREATED,
        Json(api::ClipBody {
            deletable: true,
            ..convert::clip(&clip, &channel)
        }),
    ))
}

/// One channel's clips, newest first.
#[utoipa::path(get, path = "/channels/{handle}/clips", tag = "clips",
    params(HandlePath, ChannelListQuery),
    responses((status = 200, body = api::ClipPage), (status = 400, body = api::ErrorBody),
        (status = 403, body = api::ErrorBody, description = "a private channel the caller may not watch"),
        (status = 404, body = api::ErrorBody)))]
pub async fn of_channel(
    State(state): State<AppState>,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
    AppQuery(query): AppQuery<ChannelListQuery>,
    caller: Option<Caller>,
) -> Result<Json<api::ClipPage>, ApiError> {
    let limit = check_limit(query.limit.map(|l| l as usize), DEFAULT_LIMIT)?;
    let after = query
        .cursor
        .as_deref()
        .map(cursor::decode_clip)
        .transpose()?;
    let who = caller.as_ref().map(|Caller(who)| &who.user_id);
    let (page, channel) = state
        .platform
        .channel_clips(&handle, who, after, limit)
        .await?;
    Ok(Json(api::ClipPage {
        items: page
            .items
            .iter()
            .map(|c| convert::clip(c, &channel))
            .collect(),
        next: page.next.as_ref().map(cursor::encode_clip),
    }))
}

/// One clip.
#[utoipa::path(get, path = "/clips/{id}", tag = "clips", params(ClipIdPath),
    responses((status = 200, body = api::ClipBody), (status = 404, body = api::ErrorBody)))]
pub async fn one(
    State(state): State<AppState>,
    AppPath(ClipIdPath { id }): AppPath<ClipIdPath>,
    caller: Option<Caller>,
) -> Result<Json<api::ClipBody>, ApiError> {
    let id = ClipId::parse(&id).map_err(|_| DomainError::NotFound("clip"))?;
    let who = caller.as_ref().map(|Caller(who)| &who.user_id);
    let (clip, channel) = state.platform.clip(&id, who).await?;
    Ok(Json(api::ClipBody {
        deletable: who.is_some_and(|u| channel.is_owned_by(u) || clip.clipper == *u),
        ..convert::clip(&clip, &channel)
    }))
}

/// The channel's owner deletes any of its clips, a clipper their own: the clip's playlists go,
/// the broadcast stays.
#[utoipa::path(delete, path = "/clips/{id}", tag = "clips", security(("cognito" = [])),
    params(ClipIdPath),
    responses((status = 204), (status = 401, body = api::ErrorBody), (status = 403, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(ClipIdPath { id }): AppPath<ClipIdPath>,
) -> Result<StatusCode, ApiError> {
    let id = ClipId::parse(&id).map_err(|_| DomainError::NotFound("clip"))?;
    state.platform.delete_clip(&who, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
