# The browser app on a private S3 bucket behind CloudFront (origin access control, HTTPS only,
# security headers, SPA routing, shared links' pages from the API), and the recordings buckets behind the same distribution, so
# past broadcasts and thumbnails come from the site's own origin: public channels' under /ivs/*,
# private channels' under /private-recordings/*, only to requests signed with the key below
# (the API signs for the channel's allowed viewers).

terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
    tls = {
      source = "hashicorp/tls"
    }
  }
}

resource "aws_s3_bucket" "site" {
  #checkov:skip=CKV_AWS_18:CloudFront's logs are the access record; S3 access logs would duplicate them
  #checkov:skip=CKV_AWS_144:the site is rebuilt from source; replication is not needed
  #checkov:skip=CKV_AWS_145:CloudFront origin access control reads SSE-S3 objects without extra KMS grants
  #checkov:skip=CKV2_AWS_62:nothing consumes site upload notifications
  bucket        = var.site_bucket_name
  force_destroy = true
}

resource "aws_s3_bucket_versioning" "site" {
  bucket = aws_s3_bucket.site.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  rule {
    id     = "old-builds"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

resource "aws_s3_bucket_public_access_block" "site" {
  bucket                  = aws_s3_bucket.site.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "site" {
  bucket = aws_s3_bucket.site.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_cloudfront_origin_access_control" "s3" {
  name                              = "${var.name_prefix}-s3"
  description                       = "CloudFront reads the site and recordings buckets"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

# The browser app's routes: index.html from the bucket, or from the API with a shared link's
# card in it (see the function's code).
resource "aws_cloudfront_function" "spa_routes" {
  name    = "${var.name_prefix}-spa-routes"
  runtime = "cloudfront-js-2.0"
  comment = "The app's routes: index.html, with a shared link's card from the API"
  publish = true
  code    = file("${path.module}/functions/spa-routes.js")
}

# Private recordings: CloudFront trusts this key; the API signs with its private half
# (in the API's signing-keys secret), one policy per channel's recordings, for a few hours.
resource "tls_private_key" "recordings" {
  algorithm = "RSA"
  rsa_bits  = 2048
}

resource "aws_cloudfront_public_key" "recordings" {
  name        = "${var.name_prefix}-recordings"
  comment     = "Signs access to private channels' recordings"
  encoded_key = tls_private_key.recordings.public_key_pem
}

resource "aws_cloudfront_key_group" "recordings" {
  name    = "${var.name_prefix}-recordings"
  comment = "Keys the API signs private recordings' URLs with"
  items   = [aws_cloudfront_public_key.recordings.id]
}

resource "aws_cloudfront_function" "private_recordings" {
  for_each = toset(["request", "response"])
  name     = "${var.name_prefix}-private-recordings-${each.key}"
  runtime  = "cloudfront-js-2.0"
  comment  = "Private recordings: ${each.key == "request" ? "the bucket's keys" : "the signature kept in cookies"}"
  publish  = true
  code     = file("${path.module}/functions/private-recordings-${each.key}.js")
}

data "aws_cloudfront_cache_policy" "optimized" {
  name = "Managed-CachingOptimized"
}

resource "aws_cloudfront_cache_policy" "live_thumbnails" {
  name        = "${var.name_prefix}-live-thumbnails"
  comment     = "IVS overwrites the latest thumbnail every few seconds"
  min_ttl     = 0
  default_ttl = 5
  max_ttl     = 10
  parameters_in_cache_key_and_forwarded_to_origin {
    enable_accept_encoding_brotli = false
    enable_accept_encoding_gzip   = false
    cookies_config {
      cookie_behavior = "none"
    }
    headers_config {
      header_behavior = "none"
    }
    query_strings_config {
      query_string_behavior = "none"
    }
  }
}

resource "aws_cloudfront_response_headers_policy" "security" {
  name    = "${var.name_prefix}-security"
  comment = "Security headers for the browser app"

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = 63072000
      include_subdomains         = true
      preload                    = true
      override                   = true
    }
    content_type_options {
      override = true
    }
    frame_options {
      frame_option = "DENY"
      override     = true
    }
    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }
    xss_protection {
      protection = true
      mode_block = true
      override   = true
    }
    # script-src is in index.html: `cargo xtask build-web` writes it with the hash of Trunk's
    # inline loader, which changes with every build. These directives need no build output.
    content_security_policy {
      content_security_policy = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'; img-src 'self'; upgrade-insecure-requests"
      override                = true
    }
  }
}

# The same for the pages other sites may frame: a channel's player alone (/embed/<handle>), which
# does nothing for a signed-in viewer, so any page may frame it (no X-Frame-Options).
resource "aws_cloudfront_response_headers_policy" "embed" {
  name    = "${var.name_prefix}-embed"
  comment = "Security headers for the embeddable player pages"

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = 63072000
      include_subdomains         = true
      preload                    = true
      override                   = true
    }
    content_type_options {
      override = true
    }
    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }
    xss_protection {
      protection = true
      mode_block = true
      override   = true
    }
    content_security_policy {
      content_security_policy = "frame-ancestors *; object-src 'none'; base-uri 'self'; form-action 'self'; img-src 'self'; upgrade-insecure-requests"
      override                = true
    }
  }
}

