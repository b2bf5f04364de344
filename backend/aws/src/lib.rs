//! Cloumer's cloud adapters: the [`dynamo`] store, Amazon IVS ([`ivs`]), IVS Chat ([`ivschat`]),
//! the Cognito key set ([`jwks`]) and CloudFront-signed access to private recordings
//! ([`cloudfront`]), the go-live SNS topic ([`sns`]), email through SES ([`ses`]), the keys in
//! Secrets Manager ([`secrets`], [`signing_keys`], [`push_keys`]), plus [`Cloud`]: everything a
//! Lambda needs, built once per cold start from the standard AWS configuration chain and the
//! function's environment.

pub mod cloudfront;
pub mod dynamo;
pub mod ivs;
pub mod ivschat;
pub mod jwks;
pub mod mediaconvert;
pub mod push_keys;
pub mod s3;
pub mod secrets;
pub mod ses;
pub mod signing_keys;
pub mod site;
pub mod sns;
pub mod sqs;
#[cfg(feature = "testing")]
pub mod testing;
pub mod video_pipeline;
pub mod video_uploads;

use std::sync::Arc;

use anyhow::Context;
use cloumer_domain::notification::GoLive;
use cloumer_domain::outbound::OutboundDestinations;
use cloumer_domain::ports::{
    AppEntryPage, Clock, PlaybackSigner, PushSender, RecordingAccess, SystemClock,
};
use cloumer_domain::video::VideoReady;
use cloumer_domain::{Platform, PlatformConfig, Ports};
use cloumer_outbound::{HttpWebhookSender, Retries, WebPushSender};
use cloumer_tokens::{CloudFrontSigner, Es384PlaybackSigner, JwtVerifier};

/// The function's environment (set by Terraform; see `infra/modules/api`).
#[derive(Clone, Debug)]
pub struct CloudSettings {
    /// `TABLE_NAME`
    pub table: String,
    /// `COGNITO_USER_POOL_ID`, `COGNITO_CLIENT_ID`
    pub user_pool_id: String,
    pub client_id: String,
    /// `RECORDING_CONFIGURATION_ARN` (optional)
    pub recording_configuration_arn: Option<String>,
    /// `CHAT_REVIEW_HANDLER_ARN` (optional)
    pub chat_review_handler_arn: Option<String>,
    /// `CHAT_LOGGING_CONFIGURATION_ARNS` (optional, comma-separated): where rooms log messages.
    pub chat_logging_configuration_arns: Vec<String>,
    /// `SIGNING_KEYS_SECRET_ARN` (the API only): the Secrets Manager secret holding the private
    /// keys it signs playback tokens and recording access with ([`signing_keys`]).
    pub signing_keys_secret: Option<String>,
    /// `SITE_ORIGIN`: the site's origin, for CORS and playback tokens.
    pub site_origin: String,
    /// `RECORDINGS_BASE_URL`: the CloudFront URL in front of the recordings buckets.
    pub recordings_base_url: String,
    /// `PRIVATE_RECORDING_CONFIGURATION_ARN` (optional): where private channels record.
    pub private_recording_configuration_arn: Option<String>,
    /// `PRIVATE_RECORDINGS_BUCKET` (optional): the bucket that configuration records into.
    pub private_recordings_bucket: Option<String>,
    /// `PUBLIC_RECORDINGS_BUCKET` (optional): the bucket public channels record into. With the
    /// private one, where past broadcasts' files are deleted and clips' playlists written.
    pub public_recordings_bucket: Option<String>,
    /// `RECORDINGS_KEY_PAIR_ID`: the CloudFront public key private recordings are signed for.
    pub recordings_key_pair_id: String,
    /// `GO_LIVE_TOPIC_ARN` (optional): the SNS topic stream starts are published to.
    pub go_live_topic_arn: Option<String>,
    /// `VIDEO_READY_TOPIC_ARN` (optional): the SNS topic ready videos are published to.
    pub video_ready_topic_arn: Option<String>,
    /// `EMAIL_FROM` (optional): the sender of go-live emails, an SES-verified identity.
    pub email_from: Option<String>,
    /// `API_URL` (optional): the API's public URL, for one-click unsubscribe links and the oEmbed
    /// answers the pages shared links open name.
    pub api_url: Option<String>,
    /// `PUSH_KEYS_SECRET_ARN` (the functions that push: go-live, video-events): the secret
    /// holding the VAPID private key pushes are signed with ([`push_keys`]).
    pub push_keys_secret: Option<String>,
    /// `EMAIL_QUEUE_URL` (the go-live and email-sender functions): the queue go-live emails wait
    /// in for their turn at SES's sending rate ([`sqs`]).
    pub email_queue_url: Option<String>,
    /// `EMAIL_SEND_RATE` (the email-sender): emails a second the account may send (SES's
    /// maximum sending rate; 14 when not set, SES's default once out of the sandbox).
    pub email_send_rate: f64,
    /// `EMAIL_SENDER_CONCURRENCY` (the email-sender): how many copies of the function the queue
    /// runs at once (its event source's maximum concurrency), which share that rate.
    pub email_sender_concurrency: u32,
    /// `VAPID_PUBLIC_KEY_PEM` (the API): the VAPID key's public half, which browsers subscribe
    /// with; without it the API says push is not available.
    pub vapid_public_key_pem: Option<String>,
    /// `PUBLIC_FILES_BUCKET` (the API): the bucket CloudFront serves `/emotes/*` from (the
    /// public recordings bucket); without it uploads fail and say why.
    pub public_files_bucket: Option<String>,
    /// `UPLOAD_BUCKET`: where uploaded video files go (S3 multipart uploads); without it the
    /// API refuses uploads and says why.
    pub upload_bucket: Option<String>,
    /// `MEDIACONVERT_ROLE_ARN` (the video-events function): the role transcoding jobs run as.
    pub mediaconvert_role_arn: Option<String>,
    /// `SITE_BUCKET` (the API): the bucket holding the browser app, whose `index.html` the
    /// pages shared links open are made from; without it those pages are unavailable.
    pub site_bucket: Option<String>,
}

