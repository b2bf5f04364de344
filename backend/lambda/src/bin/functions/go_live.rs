//! The `go-live` function: stream starts from the go-live SNS topic, delivered to the channels'
//! webhooks.

use aws_lambda_events::event::sns::SnsEvent;
use cloumer_aws::Cloud;
use cloumer_lambda::go_live;
use lambda_runtime::{LambdaEvent, service_fn};

pub async fn run() -> anyhow::Result<()> {
    let cloud = Cloud::from_env().await?;
    let platform = &cloud.platform;
    lambda_runtime::run(service_fn(|event: LambdaEvent<SnsEvent>| async move {
        go_live::handle(platform, event.payload)
            .await
            .map_err(lambda_runtime::Error::from)
    }))
    .await
    .map_err(|error| anyhow::anyhow!(error))
}
