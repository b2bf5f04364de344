//! Following channels: follow and unfollow a channel, the caller's followed channels, and who
//! follows the caller's channel.

use axum::Json;
use axum::extract::State;
use cloumer_api_types as api;
use cloumer_domain::platform::check_limit;

use super::params::{DEFAULT_LIMIT, HandlePath, MyListQuery};
use crate::error::ApiError;
use crate::extract::{AppJson, AppPath, AppQuery, Caller};
use crate::{AppState, convert, cursor};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Follow, unfollow, and the caller's "Following" list.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(follow, unfollow, update_follow))
        .routes(routes!(following))
        .routes(routes!(followers))
}

/// Who follows the caller's channel, most recent first, with their names and channels.
#[utoipa::path(get, path = "/me/channel/followers", tag = "follows", security(("cognito" = [])),
    params(MyListQuery),
    responses((status = 200, body = api::FollowerPage), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody)))]
pub async fn followers(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppQuery(query): AppQuery<MyListQuery>,
) -> Result<Json<api::FollowerPage>, ApiError> {
    let limit = check_limit(query.limit.map(|l| l as usize), DEFAULT_LIMIT)?;
    let after = query
        .cursor
        .as_deref()
        .map(cursor::decode_follower)
        .transpose()?;
    let page = state
        .platform
        .my_followers(&who, after.as_ref(), limit)
        .await?;
    Ok(Json(api::FollowerPage {
        items: page.items.iter().map(convert::follower).collect(),
        next: page.next.as_ref().map(cursor::encode_follower),
    }))
}

/// Follows a channel (following it again changes nothing).
#[utoipa::path(put, path = "/channels/{handle}/follow", tag = "follows", security(("cognito" = [])),
    params(HandlePath),
    responses((status = 200, body = api::FollowBody), (status = 401, body = api::ErrorBody),
        (status = 403, body = api::ErrorBody, description = "a private channel the caller may not watch"),
        (status = 404, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody, description = "the caller's own channel, or too many followed channels"),
        (status = 429, body = api::ErrorBody)))]
pub async fn follow(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
) -> Result<Json<api::FollowBody>, ApiError> {
    let status = state.platform.follow(&who, &handle).await?;
    Ok(Json(convert::follow(status)))
}

/// Stops following a channel (if the caller did).
#[utoipa::path(delete, path = "/channels/{handle}/follow", tag = "follows", security(("cognito" = [])),
    params(HandlePath),
    responses((status = 200, body = api::FollowBody), (status = 401, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody), (status = 429, body = api::ErrorBody)))]
pub async fn unfollow(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
) -> Result<Json<api::FollowBody>, ApiError> {
    let status = state.platform.unfollow(&who, &handle).await?;
    Ok(Json(convert::follow(status)))
}

/// Turns notifications of a followed channel on or off.
#[utoipa::path(patch, path = "/channels/{handle}/follow", tag = "follows", security(("cognito" = [])),
    params(HandlePath), request_body = api::FollowSettings,
    responses((status = 200, body = api::FollowBody), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody, description = "no such channel, or the caller does not follow it"),
        (status = 429, body = api::ErrorBody)))]
pub async fn update_follow(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
    AppJson(body): AppJson<api::FollowSettings>,
) -> Result<Json<api::FollowBody>, ApiError> {
    let status = state
        .platform
        .set_follow_notify(&who, &handle, body.notify)
        .await?;
    Ok(Json(convert::follow(status)))
}

/// The channels the caller follows, most recently followed first; the first page also lists the
/// live ones.
#[utoipa::path(get, path = "/me/following", tag = "follows", security(("cognito" = [])),
    params(MyListQuery),
    responses((status = 200, body = api::FollowingPage), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody)))]
pub async fn following(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppQuery(query): AppQuery<MyListQuery>,
) -> Result<Json<api::FollowingPage>, ApiError> {
    let limit = check_limit(query.limit.map(|l| l as usize), DEFAULT_LIMIT)?;
    let after = query
        .cursor
        .as_deref()
        .map(|c| cursor::decode_following(c, &who.user_id))
        .transpose()?;
    let following = state.platform.following(&who, after, limit).await?;
    Ok(Json(api::FollowingPage {
        live: following.live.iter().map(convert::summary).collect(),
        items: following.page.items.iter().map(convert::summary).collect(),
        next: following.page.next.as_ref().map(cursor::encode_following),
        coming_up: following
            .coming_up
            .iter()
            .map(|plan| {
                let stream = convert::planned_stream(&plan.stream);
                api::FollowedPlanBody {
                    handle: plan.channel.handle.to_string(),
                    owner_nickname: plan.channel.owner_nickname.as_str().to_owned(),
                    owner_avatar: plan.channel.owner_avatar.as_str().to_owned(),
                    starts_at: stream.starts_at,
                    ends_at: stream.ends_at,
                    title: stream.title,
                }
            })
            .collect(),
    }))
}
