//! The owner's moderation of their chat: deleting messages, bans.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cloumer_api_types as api;
use cloumer_domain::ids::{MessageId, UserId};
use serde::Deserialize;
use time::Duration;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::extract::{AppJson, AppPath, AppQuery, Caller};
use crate::{AppState, convert};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Deleting messages and bans in the caller's chat.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(delete_message))
        .routes(routes!(bans))
        .routes(routes!(ban, unban))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DeleteQuery {
    /// Shown to the room; 1–256 characters.
    pub reason: Option<String>,
}

/// Deletes a message from the caller's chat: it disappears for everyone and from history.
#[utoipa::path(delete, path = "/me/channel/chat/messages/{id}", tag = "moderation", security(("cognito" = [])),
    params(("id" = String, Path, description = "the message id"), DeleteQuery),
    responses((status = 204), (status = 400, body = api::ErrorBody), (status = 401, body = api::ErrorBody)))]
pub async fn delete_message(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(id): AppPath<String>,
    AppQuery(query): AppQuery<DeleteQuery>,
) -> Result<StatusCode, ApiError> {
    let id = MessageId::parse(&id)?;
    let reason = query
        .reason
        .unwrap_or_else(|| "removed by a moderator".to_owned());
    state.platform.delete_message(&who, &id, &reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's bans still in force, newest first.
#[utoipa::path(get, path = "/me/channel/bans", tag = "moderation", security(("cognito" = [])),
    responses((status = 200, body = Vec<api::BanBody>), (status = 401, body = api::ErrorBody)))]
pub async fn bans(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<Vec<api::BanBody>>, ApiError> {
    let bans = state.platform.bans(&who).await?;
    Ok(Json(bans.iter().map(convert::ban).collect()))
}

/// Bans a user from the caller's chat (for a while, or for good) and disconnects them.
#[utoipa::path(put, path = "/me/channel/bans/{userId}", tag = "moderation", security(("cognito" = [])),
    params(("userId" = String, Path, description = "the chat user id (the message sender's userId)")),
    request_body = api::BanRequest,
    responses((status = 200, body = api::BanBody), (status = 400, body = api::ErrorBody), (status = 401, body = api::ErrorBody)))]
pub async fn ban(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(user): AppPath<String>,
    AppJson(body): AppJson<api::BanRequest>,
) -> Result<Json<api::BanBody>, ApiError> {
    let target = UserId::parse(&user)?;
    let duration = body
        .duration_minutes
        .map(|m| Duration::minutes(i64::from(m)));
    let ban = state
        .platform
        .ban(&who, &target, duration, body.reason.as_deref())
        .await?;
    Ok(Json(convert::ban(&ban)))
}

/// Lifts a ban.
#[utoipa::path(delete, path = "/me/channel/bans/{userId}", tag = "moderation", security(("cognito" = [])),
    params(("userId" = String, Path)),
    responses((status = 204), (status = 401, body = api::ErrorBody), (status = 404, body = api::ErrorBody)))]
pub async fn unban(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(user): AppPath<String>,
) -> Result<StatusCode, ApiError> {
    let target = UserId::parse(&user)?;
    state.platform.unban(&who, &target).await?;
    Ok(StatusCode::NO_CONTENT)
}
