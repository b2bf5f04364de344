//! Signing in: `InitiateAuth` with a password (after too many wrong ones the account locks for a
//! while) or with a refresh token, the user's attributes by access token, and revoking a refresh
//! token.

use cloumer_domain::ids::random_alphanumeric;

use super::LocalIdentity;
use super::error::{CognitoError, Outcome};
use super::registration::normalize;
use super::signer::{AccessTokenError, SignedTokens};
use super::users::{RefreshSession, UserRecord};

/// Wrong passwords in a row before the account locks.
const MAX_ATTEMPTS: u32 = 5;
const LOCKOUT_SECONDS: i64 = 15 * 60;
/// How long a refresh token lasts.
const REFRESH_SECONDS: i64 = 30 * 24 * 3600;

/// What a successful `InitiateAuth` returns.
pub struct SignedIn {
    pub tokens: SignedTokens,
    /// Only when signing in with a password.
    pub refresh_token: Option<String>,
}

fn wrong_password() -> CognitoError {
    CognitoError::new("NotAuthorizedException", "Incorrect username or password.")
}

fn locked() -> CognitoError {
    CognitoError::new("NotAuthorizedException", "Password attempts exceeded")
}

impl LocalIdentity {
    /// `USER_PASSWORD_AUTH`. Every attempt is counted before its password is checked, in the same
    /// write as the lockout check: attempts racing each other cannot slip past the limit. A right
    /// password clears the count.
    pub(super) async fn password_auth(
        &self,
        username: &str,
        password: String,
    ) -> Outcome<SignedIn> {
        let email = normalize(username);
        let now = self.now();
        let reserved = self.inner.users.update(&email, |user| {
            if user.locked_until > now {
                return Err(locked());
            }
            user.failed_attempts += 1;
            if user.failed_attempts >= MAX_ATTEMPTS {
                user.failed_attempts = 0;
                user.locked_until = now + LOCKOUT_SECONDS;
            }
            Ok(user.clone())
        })?;
        // An unknown user is checked against a stand-in hash: the same answer, after as long.
        let user = reserved.transpose()?;
        let matches = self
            .inner
            .hasher
            .verify(password, user.as_ref().map(|u| u.password_hash.clone()))
            .await?;
        let Some(user) = user.filter(|_| matches) else {
            return Err(wrong_password());
        };
        self.inner.users.update(&email, |user| {
            user.failed_attempts = 0;
            user.locked_until = 0;
        })?;
        if !user.confirmed {
            return Err(CognitoError::new(
                "UserNotConfirmedException",
                "User is not confirmed.",
            ));
        }
        let auth_time = self.now();
        let origin_jti = uuid::Uuid::new_v4().to_string();
        let refresh_token = random_alphanumeric(96);
        self.inner.users.put_session(
            &refresh_token,
            &RefreshSession {
                email: user.email.clone(),
                expires_at: auth_time + REFRESH_SECONDS,
                auth_time,
                origin_jti: origin_jti.clone(),
                generation: user.session_generation,
            },
        )?;
        Ok(SignedIn {
            tokens: self.sign(&user, auth_time, &origin_jti)?,
            refresh_token: Some(refresh_token),
        })
    }

    /// `REFRESH_TOKEN_AUTH`: new ID and access tokens for the same sign-in, unless the password
    /// was reset since.
    pub(super) fn refresh_auth(&self, token: &str) -> Outcome<SignedIn> {
        let invalid = || CognitoError::new("NotAuthorizedException", "Invalid Refresh Token");
        let session = self.inner.users.session(token)?.ok_or_else(invalid)?;
        if session.expires_at < self.now() {
            return Err(CognitoError::new(
                "NotAuthorizedException",
                "Refresh Token has expired",
            ));
        }
        let user = self.inner.users.get(&session.email)?.ok_or_else(invalid)?;
        if session.generation != user.session_generation {
            self.inner.users.remove_session(token)?;
            return Err(CognitoError::new(
                "NotAuthorizedException",
                "Refresh Token has been revoked",
            ));
        }
        Ok(SignedIn {
            tokens: self.sign(&user, session.auth_time, &session.origin_jti)?,
            refresh_token: None,
        })
    }

    fn sign(&self, user: &UserRecord, auth_time: i64, origin_jti: &str) -> Outcome<SignedTokens> {
        self.inner
            .signer
            .sign(
                user,
                self.is_staff(&user.email),
                auth_time,
                origin_jti,
                self.now(),
            )
            .map_err(CognitoError::internal)
    }

    /// The user an access token belongs to (`GetUser`).
    pub(super) fn user_of_access_token(&self, token: &str) -> Outcome<UserRecord> {
        let invalid = || CognitoError::new("NotAuthorizedException", "Invalid Access Token");
        let sub = self
            .inner
            .signer
            .access_token_subject(token, self.now())
            .map_err(|e| match e {
                AccessTokenError::Expired => {
                    CognitoError::new("NotAuthorizedException", "Access Token has expired")
                }
                AccessTokenError::Invalid => invalid(),
            })?;
        self.inner.users.by_sub(&sub)?.ok_or_else(invalid)
    }

    /// Deletes the user an access token belongs to, and all their sign-ins (`DeleteUser`).
    pub(super) fn delete_user(&self, access_token: &str) -> Outcome<()> {
        let user = self.user_of_access_token(access_token)?;
        self.inner.users.delete(&user.email)?;
        Ok(())
    }

    /// Ends the sign-in a refresh token stands for.
    pub(super) fn revoke_token(&self, token: &str) -> Outcome<()> {
        Ok(self.inner.users.remove_session(token)?)
    }
}
