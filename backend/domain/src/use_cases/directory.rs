//! Finding channels: the live directory, a channel's public page, and the owner's own view of
//! their channel on the dashboard. Live status (health, viewers) comes from the video service.

use std::collections::HashMap;

use time::OffsetDateTime;

use crate::about::ChannelAbout;
use crate::channel::{ActivityCursor, Category, Channel};
use crate::chat::ChatRole;
use crate::error::{DomainError, DomainResult};
use crate::follow::FollowStatus;
use crate::identity::Identity;
use crate::ids::UserId;
use crate::page::{Listed, Page};
use crate::platform::Platform;
use crate::ports::StreamStatus;
use crate::schedule::{self, PlannedStream};
use crate::stream_language::StreamLanguage;

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
    /// The next streams its schedule promises: on a channel's own page, not in listings.
    pub upcoming: Vec<PlannedStream>,
    /// Its bio and links: on a channel's own page, not in listings.
    pub about: Option<ChannelAbout>,
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

/// Offline channels one filtered directory request reads at most. A rare search would otherwise
/// read every channel in one request; past this the page ends early (maybe empty) with a cursor
/// to continue from, so each request costs a bounded amount whatever is searched.
pub const FILTER_SCAN: usize = 500;

/// The longest search the directory accepts, in characters.
pub const MAX_SEARCH_CHARS: usize = 100;

/// What a directory visitor looks for: every word somewhere in a channel's title, handle or
/// owner's nickname (any letter case; `@alice` is the handle `alice`), one category and one
/// stream language.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DirectoryFilter {
    words: Vec<String>,
    category: Option<Category>,
    language: Option<StreamLanguage>,
}

