//! The `email-sender` function: go-live emails from their queue, sent through SES at the account's
//! rate.

use aws_lambda_events::event::sqs::SqsEvent;
use cloumer_aws::EmailSending;
use cloumer_lambda::email_sender;
use lambda_runtime::{LambdaEvent, service_fn};

pub async fn run() -> anyhow::Result<()> {
    let sending = EmailSending::from_env().await?;
    let sending = &sending;
    lambda_runtime::run(service_fn(|event: LambdaEvent<SqsEvent>| async move {
        let (response, _) = email_sender::handle(sending, event.payload).await;
        Ok::<_, lambda_runtime::Error>(response)
    }))
    .await
    .map_err(|error| anyhow::anyhow!(error))
}
