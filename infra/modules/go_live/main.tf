# Stream starts fan out through one SNS topic: stream-events publishes each go-live once, and
# every subscriber acts on it in parallel. The go-live function (webhooks) is the subscriber
# this module wires; further ones (email, push) subscribe the same way.
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
