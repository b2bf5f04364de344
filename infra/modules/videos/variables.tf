variable "name_prefix" {
  description = "Prefix of every resource name (cloumer-<environment>)."
  type        = string
}

variable "upload_bucket_name" {
  description = "Name of the bucket uploaded video files go to."
  type        = string
}

variable "upload_retention_days" {
  description = "Days an upload the backend did not remove (processed or failed) is kept."
  type        = number
  default     = 7
}

variable "site_origin" {
  description = "The site's origin (https://…), the only one browsers may upload from."
  type        = string
}

variable "private_recordings_bucket_arn" {
  description = "ARN of the private recordings bucket, where processed videos go under video-files/."
  type        = string
}

variable "video_events_function_name" {
  description = "Name of the video-events function."
  type        = string
}

variable "video_events_function_arn" {
  description = "ARN of the video-events function (the EventBridge target)."
  type        = string
}
