//! A channel: the live video (or the offline state and past broadcasts) beside the chat.
//!
//! The channel is refreshed when the room announces a start or end and every 20 seconds (for
//! viewer counts). The player depends only on whether the channel is live and may be watched, so
//! a refresh never restarts the video.

use cloumer_api_types::{ChannelPage, ClipBody, RecordingBody, ReportKind, VideoBody};
use leptos::prelude::*;

use crate::api::{ApiError, use_api};
use crate::chat::ChatClient;
use crate::chat::panel::ChatPanel;
use crate::chat::raid::{RaidNotice, RaidedNotice};
use crate::components::report;
use crate::components::{
    About, Avatar, FollowButton, LiveBadge, Loaded, RecordingGrid, ReportButton, ShareVideo,
    Upcoming, Uptime, avatar_src, name_page, or_untitled, video_name,
};
use crate::i18n::use_i18n;
use crate::pages::NotFound;
use crate::pages::clip::{self, ClipGrid, ClipLive};
use crate::pages::video::{self, VideoGrid};
use crate::player::{MatureGate, NowPlaying, VideoPlayer, describe_playing};
use crate::reactive::{Fetch, Submit};

/// How often viewer counts and live state are refreshed, besides the room's announcements.
const REFRESH: std::time::Duration = std::time::Duration::from_secs(20);

/// What the video area shows; it changes only when the channel goes live or offline.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Watching {
    live: bool,
    /// Staff suspended it: nothing plays, and the page says why.
    suspended: bool,
    can_watch: bool,
    private: bool,
    /// Marked for adults: the player waits for the viewer's choice.
    mature: bool,
    /// The public playback URL (private channels get a signed one from the API).
    url: Option<String>,
    avatar: String,
}

