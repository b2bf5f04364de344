//! A past broadcast, played from its recording.

use cloumer_api_types::RecordingBody;
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::{Avatar, ago_text};
use crate::i18n::use_i18n;
use crate::pages::NotFound;
use crate::player::VideoPlayer;
use crate::time;

#[component]
pub fn Recording(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let recording = RwSignal::new(None::<RecordingBody>);
    let missing = RwSignal::new(false);
    let url = RwSignal::new(None::<String>);
    leptos::task::spawn_local(async move {
        match api.recording(&id).await {
            Ok(found) => {
                url.set(found.playlist_url.clone());
                recording.set(Some(found));
            }
            Err(_) => missing.set(true),
        }
    });
    view! {
        {move || missing.get().then(|| view! { <NotFound /> })}
        {move || recording.get().map(|r| {
            let title = if r.title.is_empty() { i18n.t().untitled.to_owned() } else { r.title.clone() };
            let when = r.started_at.clone().map(|s| ago_text(&s)).unwrap_or_default();
            let duration = r.duration_ms.map(|ms| time::clock(ms as f64)).unwrap_or_default();
            view! {
                <section class="recording">
                    <VideoPlayer url=url />
                    <div class="channel-info">
                        <Avatar src=r.owner_avatar.clone() size=56 />
                        <div class="channel-text">
                            <h1 class="channel-title">{title}</h1>
                            <div class="channel-meta">
                                <a href=format!("/{}", r.channel_handle)>{r.owner_nickname.clone()}</a>
                                " · "{when}" · "{duration}
                                {(!r.category.is_empty()).then(|| view! { " · " {r.category.clone()} })}
                            </div>
                        </div>
                    </div>
                </section>
            }
        })}
    }
}
