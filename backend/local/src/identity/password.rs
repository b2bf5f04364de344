//! Passwords: Cognito's default policy, and argon2 hashes computed off the async threads.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

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

/// An argon2id hash of `password` in PHC string form.
pub async fn hash(password: String) -> anyhow::Result<String> {
    let hashed = tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await?;
    hashed.map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

/// Whether `password` matches the PHC string `hash`.
pub async fn verify(password: String, hash: String) -> anyhow::Result<bool> {
    Ok(tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await?)
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
        let hashed = hash("Correct-Horse-9".into()).await.unwrap();
        assert!(
            verify("Correct-Horse-9".into(), hashed.clone())
                .await
                .unwrap()
        );
        assert!(!verify("Correct-Horse-8".into(), hashed).await.unwrap());
        assert!(!verify("x".into(), "not a hash".into()).await.unwrap());
    }
}
