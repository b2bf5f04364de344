//! Uploaded videos: the uploader starts an upload, gets signed URLs for its parts, completes it
//! (processing starts by itself), follows it, edits and deletes it; viewers watch it and find
//! it on its channel.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cloumer_api_types as api;
use cloumer_domain::DomainError;
use cloumer_domain::ids::VideoId;
use cloumer_domain::platform::check_limit;
use cloumer_domain::use_cases::video_uploads::{NewVideo, UploadState};
use cloumer_domain::use_cases::videos::VideoChange;

use super::params::{ChannelListQuery, DEFAULT_LIMIT, HandlePath, VideoIdPath};
use crate::error::ApiError;
use crate::extract::{AppJson, AppPath, AppQuery, Caller};
use crate::{AppState, convert, cursor};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start_upload))
        .routes(routes!(upload_state))
        .routes(routes!(part_urls))
        .routes(routes!(complete_upload))
        .routes(routes!(one, edit, delete))
        .routes(routes!(of_channel))
}

fn video_id(raw: &str) -> Result<VideoId, DomainError> {
    VideoId::parse(raw).map_err(|_| DomainError::NotFound("video"))
}

fn upload_body(upload: UploadState, who: &cloumer_domain::Identity) -> api::VideoUpload {
    api::VideoUpload {
        video: convert::video(&upload.video, &upload.channel, Some(&who.user_id)),
        part_bytes: upload.part_bytes,
        part_count: upload.part_count,
        uploaded_parts: upload.uploaded,
    }
}

/// A streamer starts uploading a video to their channel (1 byte to 4 GiB, their videos 20 GiB
/// together; at most 20 uploads an hour). Send the parts, then complete it.
#[utoipa::path(post, path = "/videos", tag = "videos", security(("cognito" = [])),
    request_body = api::NewVideo,
    responses((status = 201, body = api::VideoUpload), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody, description = "over the storage quota"),
        (status = 429, body = api::ErrorBody)))]
pub async fn start_upload(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppJson(body): AppJson<api::NewVideo>,
) -> Result<(StatusCode, Json<api::VideoUpload>), ApiError> {
    let upload = state
        .platform
        .start_video_upload(
            &who,
            NewVideo {
                title: body.title,
                description: body.description,
                file_name: body.file_name,
                size_bytes: body.size_bytes,
                private: body.private,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(upload_body(upload, &who))))
}

/// How the caller's upload stands: which parts are in (to resume after a dropped connection or
/// a reload).
#[utoipa::path(get, path = "/videos/{id}/upload", tag = "videos", security(("cognito" = [])),
    params(VideoIdPath),
    responses((status = 200, body = api::VideoUpload), (status = 401, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody)))]
pub async fn upload_state(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(VideoIdPath { id }): AppPath<VideoIdPath>,
) -> Result<Json<api::VideoUpload>, ApiError> {
    let upload = state
        .platform
        .video_upload_state(&who, &video_id(&id)?)
        .await?;
    Ok(Json(upload_body(upload, &who)))
}

/// Signed URLs to `PUT` parts of the caller's upload to, for an hour.
#[utoipa::path(post, path = "/videos/{id}/upload/parts", tag = "videos",
    security(("cognito" = [])), params(VideoIdPath), request_body = api::PartsWanted,
    responses((status = 200, body = api::PartUrls), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody), (status = 404, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody, description = "the file is already uploaded")))]
pub async fn part_urls(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(VideoIdPath { id }): AppPath<VideoIdPath>,
    AppJson(body): AppJson<api::PartsWanted>,
) -> Result<Json<api::PartUrls>, ApiError> {
    let parts = state
        .platform
        .video_part_urls(&who, &video_id(&id)?, &body.parts)
        .await?;
    Ok(Json(api::PartUrls {
        parts: parts
            .into_iter()
            .map(|p| api::PartUrl {
                number: p.number,
                size_bytes: p.size_bytes,
                url: p.url,
            })
            .collect(),
    }))
}