/// `/<handle>`: keyed by the handle, so moving to another channel starts afresh.
#[component]
pub fn Channel(handle: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let chat = ChatClient::start(api, handle.clone());
    let handle = StoredValue::new(handle);
    let page = Fetch::new(move || async move { api.channel(&handle.get_value()).await });
    // The room announces starts and ends; a timer keeps viewer counts fresh.
    Effect::new(move |previous: Option<u32>| {
        let changes = chat.stream_changes.get();
        if previous.is_some_and(|p| p != changes) {
            page.refetch();
        }
        changes
    });
    // A handle that is not there is not asked about again.
    page.refresh_every(
        REFRESH,
        move || !matches!(page.get_untracked(), Some(Err(error)) if error.is_not_found()),
    );
    // The latest good answer; a failed refresh keeps it on screen (and says so).
    let latest = page.latest_ok();
    // Redrawn only when the bio or links change, not with each look at the channel.
    let about = Memo::new(move |_| {
        latest.with(|c| {
            c.as_ref()
                .and_then(|c| Some((c.summary.owner_nickname.clone(), c.about.clone()?)))
        })
    });
    // What a viewer shares: the channel's link and, while it is public, its player's embed code.
    let sharing = Memo::new(move |_| {
        latest.with(|c| {
            c.as_ref().map(|c| {
                let s = &c.summary;
                (s.handle.clone(), s.owner_nickname.clone(), s.private)
            })
        })
    });
    // Anyone's but the owner's may be reported; redrawn only if that changes (an open report
    // form stays open through refreshes).
    let reportable = Memo::new(move |_| {
        latest.with(|c| {
            c.as_ref()
                .filter(|c| c.role != "owner" && !c.suspended)
                .map(|c| c.summary.handle.clone())
        })
    });
    // Live: what is on, then who; offline: who.
    name_page(move || latest.with(|c| c.as_ref().map(|c| page_name(c, i18n.t().untitled))));
    let watching = Memo::new(move |_| {
        latest.with(|c| {
            c.as_ref().map(|c| Watching {
                live: c.summary.live,
                suspended: c.suspended,
                can_watch: c.can_watch,
                private: c.summary.private,
                mature: c.summary.mature,
                url: c.playback_url.clone(),
                avatar: c.summary.owner_avatar.clone(),
            })
        })
    });
    let playback = Fetch::new(move || {
        let watching = watching.get();
        async move {
            match watching {
                Some(w) if w.live && w.can_watch && w.private => {
                    api.playback(&handle.get_value()).await.map(|p| Some(p.url))
                }
                Some(w) if w.live && w.can_watch => Ok(w.url),
                _ => Ok(None),
            }
        }
    });
    let recordings = Fetch::new(move || {
        let offline = watching.with(|w| w.as_ref().is_some_and(|w| !w.live && w.can_watch));
        async move {
            if offline {
                api.channel_recordings(&handle.get_value())
                    .await
                    .map(|p| p.items)
            } else {
                Ok(Vec::new())
            }
        }
    });
    let clips = Fetch::new(move || {
        let can_watch = watching.with(|w| w.as_ref().is_some_and(|w| w.can_watch));
        async move {
            if can_watch {
                api.channel_clips(&handle.get_value())
                    .await
                    .map(|p| p.items)
            } else {
                Ok(Vec::new())
            }
        }
    });
    let videos = Fetch::new(move || {
        let can_watch = watching.with(|w| w.as_ref().is_some_and(|w| w.can_watch));
        async move {
            if can_watch {
                // Ready ones only: the uploader follows the others on the dashboard.
                api.channel_videos(&handle.get_value()).await.map(|p| {
                    p.items
                        .into_iter()
                        .filter(|v| v.status == "READY")
                        .collect()
                })
            } else {
                Ok(Vec::new())
            }
        }
    });
    let signed_in = Memo::new(move |_| crate::auth::use_session().user().is_some());
    let loaded = Memo::new(move |_| latest.with(Option::is_some));
    let live = Memo::new(move |_| watching.with(|w| w.as_ref().is_some_and(|w| w.live)));
    let suspended = Memo::new(move |_| watching.with(|w| w.as_ref().is_some_and(|w| w.suspended)));
    let playback_url = Signal::derive(move || playback.get().and_then(Result::ok).flatten());
    // What the player plays, while there is one.
    describe_playing(move || {
        latest.with(|c| {
            let c = c.as_ref().filter(|c| c.summary.live && c.can_watch)?;
            Some(now_playing(c, i18n.t().untitled))
        })
    });

    view! {
        <Loaded retry=move || page.refetch()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) if error.status == 404 => Ok(view! { <NotFound /> }.into_any()),
                    Err(error) => Err(error),
                    Ok(_) => Ok(().into_any()),
                }
            })}
        </Loaded>
        {move || loaded.get().then(|| view! {
            <div class="channel-layout" class:no-chat=move || suspended.get() data-live=move || live.get().to_string()>
                <section class="channel-main">
                    <RaidNotice chat=chat />
                    <RaidedNotice chat=chat />
                    {move || watching.get().map(|w| if w.suspended {
                        view! { <Suspended handle=handle.get_value() on_lifted=move || page.refetch() /> }.into_any()
                    } else if !w.can_watch {
                        view! { <div class="player offline" role="status">{move || i18n.page_texts().private_locked}</div> }.into_any()
                    } else if w.live {
                        view! {
                            {move || playback.get().and_then(Result::err).map(|e| view! { <p class="error" role="alert">{e.explained(i18n)}</p> })}
                            <MatureGate mature=w.mature handle=handle.get_value()>
                                <VideoPlayer url=playback_url live=true />
                            </MatureGate>
                        }.into_any()
                    } else {
                        view! {
                            <div class="player offline" role="status">
                                <Avatar src=w.avatar size=96 />
                                <p>{move || i18n.page_texts().player_offline}</p>
                            </div>
                        }.into_any()
                    })}
                    {move || latest.get().map(|channel| view! { <ChannelInfo channel=channel chat=chat /> })}
                    // Apart from the info redrawn with each look: an open embed code stays open.
                    {move || sharing.get().map(|(handle, nickname, private)| view! {
                        <ShareVideo page=format!("/{handle}") title=nickname private=private
                            link_name=move || i18n.page_texts().channel_link />
                    })}
                    {move || reportable.get().map(|handle| view! { <ReportButton kind=ReportKind::Channel id=handle /> })}
                    {move || latest.get().map(|channel| view! { <Upcoming planned=channel.upcoming /> })}
                    {move || about.get().map(|(nickname, about)| view! { <About nickname=nickname about=about /> })}
                    {move || {
                        let clippable = watching.with(|w| w.as_ref().is_some_and(|w| w.live && w.can_watch));
                        (clippable && signed_in.get()).then(|| view! { <ClipLive handle=handle.get_value() /> })
                    }}
                    <PastBroadcasts recordings=recordings />
                    <Videos videos=videos />
                    <Clips clips=clips />
                </section>
                // A suspended channel's chat is closed (its messages refused): nothing to show.
                {move || (!suspended.get()).then(|| view! { <ChatPanel chat=chat /> })}
            </div>
        })}
    }
}

/// A suspended channel's page says so where its player would be; staff may lift it there.
#[component]
fn Suspended(handle: String, on_lifted: impl Fn() + Copy + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&report::EN, &report::KO);
    let api = use_api();
    let staff = Memo::new(move |_| crate::auth::use_session().user().is_some_and(|u| u.staff));
    let handle = StoredValue::new(handle);
    let lift = Submit::new(move |_: &()| async move {
        api.lift_suspension(&handle.get_value())
            .await
            .map_err(|e| e.explained(i18n))?;
        on_lifted();
        Ok::<(), String>(())
    });
    view! {
        <div class="player offline suspended" role="status">
            <p>{move || t().suspended}</p>
            {move || staff.get().then(|| view! {
                <button type="button" class="secondary" disabled=move || lift.pending().get()
                    on:click=move |_| lift.dispatch(())>{move || t().lift}</button>
            })}
            {move || lift.value().and_then(Result::err).map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </div>
    }
}