impl DirectoryFilter {
    /// Blank text, category or language filters nothing.
    pub fn parse(
        search: Option<&str>,
        category: Option<&str>,
        language: Option<&str>,
    ) -> DomainResult<Self> {
        let search = crate::text::clean(
            search.unwrap_or_default(),
            "invalid_search",
            "a search",
            0,
            MAX_SEARCH_CHARS,
        )?;
        let words = search
            .split_whitespace()
            .map(|word| word.trim_start_matches('@').to_lowercase())
            .filter(|word| !word.is_empty())
            .collect();
        let category = Category::parse(category.unwrap_or_default()).map_err(|e| match e {
            DomainError::Invalid { message, .. } => {
                DomainError::invalid("invalid_category", message)
            }
            other => other,
        })?;
        let language = language
            .filter(|code| !code.is_empty())
            .map(StreamLanguage::parse)
            .transpose()?;
        Ok(Self {
            words,
            category: (!category.is_empty()).then_some(category),
            language,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.category.is_none() && self.language.is_none()
    }

    pub fn matches(&self, channel: &Channel, now: OffsetDateTime) -> bool {
        // A suspended channel is listed nowhere, whatever is searched.
        if channel.is_suspended(now) {
            return false;
        }
        if self
            .language
            .as_ref()
            .is_some_and(|language| channel.language.as_ref() != Some(language))
        {
            return false;
        }
        if self
            .category
            .as_ref()
            .is_some_and(|category| !category.is(&channel.category))
        {
            return false;
        }
        if self.words.is_empty() {
            return true;
        }
        let haystack = format!(
            "{}\n{}\n{}",
            channel.title.as_str(),
            channel.handle.as_str(),
            channel.owner_nickname.as_str()
        )
        .to_lowercase();
        self.words
            .iter()
            .all(|word| haystack.contains(word.as_str()))
    }
}

/// Live streams by their video resource, as the video service reports them now.
pub(crate) type Statuses = HashMap<String, StreamStatus>;

impl Platform {
    /// The live directory: live channels by viewers (most first), then the others by most recent
    /// activity; only those `filter` matches.
    pub async fn directory(
        &self,
        filter: &DirectoryFilter,
        cursor: Option<DirectoryCursor>,
        limit: usize,
    ) -> DomainResult<Page<ChannelView, DirectoryCursor>> {
        let mut items = Vec::with_capacity(limit);
        let after = match cursor.unwrap_or(DirectoryCursor::Live { offset: 0 }) {
            DirectoryCursor::Live { offset } => {
                let statuses = self.statuses().await;
                let now = self.now();
                let mut live: Vec<ChannelView> = self
                    .ports
                    .channels
                    .list_live_channels()
                    .await?
                    .into_iter()
                    .filter(|c| filter.matches(c, now))
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
                    let others = self.offline_channels_follow(filter).await?;
                    return Ok(Page {
                        items,
                        next: others.then_some(DirectoryCursor::Others(None)),
                    });
                }
                None
            }
            DirectoryCursor::Others(after) => after,
        };
        let next = self
            .offline_section(filter, after, limit, &mut items)
            .await?;
        Ok(Page {
            items,
            next: next.map(|a| DirectoryCursor::Others(Some(a))),
        })
    }

    /// Fills `items` up to `limit` with offline channels `filter` matches, most recently active
    /// first, starting after `after`; reads at most [`FILTER_SCAN`] channels. Returns where the
    /// next page starts (`None` at the end).
    async fn offline_section(
        &self,
        filter: &DirectoryFilter,
        mut after: Option<ActivityCursor>,
        limit: usize,
        items: &mut Vec<ChannelView>,
    ) -> DomainResult<Option<ActivityCursor>> {
        let mut scanned = 0;
        while items.len() < limit && scanned < FILTER_SCAN {
            // Live channels (and, filtered, those that do not match) are skipped: whole probes,
            // not one channel at a time.
            let probe = if filter.is_empty() {
                OFFLINE_PROBE
            } else {
                OFFLINE_PROBE * 4
            };
            let read = (limit - items.len()).max(probe);
            let page = self
                .ports
                .channels
                .list_channels(after.as_ref(), read)
                .await?;
            scanned += page.items.len();
            let read_items = page.items.len();
            let mut looked_at = 0;
            let mut last_looked_at = None;
            for channel in page.items {
                if items.len() == limit {
                    break;
                }
                looked_at += 1;
                last_looked_at = Some(channel.cursor());
                if !channel.is_live() && filter.matches(&channel, self.now()) {
                    items.push(view(channel, None, None, true));
                }
            }
            // A page read further than this one could keep continues after the last channel
            // looked at, not after the last one read.
            after = if looked_at < read_items {
                last_looked_at
            } else {
                page.next
            };
            if after.is_none() {
                break;
            }
        }
        Ok(after)
    }

    /// A channel's public page.
    pub async fn channel_page(
        &self,
        handle: &str,
        who: Option<&UserId>,
    ) -> DomainResult<ChannelView> {
        let channel = self.channel_by_handle(handle).await?.as_of(self.now());
        let status = self.live_status(&channel).await;
        // Nothing of a suspended channel plays; its page only says it is suspended.
        let can_watch = !channel.is_suspended(self.now()) && self.can_watch(&channel, who).await?;
        let follow = self.follow_status(&channel, who).await?;
        // A private channel's plans, bio and links are for those who may watch it.
        let (upcoming, about) = if can_watch {
            (self.upcoming(&channel), channel.about.clone())
        } else {
            (Vec::new(), None)
        };
        Ok(ChannelView {
            follow: Some(follow),
            upcoming,
            about,
            ..view(channel, status, who, can_watch)
        })
    }

    /// The caller's own channel, for the dashboard.
    pub async fn my_channel(&self, who: &Identity) -> DomainResult<ChannelView> {
        let account = self.ensure_account(who).await?;
        self.own_channel_view(account.channel, &who.user_id).await
    }

    /// `owner`'s own channel as the dashboard shows it, from the record already read.
    pub(crate) async fn own_channel_view(
        &self,
        channel: Channel,
        owner: &UserId,
    ) -> DomainResult<ChannelView> {
        let channel = channel.as_of(self.now());
        let status = self.live_status(&channel).await;
        let follow = self.follow_status(&channel, None).await?;
        Ok(ChannelView {
            follow: Some(follow),
            upcoming: self.upcoming(&channel),
            about: channel.about.clone(),
            ..view(channel, status, Some(owner), true)
        })
    }

    /// The next streams `channel`'s schedule promises, as of now.
    fn upcoming(&self, channel: &Channel) -> Vec<PlannedStream> {
        channel
            .schedule
            .as_ref()
            .map(|s| s.upcoming(self.now(), schedule::UPCOMING))
            .unwrap_or_default()
    }

    /// Whether the directory goes on past its live channels: there is an offline channel that
    /// `filter` matches, or one may be past the [`FILTER_SCAN`] channels looked at (a filtered
    /// directory then offers one more page, which may come back empty).
    async fn offline_channels_follow(&self, filter: &DirectoryFilter) -> DomainResult<bool> {
        let mut first = Vec::with_capacity(1);
        let next = self.offline_section(filter, None, 1, &mut first).await?;
        Ok(!first.is_empty() || next.is_some())
    }

    pub(crate) async fn live_status(&self, channel: &Channel) -> Option<StreamStatus> {
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
        upcoming: Vec::new(),
        about: None,
    }
}
