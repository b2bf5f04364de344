# One Cloumer environment: data, identity, streaming, uploaded videos, the functions, the HTTP API
# and the site. Build the function zips first (`cargo xtask package`); see the README's deploy section.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  prefix  = "cloumer-${var.environment}"
  account = data.aws_caller_identity.current.account_id
  region  = data.aws_region.current.region

  function_names = {
    api               = "${local.prefix}-api"
    stream_events     = "${local.prefix}-stream-events"
    chat_review       = "${local.prefix}-chat-review"
    post_confirmation = "${local.prefix}-post-confirmation"
    go_live           = "${local.prefix}-go-live"
    email_sender      = "${local.prefix}-email-sender"
    video_events      = "${local.prefix}-video-events"
  }
  # Every function runs the one binary `cargo xtask package` zips; its handler names which
  # function that is (backend/lambda/src/bin/functions/<handler>.rs, `-` for `_`).
  lambda_zip = "${var.lambda_zip_dir}/${var.lambda_architecture}/functions/bootstrap.zip"

  email_sender_timeout_seconds = 120

  channel_arns    = "arn:aws:ivs:${local.region}:${local.account}:channel/*"
  stream_key_arns = "arn:aws:ivs:${local.region}:${local.account}:stream-key/*"

  # What every function reads (cloumer-aws CloudSettings).
  function_environment = {
    TABLE_NAME                  = module.data.table_name
    COGNITO_USER_POOL_ID        = module.auth.user_pool_id
    COGNITO_CLIENT_ID           = module.auth.client_id
    SITE_ORIGIN                 = module.hosting.site_url
    RECORDINGS_BASE_URL         = module.hosting.site_url
    RECORDING_CONFIGURATION_ARN = module.streaming.recording_configuration_arn
    # Private channels record into their own bucket; the API signs access for allowed viewers.
    PRIVATE_RECORDING_CONFIGURATION_ARN = module.streaming.private_recording_configuration_arn
    PRIVATE_RECORDINGS_BUCKET           = module.streaming.private_recordings_bucket
    PUBLIC_RECORDINGS_BUCKET            = module.streaming.recordings_buckets.public.id
    RECORDINGS_KEY_PAIR_ID              = module.hosting.recordings_key_pair_id
    CHAT_REVIEW_HANDLER_ARN             = module.chat_review.arn
    CHAT_LOGGING_CONFIGURATION_ARNS     = join(",", module.streaming.chat_logging_configuration_arns)
    GO_LIVE_TOPIC_ARN                   = module.go_live.topic_arn
    # Uploaded videos: their files, and (the API) where browsers send them.
    UPLOAD_BUCKET = module.videos.upload_bucket.id
  }

  # Uploaded videos: the API starts, presigns and completes multipart uploads (presigned
  # UploadPart runs with its role) and removes a deleted video's upload and processed files;
  # the video-events function removes processed uploads and failed videos' files.
  video_files = [
    {
      sid       = "VideoUploads"
      actions   = ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts", "s3:DeleteObject"]
      resources = ["${module.videos.upload_bucket.arn}/uploads/*"]
    },
    {
      sid       = "ListVideoFiles"
      actions   = ["s3:ListBucket"]
      resources = [module.streaming.recordings_buckets.private.arn]
      conditions = [{
        test     = "StringLike"
        variable = "s3:prefix"
        values   = ["video-files/*"]
      }]
    },
    {
      sid       = "DeleteVideoFiles"
      actions   = ["s3:DeleteObject"]
      resources = ["${module.streaming.recordings_buckets.private.arn}/video-files/*"]
    },
  ]

  # Clips list a recording's own segments: their playlists are cut from the recording's (read)
  # and written beside them under clip-<id>.m3u8, nothing else (the API, and stream events when
  # a recording with pending clips ends).
  clip_playlists = [
    {
      sid       = "ReadRecordingPlaylists"
      actions   = ["s3:GetObject"]
      resources = [for bucket in module.streaming.recordings_buckets : "${bucket.arn}/ivs/*.m3u8"]
    },
    {
      sid       = "WriteClipPlaylists"
      actions   = ["s3:PutObject"]
      resources = [for bucket in module.streaming.recordings_buckets : "${bucket.arn}/ivs/*/clip-*.m3u8"]
    },
  ]

  store_read_write = {
    sid = "Store"
    actions = [
      "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
      "dynamodb:ConditionCheckItem", "dynamodb:Query",
    ]
    resources = concat([module.data.table_arn], module.data.index_arns)
  }
  # Writing notifications to users' bells: the adapter writes them in batches (a go-live to every
  # follower, a ready video to its uploader).
  notify_users = {
    sid       = "NotifyUsers"
    actions   = ["dynamodb:BatchWriteItem"]
    resources = [module.data.table_arn]
  }
  # Creating a user's channel, stream key and chat room (sign-up, and repairs from the API).
  provision_channels = [
    {
      sid       = "IvsChannels"
      actions   = ["ivs:CreateChannel", "ivs:UpdateChannel", "ivs:GetChannel", "ivs:CreateStreamKey", "ivs:GetStreamKey", "ivs:DeleteStreamKey", "ivs:StopStream"]
      resources = [local.channel_arns, local.stream_key_arns, module.streaming.recording_configuration_arn, module.streaming.private_recording_configuration_arn]
    },
    {
      # List operations take no resource-level permissions in IVS.
      sid       = "IvsLists"
      actions   = ["ivs:ListChannels", "ivs:ListStreamKeys", "ivs:ListStreams"]
      resources = ["*"]
    },
    {
      sid       = "ChatRooms"
      actions   = ["ivschat:CreateRoom", "ivschat:UpdateRoom"]
      resources = concat([module.streaming.room_arns], module.streaming.chat_logging_configuration_arns)
    },
    {
      sid       = "ChatRoomLists"
      actions   = ["ivschat:ListRooms"]
      resources = ["*"]
    },
  ]
}

