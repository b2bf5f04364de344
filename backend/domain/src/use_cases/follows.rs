//! Following channels: a signed-in viewer follows and unfollows, a channel page shows its
//! follower count and whether the caller follows it, the caller's "Following" list puts the
//! live channels first, and a streamer reads who follows them, newest first.

use time::OffsetDateTime;

use crate::channel::Channel;
use crate::error::{DomainError, DomainResult};
use crate::follow::{
    FOLLOW_CHANGES, Follow, FollowCursor, FollowOutcome, FollowStatus, MAX_FOLLOWING,
};
use crate::handle::ChannelHandle;
use crate::identity::Identity;
use crate::ids::{ChannelId, UserId};
use crate::page::Page;
use crate::platform::Platform;
use crate::profile::Profile;
use crate::schedule::PlannedStream;
use crate::use_cases::directory::ChannelView;

/// The caller's followed channels: on the first page also every followed channel that is live
/// now (most viewers first), however long ago it was followed, and what is coming up.
#[derive(Clone, Debug)]
pub struct Following {
    pub live: Vec<ChannelView>,
    pub page: Page<ChannelView, FollowCursor>,
    /// On the first page: the next streams the schedules of its offline channels promise,
    /// soonest first (at most [`COMING_UP`]), none already under way.
    pub coming_up: Vec<FollowedPlan>,
}

/// A stream a followed channel's schedule promises.
#[derive(Clone, Debug)]
pub struct FollowedPlan {
    pub channel: Channel,
    pub stream: PlannedStream,
}

/// How many coming streams the first page of the caller's followed channels lists.
pub const COMING_UP: usize = 5;

/// The most followers one page lists (the API's largest page).
pub const FOLLOWERS_PAGE: usize = crate::platform::MAX_PAGE;

/// One of the caller's channel's followers, as its streamer's list shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Follower {
    pub user_id: UserId,
    pub followed_at: OffsetDateTime,
    pub profile: Profile,
    /// Their own channel's handle, for a link to it.
    pub handle: Option<ChannelHandle>,
}

/// Where the list of the caller's followers continues: the follow's time and its follower (the
/// channel is the caller's own).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowerCursor {
    pub at: OffsetDateTime,
    pub user_id: UserId,
}

impl Platform {
    /// The caller follows the channel `handle` (again: nothing changes). Not their own, and not a
    /// private channel they may not watch.
    pub async fn follow(&self, who: &Identity, handle: &str) -> DomainResult<FollowStatus> {
        let channel = self.channel_by_handle(handle).await?;
        let user = &who.user_id;
        if channel.is_owned_by(user) {
            return Err(DomainError::conflict(
                "own_channel",
                "you cannot follow your own channel",
            ));
        }
        if !self.can_watch(&channel, Some(user)).await? {
            return Err(DomainError::Forbidden("this channel is private"));
        }
        self.refuse_erased(who).await?;
        self.count_follow_change(user).await?;
        let follow = Follow {
            user_id: user.clone(),
            channel_id: channel.id.clone(),
            followed_at: self.now(),
            notify: true,
        };
        match self.ports.follows.follow(&follow, MAX_FOLLOWING).await? {
            FollowOutcome::Added => {
                tracing::info!(channel = %channel.id, user = %user, "followed");
            }
            FollowOutcome::AlreadyFollowing => {}
            FollowOutcome::LimitReached => {
                return Err(DomainError::conflict(
                    "following_limit",
                    format!("you can follow at most {MAX_FOLLOWING} channels; unfollow some first"),
                ));
            }
        }
        self.follow_status(&channel, Some(user)).await
    }

    /// Who follows the caller's channel, most recent first: a page of at most
    /// [`FOLLOWERS_PAGE`], after `after`. Someone whose account is being deleted is left out.
    pub async fn my_followers(
        &self,
        who: &Identity,
        after: Option<&FollowerCursor>,
        limit: usize,
    ) -> DomainResult<Page<Follower, FollowerCursor>> {
        let channel = self.ensure_account(who).await?.channel;
        let after = after.map(|c| FollowCursor {
            at: c.at,
            user_id: c.user_id.clone(),
            channel_id: channel.id.clone(),
        });
        let page = self
            .ports
            .follows
            .list_followers(&channel.id, after.as_ref(), limit.clamp(1, FOLLOWERS_PAGE))
            .await?;
        let ids: Vec<UserId> = page.items.iter().map(|f| f.user_id.clone()).collect();
        // Their names and pictures, and their channels' handles: asked together.
        let (profiles, channels) = futures_util::future::join(
            self.ports.channels.get_profiles(&ids),
            self.channels_of_owners(&ids),
        )
        .await;
        let (profiles, channels) = (profiles?, channels?);
        let mut items = Vec::with_capacity(page.items.len());
        for follow in page.items {
            let Some(profile) = profiles.iter().find(|p| p.user_id == follow.user_id) else {
                continue;
            };
            items.push(Follower {
                profile: profile.clone(),
                handle: channels.get(&follow.user_id).map(|c| c.handle.clone()),
                user_id: follow.user_id,
                followed_at: follow.followed_at,
            });
        }
        Ok(Page {
            items,
            next: page.next.map(|c| FollowerCursor {
                at: c.at,
                user_id: c.user_id,
            }),
        })
    }

