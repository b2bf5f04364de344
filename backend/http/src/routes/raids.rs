//! Raids: a live streamer sends the people watching to another live channel.

use axum::Json;
use axum::extract::State;
use cloumer_api_types as api;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{AppJson, Caller};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(raid))
}

/// Sends the caller's viewers to another channel: their pages move there, and its chat hears
/// who is coming with how many. 409 when the caller or the other channel is not live, it is
/// private or it is the caller's own; 429 past a few raids in ten minutes.
#[utoipa::path(post, path = "/me/channel/raid", tag = "me", security(("cognito" = [])),
    request_body = api::StartRaid,
    responses((status = 200, body = api::RaidBody), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody), (status = 404, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody), (status = 429, body = api::ErrorBody)))]
pub async fn raid(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppJson(body): AppJson<api::StartRaid>,
) -> Result<Json<api::RaidBody>, ApiError> {
    let raid = state.platform.raid(&who, &body.handle).await?;
    Ok(Json(api::RaidBody {
        handle: raid.target.handle.as_str().to_owned(),
        nickname: raid.target.owner_nickname.as_str().to_owned(),
        viewer_count: raid.viewers,
    }))
}
