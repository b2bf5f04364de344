# The HTTP API: API Gateway (HTTP API, payload 2.0) in front of the api function, with
# throttling and JSON access logs. CORS is the function's (axum's CORS layer, for the site's
# origin, SITE_ORIGIN): CloudFront needs this API's address for the pages shared links open, so
# the API cannot also need CloudFront's, as API Gateway's own CORS settings would.

resource "aws_apigatewayv2_api" "http" {
  name          = var.name
  description   = "Cloumer HTTP API"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "api" {
  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_uri        = var.function_invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = 10000
}

# Routing is the function's job (axum): everything under /api goes to it.
resource "aws_apigatewayv2_route" "api" {
  #checkov:skip=CKV_AWS_309:the API is public by design; the function verifies Cognito tokens per route (anonymous viewers may read)
  api_id    = aws_apigatewayv2_api.http.id
  route_key = "ANY /api/{proxy+}"
  target    = "integrations/${aws_apigatewayv2_integration.api.id}"
}

# The app's routes that CloudFront sends here (see the hosting module's spa-routes function):
# index.html with a shared link's card. Any method, as CloudFront passes on GET and HEAD (some
# crawlers ask with HEAD first); the function answers others with 405.
resource "aws_apigatewayv2_route" "pages" {
  #checkov:skip=CKV_AWS_309:public pages, the same for everyone
  api_id    = aws_apigatewayv2_api.http.id
  route_key = "ANY /{proxy+}"
  target    = "integrations/${aws_apigatewayv2_integration.api.id}"
}

resource "aws_cloudwatch_log_group" "access" {
  #checkov:skip=CKV_AWS_158:access logs hold no secrets; CloudWatch's own encryption is enough
  #checkov:skip=CKV_AWS_338:retention is a cost choice (variable log_retention_days)
  name              = "/aws/apigateway/${var.name}"
  retention_in_days = var.log_retention_days
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = var.throttling_burst_limit
    throttling_rate_limit  = var.throttling_rate_limit
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId = "$context.requestId"
      ip        = "$context.identity.sourceIp"
      time      = "$context.requestTime"
      method    = "$context.httpMethod"
      path      = "$context.path"
      status    = "$context.status"
      latencyMs = "$context.responseLatency"
      error     = "$context.integrationErrorMessage"
    })
  }
}

resource "aws_lambda_permission" "api" {
  statement_id  = "ApiGatewayInvoke"
  action        = "lambda:InvokeFunction"
  function_name = var.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.http.execution_arn}/*/*/api/{proxy+}"
}

resource "aws_lambda_permission" "pages" {
  statement_id  = "ApiGatewayInvokePages"
  action        = "lambda:InvokeFunction"
  function_name = var.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.http.execution_arn}/*/*/{proxy+}"
}