resource "aws_cloudfront_distribution" "site" {
  #checkov:skip=CKV_AWS_68:WAF costs money per month; attach a web ACL (variable web_acl_arn) when traffic warrants it
  #checkov:skip=CKV2_AWS_47:no WAF by default (see CKV_AWS_68)
  #checkov:skip=CKV_AWS_86:access logging needs a log bucket with ACLs; enable when needed
  #checkov:skip=CKV_AWS_310:a single region's S3 is the only origin for this content; failover would need replication
  #checkov:skip=CKV_AWS_174:with the default *.cloudfront.net certificate CloudFront fixes the TLS policy; set a custom domain to choose TLSv1.2_2021
  #checkov:skip=CKV_AWS_374:a public streaming site serves every country; restrict with geo_restriction if your licence demands it
  #checkov:skip=CKV2_AWS_42:the default *.cloudfront.net certificate is used unless a custom domain is configured
  enabled             = true
  comment             = "Cloumer (${var.name_prefix})"
  default_root_object = "index.html"
  http_version        = "http2and3"
  is_ipv6_enabled     = true
  price_class         = var.price_class
  web_acl_id          = var.web_acl_arn

  origin {
    origin_id                = "site"
    domain_name              = aws_s3_bucket.site.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.s3.id
  }

  # The HTTP API, for the pages shared links open (index.html with their card). Only the
  # spa-routes function sends requests here; it is nobody's target otherwise.
  origin {
    origin_id   = "api"
    domain_name = var.api_domain
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  origin {
    origin_id                = "recordings"
    domain_name              = var.recordings_buckets.public.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.s3.id
  }

  origin {
    origin_id                = "private-recordings"
    domain_name              = var.recordings_buckets.private.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.s3.id
  }

  default_cache_behavior {
    target_origin_id           = "site"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = data.aws_cloudfront_cache_policy.optimized.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id

    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.spa_routes.arn
    }
  }

  ordered_cache_behavior {
    path_pattern               = "/ivs/*/latest_thumbnail/*"
    target_origin_id           = "recordings"
    viewer_protocol_policy     = "https-only"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = false
    cache_policy_id            = aws_cloudfront_cache_policy.live_thumbnails.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id
  }

  ordered_cache_behavior {
    path_pattern               = "/ivs/*"
    target_origin_id           = "recordings"
    viewer_protocol_policy     = "https-only"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = data.aws_cloudfront_cache_policy.optimized.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id
  }

  # The embeddable player pages: index.html as for every app route (the same function), with
  # the headers that let other sites frame them.
  ordered_cache_behavior {
    path_pattern               = "/embed/*"
    target_origin_id           = "site"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = data.aws_cloudfront_cache_policy.optimized.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.embed.id

    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.spa_routes.arn
    }
  }

  # Emote images: each key names one upload's bytes for good (the objects say so in their
  # Cache-Control, which this policy honours).
  ordered_cache_behavior {
    path_pattern               = "/emotes/*"
    target_origin_id           = "recordings"
    viewer_protocol_policy     = "https-only"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = false
    cache_policy_id            = data.aws_cloudfront_cache_policy.optimized.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id
  }

  ordered_cache_behavior {
    path_pattern               = "/private-recordings/*"
    target_origin_id           = "private-recordings"
    viewer_protocol_policy     = "https-only"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = data.aws_cloudfront_cache_policy.optimized.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id
    trusted_key_groups         = [aws_cloudfront_key_group.recordings.id]

    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.private_recordings["request"].arn
    }

    function_association {
      event_type   = "viewer-response"
      function_arn = aws_cloudfront_function.private_recordings["response"].arn
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}

# Every bucket: CloudFront (this distribution only) may read what it serves, and nothing may use
# plain HTTP. The public recordings bucket also holds the emote images the API uploads (emotes/).
locals {
  buckets = merge(
    {
      site = {
        id       = aws_s3_bucket.site.id
        arn      = aws_s3_bucket.site.arn
        readable = ["${aws_s3_bucket.site.arn}/*"]
      }
    },
    {
      for key, bucket in var.recordings_buckets : "${key}-recordings" => {
        id       = bucket.id
        arn      = bucket.arn
        readable = key == "public" ? ["${bucket.arn}/ivs/*", "${bucket.arn}/emotes/*"] : ["${bucket.arn}/ivs/*"]
      }
    },
  )
}

data "aws_iam_policy_document" "bucket" {
  for_each = local.buckets

  statement {
    sid       = "CloudFrontReads"
    actions   = ["s3:GetObject"]
    resources = each.value.readable
    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.site.arn]
    }
  }
  statement {
    sid       = "TlsOnly"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [each.value.arn, "${each.value.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "bucket" {
  for_each = local.buckets
  bucket   = each.value.id
  policy   = data.aws_iam_policy_document.bucket[each.key].json
}
