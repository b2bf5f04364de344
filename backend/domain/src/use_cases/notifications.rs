//! Bringing followers back: when a channel goes live, each follower gets a notification (once per
//! stream start, none when the stream flaps); the bell lists them and counts the unseen ones.

use std::collections::HashSet;

use futures_util::future::join_all;

use crate::channel::Channel;
use crate::error::{DomainResult, PortResult};
use crate::follow::Follow;
use crate::identity::Identity;
use crate::ids::{ChannelId, StreamId, UserId};
use crate::notification::{
    FAN_OUT_PAGE, GoLive, MAX_UNREAD, Notification, NotificationCursor, NotificationKind, is_flap,
};
use crate::page::{Listed, Page};
use crate::platform::Platform;

/// A page of the caller's notifications and how many of the newest are unseen.
#[derive(Clone, Debug)]
pub struct Notifications {
    pub page: Page<Notification, NotificationCursor>,
    /// Up to [`MAX_UNREAD`]; the bell shows more as "99+".
    pub unread: usize,
    /// Until when the caller has seen them: newer ones are unread.
    pub seen_at: Option<time::OffsetDateTime>,
}

/// Who of a channel's followers hears that it went live: those whose bell for it is on and, for a
/// private channel, who may still watch it (granted, not banned). A viewer whose access was
/// revoked must not learn that the private channel is live, nor its stream's title.
pub(crate) struct Audience {
    /// For a private channel, who may watch it.
    allowed: Option<HashSet<UserId>>,
}

impl Audience {
    pub(crate) fn hears(&self, follow: &Follow) -> bool {
        follow.notify
            && self
                .allowed
                .as_ref()
                .is_none_or(|allowed| allowed.contains(&follow.user_id))
    }
}

impl Platform {
    /// The audience of `channel`'s stream starts, as it is now.
    pub(crate) async fn audience(&self, channel: &Channel) -> DomainResult<Audience> {
        if !channel.private {
            return Ok(Audience { allowed: None });
        }
        let mut allowed = HashSet::new();
        for grant in self.ports.channels.list_grants(&channel.id).await? {
            if self
                .is_allowed_viewer(channel, Some(&grant.user_id))
                .await?
            {
                allowed.insert(grant.user_id);
            }
        }
        Ok(Audience {
            allowed: Some(allowed),
        })
    }

    /// Tells everyone who wants to hear that `channel` has just gone live with `stream`: the
    /// announcer (webhooks, and whatever else subscribes) and every follower's bell. Nobody hears
    /// of a stream that only continues the broadcast that ended at `previous_end` (a flap). The
    /// live state stands whatever happens here: a failure is logged, not retried.
    pub(crate) async fn announce_go_live(
        &self,
        channel: &Channel,
        stream: &StreamId,
        previous_end: Option<time::OffsetDateTime>,
    ) {
        let Some(started) = channel.live.started_at else {
            return;
        };
        if is_flap(previous_end, started) {
            tracing::info!(channel = %channel.id, "stream flapped: nobody notified again");
            return;
        }
        let event = GoLive {
            channel_id: channel.id.clone(),
            stream_id: stream.clone(),
            started_at: started,
            channel_handle: channel.handle.to_string(),
            owner_nickname: channel.owner_nickname.as_str().to_owned(),
            title: channel.title.as_str().to_owned(),
        };
        if let Err(error) = self.ports.go_live.announce(&event).await {
            tracing::error!(error = %error, channel = %channel.id, "could not announce the stream start");
        }
        if let Err(error) = self.notify_followers(channel, stream, started).await {
            tracing::error!(error = %error, channel = %channel.id, "could not notify followers");
        }
    }

