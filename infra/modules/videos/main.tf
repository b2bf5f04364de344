# Uploaded videos: the upload bucket browsers send files to in parts (S3 multipart uploads with
# URLs the API presigns; CORS for the site's origin; unfinished uploads aborted after a day), the
# role MediaConvert jobs run as (read an upload, write under video-files/ in the private
# recordings bucket, which CloudFront serves to signed requests), and the EventBridge rules that
# hand completed uploads and the jobs' state changes to the video-events function.

terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

resource "aws_s3_bucket" "uploads" {
  #checkov:skip=CKV_AWS_18:an upload lives until its video is processed (at most days); the API's and the function's logs record who uploaded what
  #checkov:skip=CKV_AWS_21:each upload is written once under its video's own key and removed once processed; versions would only keep deleted uploads
  #checkov:skip=CKV_AWS_144:uploads are transient inputs; replicating them is cost without benefit
  #checkov:skip=CKV_AWS_145:SSE-S3 lets browsers upload with presigned URLs without a KMS key policy per uploader; the outputs are what is kept
  bucket        = var.upload_bucket_name
  force_destroy = false
}

resource "aws_s3_bucket_public_access_block" "uploads" {
  bucket                  = aws_s3_bucket.uploads.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "uploads" {
  bucket = aws_s3_bucket.uploads.id

  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  # Processed uploads are removed by the backend; whatever it could not remove goes too.
  rule {
    id     = "expire-leftover-uploads"
    status = "Enabled"
    filter {
      prefix = "uploads/"
    }
    expiration {
      days = var.upload_retention_days
    }
  }
}

# Browsers send each part straight here, from the site's origin, and may read the part's ETag.
resource "aws_s3_bucket_cors_configuration" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  cors_rule {
    allowed_methods = ["PUT"]
    allowed_origins = [var.site_origin]
    allowed_headers = ["content-type", "content-length"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3600
  }
}

# Completed uploads reach the function through EventBridge (S3 sends "Object Created" there).
resource "aws_s3_bucket_notification" "uploads" {
  bucket      = aws_s3_bucket.uploads.id
  eventbridge = true
}

data "aws_iam_policy_document" "mediaconvert_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["mediaconvert.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "mediaconvert" {
  name               = "${var.name_prefix}-mediaconvert"
  assume_role_policy = data.aws_iam_policy_document.mediaconvert_trust.json
}

data "aws_iam_policy_document" "mediaconvert" {
  statement {
    sid       = "ReadUploads"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.uploads.arn}/uploads/*"]
  }
  statement {
    sid       = "WriteVideoFiles"
    actions   = ["s3:PutObject"]
    resources = ["${var.private_recordings_bucket_arn}/video-files/*"]
  }
}

resource "aws_iam_role_policy" "mediaconvert" {
  name   = "video-files"
  role   = aws_iam_role.mediaconvert.id
  policy = data.aws_iam_policy_document.mediaconvert.json
}

resource "aws_cloudwatch_event_rule" "upload_completed" {
  name        = "${var.name_prefix}-upload-completed"
  description = "Completed video uploads, for the video-events function"
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["Object Created"]
    detail = {
      bucket = { name = [aws_s3_bucket.uploads.id] }
      object = { key = [{ prefix = "uploads/" }] }
    }
  })
}

resource "aws_cloudwatch_event_rule" "transcoding" {
  name        = "${var.name_prefix}-transcoding"
  description = "State changes of the MediaConvert jobs of uploaded videos, for the video-events function"
  event_pattern = jsonencode({
    source        = ["aws.mediaconvert"]
    "detail-type" = ["MediaConvert Job State Change"]
    detail = {
      status       = ["STATUS_UPDATE", "COMPLETE", "ERROR", "CANCELED"]
      userMetadata = { videoId = [{ exists = true }] }
    }
  })
}

locals {
  video_rules = {
    upload_completed = aws_cloudwatch_event_rule.upload_completed
    transcoding      = aws_cloudwatch_event_rule.transcoding
  }
}

resource "aws_cloudwatch_event_target" "video_events" {
  for_each = local.video_rules
  rule     = each.value.name
  arn      = var.video_events_function_arn

  # Every step is idempotent, so retries are safe; a video waits at most a day for its turn.
  retry_policy {
    maximum_event_age_in_seconds = 86400
    maximum_retry_attempts       = 20
  }
}

resource "aws_lambda_permission" "video_events" {
  for_each      = local.video_rules
  statement_id  = "EventBridge-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = var.video_events_function_name
  principal     = "events.amazonaws.com"
  source_arn    = each.value.arn
}

# A video that became ready fans out through an SNS topic, as the seed's pipeline does: the
# video-events function publishes it once the video is published (its metadata is the probe's,
# kept on the record before the job), and every subscriber acts on it in parallel. The one wired
# here is video-events itself, which tells the uploader (their bell, an email); further ones (a
# search indexer, a webhook) subscribe the same way. Its dead-letter queue also takes the
# function's failed EventBridge invocations (every asynchronous invocation retries twice).
module "video_ready" {
  source                   = "../fan_out"
  name                     = "${var.name_prefix}-video-ready"
  subscriber_function_name = var.video_events_function_name
  subscriber_function_arn  = var.video_events_function_arn
  permission_statement_id  = "SnsVideoReady"
  # Six hours; EventBridge's own retries (above) cover a day before that.
  maximum_event_age_seconds = 21600
}
