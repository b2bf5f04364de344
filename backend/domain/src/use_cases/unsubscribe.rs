//! One-click unsubscribe: the link in every go-live email turns that user's go-live emails off,
//! for whoever holds the email, without signing in (RFC 8058: mail clients post it for the
//! user). The link's secret is the user's own, so it cannot be guessed for anyone else.

use crate::error::{DomainError, DomainResult};
use crate::ids::UserId;
use crate::platform::Platform;

impl Platform {
    /// Turns off go-live emails for `user` if `token` is their unsubscribe secret. Doing it again
    /// changes nothing; a wrong or unknown pair is "not found", whichever part was wrong.
    pub async fn unsubscribe(&self, user: &str, token: &str) -> DomainResult<()> {
        let not_found = || DomainError::NotFound("unsubscribe link");
        let user = UserId::parse(user).map_err(|_| not_found())?;
        let mut profile = self
            .ports
            .channels
            .get_profile(&user)
            .await?
            .ok_or_else(not_found)?;
        let expected = profile.notifications.unsubscribe_token.as_deref();
        if !expected.is_some_and(|expected| same_secret(expected, token)) {
            return Err(not_found());
        }
        if profile.notifications.email {
            profile.notifications.email = false;
            self.ports.channels.put_profile(&profile).await?;
            tracing::info!(user = %user, "unsubscribed from go-live emails");
        }
        Ok(())
    }
}

/// Compares in time that does not depend on where the two differ.
fn same_secret(expected: &str, given: &str) -> bool {
    expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |differ, (a, b)| differ | (a ^ b))
            == 0
}
