//! Who is in a channel's chat: clients say they are here (and get the list back) and say when
//! they leave.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cloumer_api_types as api;
use cloumer_domain::presence::{HEARTBEAT, Presence};
use serde::Deserialize;
use utoipa::IntoParams;

use super::params::HandlePath;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{AppPath, AppQuery, Caller, Client};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(here, leave))
}

/// `?session=`: a signed-out reader's session id (the client makes it, random, per page).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SessionQuery {
    /// 16–64 letters and digits; required when signed out, ignored when signed in.
    #[param(pattern = r"^[A-Za-z0-9]{16,64}$")]
    pub session: Option<String>,
}

fn body(presence: &Presence) -> api::PresenceBody {
    api::PresenceBody {
        users: presence
            .users
            .iter()
            .map(|u| api::PresentUserBody {
                user_id: u.user_id.to_string(),
                handle: u.handle.clone(),
                nickname: u.nickname.clone(),
                avatar: u.avatar.clone(),
                role: u.role.clone(),
            })
            .collect(),
        user_count: presence.user_count,
        readers: presence.readers,
        heartbeat_seconds: HEARTBEAT.whole_seconds() as u32,
    }
}

/// Says the caller is in the channel's chat (signed in, or a signed-out reader's `session`) and
/// returns who is there. Send it every `heartbeatSeconds`.
#[utoipa::path(post, path = "/channels/{handle}/presence", tag = "chat",
    params(HandlePath, SessionQuery),
    responses((status = 200, body = api::PresenceBody), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody, description = "signed out and no session"),
        (status = 403, body = api::ErrorBody), (status = 404, body = api::ErrorBody), (status = 429, body = api::ErrorBody)))]
pub async fn here(
    State(state): State<AppState>,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
    AppQuery(query): AppQuery<SessionQuery>,
    Client(client): Client,
    caller: Option<Caller>,
) -> Result<Json<api::PresenceBody>, ApiError> {
    let who = caller.as_ref().map(|Caller(who)| who);
    let presence = state
        .platform
        .here(&handle, who, query.session.as_deref(), client.as_deref())
        .await?;
    Ok(Json(body(&presence)))
}

/// Says the caller left the channel's chat (the page closed).
#[utoipa::path(delete, path = "/channels/{handle}/presence", tag = "chat",
    params(HandlePath, SessionQuery),
    responses((status = 204), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody, description = "signed out and no session"), (status = 404, body = api::ErrorBody)))]
pub async fn leave(
    State(state): State<AppState>,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
    AppQuery(query): AppQuery<SessionQuery>,
    caller: Option<Caller>,
) -> Result<StatusCode, ApiError> {
    let who = caller.as_ref().map(|Caller(who)| who);
    state
        .platform
        .leave(&handle, who, query.session.as_deref())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
