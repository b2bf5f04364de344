output "table_name" {
  description = "Table name."
  value       = aws_dynamodb_table.store.name
}

output "table_arn" {
  description = "Table ARN."
  value       = aws_dynamodb_table.store.arn
}

output "index_arns" {
  description = "ARNs covering the table's indexes, for IAM."
  value       = ["${aws_dynamodb_table.store.arn}/index/*"]
}