/// Completes the caller's upload once every part is in (409 `upload_incomplete` says which is
/// missing); processing starts, and the video's `status` follows it.
#[utoipa::path(post, path = "/videos/{id}/upload/complete", tag = "videos",
    security(("cognito" = [])), params(VideoIdPath),
    responses((status = 200, body = api::VideoBody), (status = 401, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody), (status = 409, body = api::ErrorBody)))]
pub async fn complete_upload(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(VideoIdPath { id }): AppPath<VideoIdPath>,
) -> Result<Json<api::VideoBody>, ApiError> {
    let (video, channel) = state
        .platform
        .complete_video_upload(&who, &video_id(&id)?)
        .await?;
    Ok(Json(convert::video(&video, &channel, Some(&who.user_id))))
}

/// One video: ready ones for whoever may watch them, any state for its uploader.
#[utoipa::path(get, path = "/videos/{id}", tag = "videos", params(VideoIdPath),
    responses((status = 200, body = api::VideoBody), (status = 404, body = api::ErrorBody)))]
pub async fn one(
    State(state): State<AppState>,
    AppPath(VideoIdPath { id }): AppPath<VideoIdPath>,
    caller: Option<Caller>,
) -> Result<Json<api::VideoBody>, ApiError> {
    let who = caller.as_ref().map(|Caller(who)| &who.user_id);
    let (video, channel) = state.platform.video(&video_id(&id)?, who).await?;
    Ok(Json(convert::video(&video, &channel, who)))
}

/// The uploader changes the title, description or privacy.
#[utoipa::path(patch, path = "/videos/{id}", tag = "videos", security(("cognito" = [])),
    params(VideoIdPath), request_body = api::UpdateVideo,
    responses((status = 200, body = api::VideoBody), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody), (status = 404, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody)))]
pub async fn edit(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(VideoIdPath { id }): AppPath<VideoIdPath>,
    AppJson(body): AppJson<api::UpdateVideo>,
) -> Result<Json<api::VideoBody>, ApiError> {
    let (video, channel) = state
        .platform
        .edit_video(
            &who,
            &video_id(&id)?,
            VideoChange {
                title: body.title,
                description: body.description,
                private: body.private,
            },
        )
        .await?;
    Ok(Json(convert::video(&video, &channel, Some(&who.user_id))))
}

/// The uploader deletes the video and all its files (an unfinished upload is abandoned, a
/// running job stopped).
#[utoipa::path(delete, path = "/videos/{id}", tag = "videos", security(("cognito" = [])),
    params(VideoIdPath),
    responses((status = 204), (status = 401, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(VideoIdPath { id }): AppPath<VideoIdPath>,
) -> Result<StatusCode, ApiError> {
    state.platform.delete_video(&who, &video_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A channel's videos, newest first: ready ones (private ones for its allowed viewers), and for
/// the uploader every one, with its state.
#[utoipa::path(get, path = "/channels/{handle}/videos", tag = "videos",
    params(HandlePath, ChannelListQuery),
    responses((status = 200, body = api::VideoPage), (status = 400, body = api::ErrorBody),
        (status = 403, body = api::ErrorBody, description = "a private channel the caller may not watch"),
        (status = 404, body = api::ErrorBody)))]
pub async fn of_channel(
    State(state): State<AppState>,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
    AppQuery(query): AppQuery<ChannelListQuery>,
    caller: Option<Caller>,
) -> Result<Json<api::VideoPage>, ApiError> {
    let limit = check_limit(query.limit.map(|l| l as usize), DEFAULT_LIMIT)?;
    let after = query
        .cursor
        .as_deref()
        .map(cursor::decode_video)
        .transpose()?;
    let who = caller.as_ref().map(|Caller(who)| &who.user_id);
    let (page, channel) = state
        .platform
        .channel_videos(&handle, who, after, limit)
        .await?;
    Ok(Json(api::VideoPage {
        items: page
            .items
            .iter()
            .map(|v| convert::video(v, &channel, who))
            .collect(),
        next: page.next.as_ref().map(cursor::encode_video),
    }))
}
