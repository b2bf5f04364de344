//! The streamer's webhooks: the URLs their channel calls when it goes live.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cloumer_api_types as api;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::params::WebhookIdPath;
use crate::error::ApiError;
use crate::extract::{AppJson, AppPath, Caller};
use crate::{AppState, convert};

/// Listing, adding and removing the caller's channel's webhooks.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(webhooks, add_webhook))
        .routes(routes!(remove_webhook))
}

/// The caller's channel's webhooks, oldest first, each with how its latest delivery went.
#[utoipa::path(get, path = "/me/channel/webhooks", tag = "webhooks", security(("cognito" = [])),
    responses((status = 200, body = Vec<api::WebhookBody>), (status = 401, body = api::ErrorBody)))]
pub async fn webhooks(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<Vec<api::WebhookBody>>, ApiError> {
    let webhooks = state.platform.webhooks(&who).await?;
    Ok(Json(webhooks.iter().map(convert::webhook).collect()))
}

/// Adds a webhook; the answer holds its signing secret, which is not shown again.
#[utoipa::path(post, path = "/me/channel/webhooks", tag = "webhooks", security(("cognito" = [])),
    request_body = api::NewWebhook,
    responses((status = 201, body = api::CreatedWebhook),
        (status = 400, body = api::ErrorBody, description = "not an https URL to a public host"),
        (status = 401, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody, description = "the channel has five webhooks already"),
        (status = 429, body = api::ErrorBody)))]
pub async fn add_webhook(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppJson(body): AppJson<api::NewWebhook>,
) -> Result<(StatusCode, Json<api::CreatedWebhook>), ApiError> {
    let webhook = state.platform.add_webhook(&who, &body.url).await?;
    Ok((
        StatusCode::CREATED,
        Json(api::CreatedWebhook {
            webhook: convert::webhook(&webhook),
            secret: webhook.secret,
        }),
    ))
}

/// Removes a webhook.
#[utoipa::path(delete, path = "/me/channel/webhooks/{id}", tag = "webhooks", security(("cognito" = [])),
    params(WebhookIdPath),
    responses((status = 204), (status = 401, body = api::ErrorBody), (status = 404, body = api::ErrorBody),
        (status = 429, body = api::ErrorBody)))]
pub async fn remove_webhook(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(WebhookIdPath { id }): AppPath<WebhookIdPath>,
) -> Result<StatusCode, ApiError> {
    state.platform.remove_webhook(&who, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
