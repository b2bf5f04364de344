//! One-click unsubscribe from go-live emails (RFC 8058): mail clients post to the link in the
//! email's `List-Unsubscribe` header, and the site's unsubscribe page posts to it for people who
//! click the link in the footer. No sign-in: the link's secret is the credential.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::params::UnsubscribeQuery;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::AppQuery;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(unsubscribe))
}

/// Turns off go-live emails for the user the link was made for. A mail client's form body
/// (`List-Unsubscribe=One-Click`) is ignored; only the link counts.
#[utoipa::path(post, path = "/unsubscribe", tag = "notifications", params(UnsubscribeQuery),
    responses((status = 204, description = "go-live emails are off (or already were)"),
        (status = 400, body = cloumer_api_types::ErrorBody),
        (status = 404, body = cloumer_api_types::ErrorBody, description = "not a valid unsubscribe link")))]
pub async fn unsubscribe(
    State(state): State<AppState>,
    AppQuery(link): AppQuery<UnsubscribeQuery>,
) -> Result<StatusCode, ApiError> {
    state.platform.unsubscribe(&link.user, &link.token).await?;
    Ok(StatusCode::NO_CONTENT)
}