module "data" {
  source              = "../../modules/data"
  table_name          = local.prefix
  deletion_protection = var.deletion_protection
}

module "auth" {
  source                          = "../../modules/auth"
  pool_name                       = local.prefix
  post_confirmation_function_name = module.post_confirmation.name
  # Built from the name: the function needs the pool's id, so the pool cannot wait for it.
  post_confirmation_function_arn = "arn:aws:lambda:${local.region}:${local.account}:function:${local.function_names.post_confirmation}"
  deletion_protection            = var.deletion_protection
}

module "streaming" {
  source                         = "../../modules/streaming"
  name_prefix                    = local.prefix
  recordings_bucket_name         = "${local.prefix}-recordings-${local.account}"
  private_recordings_bucket_name = "${local.prefix}-private-recordings-${local.account}"
  recording_retention_days       = var.recording_retention_days
  chat_log_retention_days        = var.log_retention_days
  chat_logs_bucket_name          = "${local.prefix}-chat-logs-${local.account}"
  chat_log_archive_days          = var.chat_log_archive_days
  stream_events_function_name    = module.stream_events.name
  stream_events_function_arn     = module.stream_events.arn
  chat_review_function_name      = module.chat_review.name
}

module "hosting" {
  source             = "../../modules/hosting"
  name_prefix        = local.prefix
  site_bucket_name   = "${local.prefix}-site-${local.account}"
  recordings_buckets = module.streaming.recordings_buckets
  price_class        = var.price_class
  web_acl_arn        = var.web_acl_arn
  api_domain         = trimprefix(module.api.url, "https://")
}

