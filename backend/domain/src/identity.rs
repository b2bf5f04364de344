//! Who is calling: a signed-in user as the identity provider (Cognito, or the local stand-in)
//! vouches for them. Adapters build it from verified token claims; use cases only read it.

use time::OffsetDateTime;

use crate::ids::UserId;

/// A signed-in user, from verified token claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub user_id: UserId,
    /// Cognito `cognito:username` (or `username` in access tokens).
    pub username: String,
    /// The handle chosen at sign-up (Cognito `preferred_username`), if any.
    pub preferred_handle: Option<String>,
    /// The nickname given at sign-up (Cognito `nickname`), if any.
    pub nickname: Option<String>,
    /// The verified email address (Cognito `email` with `email_verified`), if the token has one.
    pub email: Option<String>,
    /// When the user last proved who they are with their password (the token's `auth_time`,
    /// which refreshing keeps), if the token says.
    pub signed_in_at: Option<OffsetDateTime>,
    /// One of the platform's staff (the identity provider's `staff` group): may read and settle
    /// reports. Nothing else is theirs to do.
    pub staff: bool,
}
