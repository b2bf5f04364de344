//! The `api` function: the HTTP API behind API Gateway. Outside Lambda (no
//! `AWS_LAMBDA_RUNTIME_API`) it serves the same router on `127.0.0.1:$PORT`, for trying the cloud
//! adapters from a laptop.

use axum::http::HeaderValue;
use cloumer_aws::Cloud;
use cloumer_http::link_previews::{self, LinkPreviews};

pub async fn run() -> anyhow::Result<()> {
    let cloud = Cloud::from_env().await?;
    // The app's routes come here from CloudFront for their link cards; the API answers the rest.
    let pages = link_previews::router(LinkPreviews::new(
        cloud.platform.clone(),
        cloud.entry_page,
        &cloud.settings.site_origin,
        cloud.settings.api_url.as_deref(),
    ));
    let app = cloumer_http::app(cloumer_http::AppState {
        platform: cloud.platform,
        verifier: cloud.verifier,
        environment: "aws",
        cors_origins: vec![HeaderValue::from_str(&cloud.settings.site_origin)?],
        site_origin: cloud.settings.site_origin.trim_end_matches('/').into(),
    })
    .merge(pages);
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some() {
        lambda_http::run(cloumer_lambda::behind_api_gateway(app))
            .await
            .map_err(|error| anyhow::anyhow!(error))
    } else {
        let port = std::env::var("PORT").unwrap_or_else(|_| "3000".into());
        let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
        println!("Cloumer API on http://{}", listener.local_addr()?);
        axum::serve(listener, app).await?;
        Ok(())
    }
}
