//! Becoming a user: sign-up (email as the username, Cognito's password policy, a few writable
//! attributes), confirmation by emailed code, resending the code, and resetting a forgotten
//! password. Confirming creates the user's channel, as the post-confirmation trigger does in the
//! cloud.

use std::collections::BTreeMap;

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
        CodeError::Mismatch => CognitoError::new(
            "CodeMismatchException",
            "Invalid verification code provided, please try again.",
        ),
        CodeError::TooManyGuesses => CognitoError::new(
            "LimitExceededException",
            "Attempt limit exceeded, please try after some time.",
        ),
    }
}

impl LocalIdentity {
    /// Registers an unconfirmed user and sends a confirmation code. Returns the user's `sub`.
    pub(super) async fn sign_up(
        &self,
        username: &str,
        password: String,
        requested: Vec<(String, String)>,
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
        let password_hash = password::hash(password)
            .await
            .map_err(CognitoError::internal)?;
        attributes.insert("email".into(), email.clone());
        let mut user = UserRecord {
            sub: uuid::Uuid::new_v4().to_string(),
            email: email.clone(),
            password_hash,
            attributes,
            confirmed: false,
            code: None,
            failed_attempts: 0,
            locked_until: 0,
        };
        let code = codes::issue(&mut user, Purpose::ConfirmSignUp, self.now());
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
                    return Err(CognitoError::new(
                        "NotAuthorizedException",
                        "User cannot be confirmed. Current status is CONFIRMED",
                    ));
                }
                codes::check(user, code, now).map_err(code_refused)?;
                user.confirmed = true;
                Ok(user.clone())
            })?
            .ok_or_else(CognitoError::user_not_found)??;
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
        };
        if let Err(error) = self.inner.platform.ensure_account(&identity).await {
            tracing::warn!(%error, "post-confirmation could not create the channel yet");
        }
    }

    /// A new confirmation code for an unconfirmed user. Returns where it went.
    pub(super) fn resend_code(&self, username: &str) -> Outcome<String> {
        let email = normalize(username);
        let now = self.now();
        let code = self
            .inner
            .users
            .update(&email, |user| {
                if user.confirmed {
                    return Err(CognitoError::new(
                        "InvalidParameterException",
                        "User is already confirmed.",
                    ));
                }
                Ok(codes::issue(user, Purpose::ConfirmSignUp, now))
            })?
            .ok_or_else(CognitoError::user_not_found)??;
        codes::deliver(&email, &code, Purpose::ConfirmSignUp);
        Ok(email)
    }

    /// Sends a password-reset code. Returns where it went.
    pub(super) fn forgot_password(&self, username: &str) -> Outcome<String> {
        let email = normalize(username);
        let now = self.now();
        let code = self
            .inner
            .users
            .update(&email, |user| {
                codes::issue(user, Purpose::ResetPassword, now)
            })?
            .ok_or_else(CognitoError::user_not_found)?;
        codes::deliver(&email, &code, Purpose::ResetPassword);
        Ok(email)
    }

    /// Sets a new password with a reset code.
    pub(super) async fn confirm_forgot_password(
        &self,
        username: &str,
        code: &str,
        password: String,
    ) -> Outcome<()> {
        let email = normalize(username);
        if self.inner.users.get(&email)?.is_none() {
            return Err(CognitoError::user_not_found());
        }
        check_policy(&password)?;
        let password_hash = password::hash(password)
            .await
            .map_err(CognitoError::internal)?;
        let now = self.now();
        self.inner
            .users
            .update(&email, |user| {
                codes::check(user, code, now).map_err(code_refused)?;
                user.password_hash = password_hash;
                user.locked_until = 0;
                Ok(())
            })?
            .ok_or_else(CognitoError::user_not_found)?
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
