//! One async function per API endpoint.

use cloumer_api_types::Health;
use gloo_net::http::Request;

/// `GET /api/health`
pub async fn health() -> Result<Health, String> {
    let response = Request::get("/api/health")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    response.json().await.map_err(|e| e.to_string())
}
