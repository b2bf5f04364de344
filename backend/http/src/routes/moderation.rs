//! Running a chat: deleting messages, timeouts, bans and the moderation log, for a channel's
//! owner (on `/me/channel/…` or their own handle) and its moderators (on the channel's handle);
//! appointing moderators, for the owner.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cloumer_api_types as api;
use cloumer_domain::Identity;
use cloumer_domain::ids::{MessageId, UserId};
use cloumer_domain::use_cases::chat_moderation::{ChatOf, Restriction};
use serde::Deserialize;
use time::Duration;
use utoipa::IntoParams;

use super::params::{ChannelUserPath, HandlePath, MessageIdPath, MyListQuery, UserIdPath};
use crate::error::ApiError;
use crate::extract::{AppJson, AppPath, AppQuery, Caller};
use crate::{AppState, convert, cursor};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Deleting messages, timeouts, bans, the log, and moderators.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(delete_my_message))
        .routes(routes!(my_bans))
        .routes(routes!(ban_in_mine, unban_in_mine))
        .routes(routes!(delete_message))
        .routes(routes!(bans))
        .routes(routes!(ban, unban))
        .routes(routes!(time_out))
        .routes(routes!(moderation_log))
        .routes(routes!(moderators))
        .routes(routes!(appoint_moderator, remove_moderator))
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

/// `{handle}` and `{id}`: a message in a channel's chat.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ChannelMessagePath {
    #[param(pattern = r"^[A-Za-z0-9][A-Za-z0-9_]{2,24}$")]
    pub handle: String,
    #[param(pattern = r"^[A-Za-z0-9._:-]{1,64}$")]
    pub id: String,
}

async fn delete_in(
    state: &AppState,
    who: &Identity,
    of: ChatOf<'_>,
    id: &str,
    query: DeleteQuery,
) -> Result<StatusCode, ApiError> {
    let id = MessageId::parse(id)?;
    let reason = query
        .reason
        .unwrap_or_else(|| "removed by a moderator".to_owned());
    state.platform.delete_message(who, of, &id, &reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn ban_in(
    state: &AppState,
    who: &Identity,
    of: ChatOf<'_>,
    user: &str,
    body: api::BanRequest,
) -> Result<Json<api::BanBody>, ApiError> {
    let target = UserId::parse(user)?;
    let duration = body
        .duration_minutes
        .map(|m| Duration::minutes(i64::from(m)));
    let ban = state
        .platform
        .restrict(
            who,
            of,
            &target,
            Restriction::Ban(duration),
            body.reason.as_deref(),
        )
        .await?;
    Ok(Json(convert::ban(&ban)))
}

async fn unban_in(
    state: &AppState,
    who: &Identity,
    of: ChatOf<'_>,
    user: &str,
) -> Result<StatusCode, ApiError> {
    let target = UserId::parse(user)?;
    state.platform.unban(who, of, &target).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn bans_in(
    state: &AppState,
    who: &Identity,
    of: ChatOf<'_>,
) -> Result<Json<Vec<api::BanBody>>, ApiError> {
    let bans = state.platform.bans(who, of).await?;
    Ok(Json(bans.iter().map(convert::ban).collect()))
}

/// Deletes a message from the caller's chat: it disappears for everyone and from history.
#[utoipa::path(delete, path = "/me/channel/chat/messages/{id}", tag = "moderation", security(("cognito" = [])),
    params(MessageIdPath, DeleteQuery),
    responses((status = 204), (status = 400, body = api::ErrorBody), (status = 401, body = api::ErrorBody)))]
pub async fn delete_my_message(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(MessageIdPath { id }): AppPath<MessageIdPath>,
    AppQuery(query): AppQuery<DeleteQuery>,
) -> Result<StatusCode, ApiError> {
    delete_in(&state, &who, ChatOf::Mine, &id, query).await
}

/// The caller's bans and timeouts still in force, newest first.
#[utoipa::path(get, path = "/me/channel/bans", tag = "moderation", security(("cognito" = [])),
    responses((status = 200, body = Vec<api::BanBody>), (status = 401, body = api::ErrorBody)))]
