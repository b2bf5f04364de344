output "site_bucket" {
  description = "Bucket to upload dist/ to."
  value       = aws_s3_bucket.site.id
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
