variable "name" {
  description = "Name of the HTTP API."
  type        = string
}

variable "function_name" {
  description = "Name of the api function."
  type        = string
}

variable "function_invoke_arn" {
  description = "Invoke ARN of the api function."
  type        = string
}

variable "throttling_rate_limit" {
  description = "Steady requests per second across the API."
  type        = number
  default     = 200
}

variable "throttling_burst_limit" {
  description = "Burst of requests above the steady rate."
  type        = number
  default     = 400
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the access log."
  type        = number
  default     = 30
}
