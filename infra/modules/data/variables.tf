variable "table_name" {
  description = "Name of the DynamoDB table (the functions' TABLE_NAME)."
  type        = string
}

variable "deletion_protection" {
  description = "Refuse to delete the table (turn off only to tear an environment down)."
  type        = bool
  default     = true
}
