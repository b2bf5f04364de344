# Chat messages are logged to CloudWatch Logs (searchable for a few weeks) and to S3 (kept as
# long as `chat_log_retention_days` says, cheaply). Rooms list both configurations; rooms created
# before a configuration existed get it through the stream-events function's reconciliation
# (see environments/prod: aws_lambda_invocation.reconcile_chat_rooms).

resource "aws_s3_bucket" "chat_logs" {
  #checkov:skip=CKV_AWS_18:only IVS Chat's log delivery writes here; CloudTrail data events are the access record if an operator wants one
  #checkov:skip=CKV_AWS_21:each log object is written once under a unique key; versions would only add cost
  #checkov:skip=CKV_AWS_144:cross-region replication of chat logs is a cost decision left to the operator
  #checkov:skip=CKV_AWS_145:log delivery writes with SSE-S3; a customer key would need a key policy for the delivery service
  #checkov:skip=CKV2_AWS_62:nothing reacts to new log objects
  bucket        = var.chat_logs_bucket_name
  force_destroy = false
}

resource "aws_s3_bucket_public_access_block" "chat_logs" {
  bucket                  = aws_s3_bucket.chat_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "chat_logs" {
  bucket = aws_s3_bucket.chat_logs.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "chat_logs" {
  bucket = aws_s3_bucket.chat_logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "chat_logs" {
  bucket = aws_s3_bucket.chat_logs.id

  rule {
    id     = "expire-chat-logs"
    status = "Enabled"
    filter {}
    expiration {
      days = var.chat_log_archive_days
    }
  }

  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

# IVS Chat delivers S3 logs through CloudWatch's log delivery service, which must be allowed to
# write under AWSLogs/<account>/ for this account's deliveries only.
data "aws_iam_policy_document" "chat_logs" {
  statement {
    sid       = "LogDeliveryWrite"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.chat_logs.arn}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]
    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:aws:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:*"]
    }
  }
  statement {
    sid       = "LogDeliveryAclCheck"
    actions   = ["s3:GetBucketAcl"]
    resources = [aws_s3_bucket.chat_logs.arn]
    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
  statement {
    sid       = "TlsOnly"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.chat_logs.arn, "${aws_s3_bucket.chat_logs.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "chat_logs" {
  bucket     = aws_s3_bucket.chat_logs.id
  policy     = data.aws_iam_policy_document.chat_logs.json
  depends_on = [aws_s3_bucket_public_access_block.chat_logs]
}

resource "aws_ivschat_logging_configuration" "chat_s3" {
  name = "${var.name_prefix}-s3"
  destination_configuration {
    s3 {
      bucket_name = aws_s3_bucket.chat_logs.id
    }
  }
  depends_on = [aws_s3_bucket_policy.chat_logs]
}
