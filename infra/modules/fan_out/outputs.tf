output "topic_arn" {
  description = "The topic publishers publish to."
  value       = aws_sns_topic.this.arn
}

output "dead_letter_queue" {
  description = "Messages and invocations no attempt could handle (arn, name)."
  value = {
    arn  = aws_sqs_queue.dead_letters.arn
    name = aws_sqs_queue.dead_letters.name
  }
}
