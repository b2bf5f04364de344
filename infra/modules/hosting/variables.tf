variable "name_prefix" {
  description = "Prefix of resource names."
  type        = string
}

variable "site_bucket_name" {
  description = "Name of the private S3 bucket holding the built browser app (dist/)."
  type        = string
}

variable "recordings_buckets" {
  description = "The IVS recordings buckets: public (served under /ivs/*) and private (under /private-recordings/*, signed requests only)."
  type = object({
    public = object({
      id                          = string
      arn                         = string
      bucket_regional_domain_name = string
    })
    private = object({
      id                          = string
      arn                         = string
      bucket_regional_domain_name = string
    })
  })
}

variable "price_class" {
  description = "CloudFront price class (PriceClass_All reaches Korea's edge locations at full speed)."
  type        = string
  default     = "PriceClass_All"
}

variable "web_acl_arn" {
  description = "Optional AWS WAF web ACL (CLOUDFRONT scope) to attach."
  type        = string
  default     = null
}

variable "api_domain" {
  description = "Host name of the HTTP API (API Gateway's): the app's pages that shared links name come from there, with their link card."
  type        = string
}
