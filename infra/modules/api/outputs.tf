output "url" {
  description = "The API's base URL (the browser app's apiBase)."
  value       = trimsuffix(aws_apigatewayv2_api.http.api_endpoint, "/")
}

output "api_id" {
  description = "HTTP API id."
  value       = aws_apigatewayv2_api.http.id
}
