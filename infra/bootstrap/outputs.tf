output "state_bucket" {
  description = "S3 bucket for Terraform state: the `bucket` of environments/*/backend.hcl."
  value       = aws_s3_bucket.state.id
}

output "lock_table" {
  description = "DynamoDB table for state locking: the `dynamodb_table` of environments/*/backend.hcl."
  value       = aws_dynamodb_table.lock.name
}

output "region" {
  description = "Region of the state bucket: the `region` of environments/*/backend.hcl."
  value       = var.region
}
