//! The streamer dashboard: go live (server, stream key, encoder settings), watch the stream's
//! state, edit the channel, see who follows it, moderate the chat, give it emotes, share it (its link, and its player for other sites), tell other places when the stream starts, upload videos. One
//! card per module.
//!
//! The channel is loaded once for the cards' shells, then refreshed every five seconds: cards
//! read what changes (live state, health, viewers) from the latest answer, while forms keep what
//! the streamer is typing.

mod about;
mod emotes;
mod followers;
mod markers;
mod moderation;
mod moderators;
mod part_sender;
mod raid;
mod recordings;
mod schedule;
mod settings;
mod share;
mod status;
mod stream_setup;
mod suspension;
mod videos;
mod viewers;
mod webhooks;

use cloumer_api_types::MyChannel;
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::{Loaded, RequireSignIn, name_page};
use crate::i18n::use_i18n;
use crate::reactive::Fetch;

/// How often live state, health and viewers are refreshed.
const REFRESH: std::time::Duration = std::time::Duration::from_secs(5);

#[component]
pub fn Dashboard() -> impl IntoView {
    let i18n = use_i18n();
    name_page(move || Some(i18n.page_texts().dashboard_title.to_owned()));
    view! { <RequireSignIn><DashboardView /></RequireSignIn> }
}

#[component]
fn DashboardView() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let mine = Fetch::new(move || async move { api.my_channel().await });
    mine.refresh_every(REFRESH, || true);
    // The latest good answer; a failed refresh keeps the last one on screen (and says so).
    let latest = mine.latest_ok();
    let loaded = Memo::new(move |_| latest.with(Option::is_some));
    view! {
        <h1>{move || i18n.page_texts().dashboard_title}</h1>
        <Loaded retry=move || mine.refetch()>
            {move || Suspend::new(async move { mine.await.map(drop) })}
        </Loaded>
        {move || loaded.get().then(|| {
            let channel: Signal<MyChannel> =
                Signal::derive(move || latest.get().expect("loaded"));
            let private = Memo::new(move |_| channel.with(|c| c.page.summary.private));
            let suspended = Memo::new(move |_| channel.with(|c| c.page.suspended));
            view! {
                {move || suspended.get().then(|| view! {
                    <suspension::SuspendedNotice channel=channel on_appealed=move || mine.refetch() />
                })}
                <div class="dashboard">
                    <status::StatusCard channel=channel />
                    <raid::RaidCard channel=channel />
                    // A suspended channel has no stream key (the notice above says why).
                    {move || (!suspended.get()).then(|| view! { <stream_setup::StreamSetup /> })}
                    <share::ShareCard channel=channel />
                    <about::AboutCard channel=channel on_saved=move || mine.refetch() />
                    <schedule::ScheduleCard channel=channel on_saved=move || mine.refetch() />
                    <settings::SettingsCard channel=channel on_saved=move || mine.refetch() />
                    <moderation::ModerationCard channel=channel />
                    <moderators::ModeratorsCard channel=channel />
                    <followers::FollowersCard channel=channel />
                    <emotes::EmotesCard handle=channel.with_untracked(|c| c.page.summary.handle.clone()) />
                    {move || private.get().then(|| view! { <viewers::ViewersCard /> })}
                    <webhooks::WebhooksCard />
                    <videos::VideosCard channel=channel />
                    <recordings::RecordingsCard channel=channel />
                </div>
            }
        })}
    }
}

/// A channel's handle as a streamer types it into a card: spaces around it and a leading `@`
/// (as handles are shown) dropped.
fn typed_handle(typed: &str) -> String {
    typed.trim().trim_start_matches('@').to_owned()
}
