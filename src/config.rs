//! The runtime configuration (`/config.json`): where the API and the identity provider are.
//! The only thing that differs between the local stack and the cloud.

use cloumer_api_types::RuntimeConfig;
use leptos::prelude::*;

#[derive(Clone)]
pub struct Config(pub RuntimeConfig);

pub async fn fetch() -> Result<RuntimeConfig, String> {
    let response = gloo_net::http::Request::get("/config.json")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.ok() {
        return Err(format!("/config.json: HTTP {}", response.status()));
    }
    let text = response.text().await.map_err(|e| e.to_string())?;
    crate::json::FromJson::from_text(&text)
        .ok_or_else(|| "/config.json: not a configuration".into())
}

pub fn use_config() -> Config {
    expect_context::<Config>()
}
