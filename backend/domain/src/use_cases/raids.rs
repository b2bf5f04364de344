//! Raids: a streamer at the end of a broadcast sends the people watching to another live
//! channel. Everyone in the streamer's chat hears where to go (their pages move there after a
//! moment they may cancel), and the other channel's chat hears who is coming and with how many.
//! Both are room events, as the stream's start and end are, so they work the same with IVS Chat
//! and the local chat server; the raided streamer also finds it in their notifications.

use std::collections::BTreeMap;

use crate::channel::{Channel, RaidPolicy};
use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::limits;
use crate::notification::{Notification, NotificationKind};
use crate::platform::Platform;
use crate::use_cases::chat_moderation::events;

/// A raid that was sent: the channel the viewers were sent to, and how many were watching.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Raid {
    pub target: Channel,
    pub viewers: u64,
}

impl Platform {
    /// Sends the caller's viewers to the channel `target` (a handle). The caller must be live
    /// (there is nobody to send otherwise), and the other channel live, public and not theirs.
    pub async fn raid(&self, who: &Identity, target: &str) -> DomainResult<Raid> {
        let channel = self.ensure_account(who).await?.channel;
        let target = self.channel_by_handle(target).await?;
        if target.id == channel.id {
            return Err(DomainError::conflict(
                "raid_self",
                "choose another channel to send your viewers to",
            ));
        }
        // Suspended while live, a channel still counts as live until the video service's end
        // arrives: it sends nobody, and nobody is sent to it.
        self.refuse_suspended(&channel)?;
        if !channel.is_live() {
            return Err(DomainError::conflict(
                "raider_offline",
                "go live first: a raid sends the people watching you",
            ));
        }
        if !target.is_live() || target.is_suspended(self.now()) {
            return Err(DomainError::conflict(
                "raid_target_offline",
                "that channel is not live",
            ));
        }
        if target.private {
            return Err(DomainError::conflict(
                "raid_target_private",
                "that channel is private: your viewers could not watch it",
            ));
        }
        match target.raids {
            RaidPolicy::Everyone => {}
            RaidPolicy::Nobody => {
                return Err(DomainError::conflict(
                    "raids_off",
                    "that channel does not take raids",
                ));
            }
            RaidPolicy::Followed => {
                let followed = self
                    .ports
                    .follows
                    .get_follow(&target.owner, &channel.id)
                    .await?;
                if followed.is_none() {
                    return Err(DomainError::conflict(
                        "raids_followed_only",
                        "that channel takes raids only from channels its streamer follows",
                    ));
                }
            }
        }
        // Banned from that chat (not timed out): its streamer said no to this streamer already.
        if self
            .active_ban(&target.id, &who.user_id)
            .await?
            .is_some_and(|ban| !ban.timeout)
        {
            return Err(DomainError::conflict(
                "raid_banned",
                "you are banned from that channel's chat",
            ));
        }
        self.rate_limit(&format!("raids:{}", who.user_id), limits::RAIDS)
            .await?;
        let viewers = self
            .live_status(&channel)
            .await
            .map_or(0, |status| status.viewer_count);
        let (Some(from_room), Some(to_room)) = (&channel.chat_room, &target.chat_room) else {
            return Err(DomainError::NotFound("chat room"));
        };
        let mut going = BTreeMap::new();
        going.insert("Handle".to_owned(), target.handle.as_str().to_owned());
        going.insert(
            "Nickname".to_owned(),
            target.owner_nickname.as_str().to_owned(),
        );
        self.ports
            .chat_service
            .send_event(from_room, events::RAID, &going)
            .await?;
        // The welcome is a courtesy: the viewers are on their way whether or not it is said.
        let mut coming = BTreeMap::new();
        coming.insert("Handle".to_owned(), channel.handle.as_str().to_owned());
        coming.insert(
            "Nickname".to_owned(),
            channel.owner_nickname.as_str().to_owned(),
        );
        coming.insert("Viewers".to_owned(), viewers.to_string());
        if let Err(error) = self
            .ports
            .chat_service
            .send_event(to_room, events::RAIDED, &coming)
            .await
        {
            tracing::warn!(error = %error, "could not announce a raid in the raided chat");
        }
        // And the raided streamer's bell says so, wherever they are in the app.
        let told = Notification {
            user_id: target.owner.clone(),
            channel_id: channel.id.clone(),
            kind: NotificationKind::Raided {
                raid_viewers: viewers,
            },
            created_at: self.now(),
            channel_handle: channel.handle.as_str().to_owned(),
            owner_nickname: channel.owner_nickname.as_str().to_owned(),
            owner_avatar: channel.owner_avatar.as_str().to_owned(),
            title: channel.title.as_str().to_owned(),
        };
        if let Err(error) = self.ports.notifications.add_notification(&told).await {
            tracing::warn!(error = %error, "could not notify the raided streamer");
        }
        Ok(Raid { target, viewers })
    }
}
