//! The Cloumer HTTP API: one axum [`Router`] that both runtimes serve.
//!
//! `lambda_http` serves it on AWS Lambda behind API Gateway; the local stack serves it with
//! `axum::serve`. Nothing in here knows which one is running.

use axum::{Json, Router, extract::State, routing::get};
use cloumer_api_types::Health;

/// What the router needs from its environment.
#[derive(Clone, Debug)]
pub struct AppState {
    /// `local` or `aws`, reported by `/api/health`.
    pub environment: &'static str,
}

/// Builds the API router. Routes live under `/api`.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/api/health", get(health))
        .with_state(state)
}

async fn health(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        environment: state.environment.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    #[tokio::test]
    async fn health_reports_ok_and_the_environment() {
        let response = app(AppState {
            environment: "local",
        })
        .oneshot(Request::get("/api/health").body(Body::empty()).unwrap())
        .await
        .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let health: Health = serde_json::from_slice(&body).unwrap();
        assert_eq!(health.status, "ok");
        assert_eq!(health.environment, "local");
    }
}
