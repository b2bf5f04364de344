//! Web Push: the key browsers subscribe with, and the signed-in user's browsers' subscriptions
//! (each browser keeps its own; the app sends it when the user turns push on there).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cloumer_api_types as api;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::params::PushEndpointQuery;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{AppJson, AppQuery, Caller};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(push_key))
        .routes(routes!(subscribe, unsubscribe))
}

/// The VAPID public key to subscribe with.
#[utoipa::path(get, path = "/push/key", tag = "notifications",
    responses((status = 200, body = api::PushKey),
        (status = 404, body = api::ErrorBody, description = "push is not set up on this deployment")))]
pub async fn push_key(State(state): State<AppState>) -> Result<Json<api::PushKey>, ApiError> {
    Ok(Json(api::PushKey {
        public_key: state.platform.push_public_key()?.to_owned(),
    }))
}

/// Keeps this browser's push subscription (again, when the browser renews it). A user keeps
/// ten browsers at most; an eleventh replaces the one subscribed longest ago.
#[utoipa::path(put, path = "/me/push-subscription", tag = "notifications", security(("cognito" = [])),
    request_body = api::NewPushSubscription,
    responses((status = 204),
        (status = 400, body = api::ErrorBody, description = "not an https endpoint on a public host, or keys of the wrong shape"),
        (status = 401, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody, description = "push is not set up on this deployment"),
        (status = 429, body = api::ErrorBody)))]
pub async fn subscribe(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppJson(body): AppJson<api::NewPushSubscription>,
) -> Result<StatusCode, ApiError> {
    state
        .platform
        .subscribe_push(&who, &body.endpoint, &body.keys.p256dh, &body.keys.auth)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Forgets this browser's push subscription (push turned off here).
#[utoipa::path(delete, path = "/me/push-subscription", tag = "notifications", security(("cognito" = [])),
    params(PushEndpointQuery),
    responses((status = 204), (status = 401, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody, description = "no subscription of the caller's has this endpoint"),
        (status = 429, body = api::ErrorBody)))]
pub async fn unsubscribe(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppQuery(query): AppQuery<PushEndpointQuery>,
) -> Result<StatusCode, ApiError> {
    state
        .platform
        .unsubscribe_push(&who, &query.endpoint)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
