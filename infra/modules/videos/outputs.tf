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
