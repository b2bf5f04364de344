//! A past broadcast, played from its recording.

use cloumer_api_types::RecordingBody;
use leptos::prelude::*;

use crate::api::use_api;
use crate::chat::replay::ChatReplay;
use crate::components::{Avatar, Loaded, ago_text};
use crate::i18n::use_i18n;
use crate::pages::NotFound;
use crate::player::VideoPlayer;
use crate::time;

#[component]
pub fn Recording(id: String) -> impl IntoView {
    let api = use_api();
    let id = StoredValue::new(id);
    let recording = LocalResource::new(move || async move { api.recording(&id.get_value()).await });
    view! {
        <Loaded retry=move || recording.refetch()>
            {move || Suspend::new(async move {
                match recording.await {
                    Err(error) if error.status == 404 => Ok(view! { <NotFound /> }.into_any()),
                    Err(error) => Err(error),
                    Ok(found) => Ok(view! { <Watch recording=found /> }.into_any()),
                }
            })}
        </Loaded>
    }
}

#[component]
fn Watch(recording: RecordingBody) -> impl IntoView {
    let i18n = use_i18n();
    let r = recording;
    let title = if r.title.is_empty() {
        i18n.t().untitled.to_owned()
    } else {
        r.title.clone()
    };
    let when = r
        .started_at
        .clone()
        .map(|s| ago_text(&s))
        .unwrap_or_default();
    let duration = r
        .duration_ms
        .map(|ms| time::clock(ms as f64))
        .unwrap_or_default();
    let url = Signal::stored(r.playlist_url.clone());
    let position = RwSignal::new(0.0);
    view! {
        <div class="channel-layout">
        <section class="recording channel-main">
            <VideoPlayer url=url position=position />
            <div class="channel-info">
                <Avatar src=r.owner_avatar.clone() size=56 />
                <div class="channel-text">
                    <h1 class="channel-title">{title}</h1>
                    <div class="channel-meta">
                        <a href=format!("/{}", r.channel_handle)>{r.owner_nickname.clone()}</a>
                        " · "{when}" · "{duration}
                        {(!r.category.is_empty()).then(|| view! { " · " {r.category.clone()} })}
                        {r.private.then(|| view! { " · " <span class="private-badge">{move || i18n.t().private_recording}</span> })}
                    </div>
                </div>
            </div>
        </section>
        <ChatReplay id=r.id.clone() handle=r.channel_handle.clone() position=position.into() />
        </div>
    }
}
