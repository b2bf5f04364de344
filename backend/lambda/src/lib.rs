//! Cloumer on AWS Lambda: the event handlers behind each function. Each turns the AWS event into a
//! domain call and the answer back into what AWS expects; the per-function entry points in
//! `src/bin/functions/` only build the cloud adapters and hand events to these.

pub mod chat_review;
pub mod email_sender;
pub mod go_live;
pub mod ivs_events;
pub mod metrics;
pub mod post_confirmation;
pub mod video_events;
pub mod video_ready;

/// Logs as JSON lines on stderr (CloudWatch keeps one event per line), level from `RUST_LOG`.
pub fn init_logging() {
    tracing_subscriber::fmt()
        .json()
        .with_current_span(false)
        .with_target(false)
        .without_time() // CloudWatch stamps every line itself.
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
}

/// The API router as API Gateway serves it: each request carries the caller's address (API
/// Gateway's `sourceIp`) where the router's per-client limits look for it, and a header the
/// router sends more than once goes as one.
pub fn behind_api_gateway(router: axum::Router) -> axum::Router {
    router
        .layer(axum::middleware::from_fn(count_request))
        .layer(axum::middleware::map_response(one_line_per_header))
        .layer(axum::middleware::map_request(
            |mut request: axum::extract::Request| async move {
                use lambda_http::RequestExt;
                use lambda_http::request::RequestContext;
                let source = match request.request_context_ref() {
                    Some(RequestContext::ApiGatewayV2(context)) => context.http.source_ip.clone(),
                    _ => None,
                };
                if let Some(address) = source {
                    request
                        .extensions_mut()
                        .insert(cloumer_http::ClientAddress(address));
                }
                request
            },
        ))
}

/// The single-threaded runtime every function runs on: a Lambda instance handles one event at
/// a time, so worker threads would only cost cold-start time and memory.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

/// Requests and latency by route pattern and status class (see [`metrics`]). A layer on the
/// router runs after routing, so the matched pattern is known; unmatched paths are one route.
async fn count_request(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let route = format!(
        "{} {}",
        request.method(),
        request
            .extensions()
            .get::<axum::extract::MatchedPath>()
            .map_or("unmatched", |path| path.as_str())
    );
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    metrics::record(
        &[
            ("Route", &route),
            (
                "StatusClass",
                metrics::status_class(response.status().as_u16()),
            ),
        ],
        &[
            ("Requests", 1.0, metrics::Unit::Count),
            (
                "Latency",
                started.elapsed().as_secs_f64() * 1000.0,
                metrics::Unit::Milliseconds,
            ),
        ],
    );
    response
}

/// Joins the values of a header sent more than once (`Vary` from CORS and from compression)
/// into one, comma-separated, as HTTP allows for list headers. API Gateway's HTTP API takes one
/// value per header name, and lambda_http hands it only the first, so the rest would be lost.
/// `Set-Cookie` cannot be joined; lambda_http sends it in the payload's `cookies`.
async fn one_line_per_header(mut response: axum::response::Response) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let repeated: Vec<header::HeaderName> = response
        .headers()
        .keys()
        .filter(|name| **name != header::SET_COOKIE)
        .filter(|name| response.headers().get_all(*name).iter().nth(1).is_some())
        .cloned()
        .collect();
    for name in repeated {
        let joined = response
            .headers()
            .get_all(&name)
            .iter()
            .map(HeaderValue::as_bytes)
            .collect::<Vec<_>>()
            .join(&b", "[..]);
        if let Ok(value) = HeaderValue::from_bytes(&joined) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}
