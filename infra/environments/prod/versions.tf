terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.25.0"
    }
    awscc = {
      source  = "hashicorp/awscc"
      version = "1.55.0"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "4.1.0"
    }
  }

  # Filled in by `terraform init -backend-config=backend.hcl` (bucket, key, region,
  # dynamodb_table) from the bootstrap root's outputs.
  backend "s3" {
    encrypt = true
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = { Project = "cloumer", Environment = var.environment }
  }
}

provider "awscc" {
  region = var.region
}
