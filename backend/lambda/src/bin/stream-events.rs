//! `stream-events`: IVS stream and recording state changes, delivered by EventBridge.

use cloumer_aws::Cloud;
use cloumer_lambda::ivs_events::{self, IvsEvent, RecordingUrls};
use lambda_runtime::{LambdaEvent, service_fn};

fn main() -> anyhow::Result<()> {
    cloumer_lambda::init_logging();
    cloumer_lambda::runtime()?.block_on(async {
        let cloud = Cloud::from_env().await?;
        let urls = RecordingUrls {
            base_url: cloud.settings.recordings_base_url.clone(),
            private_bucket: cloud.settings.private_recordings_bucket.clone(),
        };
        let (platform, urls) = (&cloud.platform, &urls);
        lambda_runtime::run(service_fn(|event: LambdaEvent<IvsEvent>| async move {
            ivs_events::handle(platform, urls, event.payload)
                .await
                .map_err(lambda_runtime::Error::from)
        }))
        .await
        .map_err(|error| anyhow::anyhow!(error))
    })
}
