//! Extractors: JSON bodies with our error shape, and the caller's identity.

use std::net::SocketAddr;

use axum::extract::{
    ConnectInfo, FromRequest, FromRequestParts, OptionalFromRequestParts, Request,
};
use axum::http::StatusCode;
use axum::http::header::{ACCEPT_ENCODING, AUTHORIZATION};
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

/// Whether the client accepts gzip (`Accept-Encoding`, RFC 9110 §12.5.3), for the answers the
/// router keeps compressed (the compression layer decides the same for every other answer).
/// `gzip` (or `x-gzip`) with a weight above 0, or `*` when gzip is not named; an unreadable
/// weight counts as a refusal.
pub struct AcceptsGzip(pub bool);

impl<S: Send + Sync> FromRequestParts<S> for AcceptsGzip {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(accepts_gzip(
            parts
                .headers
                .get_all(ACCEPT_ENCODING)
                .iter()
                .filter_map(|value| value.to_str().ok()),
        )))
    }
}

fn accepts_gzip<'a>(values: impl Iterator<Item = &'a str>) -> bool {
    let (mut gzip, mut any) = (None, None);
    for coding in values.flat_map(|value| value.split(',')) {
        let mut parameters = coding.split(';');
        let name = parameters.next().unwrap_or_default().trim();
        let weight = parameters
            .filter_map(|p| {
                let (key, value) = p.split_once('=')?;
                key.trim().eq_ignore_ascii_case("q").then_some(value.trim())
            })
            .next()
            .map_or(Some(1.0), |q| q.parse::<f32>().ok());
        let accepted = weight.is_some_and(|q| q > 0.0);
        if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
            gzip = Some(accepted);
        } else if name == "*" {
            any = Some(accepted);
        }
    }
    gzip.or(any).unwrap_or(false)
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

#[cfg(test)]
mod accept_encoding_tests {
    use super::accepts_gzip;

    #[test]
    fn gzip_is_accepted_as_rfc_9110_weighs_it() {
        let accepts = |values: &[&str]| accepts_gzip(values.iter().copied());
        assert!(accepts(&["gzip, deflate, br, zstd"]));
        assert!(accepts(&["br", "GZIP;q=0.5"]));
        assert!(accepts(&["x-gzip"]));
        assert!(accepts(&["*"]));
        assert!(accepts(&["br;q=1, *;q=0.1"]));
        assert!(!accepts(&[]));
        assert!(!accepts(&["identity"]));
        assert!(!accepts(&["br, zstd"]));
        assert!(!accepts(&["gzip;q=0, identity"]));
        assert!(!accepts(&["gzip ; Q=0.000"]));
        assert!(!accepts(&["*, gzip;q=0"]), "named gzip outweighs *");
        assert!(!accepts(&["gzip;q=high"]), "an unreadable weight refuses");
        assert!(!accepts(&["gzipped, xgzip"]));
    }
}
