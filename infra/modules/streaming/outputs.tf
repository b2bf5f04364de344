output "recordings_bucket" {
  description = "The recordings bucket's id, ARN and regional domain name (for the CloudFront origin)."
  value = {
    id                          = aws_s3_bucket.recordings.id
    arn                         = aws_s3_bucket.recordings.arn
    bucket_regional_domain_name = aws_s3_bucket.recordings.bucket_regional_domain_name
  }
}

output "recording_configuration_arn" {
  description = "ARN of the IVS recording configuration (RECORDING_CONFIGURATION_ARN)."
  value       = awscc_ivs_recording_configuration.recordings.arn
}

output "playback_private_key_pem" {
  description = "Private half of the playback key pair (PLAYBACK_PRIVATE_KEY), PKCS#8 PEM."
  value       = tls_private_key.playback.private_key_pem_pkcs8
  sensitive   = true
}

output "playback_key_pair_arn" {
  description = "ARN of the IVS playback key pair."
  value       = aws_ivs_playback_key_pair.playback.arn
}

output "chat_logging_configuration_arn" {
  description = "ARN of the IVS Chat logging configuration (CHAT_LOGGING_CONFIGURATION_ARN)."
  value       = aws_ivschat_logging_configuration.chat.arn
}

output "room_arns" {
  description = "ARN pattern of every IVS Chat room in this account and region, for IAM."
  value       = local.room_arns
}
