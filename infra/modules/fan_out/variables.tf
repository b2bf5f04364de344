variable "name" {
  description = "The topic's name (its dead-letter queue is named after it)."
  type        = string
}

variable "subscriber_function_name" {
  description = "Name of the function subscribed to the topic."
  type        = string
}

variable "subscriber_function_arn" {
  description = "ARN of the function subscribed to the topic."
  type        = string
}

variable "permission_statement_id" {
  description = "The statement id of SNS's permission to invoke the function."
  type        = string
}

variable "maximum_event_age_seconds" {
  description = "How long Lambda keeps retrying an invocation of the function: older news is dropped (to the dead-letter queue)."
  type        = number
}
