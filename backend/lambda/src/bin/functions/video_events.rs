//! The `video-events` function: uploads completed in the upload bucket and MediaConvert's job state
//! changes, delivered by EventBridge; and ready videos from the video-ready SNS topic, told to
//! their uploaders.

use cloumer_aws::Cloud;
use cloumer_lambda::video_events::{self, Invocation};
use cloumer_lambda::video_ready;
use lambda_runtime::{LambdaEvent, service_fn};
use serde_json::Value;

pub async fn run() -> anyhow::Result<()> {
    let cloud = Cloud::from_env().await?;
    let upload_bucket = cloud
        .settings
        .upload_bucket
        .clone()
        .ok_or_else(|| anyhow::anyhow!("UPLOAD_BUCKET is not set"))?;
    let (cloud, upload_bucket) = (&cloud, upload_bucket.as_str());
    lambda_runtime::run(service_fn(|event: LambdaEvent<Value>| async move {
        match serde_json::from_value(event.payload)? {
            Invocation::ReadyVideos(messages) => {
                let told = video_ready::handle(&cloud.platform, messages).await?;
                Ok::<_, lambda_runtime::Error>(Value::from(told))
            }
            Invocation::Bus(event) => {
                video_events::handle(
                    &cloud.platform,
                    upload_bucket,
                    &cloud.settings.recordings_base_url,
                    event,
                )
                .await?;
                Ok(Value::Null)
            }
        }
    }))
    .await
    .map_err(|error| anyhow::anyhow!(error))
}
