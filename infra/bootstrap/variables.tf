variable "region" {
  description = "AWS region for the state bucket and lock table (use the one you deploy Cloumer to)."
  type        = string
  default     = "ap-northeast-2"
}

variable "name_prefix" {
  description = "Prefix of the state bucket and lock table names."
  type        = string
  default     = "cloumer"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "Use 2-31 lower-case letters, digits and hyphens, starting with a letter."
  }
}
