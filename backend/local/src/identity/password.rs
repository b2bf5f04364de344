//! Passwords: Cognito's default policy, and argon2 hashes computed off the async threads, a few
//! at a time. Each hash takes ~19 MiB and tens of milliseconds of a core: a login flood must
//! queue briefly or be turned away (Cognito's `TooManyRequestsException`), never exhaust memory.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use tokio::sync::Semaphore;

/// Hashes computed at once: one per core.
fn parallel() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 8))
}

/// Requests that may wait for a hashing slot; more are turned away at once.
const QUEUE: usize = 30;

/// Why a password could not be checked or hashed.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("too many passwords are being checked; try again")]
    Busy,
    #[error("hashing failed: {0}")]
    Failed(String),
}

/// Why a password does not meet the policy, in Cognito's words.
pub fn policy_violation(password: &str) -> Option<&'static str> {
    let length = password.chars().count();
    if length < 8 {
        return Some("Password not long enough");
    }
    if length > 256 {
        return Some("Password is too long");
    }
    if !password.chars().any(|c| c.is_ascii_uppercase()) {
        return Some("Password must have uppercase characters");
    }
    if !password.chars().any(|c| c.is_ascii_lowercase()) {
        return Some("Password must have lowercase characters");
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        return Some("Password must have numeric characters");
    }
    if !password
        .chars()
        .any(|c| !c.is_alphanumeric() && !c.is_whitespace())
    {
        return Some("Password must have symbol characters");
    }
    None
}

/// argon2id, a few at a time, with a bounded queue.
pub struct Hasher {
    admitted: Semaphore,
    running: Semaphore,
}

impl Default for Hasher {
    fn default() -> Self {
        Self {
            admitted: Semaphore::new(parallel() + QUEUE),
            running: Semaphore::new(parallel()),
        }
    }
}

impl Hasher {
    /// Runs `work` on a blocking thread once a hashing slot is free.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let _admitted = self.admitted.try_acquire().map_err(|_| HashError::Busy)?;
        let _running = self
            .running
            .acquire()
            .await
            .map_err(|e| HashError::Failed(e.to_string()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| HashError::Failed(e.to_string()))
    }

    /// An argon2id hash of `password` in PHC string form.
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        self.run(move || {
            let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
        })
        .await?
        .map_err(|e| HashError::Failed(e.to_string()))
    }

    /// Whether `password` matches the PHC string `hash`. Without a hash (an unknown user) the
    /// same work is done against a stand-in, so the answer takes as long either way.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, HashError> {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| stand_in_hash().to_owned());
        let matches = self
            .run(move || {
                PasswordHash::new(&hash).is_ok_and(|parsed| {
                    Argon2::default()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
            })
            .await?;
        Ok(known && matches)
    }
}

/// A hash of a random password nobody knows, with the same parameters as real ones.
fn stand_in_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        let secret = cloumer_domain::ids::random_alphanumeric(32);
        Argon2::default()
            .hash_password(secret.as_bytes(), &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_password_policy_is_cognitos() {
        assert_eq!(policy_violation("Passw0rd!"), None);
        for weak in [
            "Pa0!",
            "password0!",
            "PASSWORD0!",
            "Password!!",
            "Password00",
        ] {
            assert!(policy_violation(weak).is_some(), "{weak}");
        }
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_no_other() {
        let hasher = Hasher::default();
        let hashed = hasher.hash("Correct-Horse-9".into()).await.unwrap();
        assert!(
            hasher
                .verify("Correct-Horse-9".into(), Some(hashed.clone()))
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify("Correct-Horse-8".into(), Some(hashed))
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify("x".into(), Some("not a hash".into()))
                .await
                .unwrap()
        );
        assert!(!hasher.verify("anything".into(), None).await.unwrap());
    }
}
