//! Private playback: who may watch a private channel, and the claims of the token that lets them.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::ids::{ChannelId, UserId};

/// Permission for one user to watch one private channel, granted by its owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewerGrant {
    pub channel_id: ChannelId,
    pub user_id: UserId,
    /// The viewer's channel handle when granted, for the owner's list.
    pub handle: String,
    #[serde(with = "time::serde::rfc3339")]
    pub granted_at: OffsetDateTime,
}

/// The claims of an IVS playback-authorization token (a JWT signed with ES384).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaybackClaims {
    /// `aws:channel-arn`
    pub channel_arn: String,
    /// `aws:access-control-allow-origin`: the origin allowed to play (the site), or `*`.
    pub allowed_origin: String,
    /// `aws:viewer-id`: at most 40 characters.
    pub viewer_id: Option<String>,
    /// `exp`: the token must be used before this; playback that started continues.
    pub expires_at: OffsetDateTime,
}

/// IVS limits `aws:viewer-id` to 40 characters.
pub fn viewer_id_for(user: &UserId) -> String {
    user.as_str().chars().take(40).collect()
}
