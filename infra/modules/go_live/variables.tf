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
