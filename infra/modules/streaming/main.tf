# Amazon IVS and IVS Chat resources shared by every channel: where recordings go (two private S3
# buckets, one recording configuration each: public channels' recordings, which the hosting
# module's CloudFront serves to anyone, and private channels', which it serves only to requests
# the API signed for an allowed viewer), the playback key pair for
# private channels, chat logging, the EventBridge rules that feed stream and recording state
# changes and the minute's audience samples to the stream-events function, and IVS Chat's
# permission to call the review handler.
# Channels, stream keys and chat rooms themselves are created by the backend, one per user.

terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
    awscc = {
      source = "hashicorp/awscc"
    }
    tls = {
      source = "hashicorp/tls"
    }
  }
}

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  room_arns = "arn:aws:ivschat:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:room/*"
}

locals {
  # IVS applies a channel's recording configuration when a stream starts: a recording stays in
  # the bucket of the privacy its channel had then.
  recording_buckets = {
    public  = var.recordings_bucket_name
    private = var.private_recordings_bucket_name
  }
}

resource "aws_s3_bucket" "recordings" {
  #checkov:skip=CKV_AWS_18:recordings are read through CloudFront, whose logs are the access record that matters
  #checkov:skip=CKV_AWS_21:IVS writes each recording once under a unique prefix; versions would only add cost
  #checkov:skip=CKV_AWS_144:cross-region replication of video is a cost decision left to the operator
  #checkov:skip=CKV_AWS_145:IVS auto-record writes with SSE-S3; it cannot use a customer KMS key
  #checkov:skip=CKV2_AWS_62:the backend learns of recordings from EventBridge, not S3 notifications
  for_each      = local.recording_buckets
  bucket        = each.value
  force_destroy = false
}

moved {
  from = aws_s3_bucket.recordings
  to   = aws_s3_bucket.recordings["public"]
}

resource "aws_s3_bucket_public_access_block" "recordings" {
  for_each                = aws_s3_bucket.recordings
  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

moved {
  from = aws_s3_bucket_public_access_block.recordings
  to   = aws_s3_bucket_public_access_block.recordings["public"]
}

resource "aws_s3_bucket_ownership_controls" "recordings" {
  for_each = aws_s3_bucket.recordings
  bucket   = each.value.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

moved {
  from = aws_s3_bucket_ownership_controls.recordings
  to   = aws_s3_bucket_ownership_controls.recordings["public"]
}

resource "aws_s3_bucket_server_side_encryption_configuration" "recordings" {
  for_each = aws_s3_bucket.recordings
  bucket   = each.value.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.recordings
  to   = aws_s3_bucket_server_side_encryption_configuration.recordings["public"]
}

resource "aws_s3_bucket_lifecycle_configuration" "recordings" {
  for_each = aws_s3_bucket.recordings
  bucket   = each.value.id

  rule {
    id     = "expire-recordings"
    status = var.recording_retention_days > 0 ? "Enabled" : "Disabled"
    filter {
      prefix = "ivs/"
    }
    expiration {
      days = var.recording_retention_days > 0 ? var.recording_retention_days : 3650
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

moved {
  from = aws_s3_bucket_lifecycle_configuration.recordings
  to   = aws_s3_bucket_lifecycle_configuration.recordings["public"]
}

# The aws provider's aws_ivs_recording_configuration cannot ask for LATEST thumbnails (the
# periodically overwritten one the directory shows for live channels), so this one resource
# comes from the Cloud Control (awscc) provider.
resource "awscc_ivs_recording_configuration" "recordings" {
  for_each                           = aws_s3_bucket.recordings
  name                               = "${var.name_prefix}-${each.key}"
  recording_reconnect_window_seconds = 60

  destination_configuration = {
    s3 = {
      bucket_name = each.value.id
    }
  }

  thumbnail_configuration = {
    recording_mode          = "INTERVAL"
    target_interval_seconds = 10
    storage                 = ["SEQUENTIAL", "LATEST"]
    resolution              = "SD"
  }

  depends_on = [aws_s3_bucket_public_access_block.recordings]
}

moved {
  from = awscc_ivs_recording_configuration.recordings
  to   = awscc_ivs_recording_configuration.recordings["public"]
}

# Private channels: IVS checks playback tokens against this public key; the API signs them with
# the private half (ES384).
resource "tls_private_key" "playback" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P384"
}

resource "aws_ivs_playback_key_pair" "playback" {
  name       = var.name_prefix
  public_key = tls_private_key.playback.public_key_pem
}

resource "aws_cloudwatch_log_group" "chat" {
  #checkov:skip=CKV_AWS_158:chat logs are readable by the account's operators only; CloudWatch's own encryption is enough
  #checkov:skip=CKV_AWS_338:retention is the operator's choice (variable chat_log_retention_days)
  name              = "/cloumer/${var.name_prefix}/chat"
  retention_in_days = var.chat_log_retention_days
}

resource "aws_ivschat_logging_configuration" "chat" {
  name = var.name_prefix
  destination_configuration {
    cloudwatch_logs {
      log_group_name = aws_cloudwatch_log_group.chat.name
    }
  }
}

resource "aws_cloudwatch_event_rule" "ivs_state" {
  name        = "${var.name_prefix}-ivs-state"
  description = "IVS stream and recording state changes, for the stream-events function"
  event_pattern = jsonencode({
    source        = ["aws.ivs"]
    "detail-type" = ["IVS Stream State Change", "IVS Recording State Change"]
  })
}

resource "aws_cloudwatch_event_target" "stream_events" {
  rule = aws_cloudwatch_event_rule.ivs_state.name
  arn  = var.stream_events_function_arn

  # Live state is worth little after an hour; the handler is idempotent, so retries are safe.
  retry_policy {
    maximum_event_age_in_seconds = 3600
    maximum_retry_attempts       = 20
  }

  dead_letter_config {
    arn = aws_sqs_queue.stream_events_dead_letters.arn
  }
}

resource "aws_lambda_permission" "stream_events" {
  statement_id  = "EventBridgeIvsState"
  action        = "lambda:InvokeFunction"
  function_name = var.stream_events_function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.ivs_state.arn
}

# Every minute stream-events samples each live broadcast's audience (IVS ListStreams' viewer
# counts) onto its recording, for the streamer's stream summary. A missed tick is a missing
# point, not worth a retry that would land in the next minute (the handler refuses a second
# sample within 45 s anyway), nor a dead letter that pages someone.
resource "aws_cloudwatch_event_rule" "audience_samples" {
  name                = "${var.name_prefix}-audience-samples"
  description         = "Each minute: live broadcasts' viewer counts, for their stream summaries"
  schedule_expression = "rate(1 minute)"
}

resource "aws_cloudwatch_event_target" "audience_samples" {
  rule = aws_cloudwatch_event_rule.audience_samples.name
  arn  = var.stream_events_function_arn

  retry_policy {
    maximum_event_age_in_seconds = 60
    maximum_retry_attempts       = 0
  }
}

resource "aws_lambda_permission" "audience_samples" {
  statement_id  = "EventBridgeAudienceSamples"
  action        = "lambda:InvokeFunction"
  function_name = var.stream_events_function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.audience_samples.arn
}

resource "aws_lambda_permission" "chat_review" {
  statement_id   = "IvsChatMessageReview"
  action         = "lambda:InvokeFunction"
  function_name  = var.chat_review_function_name
  principal      = "ivschat.amazonaws.com"
  source_arn     = local.room_arns
  source_account = data.aws_caller_identity.current.account_id
}
