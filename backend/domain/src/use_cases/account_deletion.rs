//! Deleting an account for good: the user's channel with everything on it (past broadcasts,
//! clips, uploaded videos and their files, emotes, webhooks, chat history, bans, moderation log,
//! its video channel and chat room, who follows it), then what is the user's alone (what they
//! said in other channels' chats, whom they follow, push subscriptions, notifications, block
//! list, profile). The sign-in itself is the
//! identity provider's: the app deletes it once this has succeeded (Cognito `DeleteUser`).
//!
//! Every step can be repeated: a deletion that fails half way (a store or a service down) is
//! finished by asking again, and the channel record goes last so that asking again finds it.

use futures_util::future::join_all;
use time::Duration;

use crate::channel::Channel;
use crate::error::{DomainError, DomainResult};
use crate::follow::Follow;
use crate::identity::Identity;
use crate::ids::UserId;
use crate::platform::Platform;

/// How recently the password must have been typed to delete an account: a token taken from a
/// session left open is not enough.
pub const RECENT_SIGN_IN: Duration = Duration::minutes(10);

/// Records read (and removed) at a time.
const BATCH: usize = 100;
/// Removals of one kind in flight at once.
const IN_FLIGHT: usize = 16;

impl Platform {
    /// Deletes the caller's account and everything that is theirs. Only for a caller who typed
    /// their password in the last [`RECENT_SIGN_IN`]. What they wrote in other channels' chats
    /// goes too, and replies to it name them no more (`erased_replies`, as they are read); the
    /// clips they made of other channels (naming no clipper from then on, `clips.rs`), and those
    /// channels' moderation logs naming them, stay with those channels.
    pub async fn delete_account(&self, who: &Identity) -> DomainResult<()> {
        let recent = who
            .signed_in_at
            .is_some_and(|at| self.now() - at <= RECENT_SIGN_IN);
        if !recent {
            return Err(DomainError::Forbidden(
                "type your password again to delete your account",
            ));
        }
        let user = &who.user_id;
        // First: from now on nothing of theirs is made anew (a request racing this one, their
        // tokens after it).
        self.ports.channels.mark_erased(user).await?;
        if let Some(channel) = self.ports.channels.find_channel_by_owner(user).await? {
            self.erase_channel(&channel).await?;
        }
        self.erase_user(user).await
    }

    /// The channel and everything on it. The video channel and chat room go first, so nothing
    /// new is streamed, recorded or said while the rest is removed.
    async fn erase_channel(&self, channel: &Channel) -> DomainResult<()> {
        let id = &channel.id;
        if let Some(video) = &channel.video {
            self.ports.video.delete_channel(video).await?;
        }
        if let Some(room) = &channel.chat_room {
            self.ports.chat_service.delete_room(room).await?;
        }
        // Clips before recordings: a clip's playlists are found through its recording.
        loop {
            let clips = self.ports.clips.list_channel_clips(id, None, BATCH).await?;
            if clips.items.is_empty() {
                break;
            }
            for clip in &clips.items {
                self.remove_clip(clip).await?;
            }
        }
        loop {
            let recordings = self
                .ports
                .recordings
                .list_channel_recordings(id, None, BATCH)
                .await?;
            if recordings.items.is_empty() {
                break;
            }
            for recording in &recordings.items {
                self.ports.recording_files.delete(recording).await?;
                self.ports.recordings.erase_recording(recording).await?;
            }
        }
        loop {
            let videos = self
                .ports
                .videos
                .list_channel_videos(id, None, BATCH)
                .await?;
            if videos.items.is_empty() {
                break;
            }
            for video in &videos.items {
                self.remove_video_files(video).await?;
                self.ports.videos.delete_video(video).await?;
            }
        }
        for emote in &channel.emotes {
            self.ports.files.delete(&emote.file_key(id)).await?;
        }
        for webhook in self.ports.webhooks.list_webhooks(id).await? {
            self.ports.webhooks.remove_webhook(id, &webhook.id).await?;
        }
        // Each follower's own count of whom they follow goes down with their follow.
        loop {
            let followers = self.ports.follows.list_followers(id, None, BATCH).await?;
            if followers.items.is_empty() {
                break;
            }
            self.remove_follows(&followers.items).await?;
        }
        if let Some(poll) = &channel.poll {
            self.ports.polls.erase_votes(&poll.id).await?;
        }
        self.ports.chat.erase_chat(id).await?;
        self.ports.channels.erase_channel(channel).await?;
        Ok(())
    }

    /// What is the user's alone, once their channel is gone.
    async fn erase_user(&self, user: &UserId) -> DomainResult<()> {
        self.erase_sent_messages(user).await?;
        // Each followed channel's follower count goes down with the follow.
        loop {
            let following = self.ports.follows.list_following(user, None, BATCH).await?;
            if following.items.is_empty() {
                break;
            }
            self.remove_follows(&following.items).await?;
        }
        let subscriptions = self
            .ports
            .push_subscriptions
            .push_subscriptions_of(std::slice::from_ref(user))
            .await?;
        for subscription in &subscriptions {
            self.ports
                .push_subscriptions
                .remove_push_subscription(user, &subscription.endpoint)
                .await?;
        }
        self.ports.notifications.erase_notifications(user).await?;
        self.ports.channels.erase_profile(user).await?;
        Ok(())
    }

    /// Removes the follows, [`IN_FLIGHT`] at a time (each also counts one fewer on both sides).
    async fn remove_follows(&self, follows: &[Follow]) -> DomainResult<()> {
        for some in follows.chunks(IN_FLIGHT) {
            let removed = join_all(
                some.iter()
                    .map(|f| self.ports.follows.unfollow(&f.user_id, &f.channel_id)),
            )
            .await;
            for outcome in removed {
                outcome?;
            }
        }
        Ok(())
    }
}
