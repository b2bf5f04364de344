# Cognito: the user pool people sign up to (email as the username, a handle and nickname as
# attributes), the browser app's client, and the post-confirmation trigger that creates a
# confirmed user's profile and channel.

resource "aws_cognito_user_pool" "users" {
  name                     = var.pool_name
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  deletion_protection      = var.deletion_protection ? "ACTIVE" : "INACTIVE"

  # The same policy as Cognito's default, which the local stand-in also enforces.
  password_policy {
    minimum_length                   = 8
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = true
    temporary_password_validity_days = 7
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  username_configuration {
    case_sensitive = false
  }

  verification_message_template {
    default_email_option = "CONFIRM_WITH_CODE"
    email_subject        = "Your Cloumer confirmation code"
    email_message        = "Your Cloumer confirmation code is {####}"
  }

  lambda_config {
    post_confirmation = var.post_confirmation_function_arn
  }
}

resource "aws_cognito_user_pool_client" "web" {
  name         = "${var.pool_name}-web"
  user_pool_id = aws_cognito_user_pool.users.id

  # A public client (a browser app cannot keep a secret) using the flows the SPA speaks.
  generate_secret               = false
  explicit_auth_flows           = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true

  read_attributes  = ["email", "email_verified", "preferred_username", "nickname"]
  write_attributes = ["email", "preferred_username", "nickname"]

  access_token_validity  = 60
  id_token_validity      = 60
  refresh_token_validity = 30
  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }
}

# The platform's staff, who read and settle reports. Cognito names a member's groups in their
# tokens (cognito:groups), which the API reads; membership is given outside the API:
#   aws cognito-idp admin-add-user-to-group --user-pool-id <pool> --username <email> --group-name staff
resource "aws_cognito_user_group" "staff" {
  name         = "staff"
  user_pool_id = aws_cognito_user_pool.users.id
  description  = "Cloumer staff: read and settle reports"
}

resource "aws_lambda_permission" "post_confirmation" {
  statement_id  = "CognitoPostConfirmation"
  action        = "lambda:InvokeFunction"
  function_name = var.post_confirmation_function_name
  principal     = "cognito-idp.amazonaws.com"
  source_arn    = aws_cognito_user_pool.users.arn
}
