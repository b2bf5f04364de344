//! The home page: the channels the visitor follows (live ones first), who is live (most viewers
//! first), the other channels, recent broadcasts. Refreshes itself every 15 seconds.

use leptos::prelude::*;

use cloumer_api_types::FollowingPage;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::{ChannelCard, ComingUp, Loaded, RecordingGrid, name_page};
use crate::i18n::use_i18n;
use crate::reactive::Fetch;

const REFRESH: std::time::Duration = std::time::Duration::from_secs(15);

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    name_page(|| Some(String::new()));
    let api = use_api();
    let directory = Fetch::new(move || async move { api.directory(None).await });
    let recordings = Fetch::new(move || async move { api.recent_recordings().await });
    let session = use_session();
    crate::preload_watch_pages();
    if let Ok(handle) = set_interval_with_handle(
        move || {
            directory.refetch();
            recordings.refetch();
        },
        REFRESH,
    ) {
        on_cleanup(move || handle.clear());
    }

    view! {
        {move || session.signed_in().then(|| crate::member_part(crate::MemberPart::FollowingRow))}
        <section aria-labelledby="live-heading">
            <h1 id="live-heading">{move || i18n.t().live_now}</h1>
            <Loaded retry=move || directory.refetch()>
                {move || Suspend::new(async move {
                    directory.await.map(|page| {
                        let live: Vec<_> = page.items.into_iter().filter(|c| c.live).collect();
                        if live.is_empty() {
                            view! { <p class="empty">{i18n.t().nobody_live}</p> }.into_any()
                        } else {
                            view! {
                                <div class="grid" data-testid="live-grid">
                                    {live.into_iter().map(|channel| view! { <ChannelCard channel=channel /> }).collect_view()}
                                </div>
                            }.into_any()
                        }
                    })
                })}
            </Loaded>
        </section>
        <section aria-labelledby="recent-heading">
            <h2 id="recent-heading">{move || i18n.t().recent_broadcasts}</h2>
            <Loaded retry=move || recordings.refetch()>
                {move || Suspend::new(async move {
                    recordings.await.map(|page| view! {
                        <RecordingGrid recordings=page.items empty=move || i18n.t().no_broadcasts />
                    })
                })}
            </Loaded>
        </section>
        {move || {
            let others: Vec<_> = directory
                .get()
                .and_then(Result::ok)
                .map(|page| page.items.into_iter().filter(|c| !c.live).collect())
                .unwrap_or_default();
            (!others.is_empty()).then(|| view! {
                <section aria-labelledby="channels-heading">
                    <h2 id="channels-heading">{i18n.t().channels}</h2>
                    <div class="grid small">
                        {others.into_iter().map(|channel| view! { <ChannelCard channel=channel /> }).collect_view()}
                    </div>
                </section>
            })
        }}
    }
}

/// The channels the visitor follows, live ones first, refreshed with the rest of the page;
/// nothing when they follow none (the profile page says how to follow). One grid: the cards show
/// which are live. Signed-in visitors only, so its code is not in the first page's wasm.
#[component]
pub fn FollowingRow() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    // A signal filled by a task rather than a resource: less code for a row that needs no
    // suspense.
    let following = RwSignal::new(None::<FollowingPage>);
    let load = move || {
        leptos::task::spawn_local(async move { following.set(api.following(None).await.ok()) });
    };
    load();
    if let Ok(handle) = set_interval_with_handle(load, REFRESH) {
        on_cleanup(move || handle.clear());
    }
    move || {
        let page = following.get()?;
        let coming_up = page.coming_up;
        let mut channels = page.live;
        for channel in page.items {
            if !channels.iter().any(|c| c.handle == channel.handle) {
                channels.push(channel);
            }
        }
        (!channels.is_empty()).then(|| view! {
            <section aria-labelledby="following-heading" data-testid="following">
                <h2 id="following-heading">{i18n.t().following_heading}</h2>
                <ComingUp plans=coming_up />
                <div class="grid small">
                    {channels.into_iter().map(|channel| view! { <ChannelCard channel=channel /> }).collect_view()}
                </div>
            </section>
        })
    }
}
