# Stream starts fan out through one SNS topic: stream-events publishes each go-live once, and
# every subscriber acts on it in parallel. The go-live function (webhooks, push, and the emails it
# queues) is the subscriber this module wires; further ones subscribe the same way. Emails wait
# in a queue of their own for the email-sender function, which sends them at SES's rate.
#
# Nothing is lost silently: SNS sends a message it could not hand to the function to the
# dead-letter queue (the subscription's redrive policy), and Lambda, which invokes the function
# asynchronously, retries a failed invocation twice and then sends it there too. The ops alarm
# (modules/observability) fires as soon as one arrives.

resource "aws_sns_topic" "go_live" {
  name = "${var.name_prefix}-go-live"
  # The account's AWS-managed key for SNS: publishers in this account need no key permissions.
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sqs_queue" "dead_letters" {
  name                      = "${var.name_prefix}-go-live-dead-letters"
  message_retention_seconds = 1209600 # 14 days, the most SQS keeps.
  sqs_managed_sse_enabled   = true
}

data "aws_iam_policy_document" "dead_letters" {
  statement {
    sid       = "SnsRedrive"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dead_letters.arn]
    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_sns_topic.go_live.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "dead_letters" {
  queue_url = aws_sqs_queue.dead_letters.id
  policy    = data.aws_iam_policy_document.dead_letters.json
}

resource "aws_lambda_permission" "go_live" {
  statement_id  = "SnsGoLive"
  action        = "lambda:InvokeFunction"
  function_name = var.go_live_function_name
  principal     = "sns.amazonaws.com"
  source_arn    = aws_sns_topic.go_live.arn
}

resource "aws_sns_topic_subscription" "go_live" {
  topic_arn      = aws_sns_topic.go_live.arn
  protocol       = "lambda"
  endpoint       = var.go_live_function_arn
  redrive_policy = jsonencode({ deadLetterTargetArn = aws_sqs_queue.dead_letters.arn })
  depends_on     = [aws_lambda_permission.go_live, aws_sqs_queue_policy.dead_letters]
}

# A go-live message older than ten minutes is stale news: Lambda stops retrying it then.
resource "aws_lambda_function_event_invoke_config" "go_live" {
  function_name                = var.go_live_function_name
  maximum_event_age_in_seconds = 600
  maximum_retry_attempts       = 2
  destination_config {
    on_failure {
      destination = aws_sqs_queue.dead_letters.arn
    }
  }
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
    deadLetterTargetArn = aws_sqs_queue.dead_letters.arn
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
