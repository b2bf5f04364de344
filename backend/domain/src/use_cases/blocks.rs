//! Blocking: a signed-in viewer blocks someone whose chat messages they no longer want to see,
//! lists whom they blocked (with the names they go by now, to unblock them), and unblocks. The
//! list reaches the chat with the viewer's chat token ([`Platform::chat_token`]).

use time::OffsetDateTime;

use crate::block_list::{BLOCK_CHANGES, BlockList, MAX_BLOCKED};
use crate::error::{DomainError, DomainResult, WriteError};
use crate::handle::ChannelHandle;
use crate::identity::Identity;
use crate::ids::UserId;
use crate::platform::{MAX_RETRIES, Platform};
use crate::profile::Profile;

/// One blocked person as their blocker's list shows them: who they are now (their profile and
/// their channel's handle, both of which they may have changed since), and since when.
#[derive(Clone, Debug)]
pub struct BlockedUser {
    pub user_id: UserId,
    pub blocked_at: OffsetDateTime,
    /// None once the account is gone: the entry stays until its blocker removes it.
    pub profile: Option<Profile>,
    pub handle: Option<ChannelHandle>,
}

impl Platform {
    /// The caller blocks the user `target` (again: nothing changes). Not themselves, and only
    /// someone with an account.
    pub async fn block_user(&self, who: &Identity, target: &str) -> DomainResult<()> {
        let target = UserId::parse(target)?;
        if target == who.user_id {
            // A conflict, as following one's own channel is: the request is well formed.
            return Err(DomainError::conflict(
                "own_account",
                "you cannot block yourself",
            ));
        }
        if self.ports.channels.get_profile(&target).await?.is_none() {
            return Err(DomainError::NotFound("user"));
        }
        self.refuse_erased(who).await?;
        self.count_block_change(&who.user_id).await?;
        let now = self.now();
        self.change_block_list(&who.user_id, |list| {
            if list.add(&target, now) {
                Ok(())
            } else {
                Err(DomainError::conflict(
                    "block_limit",
                    format!("you can block at most {MAX_BLOCKED} people; unblock some first"),
                ))
            }
        })
        .await?;
        tracing::info!(user = %who.user_id, blocked = %target, "blocked");
        Ok(())
    }

    /// The caller unblocks `target` (if they had blocked them).
    pub async fn unblock_user(&self, who: &Identity, target: &str) -> DomainResult<()> {
        let target = UserId::parse(target)?;
        self.count_block_change(&who.user_id).await?;
        self.change_block_list(&who.user_id, |list| {
            list.remove(&target);
            Ok(())
        })
        .await
    }

    /// Everyone the caller blocked, most recently blocked first.
    pub async fn blocked_users(&self, who: &Identity) -> DomainResult<Vec<BlockedUser>> {
        let list = self.block_list(&who.user_id).await?;
        let ids: Vec<UserId> = list.user_ids().cloned().collect();
        // Their names and pictures, and their channels' handles: asked together.
        let (profiles, channels) = futures_util::future::join(
            self.ports.channels.get_profiles(&ids),
            self.channels_of_owners(&ids),
        )
        .await;
        let (profiles, channels) = (profiles?, channels?);
        let mut users = Vec::with_capacity(ids.len());
        for blocked in list.blocked {
            let profile = profiles
                .iter()
                .find(|p| p.user_id == blocked.user_id)
                .cloned();
            users.push(BlockedUser {
                handle: channels.get(&blocked.user_id).map(|c| c.handle.clone()),
                user_id: blocked.user_id,
                blocked_at: blocked.blocked_at,
                profile,
            });
        }
        users.reverse();
        Ok(users)
    }

    /// The user's block list (empty when they never blocked anyone).
    pub(crate) async fn block_list(&self, user: &UserId) -> DomainResult<BlockList> {
        Ok(self
            .ports
            .blocks
            .get_block_list(user)
            .await?
            .unwrap_or_default())
    }

    /// Reads the user's list, changes it and writes it back unless the change left it as it
    /// was; a write that raced another starts over from the list that won.
    async fn change_block_list(
        &self,
        user: &UserId,
        change: impl Fn(&mut BlockList) -> DomainResult<()>,
    ) -> DomainResult<()> {
        for _ in 0..MAX_RETRIES {
            let stored = self.ports.blocks.get_block_list(user).await?;
            let mut list = stored.clone().unwrap_or_default();
            change(&mut list)?;
            if stored.as_ref().unwrap_or(&BlockList::default()) == &list {
                return Ok(());
            }
            match self
                .ports
                .blocks
                .put_block_list(user, &list, stored.as_ref())
                .await
            {
                Ok(()) => return Ok(()),
                Err(WriteError::VersionMismatch) => continue,
                Err(error) => return Err(error.into()),
            }
        }
        Err(WriteError::VersionMismatch.into())
    }

    async fn count_block_change(&self, user: &UserId) -> DomainResult<()> {
        self.rate_limit(&format!("block:{user}"), BLOCK_CHANGES)
            .await
    }
}
