//! Finding channels: the live directory, a channel's public page, and the owner's own view of
//! their channel on the dashboard. Live status (health, viewers) comes from the video service.

use std::collections::HashMap;

use crate::channel::{ActivityCursor, Channel};
use crate::chat::ChatRole;
use crate::error::DomainResult;
use crate::follow::FollowStatus;
use crate::identity::Identity;
use crate::ids::UserId;
use crate::page::Page;
use crate::platform::Platform;
use crate::ports::StreamStatus;

/// A channel as one caller sees it.
#[derive(Clone, Debug)]
pub struct ChannelView {
    pub channel: Channel,
    /// Present while live: health and viewers from the video service.
    pub status: Option<StreamStatus>,
    pub role: ChatRole,
    /// Whether the caller may play it (always for public channels).
    pub can_watch: bool,
    /// Followers, and whether the caller follows: on a channel's own page, not in listings.
    pub follow: Option<FollowStatus>,
}

impl ChannelView {
    pub fn is_live(&self) -> bool {
        self.channel.is_live()
    }

    pub fn viewer_count(&self) -> u64 {
        self.status.as_ref().map_or(0, |s| s.viewer_count)
    }

    pub fn thumbnail_url(&self) -> Option<&str> {
        self.status
            .as_ref()
            .and_then(|s| s.thumbnail_url.as_deref())
            .or(self.channel.live.thumbnail_url.as_deref())
    }
}

/// Where the next directory page starts: a position among live channels (ordered by viewers, which
/// change, so an offset), then a position among the others (by activity).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DirectoryCursor {
    Live { offset: usize },
    Others(Option<ActivityCursor>),
}

/// Channels read at a time while looking past live ones for an offline channel.
const OFFLINE_PROBE: usize = 16;

/// Live streams by their video resource, as the video service reports them now.
pub(crate) type Statuses = HashMap<String, StreamStatus>;

impl Platform {
    /// The live directory: live channels by viewers (most first), then the others by most recent
    /// activity.
    pub async fn directory(
        &self,
        cursor: Option<DirectoryCursor>,
        limit: usize,
    ) -> DomainResult<Page<ChannelView, DirectoryCursor>> {
        let mut items = Vec::with_capacity(limit);
        let after = match cursor.unwrap_or(DirectoryCursor::Live { offset: 0 }) {
            DirectoryCursor::Live { offset } => {
                let statuses = self.statuses().await;
                let mut live: Vec<ChannelView> = self
                    .ports
                    .channels
                    .list_live_channels()
                    .await?
                    .into_iter()
                    .map(|c| {
                        let status = status_of(&c, &statuses);
                        view(c, status, None, true)
                    })
                    .collect();
                live.sort_by(|a, b| {
                    b.viewer_count()
                        .cmp(&a.viewer_count())
                        .then(b.channel.live.started_at.cmp(&a.channel.live.started_at))
                        .then(a.channel.id.cmp(&b.channel.id))
                });
                let total = live.len();
                items.extend(live.into_iter().skip(offset).take(limit));
                if offset + items.len() < total {
                    return Ok(Page {
                        items,
                        next: Some(DirectoryCursor::Live {
                            offset: offset + limit,
                        }),
                    });
                }
                if items.len() == limit {
                    // The live section filled this page: the others start on the next one.
                    let others = self.first_offline_channel().await?.is_some();
                    return Ok(Page {
                        items,
                        next: others.then_some(DirectoryCursor::Others(None)),
                    });
                }
                None
            }
            DirectoryCursor::Others(after) => after,
        };
        let mut after = after;
        while items.len() < limit {
            let page = self
                .ports
                .channels
                .list_channels(after.as_ref(), limit - items.len())
                .await?;
            items.extend(
                page.items
                    .into_iter()
                    .filter(|c| !c.is_live())
                    .map(|c| view(c, None, None, true)),
            );
            after = page.next;
            if after.is_none() {
                break;
            }
        }
        Ok(Page {
            items,
            next: after.map(|a| DirectoryCursor::Others(Some(a))),
        })
    }

    /// A channel's public page.
    pub async fn channel_page(
        &self,
        handle: &str,
        who: Option<&UserId>,
    ) -> DomainResult<ChannelView> {
        let channel = self.channel_by_handle(handle).await?;
        let status = self.live_status(&channel).await;
        let can_watch = self.can_watch(&channel, who).await?;
        let follow = self.follow_status(&channel, who).await?;
        Ok(ChannelView {
            follow: Some(follow),
            ..view(channel, status, who, can_watch)
        })
    }

    /// The caller's own channel, for the dashboard.
    pub async fn my_channel(&self, who: &Identity) -> DomainResult<ChannelView> {
        let account = self.ensure_account(who).await?;
        let status = self.live_status(&account.channel).await;
        let follow = self.follow_status(&account.channel, None).await?;
        Ok(ChannelView {
            follow: Some(follow),
            ..view(account.channel, status, Some(&who.user_id), true)
        })
    }

    /// The most recently active channel that is not live, if there is one.
    async fn first_offline_channel(&self) -> DomainResult<Option<Channel>> {
        let mut after = None;
        loop {
            let page = self
                .ports
                .channels
                .list_channels(after.as_ref(), OFFLINE_PROBE)
                .await?;
            if let Some(channel) = page.items.into_iter().find(|c| !c.is_live()) {
                return Ok(Some(channel));
            }
            match page.next {
                Some(next) => after = Some(next),
                None => return Ok(None),
            }
        }
    }

    async fn live_status(&self, channel: &Channel) -> Option<StreamStatus> {
        if !channel.is_live() {
            return None;
        }
        status_of(channel, &self.statuses().await)
    }

    pub(crate) async fn statuses(&self) -> Statuses {
        // Listings still work when the video service is down: they just show no viewer counts.
        match self.ports.video.live_streams().await {
            Ok(streams) => streams
                .into_iter()
                .map(|s| (s.channel_arn.clone(), s))
                .collect(),
            Err(error) => {
                tracing::warn!(error = %error, cause = ?std::error::Error::source(&error), "live stream status unavailable");
                HashMap::new()
            }
        }
    }
}

pub(crate) fn status_of(channel: &Channel, statuses: &Statuses) -> Option<StreamStatus> {
    if !channel.is_live() {
        return None;
    }
    channel
        .video
        .as_ref()
        .and_then(|v| statuses.get(&v.arn))
        .cloned()
}

pub(crate) fn view(
    channel: Channel,
    status: Option<StreamStatus>,
    who: Option<&UserId>,
    can_watch: bool,
) -> ChannelView {
    ChannelView {
        role: ChatRole::of(&channel, who),
        channel,
        status,
        can_watch,
        follow: None,
    }
}
