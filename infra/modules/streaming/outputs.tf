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

output "chat_logging_configuration_arn" {
  description = "ARN of the IVS Chat logging configuration (CHAT_LOGGING_CONFIGURATION_ARN)."
  value       = aws_ivschat_logging_configuration.chat.arn
}

output "room_arns" {
  description = "ARN pattern of every IVS Chat room in this account and region, for IAM."
  value       = local.room_arns
}
