//! Becoming a user: sign-up (email as the username, Cognito's password policy, a few writable
//! attributes), confirmation by emailed code, resending the code, and resetting a forgotten
//! password. Confirming creates the user's channel, as the post-confirmation trigger does in the
//! cloud.
//!
//! Like the cloud pool (`PreventUserExistenceErrors`), answers never tell whether an email has an
//! account: resending and password reset answer "sent" for anyone, and a code for an unknown or
//! already confirmed account is simply wrong.

use std::collections::BTreeMap;
use std::net::IpAddr;

use cloumer_domain::Identity;
use cloumer_domain::ids::UserId;

use super::LocalIdentity;
use super::codes::{self, CodeError, Purpose};
use super::error::{CognitoError, Outcome};
use super::password;
use super::users::UserRecord;

/// The attributes a user may set at sign-up besides their email.
const WRITABLE_ATTRIBUTES: &[&str] = &["preferred_username", "nickname", "name", "locale"];
/// The longest attribute value Cognito stores.
const MAX_ATTRIBUTE_CHARS: usize = 2048;

/// Cognito's `UsernameExistsException`.
fn exists() -> CognitoError {
    CognitoError::new(
        "UsernameExistsException",
        "An account with the given email already exists.",
    )
}

pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && !domain.contains('@')
}

/// Usernames are emails, compared without case.
pub fn normalize(username: &str) -> String {
    username.trim().to_lowercase()
}

fn check_policy(password: &str) -> Outcome<()> {
    match password::policy_violation(password) {
        None => Ok(()),
        Some(why) => Err(CognitoError::new(
            "InvalidPasswordException",
            format!("Password did not conform with policy: {why}"),
        )),
    }
}

fn code_refused(error: CodeError) -> CognitoError {
    match error {
        CodeError::Expired => CognitoError::new(
            "ExpiredCodeException",
            "Invalid code provided, please request a code again.",
        ),
        CodeError::Mismatch => mismatch(),
        CodeError::TooManyGuesses | CodeError::TooManySends => CognitoError::new(
            "LimitExceededException",
            "Attempt limit exceeded, please try after some time.",
        ),
    }
}

/// The answer for a wrong code, and for a code given for an account that has none to check.
fn mismatch() -> CognitoError {
    CognitoError::new(
        "CodeMismatchException",
        "Invalid verification code provided, please try again.",
    )
}

impl LocalIdentity {
    /// Registers an unconfirmed user and sends a confirmation code. Returns the user's `sub`.
    pub(super) async fn sign_up(
        &self,
        username: &str,
        password: String,
        requested: Vec<(String, String)>,
        client: Option<IpAddr>,
    ) -> Outcome<(String, String)> {
        let email = normalize(username);
        if !valid_email(&email) {
            return Err(CognitoError::new(
                "InvalidParameterException",
                "Username should be an email.",
            ));
        }
        check_policy(&password)?;
        let mut attributes = BTreeMap::new();
        for (name, value) in requested {
            if name == "email" {
                continue;
            }
            if !WRITABLE_ATTRIBUTES.contains(&name.as_str()) {
                return Err(CognitoError::new(
                    "InvalidParameterException",
                    format!(
                        "Attributes did not conform to the schema: Type for attribute {{{name}}} could not be determined"
                    ),
                ));
            }
            if value.chars().count() > MAX_ATTRIBUTE_CHARS {
                return Err(CognitoError::new(
                    "InvalidParameterException",
                    format!("{name} is too long"),
                ));
            }
            attributes.insert(name, value);
        }
        if self.inner.users.get(&email)?.is_some() {
            return Err(exists());
        }
        self.admit_send(client)?;
        let password_hash = self.hash(password).await?;
        attributes.insert("email".into(), email.clone());
        let mut user = UserRecord {
            sub: uuid::Uuid::new_v4().to_string(),
            email: email.clone(),
            password_hash,
            attributes,
            confirmed: false,
            code: None,
            code_guesses: 0,
            code_sends: Vec::new(),
            failed_attempts: 0,
            locked_until: 0,
            session_generation: 0,
        };
        let code =
            codes::issue(&mut user, Purpose::ConfirmSignUp, self.now()).map_err(code_refused)?;
        if !self.inner.users.insert_new(&user)? {
            return Err(exists());
        }
        codes::deliver(&email, &code, Purpose::ConfirmSignUp);
        Ok((user.sub, email))
    }

