# An SNS topic whose one wired subscriber is a function, with nothing lost silently: SNS sends a
# message it could not hand to the function to the dead-letter queue (the subscription's redrive
# policy), and Lambda, which invokes the function asynchronously, retries a failed invocation
# twice and then sends it there too. The ops alarm (modules/observability) watches the queue.
# Further subscribers subscribe to the topic the same way.

terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

resource "aws_sns_topic" "this" {
  name = var.name
  # The account's AWS-managed key for SNS: publishers in this account need no key permissions.
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sqs_queue" "dead_letters" {
  name                      = "${var.name}-dead-letters"
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
      values   = [aws_sns_topic.this.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "dead_letters" {
  queue_url = aws_sqs_queue.dead_letters.id
  policy    = data.aws_iam_policy_document.dead_letters.json
}

resource "aws_lambda_permission" "subscriber" {
  statement_id  = var.permission_statement_id
  action        = "lambda:InvokeFunction"
  function_name = var.subscriber_function_name
  principal     = "sns.amazonaws.com"
  source_arn    = aws_sns_topic.this.arn
}

resource "aws_sns_topic_subscription" "subscriber" {
  topic_arn      = aws_sns_topic.this.arn
  protocol       = "lambda"
  endpoint       = var.subscriber_function_arn
  redrive_policy = jsonencode({ deadLetterTargetArn = aws_sqs_queue.dead_letters.arn })
  depends_on     = [aws_lambda_permission.subscriber, aws_sqs_queue_policy.dead_letters]
}

# The function's asynchronous invocations (every one of them, whoever invokes it): two retries,
# then the dead-letter queue.
resource "aws_lambda_function_event_invoke_config" "subscriber" {
  function_name                = var.subscriber_function_name
  maximum_event_age_in_seconds = var.maximum_event_age_seconds
  maximum_retry_attempts       = 2
  destination_config {
    on_failure {
      destination = aws_sqs_queue.dead_letters.arn
    }
  }
}
