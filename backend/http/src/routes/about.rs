//! The caller's channel's bio and links, which its page shows under the player.

use axum::Json;
use axum::extract::State;
use cloumer_api_types as api;
use cloumer_domain::about::ChannelAbout;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{AppJson, Caller};
use crate::{AppState, convert};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(set_about))
}

/// Replaces the caller's channel's bio and links (both empty: none), answered as kept.
/// With the other changes of channel settings, at most 60 in ten minutes (429).
#[utoipa::path(put, path = "/me/channel/about", tag = "me", security(("cognito" = [])),
    request_body = api::AboutBody,
    responses((status = 200, body = api::AboutBody), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody)))]
pub async fn set_about(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppJson(body): AppJson<api::AboutBody>,
) -> Result<Json<api::AboutBody>, ApiError> {
    let links: Vec<(String, String)> = body
        .links
        .into_iter()
        .map(|link| (link.label, link.url))
        .collect();
    let about = ChannelAbout::new(&body.bio, &links)?;
    let answer = convert::about(&about);
    state.platform.set_about(&who, about).await?;
    Ok(Json(answer))
}
