variable "pool_name" {
  description = "Name of the user pool."
  type        = string
}

variable "post_confirmation_function_name" {
  description = "Name of the post-confirmation Lambda function."
  type        = string
}

variable "post_confirmation_function_arn" {
  description = "ARN of the post-confirmation Lambda function. Built from its name by the caller, so that the function can take the pool id in its environment without a dependency cycle."
  type        = string
}

variable "deletion_protection" {
  description = "Refuse to delete the user pool."
  type        = bool
  default     = true
}
