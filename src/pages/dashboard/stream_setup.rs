//! What the encoder needs: the ingest server and the stream key (hidden until revealed), a reset
//! for a leaked key, and how to set up OBS or ffmpeg.

use leptos::prelude::*;

use crate::api::use_api;
use crate::components::CopyButton;
use crate::i18n::use_i18n;
use crate::reactive::{Fetch, Submit};

#[component]
pub fn StreamSetup() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let ingest = Fetch::new(move || async move { api.stream_key().await });
    let reset = Submit::new(move |_: &()| async move { api.reset_stream_key().await });
    let revealed = RwSignal::new(false);
    // A reset's answer replaces the loaded key.
    let current = Memo::new(move |_| match reset.value() {
        Some(Ok(ingest)) => Some(Ok(ingest)),
        _ => ingest.get(),
    });
    let server = Signal::derive(move || {
        current
            .with(|c| {
                c.as_ref()
                    .and_then(|r| r.as_ref().ok())
                    .map(|i| i.ingest_server.clone())
            })
            .unwrap_or_default()
    });
    let key = Signal::derive(move || {
        current
            .with(|c| {
                c.as_ref()
                    .and_then(|r| r.as_ref().ok())
                    .map(|i| i.stream_key.clone())
            })
            .unwrap_or_default()
    });
    let failure = move || {
        let loading = current.with(|c| c.as_ref().and_then(|r| r.as_ref().err().cloned()));
        let resetting = reset.value().and_then(Result::err);
        resetting.or(loading)
    };
    Effect::new(move |_| {
        if matches!(reset.value(), Some(Ok(_))) {
            revealed.set(true);
        }
    });
    let on_reset = move |_| {
        if crate::browser::confirm(i18n.page_texts().reset_key_confirm) {
            reset.dispatch(());
        }
    };
    // A keyframe every second whatever the file's frame rate (`-g 60` was two seconds at 30
    // fps): the segments, and so the latency, follow the keyframes, as the OBS line says.
    let ffmpeg = move || {
        format!(
            "ffmpeg -re -i input.mp4 -c:v libx264 -preset veryfast -tune zerolatency -force_key_frames \"expr:gte(t,n_forced*1)\" -c:a aac -f flv \"{}{}\"",
            server.get(),
            if revealed.get() {
                key.get()
            } else {
                "<stream key>".to_owned()
            }
        )
    };
    view! {
        <section class="panel" aria-labelledby="setup-heading">
            <h2 id="setup-heading">{move || i18n.page_texts().stream_setup}</h2>
            {move || failure().map(|e| view! { <p class="error" role="alert">{e.explained(i18n)}</p> })}
            <label for="ingest-server">{move || i18n.page_texts().ingest_server}</label>
            <div class="row">
                <input id="ingest-server" type="text" readonly prop:value=move || server.get() />
                <CopyButton text=server what=move || i18n.page_texts().ingest_server />
            </div>
            <label for="stream-key">{move || i18n.page_texts().stream_key}</label>
            <div class="row">
                <input id="stream-key" type=move || if revealed.get() { "text" } else { "password" } readonly
                    data-testid="stream-key" prop:value=move || key.get() autocomplete="off" />
                <button type="button" class="secondary" on:click=move |_| revealed.update(|r| *r = !*r)>
                    {move || if revealed.get() { i18n.page_texts().hide } else { i18n.page_texts().reveal }}
                </button>
                <CopyButton text=key what=move || i18n.page_texts().stream_key />
                <button type="button" class="danger" on:click=on_reset disabled=move || reset.pending().get()>
                    {move || i18n.page_texts().reset_key}
                </button>
            </div>
            <p class="muted">{move || i18n.page_texts().key_warning}</p>
            <p>{move || i18n.page_texts().obs_steps}</p>
            <p>{move || i18n.page_texts().ffmpeg_steps}</p>
            <pre class="command">{ffmpeg}</pre>
        </section>
    }
}
