//! The caller's block list: people whose chat messages they no longer see.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cloumer_api_types as api;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::params::UserIdPath;
use crate::error::ApiError;
use crate::extract::{AppPath, Caller};
use crate::{AppState, convert};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(blocked_users))
        .routes(routes!(block_user, unblock_user))
}

/// Everyone the caller blocked, most recently blocked first, with the names they go by now.
#[utoipa::path(get, path = "/me/blocks", tag = "me", security(("cognito" = [])),
    responses((status = 200, body = api::BlockedUsersBody), (status = 401, body = api::ErrorBody)))]
pub async fn blocked_users(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<api::BlockedUsersBody>, ApiError> {
    let users = state.platform.blocked_users(&who).await?;
    Ok(Json(api::BlockedUsersBody {
        items: users.iter().map(convert::blocked_user).collect(),
    }))
}

/// Blocks a user (a chat message's `userId`): the caller's chat hides what they say. They are
/// not told. Blocking someone already blocked changes nothing.
#[utoipa::path(put, path = "/me/blocks/{userId}", tag = "me", security(("cognito" = [])),
    params(UserIdPath),
    responses((status = 204), (status = 400, body = api::ErrorBody), (status = 401, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody), (status = 409, body = api::ErrorBody), (status = 429, body = api::ErrorBody)))]
pub async fn block_user(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(UserIdPath { user_id }): AppPath<UserIdPath>,
) -> Result<StatusCode, ApiError> {
    state.platform.block_user(&who, &user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Unblocks a user (if they were blocked).
#[utoipa::path(delete, path = "/me/blocks/{userId}", tag = "me", security(("cognito" = [])),
    params(UserIdPath),
    responses((status = 204), (status = 400, body = api::ErrorBody), (status = 401, body = api::ErrorBody),
        (status = 429, body = api::ErrorBody)))]
pub async fn unblock_user(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(UserIdPath { user_id }): AppPath<UserIdPath>,
) -> Result<StatusCode, ApiError> {
    state.platform.unblock_user(&who, &user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
