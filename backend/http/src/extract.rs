//! Extractors: JSON bodies with our error shape, and the caller's identity.

use std::net::SocketAddr;

use axum::extract::{
    ConnectInfo, FromRequest, FromRequestParts, OptionalFromRequestParts, Request,
};
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use cloumer_domain::{DomainError, Identity};
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::ApiError;

/// A JSON request body, answered with our [`ApiError`] when it is not acceptable. Every body is
/// a JSON object: serde would also fill a struct from an array, positionally, which no client
/// means and `deny_unknown_fields` cannot see.
pub struct AppJson<T>(pub T);

impl<T, S> FromRequest<S> for AppJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        // Content type, size and syntax, with axum's checks.
        let axum::Json(value) =
            axum::Json::<serde_json::Value>::from_request(request, state).await?;
        let invalid = |message: String| ApiError::Body {
            status: StatusCode::BAD_REQUEST,
            message,
        };
        if !value.is_object() {
            return Err(invalid("the request body must be a JSON object".to_owned()));
        }
        serde_json::from_value(value)
            .map(AppJson)
            .map_err(|e| invalid(e.to_string()))
    }
}

/// `axum::extract::Query` with our error shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct AppQuery<T>(pub T);

/// `axum::extract::Path` with our error shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct AppPath<T>(pub T);

/// The client's address, as the runtime serving the router knows it. The Lambda puts it in the
/// request's extensions from API Gateway's request context; the local stack serves with
/// connection info, which is read directly.
#[derive(Clone, Debug)]
pub struct ClientAddress(pub String);

/// The client's address, if the runtime told it; per-client limits apply only then.
pub struct Client(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let extensions = &parts.extensions;
        Ok(Self(
            extensions
                .get::<ClientAddress>()
                .map(|ClientAddress(address)| address.clone())
                .or_else(|| {
                    extensions
                        .get::<ConnectInfo<SocketAddr>>()
                        .map(|ConnectInfo(address)| address.ip().to_string())
                }),
        ))
    }
}

/// A signed-in caller: `Authorization: Bearer <Cognito ID or access token>`.
pub struct Caller(pub Identity);

fn bearer(parts: &Parts) -> Result<Option<&str>, ApiError> {
    let Some(value) = parts.headers.get(AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::Unauthorized("the Authorization header is malformed".into()))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(Some(token.trim()))
        }
        _ => Err(ApiError::Unauthorized(
            "use Authorization: Bearer <token>".into(),
        )),
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(parts)?.ok_or(ApiError::Domain(DomainError::Unauthenticated))?;
        Ok(Self(state.verifier.verify(token).await?))
    }
}

/// Signed out is fine; a token that is present must be valid (so clients learn to refresh it).
impl OptionalFromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        match bearer(parts)? {
            None => Ok(None),
            Some(token) => Ok(Some(Self(state.verifier.verify(token).await?))),
        }
    }
}
