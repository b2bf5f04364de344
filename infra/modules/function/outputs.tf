output "arn" {
  description = "Function ARN."
  value       = aws_lambda_function.function.arn
}

output "name" {
  description = "Function name."
  value       = aws_lambda_function.function.function_name
}

output "invoke_arn" {
  description = "ARN for API Gateway integrations."
  value       = aws_lambda_function.function.invoke_arn
}

output "role_name" {
  description = "The function's IAM role."
  value       = aws_iam_role.function.name
}

output "log_group" {
  description = "The function's CloudWatch log group."
  value       = aws_cloudwatch_log_group.function.name
}
