output "upload_bucket" {
  description = "The upload bucket (name and ARN)."
  value = {
    id  = aws_s3_bucket.uploads.id
    arn = aws_s3_bucket.uploads.arn
  }
}

output "mediaconvert_role_arn" {
  description = "The role MediaConvert jobs run as."
  value       = aws_iam_role.mediaconvert.arn
}

output "video_ready_topic_arn" {
  description = "The topic ready videos are published to."
  value       = aws_sns_topic.video_ready.arn
}

output "dead_letter_queue" {
  description = "Video events and ready-video messages no invocation could handle (arn, name)."
  value = {
    arn  = aws_sqs_queue.dead_letters.arn
    name = aws_sqs_queue.dead_letters.name
  }
}
