//! Shield mode on a channel's chat: the owner and the moderators raise it on a room under attack
//! and lower it when the attack is over. Everyone learns it with their chat token.

use axum::Json;
use axum::extract::State;
use cloumer_api_types as api;
use cloumer_domain::use_cases::chat_moderation::ChatOf;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::params::HandlePath;
use crate::error::ApiError;
use crate::extract::{AppJson, AppPath, Caller};
use crate::{AppState, convert};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(set_shield))
}

/// Raises shield mode (`raised: true`): viewers must have followed for 10 minutes, have an
/// account a day old, wait 30 seconds between messages, send no links and no repeats, each rule
/// kept where the room already asks more. Lowering it returns the viewers' rules from before (a
/// word filter or room limits changed meanwhile stay). The owner and moderators; the room hears
/// `app:CHAT_RULES` with `Shield`. Doing what is done already changes nothing.
#[utoipa::path(put, path = "/channels/{handle}/chat/shield", tag = "moderation", security(("cognito" = [])),
    params(HandlePath),
    request_body = api::ShieldRequest,
    responses((status = 200, body = api::ShieldBody), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody), (status = 403, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody), (status = 429, body = api::ErrorBody)))]
pub async fn set_shield(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
    AppJson(body): AppJson<api::ShieldRequest>,
) -> Result<Json<api::ShieldBody>, ApiError> {
    let channel = state
        .platform
        .set_shield(&who, ChatOf::Channel(&handle), body.raised)
        .await?;
    Ok(Json(convert::shield(&channel)))
}
