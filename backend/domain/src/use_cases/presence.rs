//! Who is here: a client in a channel's chat says so every [`HEARTBEAT`] and gets the room's
//! presence back (one call), and says when it leaves. Signed-out readers count without a name;
//! their heartbeats are rate limited per client address, so one client cannot inflate the count.
//!
//! [`HEARTBEAT`]: crate::presence::HEARTBEAT

use crate::chat::ChatRole;
use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::limits;
use crate::platform::Platform;
use crate::presence::{self, Presence, PresentUser, ReaderSession, Visitor};

impl Platform {
    /// Records the caller in `handle`'s chat (signed in, or a signed-out reader's `session`) and
    /// returns who is there.
    pub async fn here(
        &self,
        handle: &str,
        who: Option<&Identity>,
        session: Option<&str>,
        client: Option<&str>,
    ) -> DomainResult<Presence> {
        // A session that is sent is checked even when a signed-in caller does not need one.
        let session = session.map(ReaderSession::parse).transpose()?;
        let channel = self.channel_by_handle(handle).await?;
        let visitor = match who {
            Some(who) => {
                let account = self.ensure_account(who).await?;
                let profile = account.profile;
                Visitor::User(PresentUser {
                    user_id: who.user_id.clone(),
                    handle: account.channel.handle.as_str().to_owned(),
                    nickname: profile.nickname.as_str().to_owned(),
                    avatar: profile.avatar.as_str().to_owned(),
                    role: ChatRole::of(&channel, Some(&who.user_id))
                        .as_str()
                        .to_owned(),
                })
            }
            None => {
                // Neither signed in nor a reader's session: nobody to count.
                let session = session.ok_or(DomainError::Unauthenticated)?;
                if let Some(client) = client {
                    self.rate_limit(
                        &format!("presence:client:{client}"),
                        limits::ANONYMOUS_HEARTBEATS,
                    )
                    .await?;
                }
                Visitor::Reader(session)
            }
        };
        let user = who.map(|w| &w.user_id);
        if !self.can_watch(&channel, user).await? {
            return Err(DomainError::Forbidden("this channel is private"));
        }
        let room = channel
            .chat_room
            .clone()
            .ok_or(DomainError::NotFound("chat room"))?;
        let now = self.now();
        self.ports
            .presence
            .heartbeat(&channel.id, &visitor, presence::present_until(now))
            .await?;
        Ok(self.ports.presence.present(&channel.id, &room, now).await?)
    }

    /// Forgets the caller in `handle`'s chat: they closed the page.
    pub async fn leave(
        &self,
        handle: &str,
        who: Option<&Identity>,
        session: Option<&str>,
    ) -> DomainResult<()> {
        let session = session.map(ReaderSession::parse).transpose()?;
        let channel = self.channel_by_handle(handle).await?;
        let visitor = match (who, session) {
            (Some(who), _) => Visitor::User(PresentUser {
                user_id: who.user_id.clone(),
                handle: String::new(),
                nickname: String::new(),
                avatar: String::new(),
                role: String::new(),
            }),
            (None, Some(session)) => Visitor::Reader(session),
            (None, None) => return Err(DomainError::Unauthenticated),
        };
        Ok(self.ports.presence.leave(&channel.id, &visitor).await?)
    }
}
