//! Web Push ([`WebPushSender`], the domain's `PushSender`): each message is encrypted for the
//! browser's keys (RFC 8291, `aes128gcm`, by the `web-push-native` crate) and carries our VAPID
//! signature (RFC 8292: an ES256 JWT naming the push service's origin), POSTed to the
//! subscription's endpoint (RFC 8030). The endpoint is checked again before every request, the
//! resolver only reaches public addresses, and redirects are not followed (push services answer
//! where they are asked).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cloumer_domain::notification::GoLive;
use cloumer_domain::outbound::OutboundDestinations;
use cloumer_domain::ports::PushSender;
use cloumer_domain::profile::Language;
use cloumer_domain::push::{PushEndpoint, PushOutcome, PushSubscription};
use cloumer_domain::video::VideoReady;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use reqwest::{StatusCode, redirect};
use serde::Serialize;
use web_push_native::WebPushBuilder;

use crate::destinations::PublicOnly;

/// How long a push service keeps trying to reach an offline browser: a go-live heard hours later
/// points at a stream that may be over.
const TIME_TO_LIVE: Duration = Duration::from_secs(60 * 60);

/// How long our VAPID signatures are good for (RFC 8292 allows at most 24 hours).
const SIGNATURE_LIFETIME: time::Duration = time::Duration::hours(12);

/// Our VAPID key pair: the private half signs, the public half is what browsers subscribe with.
#[derive(Clone)]
pub struct VapidKey {
    signing: EncodingKey,
    public: String,
    pem: Arc<str>,
}

impl std::fmt::Debug for VapidKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VapidKey")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

impl VapidKey {
    /// A new random key pair (the local stack makes one on its first start).
    pub fn generate() -> Self {
        let secret = p256::SecretKey::random(&mut p256::elliptic_curve::rand_core::OsRng);
        let pem = secret
            .to_pkcs8_pem(LineEnding::LF)
            .expect("a P-256 key always encodes");
        Self::from_pkcs8_pem(&pem).expect("a key just encoded decodes")
    }

    /// From a PKCS#8 PEM P-256 private key (Terraform's `private_key_pem_pkcs8`). The error never
    /// quotes the key.
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, &'static str> {
        let secret = p256::SecretKey::from_pkcs8_pem(pem)
            .map_err(|_| "the VAPID key is not a PKCS#8 PEM P-256 private key")?;
        let signing = EncodingKey::from_ec_pem(pem.as_bytes())
            .map_err(|_| "the VAPID key is not a PKCS#8 PEM P-256 private key")?;
        let point = secret.public_key().to_encoded_point(false);
        Ok(Self {
            signing,
            public: URL_SAFE_NO_PAD.encode(point.as_bytes()),
            pem: pem.into(),
        })
    }

    /// The public key as browsers take it, from its SubjectPublicKeyInfo PEM (what Terraform's
    /// `tls_private_key` gives as `public_key_pem`).
    pub fn public_key_from_spki_pem(pem: &str) -> Result<String, &'static str> {
        use p256::pkcs8::DecodePublicKey;
        let key =
            p256::PublicKey::from_public_key_pem(pem).map_err(|_| "not a PEM P-256 public key")?;
        Ok(URL_SAFE_NO_PAD.encode(key.to_encoded_point(false).as_bytes()))
    }

    /// The private key as PKCS#8 PEM, for storing it.
    pub fn pkcs8_pem(&self) -> &str {
        &self.pem
    }

    /// The public key as browsers take it (`applicationServerKey`): the uncompressed point,
    /// base64url without padding.
    pub fn public_key(&self) -> &str {
        &self.public
    }

    /// The `Authorization` header for a request to `endpoint` (RFC 8292 section 3).
    fn authorization(&self, endpoint: &url::Url, contact: &str) -> Result<String, String> {
        #[derive(Serialize)]
        struct Claims<'a> {
            aud: String,
            exp: i64,
            sub: &'a str,
        }
        let claims = Claims {
            aud: endpoint.origin().ascii_serialization(),
            exp: (time::OffsetDateTime::now_utc() + SIGNATURE_LIFETIME).unix_timestamp(),
            sub: contact,
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::ES256), &claims, &self.signing)
            .map_err(|error| format!("signing the VAPID token: {error}"))?;
        Ok(format!("vapid t={token}, k={}", self.public))
    }
}

/// What a push says; the app's service worker shows it and opens `url` when clicked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct PushMessage {
    pub title: String,
    pub body: String,
    pub url: String,
    /// One notification per channel (or video): a newer one replaces it instead of piling up.
    pub tag: String,
}

/// "`event`'s channel is live", in `language`, linking to `<site_url>/<handle>`.
pub fn go_live_message(event: &GoLive, language: Language, site_url: &str) -> PushMessage {
    let name = &event.owner_nickname;
    let title = match language {
        Language::En => format!("{name} is live"),
        Language::Ko => format!("{name} 님이 방송을 시작했어요"),
    };
    let body = if event.title.is_empty() {
        match language {
            Language::En => "Tap to watch".to_owned(),
            Language::Ko => "눌러서 시청하기".to_owned(),
        }
    } else {
        event.title.clone()
    };
    PushMessage {
        title,
        body,
        url: format!(
            "{}/{}",
            site_url.trim_end_matches('/'),
            event.channel_handle
        ),
        tag: format!("live-{}", event.channel_id),
    }
}

