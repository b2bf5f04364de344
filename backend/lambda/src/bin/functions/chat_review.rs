//! The `chat-review` function: the IVS Chat message review handler. IVS Chat waits at most 200 ms
//! for an answer and then applies the room's fallback result, so the review is cut off well before
//! that.

use std::time::Duration;

use cloumer_aws::Cloud;
use cloumer_lambda::chat_review::{self, ReviewRequest, ReviewResponse};
use cloumer_lambda::metrics::{self, Unit};
use lambda_runtime::{LambdaEvent, service_fn};

/// Leaves IVS Chat room for the network both ways inside its 200 ms budget.
const REVIEW_DEADLINE: Duration = Duration::from_millis(150);

/// [`REVIEW_DEADLINE`], unless `REVIEW_DEADLINE_MS` sets another (the tests' DynamoDB stand-in on a
/// busy machine is slower than DynamoDB is to a Lambda).
fn review_deadline() -> Duration {
    std::env::var("REVIEW_DEADLINE_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(REVIEW_DEADLINE, Duration::from_millis)
}

pub async fn run() -> anyhow::Result<()> {
    let cloud = Cloud::from_env().await?;
    let platform = &cloud.platform;
    let deadline = review_deadline();
    lambda_runtime::run(service_fn(|event: LambdaEvent<ReviewRequest>| async move {
        let started = std::time::Instant::now();
        let review = chat_review::handle(platform, event.payload);
        let (outcome, response) = match tokio::time::timeout(deadline, review).await {
            Ok(Ok(response)) if response.review_result == "ALLOW" => ("allowed", response),
            Ok(Ok(response)) => ("denied", response),
            Ok(Err(error)) => {
                tracing::error!(%error, "review failed; denying");
                ("failed", ReviewResponse::deny())
            }
            Err(_) => {
                tracing::warn!("review ran past its deadline; denying");
                ("late", ReviewResponse::deny())
            }
        };
        metrics::record(
            &[("Outcome", outcome)],
            &[
                ("ChatReviews", 1.0, Unit::Count),
                (
                    "ChatReviewLatency",
                    started.elapsed().as_secs_f64() * 1000.0,
                    Unit::Milliseconds,
                ),
            ],
        );
        Ok::<_, lambda_runtime::Error>(response)
    }))
    .await
    .map_err(|error| anyhow::anyhow!(error))
}
