# What an operator watches: one CloudWatch dashboard (API, functions, DynamoDB, IVS, chat review)
# and alarms to an ops SNS topic (email if `alarm_email` is set). The Cloumer namespace holds the
# functions' own metrics, written as embedded metric format log lines (backend/lambda/src/metrics.rs).

terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

data "aws_region" "current" {}

locals {
  region = data.aws_region.current.region
  # Chat review: IVS Chat applies the room's fallback after 200 ms; warn well before.
  review_latency_alarm_ms = 150
  log_sources             = join(" | ", [for name in values(var.functions) : "SOURCE '/aws/lambda/${name}'"])
}

resource "aws_sns_topic" "ops" {
  #checkov:skip=CKV_AWS_26:CloudWatch alarms cannot publish to a topic under the AWS-managed SNS key, and alarm messages carry metric names and thresholds, no user data
  name = "${var.name_prefix}-ops"
}

resource "aws_sns_topic_subscription" "email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.ops.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

resource "aws_cloudwatch_metric_alarm" "api_5xx_rate" {
  alarm_name          = "${var.name_prefix}-api-5xx-rate"
  alarm_description   = "More than 5% of API requests failed with 5xx in 3 of the last 5 minutes."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 5
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.ops.arn]
  ok_actions          = [aws_sns_topic.ops.arn]

  metric_query {
    id          = "rate"
    expression  = "IF(requests > 0, 100 * errors / requests, 0)"
    label       = "5xx %"
    return_data = true
  }
  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "5xx"
      dimensions  = { ApiId = var.api_id }
      period      = 60
      stat        = "Sum"
    }
  }
  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "Count"
      dimensions  = { ApiId = var.api_id }
      period      = 60
      stat        = "Sum"
    }
  }
}

# Any failed invocation (unhandled error or timeout) or throttle, per function.
resource "aws_cloudwatch_metric_alarm" "functions" {
  for_each = {
    for pair in setproduct(keys(var.functions), ["Errors", "Throttles"]) :
    "${pair[0]}-${lower(pair[1])}" => { function = var.functions[pair[0]], metric = pair[1] }
  }
  alarm_name          = "${var.name_prefix}-${each.key}"
  alarm_description   = "${each.value.metric} in the ${each.value.function} function."
  namespace           = "AWS/Lambda"
  metric_name         = each.value.metric
  dimensions          = { FunctionName = each.value.function }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.ops.arn]
  ok_actions          = [aws_sns_topic.ops.arn]
}

resource "aws_cloudwatch_metric_alarm" "chat_review_latency" {
  alarm_name          = "${var.name_prefix}-chat-review-latency"
  alarm_description   = "Chat review p99 is near IVS Chat's 200 ms budget; past it, rooms apply their fallback."
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  dimensions          = { FunctionName = var.chat_review_function_name }
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = local.review_latency_alarm_ms
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.ops.arn]
  ok_actions          = [aws_sns_topic.ops.arn]
}

resource "aws_cloudwatch_metric_alarm" "table_throttles" {
  alarm_name          = "${var.name_prefix}-table-throttles"
  alarm_description   = "DynamoDB throttled reads or writes on the table."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.ops.arn]
  ok_actions          = [aws_sns_topic.ops.arn]

  metric_query {
    id          = "throttles"
    expression  = "reads + writes"
    label       = "throttle events"
    return_data = true
  }
  metric_query {
    id = "reads"
    metric {
      namespace   = "AWS/DynamoDB"
      metric_name = "ReadThrottleEvents"
      dimensions  = { TableName = var.table_name }
      period      = 300
      stat        = "Sum"
    }
  }
  metric_query {
    id = "writes"
    metric {
      namespace   = "AWS/DynamoDB"
      metric_name = "WriteThrottleEvents"
      dimensions  = { TableName = var.table_name }
      period      = 300
      stat        = "Sum"
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  for_each            = toset(var.dead_letter_queues)
  alarm_name          = "${each.value}-not-empty"
  alarm_description   = "Events that could not be handled are waiting in ${each.value}; look, fix, replay."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.ops.arn]
  ok_actions          = [aws_sns_topic.ops.arn]
}

