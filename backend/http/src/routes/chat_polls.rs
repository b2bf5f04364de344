//! Polls in a channel's chat: anyone who may watch reads the latest; the owner and the
//! moderators open one and may end it early; signed-in viewers vote once.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cloumer_api_types as api;
use cloumer_domain::ids::PollId;
use cloumer_domain::use_cases::chat_moderation::ChatOf;
use cloumer_domain::use_cases::chat_polls::PollQuestion;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::params::HandlePath;
use crate::error::ApiError;
use crate::extract::{AppJson, AppPath, Caller};
use crate::{AppState, convert};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(poll, open_poll))
        .routes(routes!(end_poll))
        .routes(routes!(vote))
}

/// The chat's latest poll, open or ended, with each answer's votes and (signed in) the
/// caller's. A chat token carries it while it is news, and the room tells its changes
/// (`app:POLL`, `app:POLL_VOTES`, `app:POLL_END`): clients read it here when a poll closes by
/// itself, for the final count.
#[utoipa::path(get, path = "/channels/{handle}/chat/poll", tag = "chat",
    params(HandlePath),
    responses((status = 200, body = api::ChatPollBody), (status = 403, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody)))]
pub async fn poll(
    State(state): State<AppState>,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
    caller: Option<Caller>,
) -> Result<Json<api::ChatPollBody>, ApiError> {
    let who = caller.as_ref().map(|Caller(who)| &who.user_id);
    let view = state.platform.current_poll(&handle, who).await?;
    Ok(Json(api::ChatPollBody {
        poll: view.as_ref().map(convert::poll),
    }))
}

/// Opens a poll (the owner and moderators; ten a channel in ten minutes). The room hears
/// `app:POLL` with the whole question. While another poll is open: 409 `poll_open`.
#[utoipa::path(post, path = "/channels/{handle}/chat/poll", tag = "moderation", security(("cognito" = [])),
    params(HandlePath),
    request_body = api::OpenPollRequest,
    responses((status = 201, body = api::PollBody), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody), (status = 403, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody), (status = 409, body = api::ErrorBody),
        (status = 429, body = api::ErrorBody)))]
pub async fn open_poll(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
    AppJson(body): AppJson<api::OpenPollRequest>,
) -> Result<(StatusCode, Json<api::PollBody>), ApiError> {
    let asked = PollQuestion {
        question: body.question,
        choices: body.choices,
        duration_seconds: body.duration_seconds,
    };
    let view = state
        .platform
        .open_poll(&who, ChatOf::Channel(&handle), &asked)
        .await?;
    Ok((StatusCode::CREATED, Json(convert::poll(&view))))
}

/// Ends the poll now, with the count as it stands (the owner and moderators); the room hears
/// `app:POLL_END`. A poll over already stays as it ended; another poll than `pollId` is 404.
#[utoipa::path(post, path = "/channels/{handle}/chat/poll/end", tag = "moderation", security(("cognito" = [])),
    params(HandlePath),
    request_body = api::EndPollRequest,
    responses((status = 200, body = api::PollBody), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody), (status = 403, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody)))]
pub async fn end_poll(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
    AppJson(body): AppJson<api::EndPollRequest>,
) -> Result<Json<api::PollBody>, ApiError> {
    let id = PollId::parse(&body.poll_id)?;
    let view = state
        .platform
        .end_poll(&who, ChatOf::Channel(&handle), &id)
        .await?;
    Ok(Json(convert::poll(&view)))
}

/// The caller's vote in the open poll: one each (the same again is a success and changes
/// nothing; another answer is 409 `already_voted`). Not for those banned or timed out of the
/// chat; a poll that ended is 409 `poll_closed`.
#[utoipa::path(put, path = "/channels/{handle}/chat/poll/vote", tag = "chat", security(("cognito" = [])),
    params(HandlePath),
    request_body = api::VoteRequest,
    responses((status = 200, body = api::PollBody), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody), (status = 403, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody), (status = 409, body = api::ErrorBody)))]
pub async fn vote(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
    AppJson(body): AppJson<api::VoteRequest>,
) -> Result<Json<api::PollBody>, ApiError> {
    let id = PollId::parse(&body.poll_id)?;
    let view = state.platform.vote(&who, &handle, &id, body.choice).await?;
    Ok(Json(convert::poll(&view)))
}
