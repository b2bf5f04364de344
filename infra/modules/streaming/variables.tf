variable "name_prefix" {
  description = "Prefix of resource names."
  type        = string
}

variable "recordings_bucket_name" {
  description = "Name of the S3 bucket IVS records public channels into (served to anyone through CloudFront)."
  type        = string
}

variable "private_recordings_bucket_name" {
  description = "Name of the S3 bucket IVS records private channels into (served only to signed requests)."
  type        = string
}

variable "recording_retention_days" {
  description = "Days recordings are kept; 0 keeps them until deleted by hand."
  type        = number
  default     = 0
}

variable "chat_log_retention_days" {
  description = "Days CloudWatch keeps the chat log."
  type        = number
  default     = 30
}

variable "stream_events_function_name" {
  description = "Name of the stream-events function."
  type        = string
}

variable "stream_events_function_arn" {
  description = "ARN of the stream-events function (the EventBridge target)."
  type        = string
}

variable "chat_review_function_name" {
  description = "Name of the chat-review function."
  type        = string
}

variable "chat_logs_bucket_name" {
  description = "Name of the S3 bucket IVS Chat delivers the long-term chat log to."
  type        = string
}

variable "chat_log_archive_days" {
  description = "Days the S3 chat log is kept."
  type        = number
  default     = 365
}
