//! A streamer's custom emotes: uploaded (or replaced) under a code, removed, and listed for
//! everyone whose chat shows them. The file is kept before the channel names it and removed if
//! naming it fails, so a refused or failed upload leaves nothing behind.

use std::collections::BTreeMap;

use crate::channel::Channel;
use crate::emote::{Emote, EmoteCode, EmoteImage, MAX_EMOTES};
use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::ids::ChannelId;
use crate::limits;
use crate::platform::Platform;
use crate::use_cases::chat_moderation::events;

impl Platform {
    /// Keeps `bytes` as the caller's emote `code`, replacing the image of an emote with that code;
    /// returns it with the caller's channel (whose id its file's key starts with).
    pub async fn put_emote(
        &self,
        who: &Identity,
        code: &str,
        bytes: &[u8],
    ) -> DomainResult<(ChannelId, Emote)> {
        let code = EmoteCode::parse(code)?;
        let image = EmoteImage::inspect(bytes)?;
        let channel = self.ensure_account(who).await?.channel;
        let is_new = !channel.emotes.iter().any(|e| e.code == code);
        if is_new && channel.emotes.len() >= MAX_EMOTES {
            return Err(too_many());
        }
        self.rate_limit(&format!("emotes:{}", who.user_id), limits::EMOTE_UPLOADS)
            .await?;
        let emote = Emote::new(code, image, self.now());
        let key = emote.file_key(&channel.id);
        self.ports
            .files
            .put(&key, bytes, emote.format.content_type())
            .await?;
        let mut replaced = None;
        let named = self
            .modify_channel(&channel.id, |c| {
                replaced = None;
                match c.emotes.iter().position(|e| e.code == emote.code) {
                    Some(at) => {
                        replaced = Some(std::mem::replace(&mut c.emotes[at], emote.clone()))
                    }
                    None if c.emotes.len() >= MAX_EMOTES => return Err(too_many()),
                    None => c.emotes.push(emote.clone()),
                }
                Ok(true)
            })
            .await;
        if let Err(error) = named {
            self.remove_file(&key).await;
            return Err(error);
        }
        if let Some(old) = replaced {
            self.remove_file(&old.file_key(&channel.id)).await;
        }
        self.announce_emotes(&channel).await;
        Ok((channel.id, emote))
    }

    /// Removes the caller's emote `code`.
    pub async fn remove_emote(&self, who: &Identity, code: &str) -> DomainResult<()> {
        let code = EmoteCode::parse(code).map_err(|_| DomainError::NotFound("emote"))?;
        let channel = self.ensure_account(who).await?.channel;
        let mut removed = None;
        self.modify_channel(&channel.id, |c| {
            removed = c
                .emotes
                .iter()
                .position(|e| e.code == code)
                .map(|at| c.emotes.remove(at));
            Ok(removed.is_some())
        })
        .await?;
        let removed = removed.ok_or(DomainError::NotFound("emote"))?;
        self.remove_file(&removed.file_key(&channel.id)).await;
        self.announce_emotes(&channel).await;
        Ok(())
    }

    /// The emotes of the channel `handle`, in the order they were added.
    pub async fn channel_emotes(&self, handle: &str) -> DomainResult<(ChannelId, Vec<Emote>)> {
        let channel = self.channel_by_handle(handle).await?;
        Ok((channel.id, channel.emotes))
    }

    /// Tells the open chats to read the emotes again, so a new one shows without a reload. The
    /// change is saved either way; a room that misses the news reads them on the next visit.
    async fn announce_emotes(&self, channel: &Channel) {
        let Some(room) = &channel.chat_room else {
            return;
        };
        if let Err(error) = self
            .ports
            .chat_service
            .send_event(room, events::EMOTES, &BTreeMap::new())
            .await
        {
            tracing::warn!(%error, "telling the room about new emotes failed");
        }
    }

    /// A file nothing names any more. Failing to remove it loses nothing a user sees (its name is
    /// unguessable and no longer listed), so it is logged rather than failing the request.
    async fn remove_file(&self, key: &str) {
        if let Err(error) = self.ports.files.delete(key).await {
            tracing::warn!(key, %error, "an emote file nothing names could not be removed");
        }
    }
}

fn too_many() -> DomainError {
    DomainError::conflict(
        "too_many_emotes",
        format!("a channel has at most {MAX_EMOTES} emotes"),
    )
}
