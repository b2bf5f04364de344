variable "name" {
  description = "Function name (also the role and log group name)."
  type        = string
}

variable "description" {
  description = "What the function does."
  type        = string
}

variable "zip_path" {
  description = "The deployment zip from `cargo xtask package` (target/lambda/<arch>/functions/bootstrap.zip): one binary holding every function."
  type        = string
}

variable "handler" {
  description = "Which function of the binary this is (Lambda passes it to the binary as _HANDLER): a file name in backend/lambda/src/bin/functions/, with - for _."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+(-[a-z]+)*$", var.handler))
    error_message = "handler is a function's name: lower-case words joined by hyphens, such as chat-review."
  }
}

variable "architecture" {
  description = "x86_64 or arm64; must match the zip."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture is x86_64 or arm64."
  }
}

variable "environment" {
  description = "Environment variables the binary reads."
  type        = map(string)
  sensitive   = true
}

variable "statements" {
  description = "IAM statements the function needs besides writing its own logs: named actions on named resources, optionally narrowed by conditions."
  type = list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.statements : !contains(s.actions, "*") && alltrue([for a in s.actions : !endswith(a, ":*")])])
    error_message = "Name each action; wildcards are not allowed."
  }
}

variable "memory_mb" {
  description = "Memory (and with it CPU) for the function."
  type        = number
  default     = 256
}

variable "timeout_seconds" {
  description = "Longest run of one invocation."
  type        = number
  default     = 10
}

variable "reserved_concurrency" {
  description = "Concurrent executions reserved for (and capping) the function; -1 for no reservation."
  type        = number
  default     = -1
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the function's logs."
  type        = number
  default     = 30
}

variable "log_level" {
  description = "RUST_LOG filter."
  type        = string
  default     = "info"
}