/// "Your video `event.title` is ready", in `language`, linking to `<site_url>/videos/<id>`.
pub fn video_ready_message(event: &VideoReady, language: Language, site_url: &str) -> PushMessage {
    let title = match language {
        Language::En => "Your video is ready".to_owned(),
        Language::Ko => "동영상이 준비되었어요".to_owned(),
    };
    PushMessage {
        title,
        body: event.title.clone(),
        url: format!(
            "{}/videos/{}",
            site_url.trim_end_matches('/'),
            event.video_id
        ),
        tag: format!("video-{}", event.video_id),
    }
}

/// How soon a push service should deliver (RFC 8030 section 5.3).
#[derive(Clone, Copy)]
enum Urgency {
    /// A go-live: worth waking a device for.
    High,
    /// Everything else.
    Normal,
}

/// Sends pushes over HTTPS.
#[derive(Clone)]
pub struct WebPushSender {
    http: reqwest::Client,
    destinations: OutboundDestinations,
    key: VapidKey,
    /// Who push services may contact about our messages (`mailto:` or an `https` URL).
    contact: Arc<str>,
    site_url: Arc<str>,
}

impl WebPushSender {
    pub fn new(
        destinations: OutboundDestinations,
        key: VapidKey,
        contact: &str,
        site_url: &str,
    ) -> reqwest::Result<Self> {
        let http = reqwest::Client::builder()
            .dns_resolver(Arc::new(PublicOnly(destinations)))
            .redirect(redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .user_agent(concat!("Cloumer-Push/", env!("CARGO_PKG_VERSION")))
            .no_proxy()
            .build()?;
        Ok(Self {
            http,
            destinations,
            key,
            contact: contact.into(),
            site_url: site_url.trim_end_matches('/').into(),
        })
    }

    async fn send(
        &self,
        subscription: &PushSubscription,
        message: &PushMessage,
        urgency: Urgency,
    ) -> PushOutcome {
        let body = match serde_json::to_vec(message) {
            Ok(body) => body,
            Err(error) => return PushOutcome::Failed(format!("encoding the message: {error}")),
        };
        // Checked again now: the rules may be stricter than when the browser subscribed.
        let Ok(endpoint) = PushEndpoint::parse(subscription.endpoint.as_str(), self.destinations)
        else {
            return PushOutcome::Gone;
        };
        let Some(builder) = builder(&endpoint, subscription) else {
            // Keys no message can be encrypted for: no message will ever reach this browser.
            return PushOutcome::Gone;
        };
        let request = match builder.with_valid_duration(TIME_TO_LIVE).build(body) {
            Ok(request) => request,
            Err(error) => return PushOutcome::Failed(format!("encrypting: {error}")),
        };
        let url = match url::Url::parse(endpoint.as_str()) {
            Ok(url) => url,
            Err(_) => return PushOutcome::Gone,
        };
        let authorization = match self.key.authorization(&url, &self.contact) {
            Ok(header) => header,
            Err(error) => return PushOutcome::Failed(error),
        };
        let (parts, body) = request.into_parts();
        let response = self
            .http
            .post(url)
            .headers(parts.headers)
            .header(reqwest::header::AUTHORIZATION, authorization)
            .header(
                "Urgency",
                match urgency {
                    Urgency::High => "high",
                    Urgency::Normal => "normal",
                },
            )
            .body(body)
            .send()
            .await;
        match response {
            Ok(response) => outcome(response.status()),
            Err(error) if error.is_timeout() => {
                PushOutcome::Failed("the push service did not answer in time".into())
            }
            Err(_) => PushOutcome::Failed("could not reach the push service".into()),
        }
    }
}

/// The encrypting request builder for a subscription, `None` when its keys are not usable.
fn builder(endpoint: &PushEndpoint, subscription: &PushSubscription) -> Option<WebPushBuilder> {
    let uri = endpoint.as_str().parse().ok()?;
    let public = URL_SAFE_NO_PAD.decode(&subscription.keys.p256dh).ok()?;
    let public = p256::PublicKey::from_sec1_bytes(&public).ok()?;
    let auth = URL_SAFE_NO_PAD.decode(&subscription.keys.auth).ok()?;
    let auth = <[u8; 16]>::try_from(auth.as_slice()).ok()?;
    Some(WebPushBuilder::new(uri, public, auth.into()))
}

/// What a push service's answer means for the subscription (RFC 8030 sections 5 and 8.3).
fn outcome(status: StatusCode) -> PushOutcome {
    if status.is_success() {
        PushOutcome::Accepted
    } else if status == StatusCode::NOT_FOUND || status == StatusCode::GONE {
        PushOutcome::Gone
    } else {
        PushOutcome::Failed(format!("the push service answered {}", status.as_u16()))
    }
}

#[async_trait]
impl PushSender for WebPushSender {
    async fn push_go_live(
        &self,
        subscription: &PushSubscription,
        language: Language,
        event: &GoLive,
    ) -> PushOutcome {
        let message = go_live_message(event, language, &self.site_url);
        self.send(subscription, &message, Urgency::High).await
    }

    async fn push_video_ready(
        &self,
        subscription: &PushSubscription,
        language: Language,
        event: &VideoReady,
    ) -> PushOutcome {
        let message = video_ready_message(event, language, &self.site_url);
        self.send(subscription, &message, Urgency::Normal).await
    }
}
