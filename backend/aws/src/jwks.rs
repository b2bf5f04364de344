//! The user pool's signing keys, fetched from Cognito's JWKS URL and kept in memory.

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use cloumer_domain::error::{PortContext, PortResult};
use cloumer_tokens::{JwkSet, JwksSource};
use tokio::sync::Mutex;

/// A refresh (for a token naming a key we do not have) happens at most this often, so forged
/// key ids cannot make us hammer Cognito.
const MIN_REFRESH_INTERVAL: Duration = Duration::from_secs(60);
/// Keys are re-read after this long anyway (Cognito rotates rarely; this picks rotations up).
const MAX_AGE: Duration = Duration::from_secs(6 * 3600);

pub struct HttpJwks {
    url: String,
    http: reqwest::Client,
    cached: Mutex<Option<(Instant, Arc<JwkSet>)>>,
}

impl HttpJwks {
    /// `url` is `<issuer>/.well-known/jwks.json`.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .expect("an HTTP client"),
            cached: Mutex::default(),
        }
    }

    async fn fetch(&self) -> PortResult<Arc<JwkSet>> {
        let response = self
            .http
            .get(&self.url)
            .send()
            .await
            .port("fetching the JWKS")?;
        let keys: JwkSet = response
            .error_for_status()
            .port("fetching the JWKS")?
            .json()
            .await
            .port("reading the JWKS")?;
        Ok(Arc::new(keys))
    }
}

#[async_trait]
impl JwksSource for HttpJwks {
    async fn jwks(&self, refresh: bool) -> PortResult<Arc<JwkSet>> {
        let mut cached = self.cached.lock().await;
        if let Some((fetched, keys)) = cached.as_ref() {
            let age = fetched.elapsed();
            let stale = age > MAX_AGE || (refresh && age > MIN_REFRESH_INTERVAL);
            if !stale {
                return Ok(keys.clone());
            }
        }
        let keys = self.fetch().await?;
        *cached = Some((Instant::now(), keys.clone()));
        Ok(keys)
    }
}
