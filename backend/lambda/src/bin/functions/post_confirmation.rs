//! The `post-confirmation` function: the Cognito trigger that gives a confirmed sign-up its profile
//! and channel.

use aws_lambda_events::event::cognito::CognitoEventUserPoolsPostConfirmation;
use cloumer_aws::Cloud;
use cloumer_lambda::post_confirmation;
use lambda_runtime::{LambdaEvent, service_fn};

pub async fn run() -> anyhow::Result<()> {
    let cloud = Cloud::from_env().await?;
    let platform = &cloud.platform;
    lambda_runtime::run(service_fn(
        |event: LambdaEvent<CognitoEventUserPoolsPostConfirmation>| async move {
            post_confirmation::handle(platform, event.payload)
                .await
                .map_err(lambda_runtime::Error::from)
        },
    ))
    .await
    .map_err(|error| anyhow::anyhow!(error))
}
