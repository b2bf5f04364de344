//! One error type for every handler, answered as a status and an [`ErrorBody`].

use std::sync::Arc;

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cloumer_api_types::ErrorBody;
use cloumer_domain::DomainError;
use cloumer_domain::ports::AuthFailure;

/// Why a request failed. The status of each variant is fixed; internal causes are logged by
/// the error-logging middleware and never sent to the client.
#[derive(Debug)]
pub enum ApiError {
    /// 400 (invalid input), 401, 403, 404, 409, 429, or 500 for a failed dependency.
    Domain(DomainError),
    /// 401: the bearer token was rejected.
    Unauthorized(String),
    /// 400, 413 or 415: the body is not acceptable JSON.
    Body { status: StatusCode, message: String },
    /// 400: a path or query parameter is malformed.
    BadParameter(String),
    /// 503: the identity provider's keys could not be fetched.
    AuthUnavailable(cloumer_domain::PortError),
}

/// Attached to error responses so the logging middleware can report the cause.
#[derive(Clone)]
pub struct ErrorCause(pub Arc<dyn std::error::Error + Send + Sync>);

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        Self::Domain(error)
    }
}

impl From<AuthFailure> for ApiError {
    fn from(failure: AuthFailure) -> Self {
        match failure {
            AuthFailure::Invalid(message) => Self::Unauthorized(message),
            AuthFailure::Port(port) => Self::AuthUnavailable(port),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let status = match &rejection {
            JsonRejection::MissingJsonContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            JsonRejection::BytesRejection(_)
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            _ => StatusCode::BAD_REQUEST,
        };
        let message = match status {
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                "send JSON with Content-Type: application/json".to_owned()
            }
            StatusCode::PAYLOAD_TOO_LARGE => "the request body is too large".to_owned(),
            // serde's message names the field and the problem ("unknown field `titel`, expected …").
            _ => rejection.body_text(),
        };
        Self::Body { status, message }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::BadParameter(rejection.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        Self::BadParameter(rejection.body_text())
    }
}

fn body(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let body = ErrorBody {
        code: code.to_owned(),
        message: message.into(),
    };
    (status, axum::Json(body)).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::Domain(error) => match error {
                DomainError::Invalid { code, message } => {
                    body(StatusCode::BAD_REQUEST, code, message)
                }
                DomainError::Unauthenticated => body(
                    StatusCode::UNAUTHORIZED,
                    "unauthenticated",
                    error.to_string(),
                ),
                DomainError::AccountDeleted => body(
                    StatusCode::UNAUTHORIZED,
                    "account_deleted",
                    error.to_string(),
                ),
                DomainError::Forbidden(message) => {
                    body(StatusCode::FORBIDDEN, "forbidden", message)
                }
                DomainError::Banned { until } => {
                    let message = match until {
                        Some(until) => format!(
                            "you are banned from this channel until {}",
                            crate::convert::rfc3339(until)
                        ),
                        None => "you are banned from this channel".to_owned(),
                    };
                    body(StatusCode::FORBIDDEN, "banned", message)
                }
                DomainError::RateLimited {
                    retry_after_seconds,
                } => {
                    let mut response = body(
                        StatusCode::TOO_MANY_REQUESTS,
                        "rate_limited",
                        error.to_string(),
                    );
                    response
                        .headers_mut()
                        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
                    response
                }
                DomainError::NotFound(what) => body(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    format!("{what} not found"),
                ),
                DomainError::Conflict { code, message } => {
                    body(StatusCode::CONFLICT, code, message)
                }
                DomainError::Port(port) => {
                    let mut response = body(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "internal",
                        "something went wrong on our side; try again",
                    );
                    response.extensions_mut().insert(ErrorCause(Arc::new(port)));
                    response
                }
            },
            Self::Unauthorized(message) => body(StatusCode::UNAUTHORIZED, "invalid_token", message),
            Self::Body { status, message } => {
                let code = match status {
                    StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
                    StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
                    _ => "invalid_json",
                };
                body(status, code, message)
            }
            Self::BadParameter(message) => {
                body(StatusCode::BAD_REQUEST, "invalid_parameter", message)
            }
            Self::AuthUnavailable(port) => {
                let mut response = body(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "auth_unavailable",
                    "sign-in cannot be checked right now; try again",
                );
                response.extensions_mut().insert(ErrorCause(Arc::new(port)));
                response
            }
        }
    }
}

/// Logs the cause chain of 5xx responses (the client only sees a generic message).
pub async fn log_errors(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if let Some(ErrorCause(cause)) = response.extensions().get::<ErrorCause>() {
        let mut chain = cause.to_string();
        let mut source = cause.source();
        while let Some(inner) = source {
            chain.push_str(": ");
            chain.push_str(&inner.to_string());
            source = inner.source();
        }
        tracing::error!(%method, %path, status = %response.status(), error = %chain, "request failed");
    }
    response
}
