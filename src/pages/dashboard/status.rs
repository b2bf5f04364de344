//! The stream's state now: live or offline, health, viewers, uptime, and a preview.

use cloumer_api_types::MyChannel;
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::{LiveBadge, Uptime};
use crate::i18n::use_i18n;
use crate::player::VideoPlayer;
use crate::reactive::Fetch;
use crate::time;

#[component]
pub fn StatusCard(channel: Signal<MyChannel>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let live = Memo::new(move |_| channel.with(|c| c.page.summary.live));
    let handle = channel.with_untracked(|c| c.page.summary.handle.clone());
    // Loaded when the stream goes live, not on every refresh: a new URL would restart the player.
    let preview = Fetch::new(move || {
        let handle = handle.clone();
        let live = live.get();
        async move {
            if live {
                api.playback(&handle).await.map(|p| Some(p.url))
            } else {
                Ok(None)
            }
        }
    });
    let preview_url = Signal::derive(move || preview.get().and_then(Result::ok).flatten());
    let preview_error = move || preview.get().and_then(Result::err);
    view! {
        <section class="panel status-card" aria-labelledby="status-heading">
            <h2 id="status-heading">{move || i18n.page_texts().status}</h2>
            {move || {
                let c = channel.get();
                let summary = c.page.summary;
                view! {
                    <dl class="stats">
                        <div>
                            <dt>{i18n.page_texts().status}</dt>
                            <dd data-testid="live-state">
                                {if summary.live { view! { <LiveBadge /> }.into_any() } else { view! { <span class="offline-badge">{i18n.t().offline}</span> }.into_any() }}
                            </dd>
                        </div>
                        <div><dt>{i18n.page_texts().health}</dt><dd data-testid="health">{c.page.health.unwrap_or_else(|| "—".into())}</dd></div>
                        <div><dt>{i18n.t().viewers_title}</dt><dd data-testid="viewers">{time::compact_count(summary.viewer_count)}</dd></div>
                        <div><dt>{i18n.t().followers_title}</dt><dd data-testid="followers">{time::compact_count(c.page.followers)}</dd></div>
                        <div><dt>{i18n.page_texts().uptime}</dt><dd>{summary.live.then(|| summary.started_at.map(|s| view! { <Uptime since=s /> }))}</dd></div>
                    </dl>
                    <a href=format!("/{}", summary.handle)>{i18n.page_texts().view_channel}" →"</a>
                }
            }}
            {move || preview_error().map(|e| view! { <p class="error" role="alert">{e.explained(i18n)}</p> })}
            {move || live.get().then(|| view! {
                <VideoPlayer url=preview_url live=true />
                <super::markers::MarkMoment />
            })}
        </section>
    }
}