pub async fn my_bans(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<Vec<api::BanBody>>, ApiError> {
    bans_in(&state, &who, ChatOf::Mine).await
}

/// Bans a user from the caller's chat (for a while, or for good) and disconnects them.
#[utoipa::path(put, path = "/me/channel/bans/{userId}", tag = "moderation", security(("cognito" = [])),
    params(UserIdPath),
    request_body = api::BanRequest,
    responses((status = 200, body = api::BanBody), (status = 400, body = api::ErrorBody), (status = 401, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody, description = "the caller's own id: nobody bans themselves")))]
pub async fn ban_in_mine(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(UserIdPath { user_id }): AppPath<UserIdPath>,
    AppJson(body): AppJson<api::BanRequest>,
) -> Result<Json<api::BanBody>, ApiError> {
    ban_in(&state, &who, ChatOf::Mine, &user_id, body).await
}

/// Lifts a ban or a timeout in the caller's chat.
#[utoipa::path(delete, path = "/me/channel/bans/{userId}", tag = "moderation", security(("cognito" = [])),
    params(UserIdPath),
    responses((status = 204), (status = 401, body = api::ErrorBody), (status = 404, body = api::ErrorBody)))]
pub async fn unban_in_mine(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(UserIdPath { user_id }): AppPath<UserIdPath>,
) -> Result<StatusCode, ApiError> {
    unban_in(&state, &who, ChatOf::Mine, &user_id).await
}

/// Deletes a message from a channel's chat (its owner or a moderator; a moderator cannot delete
/// the owner's or another moderator's messages).
#[utoipa::path(delete, path = "/channels/{handle}/chat/messages/{id}", tag = "moderation", security(("cognito" = [])),
    params(ChannelMessagePath, DeleteQuery),
    responses((status = 204), (status = 400, body = api::ErrorBody), (status = 401, body = api::ErrorBody),
        (status = 403, body = api::ErrorBody), (status = 404, body = api::ErrorBody)))]
pub async fn delete_message(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(ChannelMessagePath { handle, id }): AppPath<ChannelMessagePath>,
    AppQuery(query): AppQuery<DeleteQuery>,
) -> Result<StatusCode, ApiError> {
    delete_in(&state, &who, ChatOf::Channel(&handle), &id, query).await
}

/// The bans and timeouts in force in a channel's chat, newest first (owner and moderators).
#[utoipa::path(get, path = "/channels/{handle}/bans", tag = "moderation", security(("cognito" = [])),
    params(HandlePath),
    responses((status = 200, body = Vec<api::BanBody>), (status = 401, body = api::ErrorBody),
        (status = 403, body = api::ErrorBody), (status = 404, body = api::ErrorBody)))]
pub async fn bans(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
) -> Result<Json<Vec<api::BanBody>>, ApiError> {
    bans_in(&state, &who, ChatOf::Channel(&handle)).await
}

/// Bans a user from a channel's chat and disconnects them (owner and moderators; nobody bans
/// the owner, and moderators do not ban moderators).
#[utoipa::path(put, path = "/channels/{handle}/bans/{userId}", tag = "moderation", security(("cognito" = [])),
    params(ChannelUserPath),
    request_body = api::BanRequest,
    responses((status = 200, body = api::BanBody), (status = 400, body = api::ErrorBody), (status = 401, body = api::ErrorBody),
        (status = 403, body = api::ErrorBody), (status = 404, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody, description = "the caller's own id")))]
pub async fn ban(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(ChannelUserPath { handle, user_id }): AppPath<ChannelUserPath>,
    AppJson(body): AppJson<api::BanRequest>,
) -> Result<Json<api::BanBody>, ApiError> {
    ban_in(&state, &who, ChatOf::Channel(&handle), &user_id, body).await
}

/// Lifts a ban or a timeout in a channel's chat (owner and moderators).
#[utoipa::path(delete, path = "/channels/{handle}/bans/{userId}", tag = "moderation", security(("cognito" = [])),
    params(ChannelUserPath),
    responses((status = 204), (status = 400, body = api::ErrorBody), (status = 401, body = api::ErrorBody),
        (status = 403, body = api::ErrorBody), (status = 404, body = api::ErrorBody)))]
pub async fn unban(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(ChannelUserPath { handle, user_id }): AppPath<ChannelUserPath>,
) -> Result<StatusCode, ApiError> {
    unban_in(&state, &who, ChatOf::Channel(&handle), &user_id).await
}

