output "topic_arn" {
  description = "The go-live topic stream-events publishes to."
  value       = aws_sns_topic.go_live.arn
}

output "dead_letter_queue" {
  description = "Go-live messages no subscriber could handle (arn, name)."
  value = {
    arn  = aws_sqs_queue.dead_letters.arn
    name = aws_sqs_queue.dead_letters.name
  }
}

output "email_queue" {
  description = "The queue go-live emails wait in (arn, url)."
  value = {
    arn = aws_sqs_queue.emails.arn
    url = aws_sqs_queue.emails.url
  }
}
