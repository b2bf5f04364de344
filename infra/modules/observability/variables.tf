variable "name_prefix" {
  description = "Prefix of resource names."
  type        = string
}

variable "alarm_email" {
  description = "Email address subscribed to the ops topic; empty for none."
  type        = string
  default     = ""
}

variable "api_id" {
  description = "HTTP API id (API Gateway metrics)."
  type        = string
}

variable "functions" {
  description = "The Lambda functions to watch, by a short name."
  type        = map(string)
}

variable "chat_review_function_name" {
  description = "The chat review function: IVS Chat waits at most 200 ms for it."
  type        = string
}

variable "table_name" {
  description = "The DynamoDB table (throttling)."
  type        = string
}

variable "dead_letter_queues" {
  description = "Names of SQS dead-letter queues that must stay empty."
  type        = list(string)
}
