variable "name_prefix" {
  description = "Prefix of resource names."
  type        = string
}

variable "go_live_function_name" {
  description = "Name of the go-live function, the topic's subscriber."
  type        = string
}

variable "go_live_function_arn" {
  description = "ARN of the go-live function."
  type        = string
}

variable "email_sender_function_arn" {
  description = "ARN of the email-sender function, the email queue's consumer."
  type        = string
}

variable "email_sender_timeout_seconds" {
  description = "The email-sender function's time limit (the queue's visibility timeout is six times it)."
  type        = number
}

variable "email_sender_concurrency" {
  description = "How many copies of the email-sender run at once (2 at least, SQS's minimum); they share the sending rate."
  type        = number
}
