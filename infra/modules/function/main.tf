# One Lambda function (provided.al2023) running one handler of Cloumer's functions binary, with
# its own role that may write only its own log group plus the statements the caller grants, and
# a log group with a retention period.

data "aws_partition" "current" {}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  name               = var.name
  description        = "Runs the ${var.name} Lambda function"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_cloudwatch_log_group" "function" {
  #checkov:skip=CKV_AWS_158:function logs hold no secrets; CloudWatch's own encryption is enough
  #checkov:skip=CKV_AWS_338:a short retention is a deliberate cost choice (variable log_retention_days)
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
}

data "aws_iam_policy_document" "function" {
  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function.arn}:*"]
  }

  statement {
    # X-Ray takes no resource-level permissions: these two actions only accept "*".
    sid       = "Tracing"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = var.statements
    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = statement.value.resources
      dynamic "condition" {
        for_each = statement.value.conditions
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_iam_role_policy" "function" {
  name   = var.name
  role   = aws_iam_role.function.id
  policy = data.aws_iam_policy_document.function.json
}

resource "aws_lambda_function" "function" {
  #checkov:skip=CKV_AWS_117:the functions call only AWS public endpoints; a VPC would add NAT cost and cold-start time
  #checkov:skip=CKV_AWS_116:the one function invoked asynchronously (stream-events) sends failed events to an on-failure destination, the newer form of a DLQ (modules/streaming/dead_letters.tf)
  #checkov:skip=CKV_AWS_272:code signing needs an AWS Signer profile the project does not manage
  #checkov:skip=CKV_AWS_173:environment variables hold no secrets (the private keys are in Secrets Manager) and are encrypted at rest with the Lambda service key
  function_name    = var.name
  description      = var.description
  role             = aws_iam_role.function.arn
  runtime          = "provided.al2023"
  handler          = var.handler
  architectures    = [var.architecture]
  filename         = var.zip_path
  source_code_hash = filebase64sha256(var.zip_path)
  memory_size      = var.memory_mb
  timeout          = var.timeout_seconds

  reserved_concurrent_executions = var.reserved_concurrency

  environment {
    variables = merge({ RUST_LOG = var.log_level }, var.environment)
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function.name
  }

  depends_on = [aws_iam_role_policy.function]
}