    /// The caller stops following the channel `handle` (if they did).
    pub async fn unfollow(&self, who: &Identity, handle: &str) -> DomainResult<FollowStatus> {
        let channel = self.channel_by_handle(handle).await?;
        let user = &who.user_id;
        self.count_follow_change(user).await?;
        self.ports.follows.unfollow(user, &channel.id).await?;
        self.follow_status(&channel, Some(user)).await
    }

    /// The caller turns notifications of a channel they follow on or off.
    pub async fn set_follow_notify(
        &self,
        who: &Identity,
        handle: &str,
        notify: bool,
    ) -> DomainResult<FollowStatus> {
        let channel = self.channel_by_handle(handle).await?;
        let user = &who.user_id;
        self.count_follow_change(user).await?;
        if !self
            .ports
            .follows
            .set_notify(user, &channel.id, notify)
            .await?
        {
            return Err(DomainError::NotFound("follow"));
        }
        self.follow_status(&channel, Some(user)).await
    }

    /// The channels the caller follows, most recently followed first; the first page also lists
    /// the live ones.
    pub async fn following(
        &self,
        who: &Identity,
        after: Option<FollowCursor>,
        limit: usize,
    ) -> DomainResult<Following> {
        let user = &who.user_id;
        let statuses = self.statuses().await;
        let live = if after.is_none() {
            let followed: std::collections::HashSet<_> = self
                .ports
                .follows
                .followed_channel_ids(user)
                .await?
                .into_iter()
                .collect();
            let channels = self.ports.channels.list_live_channels().await?;
            // Suspended while live, a channel counts as live until the video service's end
            // arrives: its followers do not see it on.
            let now = self.now();
            let live = channels
                .into_iter()
                .filter(|c| followed.contains(&c.id) && !c.is_suspended(now))
                .collect();
            let mut views = self.views_for(live, user, &statuses).await?;
            views.sort_by(|a, b| {
                b.viewer_count()
                    .cmp(&a.viewer_count())
                    .then(b.channel.live.started_at.cmp(&a.channel.live.started_at))
            });
            views
        } else {
            Vec::new()
        };
        let follows = self
            .ports
            .follows
            .list_following(user, after.as_ref(), limit)
            .await?;
        let ids: Vec<ChannelId> = follows.items.iter().map(|f| f.channel_id.clone()).collect();
        let mut found = self.channels_by_id(&ids).await?;
        // In the follows' order; a follow outlives nothing: a channel that is gone is simply
        // not listed.
        let channels: Vec<Channel> = ids.iter().filter_map(|id| found.remove(id)).collect();
        let items = self.views_for(channels, user, &statuses).await?;
        let coming_up = if after.is_none() {
            self.coming_up(&items)
        } else {
            Vec::new()
        };
        Ok(Following {
            live,
            page: Page {
                items,
                next: follows.next,
            },
            coming_up,
        })
    }

    /// The next streams the schedules of `views` promise, from the records already read (no
    /// more reads): not of a channel live now, nor of one the caller may not watch.
    fn coming_up(&self, views: &[ChannelView]) -> Vec<FollowedPlan> {
        let now = self.now();
        let mut plans: Vec<FollowedPlan> = views
            .iter()
            .filter(|v| v.can_watch && !v.is_live())
            .flat_map(|v| {
                let streams = v
                    .channel
                    .schedule
                    .as_ref()
                    // One more than shown: a stream under way (at most one: a schedule's
                    // streams never overlap) counts among them and is left out below.
                    .map_or_else(Vec::new, |s| s.upcoming(now, COMING_UP + 1));
                streams
                    .into_iter()
                    .filter(|stream| stream.starts_at > now)
                    .map(|stream| FollowedPlan {
                        channel: v.channel.clone(),
                        stream,
                    })
            })
            .collect();
        plans.sort_by_key(|plan| plan.stream.starts_at);
        plans.truncate(COMING_UP);
        plans
    }

    /// The channel's follower count and whether `who` follows it.
    pub(crate) async fn follow_status(
        &self,
        channel: &Channel,
        who: Option<&UserId>,
    ) -> DomainResult<FollowStatus> {
        let followers = self.ports.follows.follower_count(&channel.id).await?;
        let follow = match who {
            Some(user) => self.ports.follows.get_follow(user, &channel.id).await?,
            None => None,
        };
        Ok(FollowStatus {
            followers,
            following: follow.is_some(),
            notify: follow.is_some_and(|f| f.notify),
        })
    }

    async fn views_for(
        &self,
        channels: Vec<Channel>,
        user: &UserId,
        statuses: &super::directory::Statuses,
    ) -> DomainResult<Vec<ChannelView>> {
        let mut views = Vec::with_capacity(channels.len());
        for channel in channels {
            // A suspended channel plays for nobody (its owner does not follow it).
            let can_watch =
                !channel.is_suspended(self.now()) && self.can_watch(&channel, Some(user)).await?;
            let status = super::directory::status_of(&channel, statuses);
            views.push(super::directory::view(
                channel,
                status,
                Some(user),
                can_watch,
            ));
        }
        Ok(views)
    }

    async fn count_follow_change(&self, user: &UserId) -> DomainResult<()> {
        self.rate_limit(&format!("follow:{user}"), FOLLOW_CHANGES)
            .await
    }
}