    /// Notifies every follower of `channel` who wants to hear (most do: it is the default). Returns
    /// how many were notified. Followers are read and written a page at a time, however many
    /// there are.
    async fn notify_followers(
        &self,
        channel: &Channel,
        stream: &StreamId,
        started: time::OffsetDateTime,
    ) -> DomainResult<usize> {
        let audience = self.audience(channel).await?;
        let mut notified = 0;
        let mut after = None;
        loop {
            let page = self
                .ports
                .follows
                .list_followers(&channel.id, after.as_ref(), FAN_OUT_PAGE)
                .await?;
            let notifications: Vec<Notification> = page
                .items
                .iter()
                .filter(|follow| audience.hears(follow))
                .map(|follow| Notification {
                    user_id: follow.user_id.clone(),
                    channel_id: channel.id.clone(),
                    kind: NotificationKind::WentLive {
                        stream_id: stream.clone(),
                    },
                    created_at: started,
                    channel_handle: channel.handle.to_string(),
                    owner_nickname: channel.owner_nickname.as_str().to_owned(),
                    owner_avatar: channel.owner_avatar.as_str().to_owned(),
                    title: channel.title.as_str().to_owned(),
                })
                .collect();
            self.ports
                .notifications
                .put_notifications(&notifications)
                .await?;
            notified += notifications.len();
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        tracing::info!(channel = %channel.id, notified, "followers notified of a stream start");
        Ok(notified)
    }

    /// The caller's notifications, newest first, with the number not seen yet. Each names its
    /// channel as it is now; one whose channel is gone (its account deleted) is not shown or
    /// counted, and is forgotten.
    pub async fn notifications(
        &self,
        who: &Identity,
        before: Option<NotificationCursor>,
        limit: usize,
    ) -> DomainResult<Notifications> {
        let user = &who.user_id;
        let store = &self.ports.notifications;
        // The first page (what the bell polls) is read deep enough to count the unread; a later
        // one counts them among the newest. All read at once, with the caller's seen mark.
        let first = before.is_none();
        let depth = if first { limit.max(MAX_UNREAD) } else { limit };
        let (seen, page, newest) = futures_util::future::join3(
            store.seen_at(user),
            store.list_notifications(user, before.as_ref(), depth),
            async {
                if first {
                    return PortResult::Ok(Vec::new());
                }
                Ok(store
                    .list_notifications(user, None, MAX_UNREAD)
                    .await?
                    .items)
            },
        )
        .await;
        let (seen, mut page, newest) = (seen?, page?, newest?);
        let is_unread = |n: &Notification| seen.is_none_or(|seen| n.created_at > seen);
        // The unread among the newest are counted; their channels are read with the shown
        // ones' (few, as the bell marks what it showed as seen), not those of every notification
        // read to count them.
        let mut unread: Vec<Notification> = if first { &page.items } else { &newest }
            .iter()
            .take(MAX_UNREAD)
            .filter(|n| is_unread(n))
            .cloned()
            .collect();
        if page.items.len() > limit {
            page.items.truncate(limit);
            page.next = page.items.last().map(Listed::cursor);
        }
        self.as_channels_are_now([&mut page.items, &mut unread])
            .await?;
        Ok(Notifications {
            page,
            unread: unread.len(),
            seen_at: seen,
        })
    }

    /// Names each notification's channel as it is now (its handle, streamer's nickname and
    /// avatar: they were copied when it was written, up to thirty days ago), and takes out and
    /// forgets those whose channel is gone. The channels are read in one round trip.
    pub(crate) async fn as_channels_are_now<const N: usize>(
        &self,
        lists: [&mut Vec<Notification>; N],
    ) -> DomainResult<()> {
        let mut ids: Vec<ChannelId> = lists
            .iter()
            .flat_map(|list| list.iter().map(|n| n.channel_id.clone()))
            .collect();
        if ids.is_empty() {
            return Ok(());
        }
        ids.sort_unstable();
        ids.dedup();
        let channels = self.channels_by_id(&ids).await?;
        let mut gone = Vec::new();
        for list in lists {
            list.retain_mut(|n| match channels.get(&n.channel_id) {
                Some(channel) => {
                    n.channel_handle = channel.handle.to_string();
                    n.owner_nickname = channel.owner_nickname.as_str().to_owned();
                    n.owner_avatar = channel.owner_avatar.as_str().to_owned();
                    true
                }
                None => {
                    if !gone.contains(n) {
                        gone.push(n.clone());
                    }
                    false
                }
            });
        }
        let forgotten = join_all(
            gone.iter()
                .map(|n| self.ports.notifications.remove_notification(n)),
        )
        .await;
        for outcome in forgotten {
            if let Err(error) = outcome {
                // Shown to nobody either way; the next read tries again.
                tracing::warn!(error = %error, "could not forget a deleted channel's notification");
            }
        }
        Ok(())
    }

    /// The caller has seen every notification until now.
    pub async fn mark_notifications_seen(&self, who: &Identity) -> DomainResult<()> {
        self.ports
            .notifications
            .set_seen_at(&who.user_id, self.now())
            .await?;
        Ok(())
    }
}
