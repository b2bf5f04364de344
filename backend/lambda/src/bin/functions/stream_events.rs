//! The `stream-events` function: IVS stream and recording state changes, delivered by EventBridge,
//! with the minute's schedule that samples live audiences; and, when Terraform changes chat logging, `{"cloumer": "reconcile-chat-rooms"}` from its
//! `aws_lambda_invocation`, which brings existing rooms up to the new configuration.

use cloumer_aws::Cloud;
use cloumer_lambda::ivs_events::{self, IvsEvent, RecordingUrls};
use lambda_runtime::{LambdaEvent, service_fn};
use serde_json::{Value, json};

pub async fn run() -> anyhow::Result<()> {
    let cloud = Cloud::from_env().await?;
    let urls = RecordingUrls {
        base_url: cloud.settings.recordings_base_url.clone(),
        private_bucket: cloud.settings.private_recordings_bucket.clone(),
    };
    let (cloud, urls) = (&cloud, &urls);
    lambda_runtime::run(service_fn(|event: LambdaEvent<Value>| async move {
        if event.payload.get("cloumer").and_then(Value::as_str) == Some("reconcile-chat-rooms") {
            let updated = cloud.chat.reconcile_rooms().await?;
            tracing::info!(
                updated,
                "chat rooms reconciled with the logging configuration"
            );
            return Ok::<_, lambda_runtime::Error>(json!({ "updated": updated }));
        }
        let event: IvsEvent = serde_json::from_value(event.payload)?;
        ivs_events::handle(&cloud.platform, urls, event).await?;
        Ok(Value::Null)
    }))
    .await
    .map_err(|error| anyhow::anyhow!(error))
}
