//! The caller's notifications: followed channels that went live.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cloumer_api_types as api;
use cloumer_domain::platform::check_limit;

use super::params::{DEFAULT_LIMIT, MyListQuery};
use crate::error::ApiError;
use crate::extract::{AppQuery, Caller};
use crate::{AppState, convert, cursor};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The bell: list and mark seen.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(notifications))
        .routes(routes!(mark_seen))
}

/// The caller's notifications, newest first, with how many are unread.
#[utoipa::path(get, path = "/me/notifications", tag = "notifications", security(("cognito" = [])),
    params(MyListQuery),
    responses((status = 200, body = api::NotificationPage), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody)))]
pub async fn notifications(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppQuery(query): AppQuery<MyListQuery>,
) -> Result<Json<api::NotificationPage>, ApiError> {
    let limit = check_limit(query.limit.map(|l| l as usize), DEFAULT_LIMIT)?;
    let before = query
        .cursor
        .as_deref()
        .map(cursor::decode_notification)
        .transpose()?;
    let found = state.platform.notifications(&who, before, limit).await?;
    Ok(Json(api::NotificationPage {
        items: found
            .page
            .items
            .iter()
            .map(|n| convert::notification(n, found.seen_at))
            .collect(),
        unread: found.unread as u64,
        next: found.page.next.as_ref().map(cursor::encode_notification),
    }))
}

/// Marks every notification until now as seen.
#[utoipa::path(post, path = "/me/notifications/seen", tag = "notifications", security(("cognito" = [])),
    responses((status = 204), (status = 401, body = api::ErrorBody)))]
pub async fn mark_seen(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<StatusCode, ApiError> {
    state.platform.mark_notifications_seen(&who).await?;
    Ok(StatusCode::NO_CONTENT)
}