/// What a channel's page is called: what is on, then who, while live; who otherwise.
pub(crate) fn page_name(channel: &ChannelPage, untitled: &str) -> String {
    let s = &channel.summary;
    if s.live {
        video_name(&s.title, untitled, &s.owner_nickname)
    } else {
        s.owner_nickname.clone()
    }
}

/// What the system's media controls are told plays: the channel's live stream.
pub(crate) fn now_playing(channel: &ChannelPage, untitled: &str) -> NowPlaying {
    let s = &channel.summary;
    NowPlaying {
        title: or_untitled(&s.title, untitled).to_owned(),
        streamer: s.owner_nickname.clone(),
        artwork: avatar_src(&s.owner_avatar),
    }
}

/// Who streams, what, and how it is going.
#[component]
fn ChannelInfo(channel: ChannelPage, chat: ChatClient) -> impl IntoView {
    let i18n = use_i18n();
    let summary = channel.summary;
    // A followers-only chat opens (or closes) as the viewer follows (or stops).
    let follow = view! {
        <FollowButton handle=summary.handle.clone() following=channel.following
            followers=channel.followers notify=channel.notify own={channel.role == "owner"}
            on_change=Callback::new(move |following| chat.follow_changed(following)) />
    };
    let typed_title = summary.title.clone();
    let title = move || {
        if typed_title.is_empty() {
            i18n.t().untitled.to_owned()
        } else {
            typed_title.clone()
        }
    };
    view! {
        <div class="channel-info">
            <Avatar src=summary.owner_avatar.clone() size=56 />
            <div class="channel-text">
                <h1 class="channel-title">{title}</h1>
                <div class="channel-meta">
                    <strong>{summary.owner_nickname.clone()}</strong>
                    " @"{summary.handle.clone()}
                    {(!summary.category.is_empty()).then(|| {
                        let category = summary.category.clone();
                        let href = format!("/browse?category={}", crate::api::encode(&category));
                        view! { " · " <a class="category" href=href>{move || i18n.category(&category).to_owned()}</a> }
                    })}
                    {summary.language.as_deref().and_then(|code| {
                        let name = crate::components::language_name(code)?;
                        let href = format!("/browse?language={code}");
                        Some(view! { " · " <a class="stream-language" href=href lang=code.to_owned()>{name}</a> })
                    })}
                    {summary.private.then(|| view! { " · " <span class="private-badge">{move || i18n.t().private_channel}</span> })}
                </div>
            </div>
            <div class="channel-stats">
                {if summary.live {
                    view! {
                        <LiveBadge />
                        <span class="viewer-count">{move || i18n.viewers(summary.viewer_count)}</span>
                        {summary.started_at.clone().map(|s| view! { <span class="uptime"><Uptime since=s /></span> })}
                    }.into_any()
                } else {
                    view! { <span class="offline-badge">{move || i18n.t().offline}</span> }.into_any()
                }}
            </div>
            {follow}
        </div>
    }
}

/// The channel's uploaded videos, newest first.
#[component]
fn Videos(videos: Fetch<Result<Vec<VideoBody>, ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Loaded retry=move || videos.refetch()>
            {move || Suspend::new(async move {
                videos.await.map(|list| (!list.is_empty()).then(|| view! {
                    <h2>{move || i18n.pick(&video::EN, &video::KO).videos}</h2>
                    <VideoGrid videos=list />
                }))
            })}
        </Loaded>
    }
}

/// The channel's clips, newest first.
#[component]
fn Clips(clips: Fetch<Result<Vec<ClipBody>, ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Loaded retry=move || clips.refetch()>
            {move || Suspend::new(async move {
                clips.await.map(|list| (!list.is_empty()).then(|| view! {
                    <h2>{move || i18n.pick(&clip::EN, &clip::KO).clips}</h2>
                    <ClipGrid clips=list />
                }))
            })}
        </Loaded>
    }
}

/// The channel's past broadcasts, while it is offline.
#[component]
fn PastBroadcasts(recordings: Fetch<Result<Vec<RecordingBody>, ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Loaded retry=move || recordings.refetch()>
            {move || Suspend::new(async move {
                recordings.await.map(|list| (!list.is_empty()).then(|| view! {
                    <h2>{move || i18n.page_texts().past_broadcasts}</h2>
                    <RecordingGrid recordings=list empty="" />
                }))
            })}
        </Loaded>
    }
}
