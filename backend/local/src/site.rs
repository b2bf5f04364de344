//! The browser app as the local stack serves it: files from `dist/`, `index.html` for the app's
//! own routes, and `/config.json`, the runtime configuration that tells the app where things are.

use axum::Router;
use axum::handler::HandlerWithoutStateExt;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use cloumer_api_types::RuntimeConfig;
use std::path::Path;
use tower::ServiceExt as _;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// `GET /config.json`.
pub fn config(runtime: &RuntimeConfig) -> anyhow::Result<Router> {
    let json = serde_json::to_string(runtime)?;
    Ok(Router::new().route(
        "/config.json",
        get(move || async move {
            (
                [
                    (header::CONTENT_TYPE, "application/json"),
                    (header::CACHE_CONTROL, "no-cache"),
                ],
                json,
            )
        }),
    ))
}

/// The browser app: files from `dist/`; `index.html` for client-side routes (paths whose last
/// segment has no dot), 404 for missing files, as the CloudFront function does in the cloud. A
/// missing lazily loaded chunk must fail as an error, not arrive as a page of HTML.
pub fn app(dist_dir: &Path) -> Router {
    let index = ServeFile::new(dist_dir.join("index.html"));
    let routes = move |request: axum::extract::Request| {
        let index = index.clone();
        async move {
            let last = request.uri().path().rsplit('/').next().unwrap_or_default();
            if last.contains('.') {
                return StatusCode::NOT_FOUND.into_response();
            }
            match index.oneshot(request).await {
                Ok(response) => response.into_response(),
                Err(never) => match never {},
            }
        }
    };
    let files = ServeDir::new(dist_dir).fallback(routes.into_service());
    Router::new()
        .fallback_service(files)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
}
