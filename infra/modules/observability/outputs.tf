output "dashboard_url" {
  description = "The CloudWatch dashboard in the console."
  value       = "https://${data.aws_region.current.region}.console.aws.amazon.com/cloudwatch/home?region=${data.aws_region.current.region}#dashboards:name=${aws_cloudwatch_dashboard.ops.dashboard_name}"
}

output "ops_topic_arn" {
  description = "SNS topic every alarm publishes to."
  value       = aws_sns_topic.ops.arn
}