/// Times a user out of a channel's chat for 1 minute to 24 hours: they read on, and nothing
/// they send is delivered until it ends (owner and moderators).
#[utoipa::path(put, path = "/channels/{handle}/timeouts/{userId}", tag = "moderation", security(("cognito" = [])),
    params(ChannelUserPath),
    request_body = api::TimeoutRequest,
    responses((status = 200, body = api::BanBody), (status = 400, body = api::ErrorBody), (status = 401, body = api::ErrorBody),
        (status = 403, body = api::ErrorBody), (status = 404, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody, description = "the caller's own id")))]
pub async fn time_out(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(ChannelUserPath { handle, user_id }): AppPath<ChannelUserPath>,
    AppJson(body): AppJson<api::TimeoutRequest>,
) -> Result<Json<api::BanBody>, ApiError> {
    let target = UserId::parse(&user_id)?;
    let duration = Duration::minutes(i64::from(body.duration_minutes));
    let ban = state
        .platform
        .restrict(
            &who,
            ChatOf::Channel(&handle),
            &target,
            Restriction::Timeout(duration),
            body.reason.as_deref(),
        )
        .await?;
    Ok(Json(convert::ban(&ban)))
}

/// Who deleted, timed out, banned or appointed whom in a channel's chat, newest first, kept 90
/// days (owner and moderators).
#[utoipa::path(get, path = "/channels/{handle}/moderation-log", tag = "moderation", security(("cognito" = [])),
    params(HandlePath, MyListQuery),
    responses((status = 200, body = api::ModerationLogPage), (status = 400, body = api::ErrorBody), (status = 401, body = api::ErrorBody),
        (status = 403, body = api::ErrorBody), (status = 404, body = api::ErrorBody)))]
pub async fn moderation_log(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
    AppQuery(query): AppQuery<MyListQuery>,
) -> Result<Json<api::ModerationLogPage>, ApiError> {
    let before = query
        .cursor
        .as_deref()
        .map(cursor::decode_moderation)
        .transpose()?;
    let page = state
        .platform
        .moderation_log(
            &who,
            ChatOf::Channel(&handle),
            before.as_ref(),
            query.limit.map(|l| l as usize),
        )
        .await?;
    Ok(Json(api::ModerationLogPage {
        items: page.items.iter().map(convert::moderation_entry).collect(),
        next: page.next.as_ref().map(cursor::encode_moderation),
    }))
}

/// The caller's moderators, in the order they were appointed.
#[utoipa::path(get, path = "/me/channel/moderators", tag = "moderation", security(("cognito" = [])),
    responses((status = 200, body = Vec<api::ModeratorBody>), (status = 401, body = api::ErrorBody)))]
pub async fn moderators(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<Vec<api::ModeratorBody>>, ApiError> {
    let list = state.platform.moderators(&who).await?;
    Ok(Json(list.iter().map(convert::moderator).collect()))
}

/// Makes the user with this channel handle a moderator of the caller's chat (idempotent; at
/// most 50). Their chat tokens carry `DELETE_MESSAGE` and `DISCONNECT_USER` from then on.
#[utoipa::path(put, path = "/me/channel/moderators/{handle}", tag = "moderation", security(("cognito" = [])),
    params(HandlePath),
    responses((status = 200, body = api::ModeratorBody), (status = 401, body = api::ErrorBody), (status = 404, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody, description = "the caller's own handle, or 50 moderators already")))]
pub async fn appoint_moderator(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
) -> Result<Json<api::ModeratorBody>, ApiError> {
    let moderator = state.platform.appoint_moderator(&who, &handle).await?;
    Ok(Json(convert::moderator(&moderator)))
}

/// Takes the moderator role back.
#[utoipa::path(delete, path = "/me/channel/moderators/{handle}", tag = "moderation", security(("cognito" = [])),
    params(HandlePath),
    responses((status = 204), (status = 401, body = api::ErrorBody), (status = 404, body = api::ErrorBody)))]
pub async fn remove_moderator(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
) -> Result<StatusCode, ApiError> {
    state.platform.remove_moderator(&who, &handle).await?;
    Ok(StatusCode::NO_CONTENT)
}
