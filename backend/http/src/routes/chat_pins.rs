//! The message pinned above a channel's chat: anyone who may watch reads it; the owner and the
//! moderators pin one and take it down.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cloumer_api_types as api;
use cloumer_domain::ids::MessageId;
use cloumer_domain::use_cases::chat_moderation::ChatOf;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::params::HandlePath;
use crate::error::ApiError;
use crate::extract::{AppJson, AppPath, AppQuery, Caller};
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

/// `?messageId=` on taking the pin down.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UnpinQuery {
    /// The pinned message the caller means (the one their page shows): if another was pinned
    /// meanwhile, that one stays and the answer is 409. Without it, whatever is pinned goes.
    #[param(pattern = r"^[A-Za-z0-9._:-]{1,64}$")]
    #[serde(rename = "messageId")]
    pub message_id: Option<String>,
}

/// Takes the pinned message down (the owner and moderators); the room hears `app:UNPIN`.
/// Nothing pinned is a success too.
#[utoipa::path(delete, path = "/channels/{handle}/chat/pin", tag = "moderation", security(("cognito" = [])),
    params(HandlePath, UnpinQuery),
    responses((status = 204), (status = 400, body = api::ErrorBody), (status = 401, body = api::ErrorBody),
        (status = 403, body = api::ErrorBody), (status = 404, body = api::ErrorBody), (status = 409, body = api::ErrorBody)))]
pub async fn unpin(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
    AppQuery(query): AppQuery<UnpinQuery>,
) -> Result<StatusCode, ApiError> {
    let meant = query
        .message_id
        .as_deref()
        .map(MessageId::parse)
        .transpose()?;
    state
        .platform
        .unpin_message(&who, ChatOf::Channel(&handle), meant.as_ref())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
