//! A local stand-in for an Amazon Cognito user pool.
//!
//! It speaks the subset of the Cognito Identity Provider JSON API the browser app uses
//! ([`wire`]), signs users in by email with Cognito's default password policy ([`registration`],
//! [`sessions`], [`password`], [`codes`]), issues RS256 ID and access tokens with Cognito's claims
//! and publishes its keys at `<issuer>/.well-known/jwks.json` ([`signer`]), and keeps its users in
//! the stack's embedded store ([`users`]). Codes go to the log instead of email, no more often
//! than [`throttle`] allows a client.

mod codes;
mod error;
mod password;
mod registration;
mod sessions;
mod signer;
mod throttle;
mod users;
mod wire;

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use cloumer_domain::Platform;
use cloumer_domain::ports::Clock;
use cloumer_tokens::JwkSet;
use redb::Database;

use password::Hasher;
use signer::TokenSigner;
use throttle::SendThrottle;
use users::Users;

pub const POOL_ID: &str = "local_cloumer";
pub const CLIENT_ID: &str = "cloumerlocalclient";

/// The local user pool.
#[derive(Clone)]
pub struct LocalIdentity {
    inner: Arc<Inner>,
}

struct Inner {
    users: Users,
    signer: TokenSigner,
    hasher: Hasher,
    sends: SendThrottle,
    platform: Platform,
    clock: Arc<dyn Clock>,
    /// The addresses of the pool's staff group (Cognito's group membership, which AWS gives with
    /// AdminAddUserToGroup; here the stack's configuration), normalized.
    staff: std::sync::RwLock<BTreeSet<String>>,
}

impl LocalIdentity {
    /// `base_url` is where the stack is reached (e.g. `http://127.0.0.1:8080`).
    pub fn new(
        db: Arc<Database>,
        base_url: &str,
        key_pem: &str,
        platform: Platform,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<Self> {
        let issuer = format!("{}/cognito/{POOL_ID}", base_url.trim_end_matches('/'));
        Ok(Self {
            inner: Arc::new(Inner {
                users: Users::open(db)?,
                signer: TokenSigner::new(issuer, key_pem)?,
                hasher: Hasher::default(),
                sends: SendThrottle::default(),
                platform,
                clock,
                staff: std::sync::RwLock::default(),
            }),
        })
    }

    /// The `iss` of every token, as the API's verifier must expect it.
    pub fn issuer(&self) -> &str {
        self.inner.signer.issuer()
    }

    pub fn jwks(&self) -> Arc<JwkSet> {
        self.inner.signer.jwks()
    }

    /// Puts these addresses (and only these) in the staff group. Their tokens say so from their
    /// next sign-in or refresh on, as Cognito's do after a group change.
    pub fn set_staff<'a>(&self, emails: impl IntoIterator<Item = &'a str>) {
        let emails = emails.into_iter().map(registration::normalize).collect();
        *self.inner.staff.write().unwrap_or_else(|e| e.into_inner()) = emails;
    }

    fn is_staff(&self, email: &str) -> bool {
        self.inner
            .staff
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains(email)
    }

    /// The pending confirmation (or password-reset) code of a user, for tests and tools; the
    /// code is also printed to the log.
    pub fn pending_code(&self, email: &str) -> Option<String> {
        self.inner
            .users
            .get(&registration::normalize(email))
            .ok()
            .flatten()
            .and_then(|u| u.code.map(|(c, _)| c))
    }

    /// Routes: the JSON API at `/cognito/` and the key set at `/cognito/<pool>/.well-known/jwks.json`.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/cognito", post(wire::handle))
            .route("/cognito/", post(wire::handle))
            .route(
                &format!("/cognito/{POOL_ID}/.well-known/jwks.json"),
                get(wire::jwks),
            )
            .with_state(self.clone())
    }

    /// Unix seconds now, by the stack's clock.
    fn now(&self) -> i64 {
        self.inner.clock.now().unix_timestamp()
    }
}