    /// Confirms a sign-up with its code, then creates the user's channel.
    pub(super) async fn confirm_sign_up(&self, username: &str, code: &str) -> Outcome<()> {
        let email = normalize(username);
        let now = self.now();
        let confirmed = self
            .inner
            .users
            .update(&email, |user| {
                if user.confirmed {
                    return Err(mismatch());
                }
                codes::check(user, code, now).map_err(code_refused)?;
                user.confirmed = true;
                Ok(user.clone())
            })?
            .unwrap_or_else(|| Err(mismatch()))?;
        self.post_confirmation(&confirmed).await;
        Ok(())
    }

    /// What the Cognito post-confirmation trigger does in the cloud: create the user's channel.
    /// A failure here does not undo the confirmation (the API creates the channel on first use).
    async fn post_confirmation(&self, user: &UserRecord) {
        let Ok(user_id) = UserId::parse(&user.sub) else {
            return;
        };
        let identity = Identity {
            user_id,
            username: user.sub.clone(),
            preferred_handle: user.attributes.get("preferred_username").cloned(),
            nickname: user.attributes.get("nickname").cloned(),
            // Confirmed with a code sent there: verified.
            email: Some(user.email.clone()),
            signed_in_at: None,
            staff: false,
        };
        if let Err(error) = self.inner.platform.ensure_account(&identity).await {
            tracing::warn!(%error, "post-confirmation could not create the channel yet");
        }
    }

    /// A new confirmation code for an unconfirmed user. Returns where it went (or would have).
    pub(super) fn resend_code(&self, username: &str, client: Option<IpAddr>) -> Outcome<String> {
        self.send_code(username, Purpose::ConfirmSignUp, client)
    }

    /// Sends a password-reset code. Returns where it went (or would have).
    pub(super) fn forgot_password(
        &self,
        username: &str,
        client: Option<IpAddr>,
    ) -> Outcome<String> {
        self.send_code(username, Purpose::ResetPassword, client)
    }

    /// Sends a code for `purpose` to the account, if there is one it applies to. The answer is
    /// the same either way: the address it was (or would have been) sent to.
    fn send_code(
        &self,
        username: &str,
        purpose: Purpose,
        client: Option<IpAddr>,
    ) -> Outcome<String> {
        let email = normalize(username);
        self.admit_send(client)?;
        let now = self.now();
        let sent = self.inner.users.update(&email, |user| {
            if purpose == Purpose::ConfirmSignUp && user.confirmed {
                return Ok(None);
            }
            codes::issue(user, purpose, now).map(Some)
        })?;
        match sent {
            Some(Ok(Some(code))) => codes::deliver(&email, &code, purpose),
            Some(Err(error)) => return Err(code_refused(error)),
            // No account, or nothing to confirm: nothing is sent, and nothing says so.
            Some(Ok(None)) | None => {}
        }
        Ok(email)
    }

    /// Sets a new password with a reset code, and ends every session of the account.
    pub(super) async fn confirm_forgot_password(
        &self,
        username: &str,
        code: &str,
        password: String,
    ) -> Outcome<()> {
        let email = normalize(username);
        check_policy(&password)?;
        // Hashed before the code is checked, known account or not: the answer takes as long.
        let password_hash = self.hash(password).await?;
        let now = self.now();
        self.inner
            .users
            .update(&email, |user| {
                codes::check(user, code, now).map_err(code_refused)?;
                user.password_hash = password_hash;
                user.locked_until = 0;
                user.failed_attempts = 0;
                user.session_generation += 1;
                Ok(())
            })?
            .unwrap_or_else(|| Err(mismatch()))
    }

    /// Counts a code this client makes the pool send; refused past the client's limit.
    fn admit_send(&self, client: Option<IpAddr>) -> Outcome<()> {
        if self.inner.sends.admit(client, self.now()) {
            Ok(())
        } else {
            Err(CognitoError::new(
                "LimitExceededException",
                "Attempt limit exceeded, please try after some time.",
            ))
        }
    }

    /// A password hash, or Cognito's throttling answer when too many are being computed.
    pub(super) async fn hash(&self, password: String) -> Outcome<String> {
        self.inner
            .hasher
            .hash(password)
            .await
            .map_err(CognitoError::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_must_be_emails() {
        assert!(valid_email("alice@example.com"));
        for bad in [
            "alice",
            "alice@",
            "@example.com",
            "al ice@example.com",
            "a@b@c.com",
            "a@example.",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
        assert_eq!(normalize("  Alice@Example.COM "), "alice@example.com");
    }
}
