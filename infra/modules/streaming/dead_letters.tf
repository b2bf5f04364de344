# Stream and recording events that could not be handled: EventBridge's own delivery failures and
# the function's failures after Lambda's retries land here instead of vanishing. The ops alarm
# (modules/observability) fires as soon as one arrives; the messages carry the original event, so
# an operator can replay them.

resource "aws_sqs_queue" "stream_events_dead_letters" {
  name                      = "${var.name_prefix}-stream-events-dead-letters"
  message_retention_seconds = 1209600 # 14 days, the most SQS keeps.
  sqs_managed_sse_enabled   = true
}

data "aws_iam_policy_document" "stream_events_dead_letters" {
  statement {
    sid       = "EventBridgeDeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.stream_events_dead_letters.arn]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.ivs_state.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "stream_events_dead_letters" {
  queue_url = aws_sqs_queue.stream_events_dead_letters.id
  policy    = data.aws_iam_policy_document.stream_events_dead_letters.json
}

# EventBridge invokes the function asynchronously: Lambda retries a failed event twice, then
# sends it here (the function's role may send to this queue; see environments/prod).
resource "aws_lambda_function_event_invoke_config" "stream_events" {
  function_name                = var.stream_events_function_name
  maximum_event_age_in_seconds = 3600
  maximum_retry_attempts       = 2
  destination_config {
    on_failure {
      destination = aws_sqs_queue.stream_events_dead_letters.arn
    }
  }
}
