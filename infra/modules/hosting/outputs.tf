output "site_bucket" {
  description = "Bucket to upload dist/ to."
  value       = aws_s3_bucket.site.id
}

output "site_bucket_arn" {
  description = "ARN of that bucket (the API reads its index.html)."
  value       = aws_s3_bucket.site.arn
}

output "distribution_id" {
  description = "CloudFront distribution id (for invalidations)."
  value       = aws_cloudfront_distribution.site.id
}

output "site_url" {
  description = "The site's URL."
  value       = "https://${aws_cloudfront_distribution.site.domain_name}"
}

output "domain_name" {
  description = "The distribution's domain name."
  value       = aws_cloudfront_distribution.site.domain_name
}

output "recordings_key_pair_id" {
  description = "Id of the CloudFront public key private recordings are signed for (RECORDINGS_KEY_PAIR_ID)."
  value       = aws_cloudfront_public_key.recordings.id
}

output "recordings_private_key_pem" {
  description = "Private half of that key (in the API's signing-keys secret), PKCS#1 PEM."
  value       = tls_private_key.recordings.private_key_pem
  sensitive   = true
}
