//! Chat tokens: what lets a caller into a channel's chat room, with capabilities decided here
//! from their role (never from the request), and none at all for banned users.

use std::collections::BTreeMap;

use crate::chat::{
    ChatCapability, ChatRole, ChatToken, ChatTokenRequest, MAX_TOKEN_ATTRIBUTES_BYTES,
};
use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::ids::UserId;
use crate::limits;
use crate::platform::Platform;

/// A chat token for one caller in one room, with what it allows.
#[derive(Clone, Debug)]
pub struct IssuedChatToken {
    pub token: ChatToken,
    pub user_id: UserId,
    pub role: ChatRole,
    pub capabilities: Vec<ChatCapability>,
}

impl Platform {
    /// Mints a chat token for the caller in a channel's room. Capabilities come from the caller's
    /// role there (see [`ChatRole`]); banned users get none at all. Signed-out minting is rate
    /// limited per client address (`client`): every token is a seat in the room. (A signed-in
    /// user answers for what their account does, and counts as one viewer however many seats
    /// they take.)
    pub async fn chat_token(
        &self,
        handle: &str,
        who: Option<&Identity>,
        client: Option<&str>,
    ) -> DomainResult<IssuedChatToken> {
        // A runtime that cannot tell clients apart passes none: one shared limit for every
        // signed-out viewer would lock them all out.
        if who.is_none()
            && let Some(client) = client
            && !self
                .within(
                    &format!("chat-token:client:{client}"),
                    limits::ANONYMOUS_CHAT_TOKENS,
                )
                .await?
        {
            return Err(DomainError::RateLimited);
        }
        let channel = self.channel_by_handle(handle).await?;
        let channel = self.provision(channel).await?;
        let user = who.map(|w| &w.user_id);
        if let Some(user) = user
            && let Some(ban) = self.active_ban(&channel.id, user).await?
        {
            return Err(DomainError::Banned {
                until: ban.expires_at,
            });
        }
        if !self.can_watch(&channel, user).await? {
            return Err(DomainError::Forbidden("this channel is private"));
        }
        let role = ChatRole::of(&channel, user);
        let (user_id, nickname, avatar) = match who {
            Some(who) => {
                let profile = self.ensure_account(who).await?.profile;
                (
                    who.user_id.clone(),
                    profile.nickname.as_str().to_owned(),
                    profile.avatar.as_str().to_owned(),
                )
            }
            None => (UserId::anonymous(), String::new(), String::new()),
        };
        let capabilities = role.capabilities();
        let mut attributes = BTreeMap::new();
        attributes.insert("nickname".to_owned(), nickname);
        attributes.insert("avatar".to_owned(), avatar);
        attributes.insert("role".to_owned(), role.as_str().to_owned());
        let request = ChatTokenRequest {
            room: channel
                .chat_room
                .clone()
                .ok_or(DomainError::NotFound("chat room"))?,
            user_id: user_id.clone(),
            capabilities: capabilities.clone(),
            session_duration_minutes: self.config.chat_session_minutes,
            attributes,
        };
        debug_assert!(request.attributes_size() <= MAX_TOKEN_ATTRIBUTES_BYTES);
        let token = self.ports.chat_service.create_token(&request).await?;
        Ok(IssuedChatToken {
            token,
            user_id,
            role,
            capabilities,
        })
    }
}
