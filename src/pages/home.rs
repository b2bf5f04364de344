//! The home page: who is live (most viewers first), the other channels, recent broadcasts.
//! Refreshes itself every 15 seconds.

use cloumer_api_types::{ChannelSummary, RecordingBody};
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::{ChannelCard, RecordingCard};
use crate::i18n::use_i18n;

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let channels = RwSignal::new(None::<Vec<ChannelSummary>>);
    let recordings = RwSignal::new(None::<Vec<RecordingBody>>);
    let failed = RwSignal::new(false);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            match api.directory(None).await {
                Ok(page) => {
                    channels.set(Some(page.items));
                    failed.set(false);
                }
                Err(_) => failed.set(true),
            }
            if let Ok(page) = api.recent_recordings().await {
                recordings.set(Some(page.items));
            }
        });
    };
    refresh();
    crate::preload_watch_pages();
    if let Ok(handle) = set_interval_with_handle(refresh, std::time::Duration::from_secs(15)) {
        on_cleanup(move || handle.clear());
    }
    let live = Memo::new(move |_| {
        channels.with(|c| {
            c.as_ref()
                .map(|c| c.iter().filter(|c| c.live).cloned().collect::<Vec<_>>())
        })
    });
    let others = Memo::new(move |_| {
        channels.with(|c| {
            c.as_ref()
                .map(|c| c.iter().filter(|c| !c.live).cloned().collect::<Vec<_>>())
        })
    });

    view! {
        <section aria-labelledby="live-heading">
            <h1 id="live-heading">{move || i18n.t().live_now}</h1>
            {move || failed.get().then(|| view! { <p class="error" role="alert">{i18n.t().error_generic}</p> })}
            {move || match live.get() {
                None => view! { <p class="muted">{i18n.t().loading}</p> }.into_any(),
                Some(list) if list.is_empty() => view! { <p class="empty">{i18n.t().nobody_live}</p> }.into_any(),
                Some(list) => view! {
                    <div class="grid" data-testid="live-grid">
                        <For each=move || list.clone() key=|c| (c.handle.clone(), c.viewer_count, c.thumbnail_url.clone()) let:channel>
                            <ChannelCard channel=channel />
                        </For>
                    </div>
                }.into_any(),
            }}
        </section>
        <section aria-labelledby="recent-heading">
            <h2 id="recent-heading">{move || i18n.t().recent_broadcasts}</h2>
            {move || match recordings.get() {
                None => view! { <p class="muted">{i18n.t().loading}</p> }.into_any(),
                Some(list) if list.is_empty() => view! { <p class="empty">{i18n.t().no_broadcasts}</p> }.into_any(),
                Some(list) => view! {
                    <div class="grid">
                        <For each=move || list.clone() key=|r| (r.id.clone(), r.status.clone()) let:recording>
                            <RecordingCard recording=recording />
                        </For>
                    </div>
                }.into_any(),
            }}
        </section>
        {move || others.get().filter(|o| !o.is_empty()).map(|list| view! {
            <section aria-labelledby="channels-heading">
                <h2 id="channels-heading">{i18n.t().channels}</h2>
                <div class="grid small">
                    <For each=move || list.clone() key=|c| c.handle.clone() let:channel>
                        <ChannelCard channel=channel />
                    </For>
                </div>
            </section>
        })}
    }
}
