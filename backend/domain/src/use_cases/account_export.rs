//! Taking one's data away: everything the platform keeps of the caller's own, in one read —
//! their profile and channel settings, whom they follow, whom they blocked, their moderators
//! and allowed viewers, the past broadcasts, clips and videos of their channel, their webhooks
//! and notifications, and the reports and appeals they filed with staff. What they said in
//! chats is read apart, a page at a time ([`Platform::sent_messages`]): a talkative account has
//! more of it than one answer should hold.

use time::OffsetDateTime;

use crate::clip::Clip;
use crate::error::{DomainResult, PortResult};
use crate::identity::Identity;
use crate::limits::ACCOUNT_EXPORTS;
use crate::notification::Notification;
use crate::page::Page;
use crate::platform::{Account, Platform};
use crate::playback::ViewerGrant;
use crate::recording::Recording;
use crate::report::Report;
use crate::use_cases::blocks::BlockedUser;
use crate::use_cases::directory::ChannelView;
use crate::use_cases::moderators::Moderator;
use crate::video::Video;
use crate::webhook::Webhook;

/// Records read at a time.
const PAGE: usize = 100;

/// Everything of the caller's own, as [`Platform::export_account`] reads it.
#[derive(Clone, Debug)]
pub struct AccountExport {
    pub exported_at: OffsetDateTime,
    pub account: Account,
    pub channel: ChannelView,
    /// The channels they follow, most recently followed first (those still there).
    pub following: Vec<ChannelView>,
    pub blocked: Vec<BlockedUser>,
    pub moderators: Vec<Moderator>,
    pub allowed_viewers: Vec<ViewerGrant>,
    /// Their channel's past broadcasts, newest first (not the deleted ones).
    pub recordings: Vec<Recording>,
    /// Clips of their channel, whoever made them.
    pub clips: Vec<Clip>,
    pub videos: Vec<Video>,
    pub webhooks: Vec<Webhook>,
    /// Their bell, newest first, and until when they have seen it.
    pub notifications: Vec<Notification>,
    pub notifications_seen_at: Option<OffsetDateTime>,
    /// The reports they filed with staff, and their appeals, newest first, each with what
    /// became of it.
    pub reports: Vec<Report>,
}

impl Platform {
    /// Everything the platform keeps of the caller's own (see the module's notes), a few times
    /// an hour ([`ACCOUNT_EXPORTS`]).
    pub async fn export_account(&self, who: &Identity) -> DomainResult<AccountExport> {
        self.rate_limit(&format!("exports:{}", who.user_id), ACCOUNT_EXPORTS)
            .await?;
        // The account once: the views below are made from it, not read again.
        let account = self.ensure_account(who).await?;
        let channel = self
            .own_channel_view(account.channel.clone(), &who.user_id)
            .await?;
        let id = &account.channel.id;
        let user = &who.user_id;

        let mut following = Vec::new();
        let mut after = None;
        loop {
            let page = self.following(who, after, PAGE).await?;
            following.extend(page.page.items);
            after = page.page.next;
            if after.is_none() {
                break;
            }
        }
        let recordings: Vec<Recording> = every_page(|after| async move {
            self.ports
                .recordings
                .list_channel_recordings(id, after.as_ref(), PAGE)
                .await
        })
        .await?
        .into_iter()
        .filter(|r| !r.deleted())
        .collect();
        let mut clips = every_page(|after| async move {
            self.ports
                .clips
                .list_channel_clips(id, after.as_ref(), PAGE)
                .await
        })
        .await?;
        // As the channel's page names their clippers.
        self.clippers_as_now(&mut clips).await?;
        let videos = every_page(|after| async move {
            self.ports
                .videos
                .list_channel_videos(id, after.as_ref(), PAGE)
                .await
        })
        .await?;
        let mut notifications = every_page(|before| async move {
            self.ports
                .notifications
                .list_notifications(user, before.as_ref(), PAGE)
                .await
        })
        .await?;
        // As the bell shows them: no deleted account's, each channel named as it is now.
        self.as_channels_are_now([&mut notifications]).await?;
        let reports = every_page(|before| async move {
            self.ports
                .reports
                .reports_by(user, before.as_ref(), PAGE)
                .await
        })
        .await?;
        Ok(AccountExport {
            exported_at: self.now(),
            blocked: self.blocked_users(who).await?,
            moderators: self.moderators_of(&account.channel).await?,
            allowed_viewers: self.viewers_of(&account.channel).await?,
            webhooks: self.ports.webhooks.list_webhooks(id).await?,
            notifications_seen_at: self.ports.notifications.seen_at(user).await?,
            account,
            channel,
            following,
            recordings,
            clips,
            videos,
            notifications,
            reports,
        })
    }
}

/// Every item of a listing, asking `page` for one page after another (`None` for the first).
async fn every_page<T, C, F, Fut>(mut page: F) -> DomainResult<Vec<T>>
where
    F: FnMut(Option<C>) -> Fut,
    Fut: Future<Output = PortResult<Page<T, C>>>,
{
    let mut items = Vec::new();
    let mut after = None;
    loop {
        let found = page(after).await?;
        items.extend(found.items);
        after = found.next;
        if after.is_none() {
            return Ok(items);
        }
    }
}
