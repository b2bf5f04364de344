output "user_pool_id" {
  description = "User pool id (COGNITO_USER_POOL_ID)."
  value       = aws_cognito_user_pool.users.id
}

output "user_pool_arn" {
  description = "User pool ARN."
  value       = aws_cognito_user_pool.users.arn
}

output "client_id" {
  description = "The browser app's client id (COGNITO_CLIENT_ID)."
  value       = aws_cognito_user_pool_client.web.id
}

output "staff_group" {
  description = "The user pool group of the platform's staff (add people with admin-add-user-to-group)."
  value       = aws_cognito_user_group.staff.name
}
