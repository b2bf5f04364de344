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
  value       = module.video_ready.topic_arn
}

output "dead_letter_queue" {
  description = "Video events and ready-video messages no invocation could handle (arn, name)."
  value       = module.video_ready.dead_letter_queue
}
