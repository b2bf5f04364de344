output "site_url" {
  description = "Open this: the Cloumer site."
  value       = module.hosting.site_url
}

output "site_bucket" {
  description = "Upload the built browser app (dist/) here."
  value       = module.hosting.site_bucket
}

output "distribution_id" {
  description = "CloudFront distribution to invalidate after an upload."
  value       = module.hosting.distribution_id
}

output "api_url" {
  description = "The HTTP API's base URL."
  value       = module.api.url
}

output "user_pool_id" {
  description = "Cognito user pool id."
  value       = module.auth.user_pool_id
}

output "client_id" {
  description = "Cognito app client id of the browser app."
  value       = module.auth.client_id
}

output "dashboard_url" {
  description = "The CloudWatch dashboard: API, functions, DynamoDB, IVS and chat review."
  value       = module.observability.dashboard_url
}

output "ops_topic_arn" {
  description = "SNS topic the alarms publish to: subscribe a pager or chat integration here."
  value       = module.observability.ops_topic_arn
}

output "email_dkim_records" {
  description = "CNAME records to add to the email domain's DNS so SES can sign (and send) go-live emails."
  value = [for token in try(aws_sesv2_email_identity.go_live[0].dkim_signing_attributes[0].tokens, []) : {
    name  = "${token}._domainkey.${var.email_identity}"
    type  = "CNAME"
    value = "${token}.dkim.amazonses.com"
  }]
}

output "table_name" {
  description = "The DynamoDB table, for the deploy's data upgrades."
  value       = module.data.table_name
}

output "staff_group" {
  description = "Put the platform's staff (who settle reports) in this user pool group: aws cognito-idp admin-add-user-to-group --user-pool-id <user_pool_id> --username <email> --group-name <staff_group>."
  value       = module.auth.staff_group
}
