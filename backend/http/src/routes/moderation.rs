//! The owner's moderation of their chat: deleting messages, bans.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cloumer_api_types as api;
use cloumer_domain::ids::{MessageId, UserId};
use serde::Deserialize;
use time::Duration;
use utoipa::IntoParams;

use super::params::{MessageIdPath, UserIdPath};
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
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeleteQuery {
    /// Shown to the room; 1–256 characters.
    #[param(
        pattern = r"^[ \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^ \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0][^\x00-\x1F\x7F-\x9F\xAD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]*$",
        max_length = 256
    )]
    pub reason: Option<String>,
}

/// Deletes a message from the caller's chat: it disappears for everyone and from history.
#[utoipa::path(delete, path = "/me/channel/chat/messages/{id}", tag = "moderation", security(("cognito" = [])),
    params(MessageIdPath, DeleteQuery),
    responses((status = 204), (status = 400, body = api::ErrorBody), (status = 401, body = api::ErrorBody)))]
pub async fn delete_message(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(MessageIdPath { id }): AppPath<MessageIdPath>,
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
    params(UserIdPath),
    request_body = api::BanRequest,
    responses((status = 200, body = api::BanBody), (status = 400, body = api::ErrorBody), (status = 401, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody, description = "the caller's own id: nobody bans themselves")))]
pub async fn ban(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(UserIdPath { user_id: user }): AppPath<UserIdPath>,
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
    params(UserIdPath),
    responses((status = 204), (status = 401, body = api::ErrorBody), (status = 404, body = api::ErrorBody)))]
pub async fn unban(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(UserIdPath { user_id: user }): AppPath<UserIdPath>,
) -> Result<StatusCode, ApiError> {
    let target = UserId::parse(&user)?;
    state.platform.unban(&who, &target).await?;
    Ok(StatusCode::NO_CONTENT)
}
