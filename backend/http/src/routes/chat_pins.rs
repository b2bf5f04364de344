//! The message pinned above a channel's chat: anyone who may watch reads it; the owner and the
//! moderators pin one and take it down.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cloumer_api_types as api;
use cloumer_domain::ids::MessageId;
use cloumer_domain::use_cases::chat_moderation::ChatOf;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::params::HandlePath;
use crate::error::ApiError;
use crate::extract::{AppJson, AppPath, Caller};
use crate::{AppState, convert};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(pinned, pin, unpin))
}

/// The message pinned above the channel's chat (`pinned` is `null` when none is). A chat token
/// carries it too; clients read it here when the room says a message they do not hold was
/// pinned.
#[utoipa::path(get, path = "/channels/{handle}/chat/pin", tag = "chat",
    params(HandlePath),
    responses((status = 200, body = api::ChatPinBody), (status = 403, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody)))]
pub async fn pinned(
    State(state): State<AppState>,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
    caller: Option<Caller>,
) -> Result<Json<api::ChatPinBody>, ApiError> {
    let who = caller.as_ref().map(|Caller(who)| &who.user_id);
    let pinned = state.platform.pinned_message(&handle, who).await?;
    Ok(Json(api::ChatPinBody {
        pinned: pinned.as_ref().map(convert::pinned),
    }))
}

/// Pins a message of the room's history above the chat, in place of the one pinned before (the
/// owner and moderators). The room hears `app:PIN`; a message the history does not hold (never
/// sent, deleted, another room's) is 404.
#[utoipa::path(put, path = "/channels/{handle}/chat/pin", tag = "moderation", security(("cognito" = [])),
    params(HandlePath),
    request_body = api::PinMessageRequest,
    responses((status = 200, body = api::PinnedMessageBody), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody), (status = 403, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody)))]
pub async fn pin(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
    AppJson(body): AppJson<api::PinMessageRequest>,
) -> Result<Json<api::PinnedMessageBody>, ApiError> {
    let id = MessageId::parse(&body.message_id)?;
    let pinned = state
        .platform
        .pin_message(&who, ChatOf::Channel(&handle), &id)
        .await?;
    Ok(Json(convert::pinned(&pinned)))
}

/// Takes the pinned message down (the owner and moderators); the room hears `app:UNPIN`.
/// Nothing pinned is a success too.
#[utoipa::path(delete, path = "/channels/{handle}/chat/pin", tag = "moderation", security(("cognito" = [])),
    params(HandlePath),
    responses((status = 204), (status = 401, body = api::ErrorBody), (status = 403, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody)))]
pub async fn unpin(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
) -> Result<StatusCode, ApiError> {
    state
        .platform
        .unpin_message(&who, ChatOf::Channel(&handle))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
