# The single DynamoDB table behind cloumer-aws's DynamoStore: items keyed by pk/sk, two
# overloaded global secondary indexes (gsi1: lookups by handle / owner / room; gsi2: ordered
# listings such as the directory). Key design: backend/aws/src/dynamo.rs.

resource "aws_dynamodb_table" "store" {
  #checkov:skip=CKV_AWS_119:the AWS-owned key encrypts at rest; a customer-managed key adds cost and key management
  name                        = var.table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  range_key                   = "sk"
  deletion_protection_enabled = var.deletion_protection

  dynamic "attribute" {
    for_each = ["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk"]
    content {
      name = attribute.value
      type = "S"
    }
  }

  global_secondary_index {
    name            = "gsi1"
    hash_key        = "gsi1pk"
    range_key       = "gsi1sk"
    projection_type = "ALL"
  }

  global_secondary_index {
    name            = "gsi2"
    hash_key        = "gsi2pk"
    range_key       = "gsi2sk"
    projection_type = "ALL"
  }

  # Rate-limit counters (`RATE#…` items) carry `expires_at`; DynamoDB removes them after it.
  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }
}