fn var(name: &str) -> anyhow::Result<String> {
    std::env::var(name).with_context(|| format!("the environment variable {name} is not set"))
}

fn optional(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// A positive number from the environment, `default` when not set.
fn number(name: &str, default: f64) -> anyhow::Result<f64> {
    match optional(name) {
        None => Ok(default),
        Some(text) => text
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite() && *n >= 1.0)
            .with_context(|| format!("{name} must be a number of at least 1, not {text:?}")),
    }
}

impl CloudSettings {
    pub fn from_env() -> anyhow::Result<Self> {
        Ok(Self {
            table: var("TABLE_NAME")?,
            user_pool_id: var("COGNITO_USER_POOL_ID")?,
            client_id: var("COGNITO_CLIENT_ID")?,
            recording_configuration_arn: optional("RECORDING_CONFIGURATION_ARN"),
            chat_review_handler_arn: optional("CHAT_REVIEW_HANDLER_ARN"),
            chat_logging_configuration_arns: optional("CHAT_LOGGING_CONFIGURATION_ARNS")
                .map(|arns| {
                    arns.split(',')
                        .map(str::trim)
                        .filter(|arn| !arn.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            signing_keys_secret: optional("SIGNING_KEYS_SECRET_ARN"),
            site_origin: var("SITE_ORIGIN")?,
            recordings_base_url: optional("RECORDINGS_BASE_URL").unwrap_or_default(),
            private_recording_configuration_arn: optional("PRIVATE_RECORDING_CONFIGURATION_ARN"),
            private_recordings_bucket: optional("PRIVATE_RECORDINGS_BUCKET"),
            public_recordings_bucket: optional("PUBLIC_RECORDINGS_BUCKET"),
            recordings_key_pair_id: var("RECORDINGS_KEY_PAIR_ID")?,
            go_live_topic_arn: optional("GO_LIVE_TOPIC_ARN"),
            video_ready_topic_arn: optional("VIDEO_READY_TOPIC_ARN"),
            email_from: optional("EMAIL_FROM"),
            api_url: optional("API_URL"),
            push_keys_secret: optional("PUSH_KEYS_SECRET_ARN"),
            email_queue_url: optional("EMAIL_QUEUE_URL"),
            email_send_rate: number("EMAIL_SEND_RATE", 14.0)?,
            email_sender_concurrency: number("EMAIL_SENDER_CONCURRENCY", 2.0)? as u32,
            vapid_public_key_pem: optional("VAPID_PUBLIC_KEY_PEM"),
            public_files_bucket: optional("PUBLIC_FILES_BUCKET"),
            upload_bucket: optional("UPLOAD_BUCKET"),
            mediaconvert_role_arn: optional("MEDIACONVERT_ROLE_ARN"),
            site_bucket: optional("SITE_BUCKET"),
        })
    }
}

/// The platform on the cloud adapters, and the verifier of Cognito tokens.
pub struct Cloud {
    pub platform: Platform,
    /// The chat adapter itself, for maintenance the domain has no part in
    /// ([`ivschat::IvsChat::reconcile_rooms`]).
    pub chat: ivschat::IvsChat,
    pub verifier: Arc<JwtVerifier>,
    /// The app's entry page, for the pages shared links open (the API).
    pub entry_page: Arc<dyn AppEntryPage>,
    pub settings: CloudSettings,
}

/// One HTTP client for every SDK: hyper 1 with rustls and ring (the SDK's default would also build
/// aws-lc and a second, legacy HTTP stack).
pub fn http_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

impl Cloud {
    /// Builds the clients once (at a Lambda's cold start). The standard chain supplies region and
    /// credentials; `AWS_ENDPOINT_URL` points every client at an emulator.
    pub async fn from_env() -> anyhow::Result<Self> {
        let started = std::time::Instant::now();
        let settings = CloudSettings::from_env()?;
        let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(http_client())
            .load()
            .await;
        let sdk_ready = started.elapsed();
        let region = sdk
            .region()
            .map(|r| r.to_string())
            .context("no AWS region configured")?;
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let secrets = aws_sdk_secretsmanager::Client::new(&sdk);
        let sns_client = aws_sdk_sns::Client::new(&sdk);
        let (playback, recording_access, video_signer) = signers(&secrets, &settings).await?;
        let push = pusher(&secrets, &settings).await?;
        let push_public_key = settings
            .vapid_public_key_pem
            .as_deref()
            .map(cloumer_outbound::VapidKey::public_key_from_spki_pem)
            .transpose()
            .map_err(|why| anyhow::anyhow!("VAPID_PUBLIC_KEY_PEM: {why}"))?;
        let chat = ivschat::IvsChat::new(
            aws_sdk_ivschat::Client::new(&sdk),
            &region,
            settings.chat_review_handler_arn.clone(),
            settings.chat_logging_configuration_arns.clone(),
            clock.clone(),
        );
        let store = dynamo::DynamoStore::new(aws_sdk_dynamodb::Client::new(&sdk), &settings.table);
        let ports = Ports {
            channels: Arc::new(store.clone()),
            chat: Arc::new(store.clone()),
            recordings: Arc::new(store.clone()),
            clips: Arc::new(store.clone()),
            videos: Arc::new(store.clone()),
            video_uploads: match &settings.upload_bucket {
                Some(bucket) => {
                    Arc::new(video_uploads::S3VideoUploads::new(s3::client(&sdk), bucket))
                }
                None => Arc::new(video_pipeline::NoVideoPipeline),
            },
            // Uploads are processed into the private recordings bucket; every function that
            // touches videos has both buckets, and the video-events one the jobs' role.
            video_processing: match (&settings.upload_bucket, &settings.private_recordings_bucket) {
                (Some(uploads), Some(recordings)) => {
                    Arc::new(mediaconvert::MediaConvertVideos::new(
                        aws_sdk_mediaconvert::Client::new(&sdk),
                        s3::client(&sdk),
                        settings.mediaconvert_role_arn.clone().unwrap_or_default(),
                        uploads,
                        recordings,
                        video_signer,
                        &settings.recordings_base_url,
                    ))
                }
                _ => Arc::new(video_pipeline::NoVideoPipeline),
            },
            follows: Arc::new(store.clone()),
            blocks: Arc::new(store.clone()),
            polls: Arc::new(store.clone()),
            notifications: Arc::new(store.clone()),
            webhooks: Arc::new(store.clone()),
            reports: Arc::new(store.clone()),
            push_subscriptions: Arc::new(store.clone()),
            presence: Arc::new(dynamo::DynamoPresence::new(store.clone())),
            files: match &settings.public_files_bucket {
                Some(bucket) => Arc::new(s3::S3PublicFiles::new(s3::client(&sdk), bucket)),
                None => Arc::new(s3::NoPublicFiles),
            },
            // The API deletes past broadcasts and writes and deletes clips' playlists; the
            // stream-events function writes those of clips whose broadcast has just ended. Their
            // roles allow only that.
            recording_files: match &settings.public_recordings_bucket {
                Some(public) => Arc::new(s3::S3RecordingFiles::new(
                    s3::client(&sdk),
                    Some(public.clone()),
                    settings.private_recordings_bucket.clone(),
                )),
                None => Arc::new(s3::NoRecordingFiles),
            },
            rates: Arc::new(store),
            push,
            webhook_sender: Arc::new(HttpWebhookSender::new(
                OutboundDestinations::PublicHttpsOnly,
                &settings.site_origin,
                Retries::default(),
            )?),
            go_live: match &settings.go_live_topic_arn {
                Some(topic) => Arc::new(sns::SnsTopic::<GoLive>::new(sns_client.clone(), topic)),
                None => Arc::new(sns::NoTopic(
                    "GO_LIVE_TOPIC_ARN is not set for this function",
                )),
            },
            video_ready: match &settings.video_ready_topic_arn {
                Some(topic) => Arc::new(sns::SnsTopic::<VideoReady>::new(sns_client, topic)),
                None => Arc::new(sns::NoTopic(
                    "VIDEO_READY_TOPIC_ARN is not set for this function",
                )),
            },
            email: match (&settings.email_from, &settings.email_queue_url) {
                // The go-live function: emails wait in the queue for the email-sender.
                (Some(_), Some(queue)) => Arc::new(sqs::SqsEmailQueue::new(
                    aws_sdk_sqs::Client::new(&sdk),
                    queue,
                )),
                (Some(from), None) => Arc::new(ses_email(&sdk, &settings, from)?),
                (None, _) => Arc::new(ses::NoEmail),
            },
            video: Arc::new(ivs::IvsVideo::new(
                aws_sdk_ivs::Client::new(&sdk),
                ivs::RecordingConfigurations {
                    public: settings.recording_configuration_arn.clone(),
                    private: settings.private_recording_configuration_arn.clone(),
                },
                clock.clone(),
            )),
            chat_service: Arc::new(chat.clone()),
            playback,
            recording_access,
            clock: clock.clone(),
        };
        let keys_ready = started.elapsed();
        let platform = Platform::new(
            ports,
            PlatformConfig {
                site_origin: settings.site_origin.clone(),
                push_public_key,
                ..PlatformConfig::default()
            },
        );
        let issuer = format!(
            "https://cognito-idp.{region}.amazonaws.com/{}",
            settings.user_pool_id
        );
        // The key set is Cognito's, at the issuer; against an emulator (the SDK's endpoint, from
        // `AWS_ENDPOINT_URL` as for every client) the emulator serves it under the pool's id.
        let jwks_url = match sdk.endpoint_url() {
            Some(endpoint) => format!(
                "{}/{}/.well-known/jwks.json",
                endpoint.trim_end_matches('/'),
                settings.user_pool_id
            ),
            None => format!("{issuer}/.well-known/jwks.json"),
        };
        let verifier = Arc::new(JwtVerifier::new(
            issuer.clone(),
            settings.client_id.clone(),
            Arc::new(jwks::HttpJwks::new(jwks_url)),
            clock,
        ));
        tracing::info!(
            sdk_ms = sdk_ready.as_secs_f64() * 1000.0,
            keys_ms = (keys_ready - sdk_ready).as_secs_f64() * 1000.0,
            total_ms = started.elapsed().as_secs_f64() * 1000.0,
            "cold start: clients and keys ready"
        );
        let entry_page: Arc<dyn AppEntryPage> = match &settings.site_bucket {
            Some(bucket) => Arc::new(site::S3EntryPage::new(s3::client(&sdk), bucket)),
            None => Arc::new(site::NoEntryPage),
        };
        Ok(Self {
            platform,
            chat,
            verifier,
            entry_page,
            settings,
        })
    }
}

/// The API's signers, from the keys in Secrets Manager; functions that never sign get none.
/// The third signs grants to uploaded videos' files, with the private recordings' key.
async fn signers(
    secrets: &aws_sdk_secretsmanager::Client,
    settings: &CloudSettings,
) -> anyhow::Result<(
    Arc<dyn PlaybackSigner>,
    Arc<dyn RecordingAccess>,
    Option<CloudFrontSigner>,
)> {
    let Some(secret) = &settings.signing_keys_secret else {
        return Ok((
            Arc::new(signing_keys::NoSigningKeys),
            Arc::new(signing_keys::NoSigningKeys),
            None,
        ));
    };
    let keys: signing_keys::SigningKeys = secrets::load(secrets, secret).await?;
    Ok((
        Arc::new(Es384PlaybackSigner::from_pkcs8_pem(
            keys.playback_private_key.as_bytes(),
        )?),
        Arc::new(cloudfront::CloudFrontRecordingAccess::new(
            &settings.recordings_key_pair_id,
            &keys.recordings_private_key,
            &settings.recordings_base_url,
        )?),
        Some(CloudFrontSigner::from_pem(
            &settings.recordings_key_pair_id,
            &keys.recordings_private_key,
        )?),
    ))
}

/// The push sender of the functions that push (go-live, video-events), with the VAPID key from
/// Secrets Manager; functions that never push get none. Push services may write to the site's address about our messages.
async fn pusher(
    secrets: &aws_sdk_secretsmanager::Client,
    settings: &CloudSettings,
) -> anyhow::Result<Arc<dyn PushSender>> {
    let Some(secret) = &settings.push_keys_secret else {
        return Ok(Arc::new(push_keys::NoPushKeys));
    };
    let keys: push_keys::PushKeys = secrets::load(secrets, secret).await?;
    let key = cloumer_outbound::VapidKey::from_pkcs8_pem(&keys.vapid_private_key)
        .map_err(|why| anyhow::anyhow!("the secret {secret}: {why}"))?;
    Ok(Arc::new(WebPushSender::new(
        OutboundDestinations::PublicHttpsOnly,
        key,
        &settings.site_origin,
        &settings.site_origin,
    )?))
}

/// SES as the sender `from`, with the links emails carry.
fn ses_email(
    sdk: &aws_config::SdkConfig,
    settings: &CloudSettings,
    from: &str,
) -> anyhow::Result<ses::SesEmail> {
    Ok(ses::SesEmail::new(
        aws_sdk_sesv2::Client::new(sdk),
        from,
        cloumer_email::Links {
            site_url: settings.site_origin.clone(),
            api_url: settings
                .api_url
                .clone()
                .unwrap_or_else(|| settings.site_origin.clone()),
        },
    )?)
}

/// What the email-sender function needs: SES, the queue (to put throttled emails back) and its
/// share of the account's sending rate.
pub struct EmailSending {
    pub ses: ses::SesEmail,
    pub queue: sqs::SqsEmailQueue,
    /// Emails a second this copy of the function may send.
    pub per_second: f64,
}

impl EmailSending {
    /// Built once at cold start from the function's environment (`EMAIL_FROM`,
    /// `EMAIL_QUEUE_URL`, `EMAIL_SEND_RATE`, `EMAIL_SENDER_CONCURRENCY`, `SITE_ORIGIN`,
    /// `API_URL`).
    pub async fn from_env() -> anyhow::Result<Self> {
        let settings = CloudSettings::from_env()?;
        let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(http_client())
            .load()
            .await;
        let from = settings
            .email_from
            .as_deref()
            .context("the environment variable EMAIL_FROM is not set")?;
        let queue = settings
            .email_queue_url
            .as_deref()
            .context("the environment variable EMAIL_QUEUE_URL is not set")?;
        Ok(Self {
            ses: ses_email(&sdk, &settings, from)?,
            queue: sqs::SqsEmailQueue::new(aws_sdk_sqs::Client::new(&sdk), queue),
            per_second: settings.email_send_rate
                / f64::from(settings.email_sender_concurrency.max(1)),
        })
    }
}
