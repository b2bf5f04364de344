variable "region" {
  description = "AWS region (IVS and IVS Chat must be available there; Seoul by default)."
  type        = string
  default     = "ap-northeast-2"
}

variable "environment" {
  description = "Environment name, part of every resource name."
  type        = string
  default     = "prod"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.environment))
    error_message = "Use 2-12 lower-case letters and digits, starting with a letter."
  }
}

variable "lambda_zip_dir" {
  description = "Directory `cargo xtask package` writes zips to (target/lambda in the checkout)."
  type        = string
  default     = "../../../target/lambda"
}

variable "lambda_architecture" {
  description = "arm64 (Graviton: about 20% cheaper per GB-second), or x86_64 where `cargo xtask package` could not build arm64 zips; `cargo xtask deploy` sets it to what it built."
  type        = string
  default     = "arm64"
  validation {
    condition     = contains(["arm64", "x86_64"], var.lambda_architecture)
    error_message = "lambda_architecture is arm64 or x86_64."
  }
}

variable "api_reserved_concurrency" {
  description = "Concurrency reserved for (and capping) the api function; -1 for none."
  type        = number
  default     = -1
}

variable "api_rate_limit" {
  description = "API Gateway steady requests per second."
  type        = number
  default     = 200
}

variable "api_burst_limit" {
  description = "API Gateway burst above the steady rate."
  type        = number
  default     = 400
}

variable "recording_retention_days" {
  description = "Days past broadcasts are kept in S3; 0 keeps them."
  type        = number
  default     = 0
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps function, API and chat logs."
  type        = number
  default     = 30
}

variable "price_class" {
  description = "CloudFront price class."
  type        = string
  default     = "PriceClass_All"
}

variable "web_acl_arn" {
  description = "Optional AWS WAF web ACL (CLOUDFRONT scope) for the distribution."
  type        = string
  default     = null
}

variable "deletion_protection" {
  description = "Protect the table and user pool from deletion (turn off only to tear down)."
  type        = bool
  default     = true
}

variable "chat_log_archive_days" {
  description = "Days the chat log is kept in S3 (CloudWatch Logs keeps it log_retention_days)."
  type        = number
  default     = 365
}

variable "alarm_email" {
  description = "Email address the ops alarms are sent to (confirm the subscription email AWS sends); empty: alarms go only to the SNS topic."
  type        = string
  default     = ""
}

variable "email_identity" {
  description = "The domain (or single address) go-live emails are sent from, verified in SES; empty: no emails are sent. Add the DKIM records from the output email_dkim_records to its DNS."
  type        = string
  default     = ""
}

variable "email_from" {
  description = "The sender of go-live emails, e.g. \"Cloumer <notifications@example.com>\"; its address must be within email_identity."
  type        = string
  default     = ""
}

variable "email_send_rate" {
  description = "Go-live emails a second: the account's SES maximum sending rate (14 by default once out of the sandbox; raise it with AWS, then here)."
  type        = number
  default     = 14
  validation {
    condition     = var.email_send_rate >= 1
    error_message = "email_send_rate must be at least 1."
  }
}

variable "email_sender_concurrency" {
  description = "Copies of the email-sender the queue runs at once, sharing email_send_rate (2 at least, SQS's minimum for a Lambda consumer)."
  type        = number
  default     = 2
  validation {
    condition     = var.email_sender_concurrency >= 2 && var.email_sender_concurrency <= 1000
    error_message = "email_sender_concurrency must be 2-1000."
  }
}
