//! Private channels: who the owner lets watch, the signed playback URL an allowed viewer loads,
//! and the rule the video service's playback applies to a channel's files.

use futures_util::future::join_all;
use time::OffsetDateTime;

use crate::channel::Channel;
use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::ids::{ChannelId, RecordingId, UserId};
use crate::platform::Platform;
use crate::playback::{PlaybackClaims, ViewerGrant, viewer_id_for};

/// A playback URL a caller may load.
#[derive(Clone, Debug)]
pub struct PlaybackAccess {
    /// The playback URL, with `?token=…` for private channels.
    pub url: String,
    pub token: Option<String>,
    pub expires_at: Option<OffsetDateTime>,
}

/// Who may fetch a channel's video files (what IVS checks for an `authorized` channel).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlaybackRule {
    /// Anyone.
    Public,
    /// Only with a valid playback token naming this video resource.
    TokenFor { channel_arn: String },
}

impl Platform {
    /// The URL the caller loads in the player: with a signed token for private channels.
    pub async fn playback(
        &self,
        handle: &str,
        who: Option<&UserId>,
    ) -> DomainResult<PlaybackAccess> {
        let channel = self.channel_by_handle(handle).await?;
        self.refuse_suspended(&channel)?;
        let video = channel
            .video
            .clone()
            .ok_or(DomainError::NotFound("video channel"))?;
        if !channel.private {
            return Ok(PlaybackAccess {
                url: video.playback_url,
                token: None,
                expires_at: None,
            });
        }
        if who.is_none() {
            return Err(DomainError::Unauthenticated);
        }
        if !self.can_watch(&channel, who).await? {
            return Err(DomainError::Forbidden(
                "the owner has not allowed you to watch this channel",
            ));
        }
        let expires_at = self.now() + self.config.playback_token_ttl;
        let token = self.ports.playback.sign(&PlaybackClaims {
            channel_arn: video.arn.clone(),
            allowed_origin: self.config.site_origin.clone(),
            viewer_id: who.map(viewer_id_for),
            expires_at,
        })?;
        let separator = if video.playback_url.contains('?') {
            '&'
        } else {
            '?'
        };
        Ok(PlaybackAccess {
            url: format!("{}{separator}token={token}", video.playback_url),
            token: Some(token),
            expires_at: Some(expires_at),
        })
    }

    /// The rule for a channel's live files; `None` for a channel that does not exist.
    pub async fn playback_rule(&self, channel: &ChannelId) -> DomainResult<Option<PlaybackRule>> {
        let Some(channel) = self.ports.channels.get_channel(channel).await? else {
            return Ok(None);
        };
        Ok(Some(if channel.private {
            PlaybackRule::TokenFor {
                channel_arn: channel.video.map(|v| v.arn).unwrap_or_default(),
            }
        } else {
            PlaybackRule::Public
        }))
    }

    /// Whether a recording of `channel` is private; `None` when it has no such recording. What
    /// the service serving recordings' files asks (in the cloud, the bucket answers instead).
    pub async fn recording_privacy(
        &self,
        channel: &ChannelId,
        recording: &RecordingId,
    ) -> DomainResult<Option<bool>> {
        Ok(self
            .ports
            .recordings
            .get_recording(recording)
            .await?
            .filter(|r| &r.channel_id == channel)
            .map(|r| r.private))
    }

    pub async fn grant_viewer(
        &self,
        who: &Identity,
        viewer_handle: &str,
    ) -> DomainResult<ViewerGrant> {
        let channel = self.ensure_account(who).await?.channel;
        let viewer = self.channel_by_handle(viewer_handle).await?;
        if viewer.owner == who.user_id {
            return Err(DomainError::conflict(
                "invalid_target",
                "you can always watch your own channel",
            ));
        }
        let grant = ViewerGrant {
            channel_id: channel.id,
            user_id: viewer.owner,
            handle: viewer.handle.as_str().to_owned(),
            granted_at: self.now(),
        };
        self.ports.channels.put_grant(&grant).await?;
        Ok(grant)
    }

    pub async fn revoke_viewer(&self, who: &Identity, viewer_handle: &str) -> DomainResult<()> {
        let channel = self.ensure_account(who).await?.channel;
        let viewer = self.channel_by_handle(viewer_handle).await?;
        if !self
            .ports
            .channels
            .remove_grant(&channel.id, &viewer.owner)
            .await?
        {
            return Err(DomainError::NotFound("viewer"));
        }
        Ok(())
    }

    pub async fn viewers(&self, who: &Identity) -> DomainResult<Vec<ViewerGrant>> {
        let channel = self.ensure_account(who).await?.channel;
        self.viewers_of(&channel).await
    }

    /// [`Self::viewers`] of a channel already read.
    pub(crate) async fn viewers_of(&self, channel: &Channel) -> DomainResult<Vec<ViewerGrant>> {
        let grants = self.ports.channels.list_grants(&channel.id).await?;
        let erased = join_all(
            grants
                .iter()
                .map(|g| self.ports.channels.was_erased(&g.user_id)),
        )
        .await;
        let mut kept = Vec::with_capacity(grants.len());
        for (grant, erased) in grants.into_iter().zip(erased) {
            if erased? {
                // A deleted account's grant: nobody can use it, its handle may be someone
                // else's now, and nothing else knows whose viewer they were.
                self.ports
                    .channels
                    .remove_grant(&channel.id, &grant.user_id)
                    .await?;
            } else {
                kept.push(grant);
            }
        }
        Ok(kept)
    }
}
