//! The browser app as the local stack serves it: files from `dist/`, `index.html` for the app's
//! own routes, and `/config.json`, the runtime configuration that tells the app where things are.

use crate::file_names;
use axum::Router;
use axum::extract::Request;
use axum::handler::HandlerWithoutStateExt;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cloumer_api_types::RuntimeConfig;
use cloumer_domain::error::{PortContext, PortResult};
use cloumer_domain::ports::AppEntryPage;
use cloumer_http::link_previews::LinkPreviews;
use std::path::Path;
use std::path::PathBuf;
use std::sync::Arc;
use tower::ServiceExt as _;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// The headers CloudFront's response-headers policy adds in the cloud (`infra/modules/hosting`),
/// so the app is as hard to frame or sniff here as there. Two are left out because they only
/// make sense over HTTPS: HSTS, and `upgrade-insecure-requests` (which would send the page's
/// requests to `https://127.0.0.1`). A test holds this list against the Terraform.
pub const SECURITY_HEADERS: [(HeaderName, &str); 5] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
    (header::X_XSS_PROTECTION, "1; mode=block"),
    (
        header::CONTENT_SECURITY_POLICY,
        "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'; img-src 'self'",
    ),
];

/// The same for the pages other sites may frame ([`EMBEDDED_PAGES`]): any page may frame them,
/// so no `X-Frame-Options`. CloudFront's `embed` policy sends these; a test holds them against
/// it.
pub const EMBED_HEADERS: [(HeaderName, &str); 4] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
    (header::X_XSS_PROTECTION, "1; mode=block"),
    (
        header::CONTENT_SECURITY_POLICY,
        "frame-ancestors *; object-src 'none'; base-uri 'self'; form-action 'self'; img-src 'self'",
    ),
];

pub use cloumer_api_types::EMBEDDED_PAGES;

/// Every response of the stack gets [`SECURITY_HEADERS`] ([`EMBED_HEADERS`] under
/// [`EMBEDDED_PAGES`]), unless it set its own (the API sets a stricter policy for its JSON).
pub fn with_security_headers(router: Router) -> Router {
    router.layer(axum::middleware::from_fn(add_security_headers))
}

async fn add_security_headers(request: Request, next: Next) -> Response {
    let headers: &[(HeaderName, &str)] = if request.uri().path().starts_with(EMBEDDED_PAGES) {
        &EMBED_HEADERS
    } else {
        &SECURITY_HEADERS
    };
    let mut response = next.run(request).await;
    for (name, value) in headers {
        response
            .headers_mut()
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    response
}

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

/// The browser app: files from `dist/`; for the app's own routes (paths whose last segment has
/// no dot), `index.html`, with the preview of what the path names for link cards when it has
/// one ([`LinkPreviews`], which the cloud serves too); 404 for missing files, as the CloudFront
/// function does in the cloud. A missing lazily loaded chunk must fail as an error, not arrive
/// as a page of HTML.
///
/// Browsers get the `.br` or `.gz` copy `cargo xtask build-web` writes beside each file worth
/// compressing, whichever they accept (brotli when they take both, as CloudFront chooses in the
/// cloud): the app's wasm and the IVS player are a third of their size or less that way, and
/// compressed once at build time rather than per request.
pub fn app(dist_dir: &Path, previews: LinkPreviews) -> Router {
    let index = ServeFile::new(dist_dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let routes = move |request: axum::extract::Request| {
        let index = index.clone();
        let previews = previews.clone();
        async move {
            let path = request.uri().path();
            let last = path.rsplit('/').next().unwrap_or_default();
            if last.contains('.') {
                return StatusCode::NOT_FOUND.into_response();
            }
            if let Some(page) = previews.previewed_page(path).await {
                return page;
            }
            match index.oneshot(request).await {
                Ok(response) => response.into_response(),
                Err(never) => match never {},
            }
        }
    };
    let files = ServeDir::new(dist_dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(routes.clone().into_service());
    // A path no file can have goes straight to the routes (see `file_names`).
    let files_or_routes = move |request: axum::extract::Request| {
        let files = files.clone();
        let routes = routes.clone();
        async move {
            if file_names::names_no_file(request.uri().path()) {
                return routes(request).await;
            }
            match files.oneshot(request).await {
                Ok(response) => response.into_response(),
                Err(never) => match never {},
            }
        }
    };
    // Which of the two forms a response is depends on the request's Accept-Encoding: a cache in
    // front (a self-hoster's proxy) must keep them apart.
    Router::new()
        .fallback(files_or_routes)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
}

/// The app's entry page as `cargo xtask build-web` (or `trunk serve`) last wrote it: read on
/// every request, so a rebuild shows at the next load.
pub struct DistEntryPage(pub PathBuf);

#[async_trait::async_trait]
impl AppEntryPage for DistEntryPage {
    async fn entry_page(&self) -> PortResult<Arc<str>> {
        let page = tokio::fs::read_to_string(self.0.join("index.html"))
            .await
            .port("read the app's index.html")?;
        Ok(page.into())
    }
}
