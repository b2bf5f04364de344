//! The Cloumer HTTP API: one axum [`Router`] that both runtimes serve.
//!
//! `lambda_http` serves it on AWS Lambda behind API Gateway; the local stack serves it with
//! `axum::serve`. Nothing in here knows which one is running: the use cases come in as a
//! [`Platform`] built on whichever adapters the binary chose.

mod convert;
mod cursor;
mod error;
mod extract;
mod routes;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use cloumer_api_types::Health;
use cloumer_domain::Platform;
use cloumer_domain::ports::IdentityVerifier;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::OpenApi;

pub use convert::rfc3339;
pub use error::ApiError;

/// What the router needs from its environment.
#[derive(Clone)]
pub struct AppState {
    pub platform: Platform,
    pub verifier: Arc<dyn IdentityVerifier>,
    /// `local` or `aws`, reported by `/api/health`.
    pub environment: &'static str,
    /// Origins allowed to call the API from a browser (the SPA's, in the cloud). Empty: same
    /// origin only.
    pub cors_origins: Vec<HeaderValue>,
}

/// Largest request body accepted: every request we take is a small JSON document.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Builds the API router. Routes live under `/api`.
pub fn app(state: AppState) -> Router {
    let cors = cors(&state.cors_origins);
    let v1 = Router::new()
        .route("/directory", get(routes::channels::directory))
        .route(
            "/handles/{handle}",
            get(routes::channels::handle_availability),
        )
        .route("/channels/{handle}", get(routes::channels::channel_page))
        .route(
            "/channels/{handle}/playback",
            post(routes::channels::playback),
        )
        .route(
            "/channels/{handle}/chat-token",
            post(routes::chat::chat_token),
        )
        .route(
            "/channels/{handle}/chat/messages",
            get(routes::chat::history),
        )
        .route(
            "/channels/{handle}/recordings",
            get(routes::recordings::of_channel),
        )
        .route("/recordings", get(routes::recordings::recent))
        .route("/recordings/{id}", get(routes::recordings::one))
        .route("/me", get(routes::me::me).patch(routes::me::update_me))
        .route(
            "/me/channel",
            get(routes::me::my_channel).patch(routes::me::update_channel),
        )
        .route("/me/channel/stream-key", get(routes::me::stream_key))
        .route(
            "/me/channel/stream-key/reset",
            post(routes::me::reset_stream_key),
        )
        .route(
            "/me/channel/chat-rules",
            get(routes::me::chat_rules).put(routes::me::update_chat_rules),
        )
        .route("/me/channel/viewers", get(routes::me::viewers))
        .route(
            "/me/channel/viewers/{handle}",
            put(routes::me::grant_viewer).delete(routes::me::revoke_viewer),
        )
        .route(
            "/me/channel/chat/messages/{id}",
            delete(routes::moderation::delete_message),
        )
        .route("/me/channel/bans", get(routes::moderation::bans))
        .route(
            "/me/channel/bans/{user_id}",
            put(routes::moderation::ban).delete(routes::moderation::unban),
        )
        .fallback(not_found);
    let router = Router::new()
        .route("/api/health", get(health))
        .route("/api/openapi.json", get(openapi))
        .nest("/api/v1", v1)
        .route("/api/{*rest}", axum::routing::any(not_found))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(error::log_errors))
        .layer(cors)
        .with_state(state);
    SECURITY_HEADERS
        .into_iter()
        .fold(router, |router, (name, value)| {
            router.layer(SetResponseHeaderLayer::if_not_present(
                name,
                HeaderValue::from_static(value),
            ))
        })
}

async fn not_found() -> ApiError {
    ApiError::Domain(cloumer_domain::DomainError::NotFound("route"))
}

fn cors(origins: &[HeaderValue]) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins.iter().cloned()))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .max_age(std::time::Duration::from_secs(600))
}

/// Headers for JSON responses that a browser must never render, cache or frame.
const SECURITY_HEADERS: [(HeaderName, &str); 4] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::CACHE_CONTROL, "no-store"),
    (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
    (
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; frame-ancestors 'none'",
    ),
];

#[utoipa::path(get, path = "/api/health", tag = "meta", responses((status = 200, body = Health)))]
async fn health(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        environment: state.environment.to_owned(),
    })
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// The OpenAPI description of the API, generated from the handlers and the API types.
#[derive(OpenApi)]
#[openapi(
    info(title = "Cloumer API", description = "Live channels, chat tokens and history, the streamer dashboard."),
    paths(
        health,
        routes::channels::directory,
        routes::channels::handle_availability,
        routes::channels::channel_page,
        routes::channels::playback,
        routes::chat::chat_token,
        routes::chat::history,
        routes::recordings::recent,
        routes::recordings::of_channel,
        routes::recordings::one,
        routes::me::me,
        routes::me::update_me,
        routes::me::my_channel,
        routes::me::update_channel,
        routes::me::stream_key,
        routes::me::reset_stream_key,
        routes::me::chat_rules,
        routes::me::update_chat_rules,
        routes::me::viewers,
        routes::me::grant_viewer,
        routes::me::revoke_viewer,
        routes::moderation::delete_message,
        routes::moderation::bans,
        routes::moderation::ban,
        routes::moderation::unban,
    ),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "cognito",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "A Cognito ID or access token (or the local stand-in's).",
                    ))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document as pretty JSON, as committed in `backend/http/openapi.json`.
pub fn openapi_json() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serializes")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_committed_openapi_document_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
        let generated = super::openapi_json();
        if std::env::var_os("CLOUMER_UPDATE_OPENAPI").is_some() {
            std::fs::write(path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == generated,
            "backend/http/openapi.json is stale: run `CLOUMER_UPDATE_OPENAPI=1 cargo test -p cloumer-http` and commit it"
        );
    }
}
