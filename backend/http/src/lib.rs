//! The Cloumer HTTP API: one axum [`Router`] that both runtimes serve.
//!
//! `lambda_http` serves it on AWS Lambda behind API Gateway; the local stack serves it with
//! `axum::serve`. Nothing in here knows which one is running: the use cases come in as a
//! [`Platform`] built on whichever adapters the binary chose.

mod convert;
mod cursor;
mod error;
mod extract;
pub mod link_previews;
mod routes;
mod snapshot;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::routing::get;
use axum::{Json, Router};
use cloumer_api_types::Health;
use cloumer_domain::Platform;
use cloumer_domain::ports::IdentityVerifier;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::SizeAbove;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use convert::rfc3339;
pub use error::ApiError;
pub use extract::ClientAddress;

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
    /// The site's origin (`https://…`, no trailing slash): the pages whose players oEmbed
    /// answers give.
    pub site_origin: Arc<str>,
}

/// Largest request body accepted: every request we take is a small JSON document.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Answers at least this long go gzipped to clients that accept gzip. Below it the gzip header
/// and the work outweigh what a phone saves (the app's own files follow the same rule).
pub(crate) const COMPRESS_FROM_BYTES: u16 = 1024;

/// Builds the API router. Routes live under `/api`; each is declared once, in its module's
/// `router()`, and the OpenAPI document is generated from those same declarations.
pub fn app(state: AppState) -> Router {
    let cors = cors(&state.cors_origins);
    let (routes, mut document) = api().split_for_parts();
    common_answers(&mut document);
    let document = Arc::new(document);
    let router = routes
        .route(
            "/api/openapi.json",
            get(move || {
                let document = document.clone();
                async move { Json((*document).clone()) }
            }),
        )
        .route("/api/{*rest}", axum::routing::any(not_found))
        .layer(axum::Extension(Arc::new(
            snapshot::DirectorySnapshots::default(),
        )))
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
        .layer(compression())
}

/// gzip for the answers worth it, in both worlds: API Gateway passes the Lambda's bytes through
/// as they are (lambda_http sends an encoded body base64, as API Gateway expects), and the local
/// stack serves this router directly. Safe against BREACH-style guessing: the API authenticates
/// with a bearer header a cross-site page cannot make a browser send, not with cookies.
fn compression() -> CompressionLayer<SizeAbove> {
    CompressionLayer::new()
        .no_br()
        .no_deflate()
        .no_zstd()
        .compress_when(SizeAbove::new(COMPRESS_FROM_BYTES))
}

/// Every documented route, with the document they make.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health))
        .nest("/api/v1", routes::v1().fallback(not_found))
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
        // So the app, on another origin than the API in the cloud, can say when to try again.
        .expose_headers([header::RETRY_AFTER])
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

/// The OpenAPI document's frame: title, description and the bearer scheme. The paths come from
/// the routers (see [`app`]).
#[derive(OpenApi)]
#[openapi(
    info(title = "Cloumer API", description = "Live channels, chat tokens and history, the streamer dashboard."),
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
    let mut document = api().into_openapi();
    common_answers(&mut document);
    document
        .to_pretty_json()
        .expect("the OpenAPI document serializes")
}

/// The answers every route of a kind gives, documented once instead of on each route: the
/// extractors and the layers in [`app`] give them the same way everywhere.
fn common_answers(document: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::header::HeaderBuilder;
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    /// The one answer to too many requests, which every route may give.
    const TOO_MANY_REQUESTS: &str = "TooManyRequests";
    let error = |description: &str| {
        ResponseBuilder::new().description(description).content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
    };
    // A limit on the caller says when its next turn comes; the throttle in front of the API
    // does not.
    let retry_after = HeaderBuilder::new()
        .schema(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1)),
        )
        .description(Some(
            "Seconds until the caller's limit takes the request (the throttle sends none).",
        ))
        .build();
    let too_many = error("Too many requests: the API's throttle, or a limit on the caller.")
        .header("Retry-After", retry_after)
        .build();
    document
        .components
        .get_or_insert_with(Default::default)
        .responses
        .insert(TOO_MANY_REQUESTS.to_owned(), too_many.into());
    for item in document.paths.paths.values_mut() {
        for operation in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            let answers = &mut operation.responses.responses;
            let mut add = |status: &str, description: &str| {
                answers
                    .entry(status.to_owned())
                    .or_insert_with(|| error(description).build().into());
            };
            let has_parameters = operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
            if operation.request_body.is_some() {
                add(
                    "400",
                    "The body is not one this operation takes (see its schema).",
                );
                add("413", "The body is larger than 64 KiB.");
                add("415", "The body is not sent as application/json.");
            } else if has_parameters {
                add("400", "A parameter is not valid (see its schema).");
            }
            if operation.security.is_some() {
                add("401", "No valid bearer token.");
            }
            answers.insert(
                "429".to_owned(),
                Ref::new(format!("#/components/responses/{TOO_MANY_REQUESTS}")).into(),
            );
        }
    }
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

    /// The apps offer the languages the API types name; the domain accepts its own list: one
    /// list, or a choice offered would be refused.
    #[test]
    fn the_apps_offer_exactly_the_stream_languages_the_domain_accepts() {
        let offered: Vec<&str> = cloumer_api_types::STREAM_LANGUAGES
            .iter()
            .map(|(code, _)| *code)
            .collect();
        assert_eq!(offered, cloumer_domain::stream_language::STREAM_LANGUAGES);
        // The document states the same list, for the setting and (blank too) the directory's
        // filter.
        let document = super::openapi_json();
        for pattern in [
            format!("\"pattern\": \"^({})$\"", offered.join("|")),
            format!("\"pattern\": \"^({})?$\"", offered.join("|")),
        ] {
            assert_eq!(document.matches(&pattern).count(), 1, "{pattern}");
        }
    }
}
