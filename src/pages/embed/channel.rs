//! A channel's embedded live player: it finds the stream by itself when it starts.

use leptos::prelude::*;

use super::{EmbedLink, notice};
use crate::api::use_api;
use crate::components::{Avatar, Loaded, NextStream, name_page, planned_stream_started};
use crate::i18n::use_i18n;
use crate::pages::channel::{now_playing, page_name};
use crate::player::{MatureGate, VideoPlayer, describe_playing};
use crate::reactive::Fetch;

/// How often the live state is checked: an embed has no chat room to announce starts and ends.
const REFRESH: std::time::Duration = std::time::Duration::from_secs(20);

/// What the player area shows; it changes only when the channel goes live or offline.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Showing {
    /// The playback URL, and whether the channel is marked for adults (the viewer is asked
    /// first).
    Live {
        url: Option<String>,
        mature: bool,
    },
    /// With when the next planned stream starts, if the streamer planned one.
    Offline {
        avatar: String,
        next: Option<String>,
    },
    Private,
}

#[component]
pub fn EmbedChannel(handle: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let channel_url = format!("/{handle}");
    let handle = StoredValue::new(handle);
    let page = Fetch::new(move || async move { api.channel(&handle.get_value()).await });
    // A channel that is not there is not asked about again: an embed pasted with a mistyped
    // handle would otherwise cost a request every 20 s for as long as the page is open.
    page.refresh_every(
        REFRESH,
        move || !matches!(page.get_untracked(), Some(Err(error)) if error.is_not_found()),
    );
    // The latest good answer; a failed refresh keeps the player going.
    let latest = page.latest_ok();
    let showing = Memo::new(move |_| {
        latest.with(|c| {
            c.as_ref().map(|c| {
                let s = &c.summary;
                if s.private {
                    Showing::Private
                } else if s.live {
                    Showing::Live {
                        url: c.playback_url.clone(),
                        mature: s.mature,
                    }
                } else {
                    Showing::Offline {
                        avatar: s.owner_avatar.clone(),
                        // Not one under way: the streamer is late, not due.
                        next: c
                            .upcoming
                            .iter()
                            .find(|p| !planned_stream_started(p, crate::browser::now_ms()))
                            .map(|p| p.starts_at.clone()),
                    }
                }
            })
        })
    });
    name_page(move || latest.with(|c| c.as_ref().map(|c| page_name(c, i18n.t().untitled))));
    describe_playing(move || {
        latest.with(|c| {
            let c = c
                .as_ref()
                .filter(|c| c.summary.live && !c.summary.private)?;
            Some(now_playing(c, i18n.t().untitled))
        })
    });
    let streamer = move || latest.with(|c| c.as_ref().map(|c| c.summary.owner_nickname.clone()));

    view! {
        <div class="embed">
            <Loaded retry=move || page.refetch()>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(error) if error.status == 404 => Ok(notice(|t| t.embed_missing).into_any()),
                        Err(error) => Err(error),
                        Ok(_) => Ok(().into_any()),
                    }
                })}
            </Loaded>
            {move || showing.get().map(|showing| match showing {
                Showing::Live { url, mature } => view! {
                    <MatureGate mature=mature handle=handle.get_value()>
                        <VideoPlayer url=Signal::stored(url.clone()) live=true />
                    </MatureGate>
                }
                .into_any(),
                Showing::Offline { avatar, next } => view! {
                    <div class="player offline" role="status">
                        <Avatar src=avatar size=96 />
                        <p>{move || i18n.page_texts().player_offline}</p>
                        {next.map(|starts_at| view! { <NextStream starts_at=starts_at /> })}
                    </div>
                }.into_any(),
                Showing::Private => notice(|t| t.embed_private).into_any(),
            })}
            // Once the channel is known: no link to a channel that is not there.
            {move || streamer().map(|name| view! { <EmbedLink href=channel_url.clone() name=name /> })}
        </div>
    }
}
