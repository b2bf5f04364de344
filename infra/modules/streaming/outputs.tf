output "recordings_buckets" {
  description = "The recordings buckets (public, private): id, ARN and regional domain name (for the CloudFront origins)."
  value = {
    for key, bucket in aws_s3_bucket.recordings : key => {
      id                          = bucket.id
      arn                         = bucket.arn
      bucket_regional_domain_name = bucket.bucket_regional_domain_name
    }
  }
}

output "recording_configuration_arn" {
  description = "ARN of the IVS recording configuration public channels record with (RECORDING_CONFIGURATION_ARN)."
  value       = awscc_ivs_recording_configuration.recordings["public"].arn
}

output "private_recording_configuration_arn" {
  description = "ARN of the IVS recording configuration private channels record with (PRIVATE_RECORDING_CONFIGURATION_ARN)."
  value       = awscc_ivs_recording_configuration.recordings["private"].arn
}

output "private_recordings_bucket" {
  description = "Name of the bucket private channels record into (PRIVATE_RECORDINGS_BUCKET)."
  value       = aws_s3_bucket.recordings["private"].id
}

output "playback_private_key_pem" {
  description = "Private half of the playback key pair (in the API's signing-keys secret), PKCS#8 PEM."
  value       = tls_private_key.playback.private_key_pem_pkcs8
  sensitive   = true
}

output "playback_key_pair_arn" {
  description = "ARN of the IVS playback key pair."
  value       = aws_ivs_playback_key_pair.playback.arn
}

output "chat_logging_configuration_arns" {
  description = "ARNs of the IVS Chat logging configurations every room uses: CloudWatch Logs and S3 (CHAT_LOGGING_CONFIGURATION_ARNS)."
  value       = [aws_ivschat_logging_configuration.chat.arn, aws_ivschat_logging_configuration.chat_s3.arn]
}

output "chat_logs_bucket" {
  description = "Bucket the S3 chat log is delivered to."
  value       = aws_s3_bucket.chat_logs.id
}

output "stream_events_dead_letter_queue" {
  description = "Name and ARN of the queue stream and recording events go to when they cannot be handled."
  value = {
    name = aws_sqs_queue.stream_events_dead_letters.name
    arn  = aws_sqs_queue.stream_events_dead_letters.arn
  }
}

output "room_arns" {
  description = "ARN pattern of every IVS Chat room in this account and region, for IAM."
  value       = local.room_arns
}