# The private keys the API signs with (private channels' playback tokens, private recordings'
# CloudFront policies), read once per cold start; kept out of every function's environment, where
# the console and GetFunctionConfiguration would show them. Only the API's role may read it.
resource "aws_secretsmanager_secret" "signing_keys" {
  #checkov:skip=CKV2_AWS_57:rotating means new key pairs registered with IVS and CloudFront, which Terraform does (replace the tls_private_key resources), not a rotation function
  #checkov:skip=CKV_AWS_149:the account's aws/secretsmanager key; a customer key would add a key policy and cost for a secret one role reads
  name_prefix             = "${local.prefix}-signing-keys-"
  description             = "Cloumer API signing keys: IVS playback (ES384) and CloudFront recordings (RSA)"
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "signing_keys" {
  secret_id = aws_secretsmanager_secret.signing_keys.id
  secret_string = jsonencode({
    playback_private_key   = module.streaming.playback_private_key_pem
    recordings_private_key = module.hosting.recordings_private_key_pem
  })
}

module "api_function" {
  source       = "../../modules/function"
  name         = local.function_names.api
  description  = "Cloumer HTTP API"
  zip_path     = local.lambda_zip
  handler      = "api"
  architecture = var.lambda_architecture
  environment = merge(local.function_environment, {
    SIGNING_KEYS_SECRET_ARN = aws_secretsmanager_secret.signing_keys.arn
    # Public: browsers subscribe to push with it.
    VAPID_PUBLIC_KEY_PEM = tls_private_key.vapid.public_key_pem
    # Emote images, which CloudFront serves at /emotes/* from this bucket.
    PUBLIC_FILES_BUCKET = module.streaming.recordings_buckets.public.id
    # The browser app's index.html, which the pages shared links open are made from.
    SITE_BUCKET = module.hosting.site_bucket
    # Those pages name their oEmbed answer on the API's own address (CloudFront sends no
    # /api path to it). Only the API's endpoint: the function does not depend on its routes.
    API_URL = module.api.url
  })
  memory_mb            = 512
  timeout_seconds      = 10
  reserved_concurrency = var.api_reserved_concurrency
  log_retention_days   = var.log_retention_days
  statements = concat([local.store_read_write], local.provision_channels, local.clip_playlists, local.video_files, [
    {
      # A block list names everyone on it: their profiles, read 100 to a call.
      sid       = "ReadProfiles"
      actions   = ["dynamodb:BatchGetItem"]
      resources = [module.data.table_arn]
    },
    {
      sid       = "ChatModeration"
      actions   = ["ivschat:CreateChatToken", "ivschat:DeleteMessage", "ivschat:DisconnectUser", "ivschat:SendEvent"]
      resources = [module.streaming.room_arns]
    },
    {
      sid       = "AppEntryPage"
      actions   = ["s3:GetObject"]
      resources = ["${module.hosting.site_bucket_arn}/index.html"]
    },
    {
      sid       = "SigningKeys"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [aws_secretsmanager_secret.signing_keys.arn]
    },
    {
      # Emote uploads: only under emotes/, never the recordings IVS writes beside them.
      sid       = "EmoteFiles"
      actions   = ["s3:PutObject", "s3:DeleteObject"]
      resources = ["${module.streaming.recordings_buckets.public.arn}/emotes/*"]
    },
    {
      # A streamer deleting a past broadcast: its files are the objects IVS wrote under ivs/.
      sid       = "ListRecordingFiles"
      actions   = ["s3:ListBucket"]
      resources = [for bucket in module.streaming.recordings_buckets : bucket.arn]
      conditions = [{
        test     = "StringLike"
        variable = "s3:prefix"
        values   = ["ivs/v1/*"]
      }]
    },
    {
      # A past broadcast's files, and a deleted clip's playlists.
      sid       = "DeleteRecordingFiles"
      actions   = ["s3:DeleteObject"]
      resources = [for bucket in module.streaming.recordings_buckets : "${bucket.arn}/ivs/*"]
    },
    {
      # A user deleting their account: their channel's video channel (its stream keys go with
      # it) and chat room.
      sid       = "DeleteAccountChannels"
      actions   = ["ivs:DeleteChannel", "ivschat:DeleteRoom"]
      resources = [local.channel_arns, module.streaming.room_arns]
    },
    {
      # ...and their records, whole partitions at a time (chat history, notifications).
      sid       = "EraseAccountRecords"
      actions   = ["dynamodb:BatchWriteItem"]
      resources = [module.data.table_arn]
    },
  ])
}

module "post_confirmation" {
  source             = "../../modules/function"
  name               = local.function_names.post_confirmation
  description        = "Cognito post-confirmation: a confirmed user's profile, channel, stream key and chat room"
  zip_path           = local.lambda_zip
  handler            = "post-confirmation"
  architecture       = var.lambda_architecture
  environment        = local.function_environment
  timeout_seconds    = 5 # Cognito waits at most 5 s for a trigger.
  log_retention_days = var.log_retention_days
  statements         = concat([local.store_read_write], local.provision_channels)
}

module "stream_events" {
  source             = "../../modules/function"
  name               = local.function_names.stream_events
  description        = "IVS stream and recording state changes into channel live state and past broadcasts; the audience samples of stream summaries"
  zip_path           = local.lambda_zip
  handler            = "stream-events"
  architecture       = var.lambda_architecture
  environment        = local.function_environment
  timeout_seconds    = 60 # A stream start notifies every follower: 25 items a call, 8 calls at a time.
  log_retention_days = var.log_retention_days
  statements = concat(local.clip_playlists, [
    local.store_read_write,
    local.notify_users,
    {
      sid       = "ChatAnnouncements"
      actions   = ["ivschat:SendEvent"]
      resources = [module.streaming.room_arns]
    },
    {
      sid       = "GoLiveTopic"
      actions   = ["sns:Publish"]
      resources = [module.go_live.topic_arn]
    },
    {
      # Bringing existing rooms up to the logging configuration (aws_lambda_invocation below).
      sid       = "ChatRoomReconcile"
      actions   = ["ivschat:UpdateRoom"]
      resources = concat([module.streaming.room_arns], module.streaming.chat_logging_configuration_arns)
    },
    {
      sid       = "ChatRoomList"
      actions   = ["ivschat:ListRooms"]
      resources = ["*"]
    },
    {
      # A suspended channel's broadcast that starts anyway is stopped as its start arrives.
      sid       = "StopSuspendedBroadcasts"
      actions   = ["ivs:StopStream"]
      resources = [local.channel_arns]
    },
    {
      # The minute's audience samples read IVS's viewer counts (a list: no resource-level
      # permissions in IVS).
      sid       = "IvsLiveStreams"
      actions   = ["ivs:ListStreams"]
      resources = ["*"]
    },
    {
      # Lambda's on-failure destination sends with the function's role.
      sid       = "DeadLetters"
      actions   = ["sqs:SendMessage"]
      resources = [module.streaming.stream_events_dead_letter_queue.arn]
    },
  ])
}

# Rooms are created with the logging configurations of their day. Whenever those (or the review
# handler) change, Terraform invokes stream-events once with this input, and it updates every
# room of ours that differs (cloumer-aws IvsChat::reconcile_rooms).
resource "aws_lambda_invocation" "reconcile_chat_rooms" {
  function_name = module.stream_events.name
  input = jsonencode({
    cloumer                = "reconcile-chat-rooms"
    logging_configurations = module.streaming.chat_logging_configuration_arns
    review_handler         = module.chat_review.arn
  })
}

module "videos" {
  source                        = "../../modules/videos"
  name_prefix                   = local.prefix
  upload_bucket_name            = "${local.prefix}-uploads-${local.account}"
  site_origin                   = module.hosting.site_url
  private_recordings_bucket_arn = module.streaming.recordings_buckets.private.arn
  video_events_function_name    = module.video_events.name
  video_events_function_arn     = module.video_events.arn
}

module "video_events" {
  source       = "../../modules/function"
  name         = local.function_names.video_events
  description  = "Uploaded videos: completed uploads probed and transcoded by MediaConvert, the jobs' progress and ends"
  zip_path     = local.lambda_zip
  handler      = "video-events"
  architecture = var.lambda_architecture
  environment = merge(local.function_environment, {
    MEDIACONVERT_ROLE_ARN = module.videos.mediaconvert_role_arn
    # Ready videos are published to the topic, whose subscriber (this function again) tells the
    # uploader: their bell, "Your video is ready" through SES, and a push to their browsers.
    VIDEO_READY_TOPIC_ARN = module.videos.video_ready_topic_arn
    EMAIL_FROM            = var.email_from
    PUSH_KEYS_SECRET_ARN  = aws_secretsmanager_secret.push_keys.arn
  })
  timeout_seconds    = 30
  log_retention_days = var.log_retention_days
  statements = concat([local.store_read_write, local.notify_users], local.video_files, [
    {
      sid       = "VideoReadyTopic"
      actions   = ["sns:Publish"]
      resources = [module.videos.video_ready_topic_arn]
    },
    {
      # Lambda's on-failure destination sends with the function's role.
      sid       = "DeadLetters"
      actions   = ["sqs:SendMessage"]
      resources = [module.videos.dead_letter_queue.arn]
    },
    {
      sid       = "TellUploaders"
      actions   = ["ses:SendEmail", "ses:SendRawEmail"]
      resources = ["arn:aws:ses:${local.region}:${local.account}:identity/*"]
    },
    {
      sid       = "PushKeys"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [aws_secretsmanager_secret.push_keys.arn]
    },
    {
      # Probe reads the upload with the caller's credentials.
      sid       = "ReadUploads"
      actions   = ["s3:GetObject"]
      resources = ["${module.videos.upload_bucket.arn}/uploads/*"]
    },
    {
      sid       = "Transcoding"
      actions   = ["mediaconvert:CreateJob"]
      resources = ["arn:aws:mediaconvert:${local.region}:${local.account}:queues/Default"]
    },
    {
      # Probe names no resource.
      sid       = "Probing"
      actions   = ["mediaconvert:Probe"]
      resources = ["*"]
    },
    {
      sid       = "PassTheJobsRole"
      actions   = ["iam:PassRole"]
      resources = [module.videos.mediaconvert_role_arn]
      conditions = [{
        test     = "StringEquals"
        variable = "iam:PassedToService"
        values   = ["mediaconvert.amazonaws.com"]
      }]
    },
  ])
}

module "go_live" {
  source                = "../../modules/go_live"
  name_prefix           = local.prefix
  go_live_function_name = module.go_live_function.name
  go_live_function_arn  = module.go_live_function.arn

  email_sender_function_arn    = module.email_sender.arn
  email_sender_timeout_seconds = local.email_sender_timeout_seconds
  email_sender_concurrency     = var.email_sender_concurrency
}

# Go-live emails: the sender's domain (or address), verified by SES through the DKIM records the
# environment outputs. Without one, the go-live function sends no email (and logs that it did not).
resource "aws_sesv2_email_identity" "go_live" {
  count          = var.email_identity == "" ? 0 : 1
  email_identity = var.email_identity
}

# Web Push's VAPID key (RFC 8292): the go-live and video-events functions sign pushes with the
# private half, read from its own secret at cold start; browsers subscribe with the public half, which the API serves
# (GET /api/v1/push/key) from its environment. Replacing the key ends every subscription: browsers
# must subscribe again, which the app does when push is turned on anew.
resource "tls_private_key" "vapid" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

resource "aws_secretsmanager_secret" "push_keys" {
  #checkov:skip=CKV2_AWS_57:rotating the VAPID key ends every push subscription, so it is replaced deliberately (the tls_private_key resource), not by a rotation function
  #checkov:skip=CKV_AWS_149:the account's aws/secretsmanager key; a customer key would add a key policy and cost for a secret one role reads
  name_prefix             = "${local.prefix}-push-keys-"
  description             = "Cloumer Web Push VAPID private key (ES256), read by the functions that push"
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "push_keys" {
  secret_id     = aws_secretsmanager_secret.push_keys.id
  secret_string = jsonencode({ vapid_private_key = tls_private_key.vapid.private_key_pem_pkcs8 })
}

module "go_live_function" {
  source       = "../../modules/function"
  name         = local.function_names.go_live
  description  = "Stream starts from the go-live topic: the channel's webhooks, followers' emails and pushes"
  zip_path     = local.lambda_zip
  handler      = "go-live"
  architecture = var.lambda_architecture
  # Emails go to the queue the email-sender reads (when there is a sender address).
  environment = merge(local.function_environment, {
    EMAIL_FROM           = var.email_from
    EMAIL_QUEUE_URL      = module.go_live.email_queue.url
    PUSH_KEYS_SECRET_ARN = aws_secretsmanager_secret.push_keys.arn
  })
  # Webhooks: four attempts of at most 10 s each and 15 s of backoff, all at once. Emails: 25 a
  # message, ten messages a call, alongside; pushes: one request per subscribed browser, 32 at a
  # time. Followers stop at a 4-minute budget, inside this limit.
  timeout_seconds    = 300
  log_retention_days = var.log_retention_days
  statements = [
    {
      # Webhooks and their outcomes; the channel's followers (gsi1), their profiles and push
      # subscriptions (rewritten without the ones push services say are gone).
      sid       = "Store"
      actions   = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
      resources = concat([module.data.table_arn], module.data.index_arns)
    },
    {
      sid       = "PushKeys"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [aws_secretsmanager_secret.push_keys.arn]
    },
    {
      sid       = "EmailQueue"
      actions   = ["sqs:SendMessage"]
      resources = [module.go_live.email_queue.arn]
    },
    {
      # Lambda's on-failure destination sends with the function's role.
      sid       = "DeadLetters"
      actions   = ["sqs:SendMessage"]
      resources = [module.go_live.dead_letter_queue.arn]
    },
  ]
}

# Go-live emails from their queue, through SES at the account's sending rate (var.email_send_rate,
# shared by the copies the queue runs at once). One-click unsubscribe links post to the API.
module "email_sender" {
  source       = "../../modules/function"
  name         = local.function_names.email_sender
  description  = "Go-live emails from their queue, sent through SES at the account's sending rate"
  zip_path     = local.lambda_zip
  handler      = "email-sender"
  architecture = var.lambda_architecture
  environment = merge(local.function_environment, {
    EMAIL_FROM               = var.email_from
    EMAIL_QUEUE_URL          = module.go_live.email_queue.url
    EMAIL_SEND_RATE          = tostring(var.email_send_rate)
    EMAIL_SENDER_CONCURRENCY = tostring(var.email_sender_concurrency)
    API_URL                  = module.api.url
  })
  # Four messages of 25 emails at a few emails a second, with SES's retries.
  timeout_seconds    = local.email_sender_timeout_seconds
  log_retention_days = var.log_retention_days
  statements = [
    {
      # Reading its queue, and putting throttled emails back on it for later.
      sid       = "EmailQueue"
      actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility", "sqs:SendMessage"]
      resources = [module.go_live.email_queue.arn]
    },
    {
      sid       = "Email"
      actions   = ["ses:SendEmail", "ses:SendRawEmail"]
      resources = ["arn:aws:ses:${local.region}:${local.account}:identity/*"]
    },
  ]
}

module "chat_review" {
  source             = "../../modules/function"
  name               = local.function_names.chat_review
  description        = "IVS Chat message review: bans, word filter, limits; keeps allowed messages for history"
  zip_path           = local.lambda_zip
  handler            = "chat-review"
  architecture       = var.lambda_architecture
  environment        = { for k, v in local.function_environment : k => v if k != "CHAT_REVIEW_HANDLER_ARN" }
  memory_mb          = 512 # More memory is more CPU: the review has a 200 ms budget.
  timeout_seconds    = 1
  log_retention_days = var.log_retention_days
  statements = [{
    # UpdateItem: each sender's rate count (without it every viewer's message was denied).
    sid       = "Store"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem", "dynamodb:Query"]
    resources = concat([module.data.table_arn], module.data.index_arns)
  }]
}

module "api" {
  source                 = "../../modules/api"
  name                   = local.prefix
  function_name          = module.api_function.name
  function_invoke_arn    = module.api_function.invoke_arn
  throttling_rate_limit  = var.api_rate_limit
  throttling_burst_limit = var.api_burst_limit
  log_retention_days     = var.log_retention_days
}

# Where the browser app finds the API and Cognito: the only file that differs from the local
# stack's (served there by cloumer-local at /config.json).
resource "aws_s3_object" "config" {
  bucket        = module.hosting.site_bucket
  key           = "config.json"
  content_type  = "application/json"
  cache_control = "no-cache"
  content = jsonencode({
    apiBase         = module.api.url
    cognitoEndpoint = "https://cognito-idp.${local.region}.amazonaws.com/"
    cognitoClientId = module.auth.client_id
    environment     = "aws"
  })
}

module "observability" {
  source      = "../../modules/observability"
  name_prefix = local.prefix
  alarm_email = var.alarm_email
  api_id      = module.api.api_id
  functions = {
    api               = module.api_function.name
    stream_events     = module.stream_events.name
    chat_review       = module.chat_review.name
    post_confirmation = module.post_confirmation.name
    go_live           = module.go_live_function.name
    email_sender      = module.email_sender.name
    video_events      = module.video_events.name
  }
  chat_review_function_name = module.chat_review.name
  table_name                = module.data.table_name
  dead_letter_queues        = [module.streaming.stream_events_dead_letter_queue.name, module.go_live.dead_letter_queue.name, module.videos.dead_letter_queue.name]
}
