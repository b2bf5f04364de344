//! A channel's custom emotes: the owner uploads an image under a code (or replaces one) and
//! removes it; anyone lists a channel's emotes to show them in its chat.

use axum::Json;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::{StatusCode, header};
use cloumer_api_types as api;
use cloumer_domain::emote::{Emote, MAX_EMOTE_BYTES};
use cloumer_domain::ids::ChannelId;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::params::HandlePath;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{AppPath, Caller};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(channel_emotes)).merge(
        OpenApiRouter::new()
            .routes(routes!(put_emote, remove_emote))
            // An image is larger than the JSON every other request sends.
            .layer(DefaultBodyLimit::max(MAX_EMOTE_BYTES)),
    )
}

/// `{code}`: an emote's code.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct EmoteCodePath {
    /// 2–24 letters, digits or `_`, at least one letter.
    #[param(
        pattern = r"^[A-Za-z0-9_]*[A-Za-z][A-Za-z0-9_]*$",
        min_length = 2,
        max_length = 24
    )]
    pub code: String,
}

fn body(channel: &ChannelId, emote: &Emote) -> api::EmoteBody {
    api::EmoteBody {
        code: emote.code.as_str().to_owned(),
        url: format!("/{}", emote.file_key(channel)),
        width: emote.width,
        height: emote.height,
        animated: emote.animated,
    }
}

/// A channel's emotes, in the order they were added.
#[utoipa::path(get, path = "/channels/{handle}/emotes", tag = "emotes",
    params(HandlePath),
    responses((status = 200, body = Vec<api::EmoteBody>), (status = 404, body = api::ErrorBody)))]
pub async fn channel_emotes(
    State(state): State<AppState>,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
) -> Result<Json<Vec<api::EmoteBody>>, ApiError> {
    let (channel, emotes) = state.platform.channel_emotes(&handle).await?;
    Ok(Json(emotes.iter().map(|e| body(&channel, e)).collect()))
}

/// Uploads the image of the caller's emote `code`, replacing the image of an emote with that
/// code. The body is the file itself: a PNG, GIF or WebP image (animated ones too, at most 200
/// frames) of at most 256 KiB, 16–512 pixels wide and high, its longer side at most three times
/// its shorter. A channel has at most 50 emotes.
#[utoipa::path(put, path = "/me/channel/emotes/{code}", tag = "emotes", security(("cognito" = [])),
    params(EmoteCodePath),
    request_body(description = "The image file.",
        content(("image/png"), ("image/gif"), ("image/webp"), ("application/octet-stream"))),
    responses((status = 200, body = api::EmoteBody), (status = 400, body = api::ErrorBody, description = "not a whole image of an allowed type and size"),
        (status = 401, body = api::ErrorBody), (status = 409, body = api::ErrorBody, description = "50 emotes already"),
        (status = 413, body = api::ErrorBody), (status = 415, body = api::ErrorBody), (status = 429, body = api::ErrorBody)))]
pub async fn put_emote(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(EmoteCodePath { code }): AppPath<EmoteCodePath>,
    EmoteUpload(bytes): EmoteUpload,
) -> Result<Json<api::EmoteBody>, ApiError> {
    let (channel, emote) = state.platform.put_emote(&who, &code, &bytes).await?;
    Ok(Json(body(&channel, &emote)))
}

/// Removes the caller's emote `code`; messages that name it show the text again.
#[utoipa::path(delete, path = "/me/channel/emotes/{code}", tag = "emotes", security(("cognito" = [])),
    params(EmoteCodePath),
    responses((status = 204), (status = 401, body = api::ErrorBody), (status = 404, body = api::ErrorBody)))]
pub async fn remove_emote(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(EmoteCodePath { code }): AppPath<EmoteCodePath>,
) -> Result<StatusCode, ApiError> {
    state.platform.remove_emote(&who, &code).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An emote's file sent as the request body: its bytes, whatever they are (the domain reads
/// them). The declared type must be one an image upload may have, or none: a JSON or form body
/// sent here by mistake is told so instead of being read as a broken image.
pub struct EmoteUpload(pub axum::body::Bytes);

const UPLOAD_TYPES: [&str; 4] = [
    "image/png",
    "image/gif",
    "image/webp",
    "application/octet-stream",
];

impl<S: Send + Sync> FromRequest<S> for EmoteUpload {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let declared = request.headers().get(header::CONTENT_TYPE).map(|value| {
            value
                .to_str()
                .unwrap_or_default()
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
        if let Some(declared) = declared
            && !UPLOAD_TYPES.contains(&declared.as_str())
        {
            return Err(ApiError::Body {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                message: format!(
                    "send the image file itself as the body, with Content-Type {}",
                    UPLOAD_TYPES.join(", ")
                ),
            });
        }
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|rejection| ApiError::Body {
                status: rejection.status(),
                message: if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    format!("an emote file is at most {} KiB", MAX_EMOTE_BYTES / 1024)
                } else {
                    rejection.body_text()
                },
            })?;
        Ok(Self(bytes))
    }
}
