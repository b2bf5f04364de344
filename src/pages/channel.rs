//! A channel: the live video (or the offline state and past broadcasts) beside the chat.

use cloumer_api_types::{ChannelPage, RecordingBody};
use leptos::prelude::*;

use crate::api::use_api;
use crate::chat::ChatClient;
use crate::chat_panel::ChatPanel;
use crate::components::{Avatar, LiveBadge, RecordingCard, Uptime};
use crate::i18n::use_i18n;
use crate::pages::NotFound;
use crate::player::VideoPlayer;

/// `/<handle>`: keyed by the handle, so moving to another channel starts afresh.
#[component]
pub fn Channel(handle: String) -> impl IntoView {
    view! { <ChannelView handle=handle /> }
}

#[component]
fn ChannelView(handle: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let page = RwSignal::new(None::<ChannelPage>);
    let missing = RwSignal::new(false);
    let playback = RwSignal::new(None::<String>);
    let recordings = RwSignal::new(Vec::<RecordingBody>::new());
    let chat = ChatClient::start(api, handle.clone());

    let load = {
        let handle = handle.clone();
        move || {
            let handle = handle.clone();
            leptos::task::spawn_local(async move {
                match api.channel(&handle).await {
                    Ok(channel) => {
                        let url = if !channel.summary.live || !channel.can_watch {
                            None
                        } else if channel.summary.private {
                            api.playback(&handle).await.ok().map(|p| p.url)
                        } else {
                            channel.playback_url.clone()
                        };
                        // A new token each load would restart the player: keep the URL if still live.
                        if url.is_none() || playback.with_untracked(Option::is_none) {
                            playback.set(url);
                        }
                        if !channel.summary.live
                            && channel.can_watch
                            && let Ok(list) = api.channel_recordings(&handle).await
                        {
                            recordings.set(list.items);
                        }
                        page.set(Some(channel));
                    }
                    Err(error) if error.status == 404 => missing.set(true),
                    Err(_) => {}
                }
            });
        }
    };
    load();
    // The room announces starts and ends; a timer keeps viewer counts fresh.
    Effect::new({
        let load = load.clone();
        move |previous: Option<u32>| {
            let changes = chat.stream_changes.get();
            if previous.is_some_and(|p| p != changes) {
                load();
            }
            changes
        }
    });
    if let Ok(timer) = set_interval_with_handle(load, std::time::Duration::from_secs(20)) {
        on_cleanup(move || timer.clear());
    }

    view! {
        {move || missing.get().then(|| view! { <NotFound /> })}
        {move || page.get().map(|channel| {
            let summary = channel.summary.clone();
            let live = summary.live;
            let can_watch = channel.can_watch;
            let title = if summary.title.is_empty() { i18n.t().untitled.to_owned() } else { summary.title.clone() };
            view! {
                <div class="channel-layout" data-live=live.to_string()>
                    <section class="channel-main">
                        {if !can_watch {
                            view! { <div class="player offline" role="status">{i18n.t().private_locked}</div> }.into_any()
                        } else if live {
                            view! { <VideoPlayer url=playback live=true /> }.into_any()
                        } else {
                            view! {
                                <div class="player offline" role="status">
                                    <Avatar src=summary.owner_avatar.clone() size=96 />
                                    <p>{i18n.t().player_offline}</p>
                                </div>
                            }.into_any()
                        }}
                        <div class="channel-info">
                            <Avatar src=summary.owner_avatar.clone() size=56 />
                            <div class="channel-text">
                                <h1 class="channel-title">{title}</h1>
                                <div class="channel-meta">
                                    <strong>{summary.owner_nickname.clone()}</strong>
                                    " @"{summary.handle.clone()}
                                    {(!summary.category.is_empty()).then(|| view! { " · " <span class="category">{summary.category.clone()}</span> })}
                                    {summary.private.then(|| view! { " · " <span class="private-badge">{i18n.t().private_channel}</span> })}
                                </div>
                            </div>
                            <div class="channel-stats">
                                {if live {
                                    view! {
                                        <LiveBadge />
                                        <span class="viewer-count">
                                            {i18n.viewers(summary.viewer_count)}
                                        </span>
                                        {summary.started_at.clone().map(|s| view! { <span class="uptime"><Uptime since=s /></span> })}
                                    }.into_any()
                                } else {
                                    view! { <span class="offline-badge">{i18n.t().offline}</span> }.into_any()
                                }}
                            </div>
                        </div>
                        {(!live && !recordings.get().is_empty()).then(|| view! {
                            <h2>{i18n.t().past_broadcasts}</h2>
                            <div class="grid">
                                <For each=move || recordings.get() key=|r| r.id.clone() let:recording>
                                    <RecordingCard recording=recording />
                                </For>
                            </div>
                        })}
                    </section>
                    <ChatPanel chat=chat />
                </div>
            }
        })}
    }
}
