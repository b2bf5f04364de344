# Stream starts fan out through one SNS topic (modules/fan_out, which also keeps what fails in a
# dead-letter queue the ops alarm watches): stream-events publishes each go-live once, and every
# subscriber acts on it in parallel. The go-live function (webhooks, push, and the emails it
# queues) is the subscriber this module wires; further ones subscribe the same way. Emails wait
# in a queue of their own for the email-sender function, which sends them at SES's rate.

module "topic" {
  source                   = "../fan_out"
  name                     = "${var.name_prefix}-go-live"
  subscriber_function_name = var.go_live_function_name
  subscriber_function_arn  = var.go_live_function_arn
  permission_statement_id  = "SnsGoLive"
  # A go-live message older than ten minutes is stale news: Lambda stops retrying it then.
  maximum_event_age_seconds = 600
}

# Where these were before the fan-out module held them.
moved {
  from = aws_sns_topic.go_live
  to   = module.topic.aws_sns_topic.this
}
moved {
  from = aws_sqs_queue.dead_letters
  to   = module.topic.aws_sqs_queue.dead_letters
}
moved {
  from = aws_sqs_queue_policy.dead_letters
  to   = module.topic.aws_sqs_queue_policy.dead_letters
}
moved {
  from = aws_lambda_permission.go_live
  to   = module.topic.aws_lambda_permission.subscriber
}
moved {
  from = aws_sns_topic_subscription.go_live
  to   = module.topic.aws_sns_topic_subscription.subscriber
}
moved {
  from = aws_lambda_function_event_invoke_config.go_live
  to   = module.topic.aws_lambda_function_event_invoke_config.subscriber
}

# Go-live emails, 25 a message, waiting for their turn at SES's sending rate: the go-live
# function fills the queue in seconds; the email-sender drains it as fast as the rate allows,
# which for a large channel can be hours. A message the email-sender fails five times goes to the
# dead-letter queue above, which the ops alarm watches.
resource "aws_sqs_queue" "emails" {
  name                       = "${var.name_prefix}-go-live-emails"
  visibility_timeout_seconds = 6 * var.email_sender_timeout_seconds # AWS's advice for Lambda consumers
  message_retention_seconds  = 43200                                # Twelve hours: older news is not news.
  sqs_managed_sse_enabled    = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = module.topic.dead_letter_queue.arn
    maxReceiveCount     = 5
  })
}

resource "aws_lambda_event_source_mapping" "emails" {
  event_source_arn        = aws_sqs_queue.emails.arn
  function_name           = var.email_sender_function_arn
  batch_size              = 4
  function_response_types = ["ReportBatchItemFailures"]
  # The copies that share the sending rate (the function divides the rate by this).
  scaling_config {
    maximum_concurrency = var.email_sender_concurrency
  }
}