resource "aws_cloudwatch_dashboard" "ops" {
  dashboard_name = var.name_prefix
  dashboard_body = jsonencode({
    widgets = [
      {
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title   = "API requests and errors"
          region  = local.region
          stat    = "Sum"
          period  = 60
          metrics = [for name in ["Count", "4xx", "5xx"] : ["AWS/ApiGateway", name, "ApiId", var.api_id]]
        }
      },
      {
        type = "metric", x = 12, y = 0, width = 12, height = 6
        properties = {
          title  = "API latency (ms)"
          region = local.region
          period = 60
          metrics = [
            ["AWS/ApiGateway", "Latency", "ApiId", var.api_id, { stat = "p50", label = "p50" }],
            ["AWS/ApiGateway", "Latency", "ApiId", var.api_id, { stat = "p99", label = "p99" }],
          ]
        }
      },
      {
        type = "metric", x = 0, y = 6, width = 12, height = 6
        properties = {
          title   = "API requests by route and status class (Cloumer)"
          region  = local.region
          period  = 300
          metrics = [[{ expression = "SEARCH('{Cloumer,Route,StatusClass} MetricName=\"Requests\"', 'Sum', 300)", id = "routes" }]]
        }
      },
      {
        type = "metric", x = 12, y = 6, width = 12, height = 6
        properties = {
          title  = "Function errors and throttles"
          region = local.region
          stat   = "Sum"
          period = 300
          metrics = concat(
            [for key, name in var.functions : ["AWS/Lambda", "Errors", "FunctionName", name, { label = "${key} errors" }]],
            [for key, name in var.functions : ["AWS/Lambda", "Throttles", "FunctionName", name, { label = "${key} throttles" }]],
          )
        }
      },
      {
        type = "metric", x = 0, y = 12, width = 12, height = 6
        properties = {
          title   = "Function duration p99 (ms)"
          region  = local.region
          stat    = "p99"
          period  = 300
          metrics = [for key, name in var.functions : ["AWS/Lambda", "Duration", "FunctionName", name, { label = key }]]
        }
      },
      {
        type = "log", x = 12, y = 12, width = 12, height = 6
        properties = {
          title  = "Cold starts: init duration (ms)"
          region = local.region
          view   = "timeSeries"
          query  = "${local.log_sources} | filter @type = \"REPORT\" and ispresent(@initDuration) | stats count() as cold_starts, avg(@initDuration) as avg_init_ms, max(@initDuration) as max_init_ms by bin(5m)"
        }
      },
      {
        type = "metric", x = 0, y = 18, width = 8, height = 6
        properties = {
          title  = "Chat reviews by outcome"
          region = local.region
          stat   = "Sum"
          period = 300
          metrics = [for outcome in ["allowed", "denied", "failed", "late"] :
          ["Cloumer", "ChatReviews", "Outcome", outcome]]
        }
      },
      {
        type = "metric", x = 8, y = 18, width = 8, height = 6
        properties = {
          title  = "Chat review p99 (ms) against the 200 ms budget"
          region = local.region
          period = 300
          metrics = [
            ["AWS/Lambda", "Duration", "FunctionName", var.chat_review_function_name, { stat = "p99", label = "Lambda duration p99" }],
          ]
          annotations = { horizontal = [{ value = 200, label = "IVS Chat budget" }] }
        }
      },
      {
        type = "metric", x = 16, y = 18, width = 8, height = 6
        properties = {
          title  = "DynamoDB throttles"
          region = local.region
          stat   = "Sum"
          period = 300
          metrics = [
            ["AWS/DynamoDB", "ReadThrottleEvents", "TableName", var.table_name],
            ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", var.table_name],
          ]
        }
      },
      {
        type = "metric", x = 0, y = 24, width = 12, height = 6
        properties = {
          title  = "IVS: concurrent streams and viewers"
          region = local.region
          stat   = "Maximum"
          period = 300
          metrics = [
            ["AWS/IVS", "ConcurrentStreams"],
            ["AWS/IVS", "ConcurrentViews", { yAxis = "right" }],
          ]
        }
      },
      {
        type = "metric", x = 12, y = 24, width = 12, height = 6
        properties = {
          title  = "Stream events handled, and waiting in dead-letter queues"
          region = local.region
          period = 300
          metrics = concat(
            [for event in ["stream", "recording", "ignored", "malformed", "failed"] :
            ["Cloumer", "StreamEvents", "Event", event, { stat = "Sum" }]],
            [for queue in var.dead_letter_queues :
            ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue, { stat = "Maximum", yAxis = "right" }]],
          )
        }
      },
    ]
  })
}
