//! Who is talking: a chatter's card, opened from their name on a message.

use axum::Json;
use axum::extract::State;
use cloumer_api_types as api;
use cloumer_domain::DomainError;
use cloumer_domain::ids::UserId;

use super::params::ChannelUserPath;
use crate::error::ApiError;
use crate::extract::{AppPath, Caller};
use crate::{AppState, convert};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(chatter_card))
}

/// Someone in a channel's chat: their name, picture and channel, when they joined and since
/// when they follow this channel; to the channel's owner and moderators also a ban or timeout in
/// force. For anyone who may watch the channel (403 for a private one); 404 for a user that is
/// not there.
#[utoipa::path(get, path = "/channels/{handle}/chatters/{userId}", tag = "chat",
    params(ChannelUserPath),
    responses((status = 200, body = api::ChatterCard), (status = 401, body = api::ErrorBody),
        (status = 403, body = api::ErrorBody), (status = 404, body = api::ErrorBody)))]
pub async fn chatter_card(
    State(state): State<AppState>,
    AppPath(ChannelUserPath { handle, user_id }): AppPath<ChannelUserPath>,
    caller: Option<Caller>,
) -> Result<Json<api::ChatterCard>, ApiError> {
    // An id that cannot be anyone's is nobody's: not found, as for any other unknown user.
    let user = UserId::parse(&user_id).map_err(|_| DomainError::NotFound("user"))?;
    let who = caller.as_ref().map(|Caller(who)| &who.user_id);
    let card = state.platform.chatter_card(who, &handle, &user).await?;
    Ok(Json(convert::chatter_card(&card)))
}
