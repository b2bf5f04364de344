output "topic_arn" {
  description = "The go-live topic stream-events publishes to."
  value       = module.topic.topic_arn
}

output "dead_letter_queue" {
  description = "Go-live messages no subscriber could handle (arn, name)."
  value       = module.topic.dead_letter_queue
}

output "email_queue" {
  description = "The queue go-live emails wait in (arn, url)."
  value = {
    arn = aws_sqs_queue.emails.arn
    url = aws_sqs_queue.emails.url
  }
}
