//! A push service for tests (feature `testing`): a real HTTP server on a loopback port that plays
//! a browser's push service. It makes a subscription's keys itself, as a browser would, so it can
//! decrypt what it is sent and check the VAPID signature, as a real push service does.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use p256::elliptic_curve::rand_core::{OsRng, RngCore};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use serde::Deserialize;

use crate::push::PushMessage;

/// One subscription the service made: what a browser would hand the app.
#[derive(Clone, Debug)]
pub struct TestSubscription {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

/// A push the service took, decrypted and checked.
#[derive(Clone, Debug)]
pub struct ReceivedPush {
    /// Which subscription it was for (the endpoint's last segment).
    pub subscription: String,
    pub message: PushMessage,
    /// The plaintext, as the browser would hand it to the service worker.
    pub plaintext: Vec<u8>,
    /// The VAPID public key (`k=`) the signature was checked with.
    pub vapid_key: String,
    /// The VAPID token's `sub`.
    pub contact: String,
    pub ttl: Option<u64>,
    pub urgency: Option<String>,
}

struct Keys {
    secret: p256::SecretKey,
    auth: [u8; 16],
}

#[derive(Default)]
struct Inner {
    keys: Vec<(String, Keys)>,
    received: Vec<ReceivedPush>,
    /// Subscriptions the service answers 410 Gone for.
    gone: Vec<String>,
    refused: Vec<String>,
}

/// The running service.
#[derive(Clone)]
pub struct TestPushService {
    origin: String,
    inner: Arc<Mutex<Inner>>,
}

impl TestPushService {
    pub async fn start() -> Self {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let origin = format!("http://{}", listener.local_addr().expect("its address"));
        let service = Self { origin, inner };
        let app = axum::Router::new()
            .route("/push/{id}", post(take))
            .with_state(service.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        service
    }

    /// A new subscription with fresh keys, as `pushManager.subscribe()` would give.
    pub fn subscribe(&self) -> TestSubscription {
        let secret = p256::SecretKey::random(&mut OsRng);
        let mut auth = [0u8; 16];
        OsRng.fill_bytes(&mut auth);
        let mut inner = self.inner.lock().unwrap();
        let id = format!("sub{}", inner.keys.len() + 1);
        let subscription = TestSubscription {
            endpoint: format!("{}/push/{id}", self.origin),
            p256dh: URL_SAFE_NO_PAD.encode(secret.public_key().to_encoded_point(false).as_bytes()),
            auth: URL_SAFE_NO_PAD.encode(auth),
        };
        inner.keys.push((id, Keys { secret, auth }));
        subscription
    }

    /// From now on the service answers 410 Gone for this subscription, as for an expired one.
    pub fn expire(&self, subscription: &TestSubscription) {
        let id = subscription.endpoint.rsplit('/').next().unwrap().to_owned();
        self.inner.lock().unwrap().gone.push(id);
    }

    /// The pushes taken so far, oldest first.
    pub fn received(&self) -> Vec<ReceivedPush> {
        self.inner.lock().unwrap().received.clone()
    }

    /// Why requests were refused (bad signature, undecryptable body, unknown subscription).
    pub fn refused(&self) -> Vec<String> {
        self.inner.lock().unwrap().refused.clone()
    }
}

#[derive(Deserialize)]
struct VapidClaims {
    sub: String,
}

async fn take(
    State(service): State<TestPushService>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let checked = check(&service, &id, &headers, &body);
    let mut inner = service.inner.lock().unwrap();
    match checked {
        Ok(push) if inner.gone.contains(&id) => {
            drop(push);
            StatusCode::GONE
        }
        Ok(push) => {
            inner.received.push(push);
            StatusCode::CREATED
        }
        Err((status, why)) => {
            inner.refused.push(why);
            status
        }
    }
}

/// What a push service checks: who signed (VAPID, for this origin, not expired) and that the
/// body decrypts for the subscription's keys.
fn check(
    service: &TestPushService,
    id: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<ReceivedPush, (StatusCode, String)> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let unauthorized = |why: String| (StatusCode::UNAUTHORIZED, why);
    let authorization =
        header("authorization").ok_or_else(|| unauthorized("no Authorization".into()))?;
    let rest = authorization
        .strip_prefix("vapid ")
        .ok_or_else(|| unauthorized(format!("not a VAPID header: {authorization}")))?;
    let (mut token, mut key) = (None, None);
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(t) = part.strip_prefix("t=") {
            token = Some(t);
        } else if let Some(k) = part.strip_prefix("k=") {
            key = Some(k);
        }
    }
    let (token, key) = token
        .zip(key)
        .ok_or_else(|| unauthorized("VAPID header without t= and k=".into()))?;
    let point = URL_SAFE_NO_PAD
        .decode(key)
        .map_err(|_| unauthorized("k= is not base64url".into()))?;
    if point.len() != 65 || point[0] != 4 {
        return Err(unauthorized("k= is not an uncompressed P-256 point".into()));
    }
    let decoding = DecodingKey::from_ec_components(
        &URL_SAFE_NO_PAD.encode(&point[1..33]),
        &URL_SAFE_NO_PAD.encode(&point[33..]),
    )
    .map_err(|error| unauthorized(format!("k=: {error}")))?;
    let mut validation = Validation::new(Algorithm::ES256);
    validation.set_audience(&[&service.origin]);
    validation.set_required_spec_claims(&["exp", "aud", "sub"]);
    let claims = jsonwebtoken::decode::<VapidClaims>(token, &decoding, &validation)
        .map_err(|error| unauthorized(format!("VAPID token: {error}")))?
        .claims;

    if header("content-encoding") != Some("aes128gcm") {
        return Err((StatusCode::BAD_REQUEST, "not aes128gcm".into()));
    }
    let inner = service.inner.lock().unwrap();
    let keys = inner
        .keys
        .iter()
        .find(|(known, _)| known == id)
        .map(|(_, keys)| keys)
        .ok_or_else(|| (StatusCode::NOT_FOUND, format!("no subscription {id}")))?;
    let plaintext = web_push_native::decrypt(body.to_vec(), &keys.secret, &keys.auth.into())
        .map_err(|error| (StatusCode::BAD_REQUEST, format!("decrypting: {error}")))?;
    let message = serde_json::from_slice(&plaintext)
        .map_err(|error| (StatusCode::BAD_REQUEST, format!("not a message: {error}")))?;
    Ok(ReceivedPush {
        subscription: id.to_owned(),
        message,
        plaintext,
        vapid_key: key.to_owned(),
        contact: claims.sub,
        ttl: header("ttl").and_then(|ttl| ttl.parse().ok()),
        urgency: header("urgency").map(str::to_owned),
    })
}
