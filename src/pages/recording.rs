//! A past broadcast, played from its recording.

use cloumer_api_types::{RecordingBody, ReportKind};
use leptos::prelude::*;

use crate::api::use_api;
use crate::chat::replay::ChatReplay;
use crate::components::{
    Avatar, Loaded, ReportButton, ShareVideo, ago_text, avatar_src, linked_start, name_page,
    or_untitled, video_name,
};
use crate::i18n::use_i18n;
use crate::pages::NotFound;
use crate::pages::clip::ClipRecording;
use crate::pages::stream_summary::StreamSummary;
use crate::player::{MatureGate, NowPlaying, VideoPlayer, describe_playing};
use crate::reactive::{Fetch, Submit};
use crate::time;

#[component]
pub fn Recording(id: String) -> impl IntoView {
    let api = use_api();
    let id = StoredValue::new(id);
    let recording = Fetch::new(move || async move { api.recording(&id.get_value()).await });
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
    // The owner may rename it here: the heading follows.
    let title_signal = RwSignal::new(r.title.clone());
    let title = move || title_signal.with(|t| or_untitled(t, i18n.t().untitled).to_owned());
    let nickname = r.owner_nickname.clone();
    let artwork = avatar_src(&r.owner_avatar);
    describe_playing({
        let nickname = nickname.clone();
        move || {
            Some(NowPlaying {
                title: title(),
                streamer: nickname.clone(),
                artwork: artwork.clone(),
            })
        }
    });
    name_page(move || {
        Some(video_name(
            &title_signal.get(),
            i18n.t().untitled,
            &nickname,
        ))
    });
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
    let seek = RwSignal::new(None);
    let signed_in = Memo::new(move |_| crate::auth::use_session().user().is_some());
    let clippable = (r.status == "ENDED").then_some(r.duration_ms).flatten();
    view! {
        <div class="channel-layout">
        <section class="recording channel-main">
            <MatureGate mature=r.mature handle=r.channel_handle.clone()>
                <VideoPlayer url=url position=position start_at=linked_start() seek=seek />
            </MatureGate>
            <div class="channel-info">
                <Avatar src=r.owner_avatar.clone() size=56 />
                <div class="channel-text">
                    <h1 class="channel-title">{title}</h1>
                    <div class="channel-meta">
                        <a href=format!("/{}", r.channel_handle)>{r.owner_nickname.clone()}</a>
                        " · "{when}" · "{duration}
                        {(!r.category.is_empty()).then(|| {
                            let category = r.category.clone();
                            let href = format!("/browse?category={}", crate::api::encode(&category));
                            view! { " · " <a href=href>{move || i18n.category(&category).to_owned()}</a> }
                        })}
                        {r.private.then(|| view! { " · " <span class="private-badge">{move || i18n.t().private_recording}</span> })}
                    </div>
                </div>
            </div>
            <Markers id=r.id.clone() yours=r.yours seek=seek />
            <ShareVideo page=format!("/videos/{}", crate::api::encode(&r.id))
                title=title_signal.with_untracked(|t| or_untitled(t, i18n.t().untitled).to_owned())
                link_name=move || i18n.page_texts().video_link private=r.private position=position />
            {clippable.map(|duration_ms| {
                let id = r.id.clone();
                move || signed_in.get().then(|| view! {
                    <ClipRecording recording_id=id.clone() duration_ms=duration_ms position=position.into() />
                })
            })}
            {r.yours.then(|| view! { <OwnerTools id=r.id.clone() handle=r.channel_handle.clone() title=title_signal /> })}
            {r.yours.then(|| view! { <StreamSummary id=r.id.clone() /> })}
            {(!r.yours).then(|| view! { <ReportButton kind=ReportKind::Recording id=r.id.clone() /> })}
        </section>
        <ChatReplay id=r.id.clone() handle=r.channel_handle.clone() position=position.into() />
        </div>
    }
}

/// The channel owner's tools on their past broadcast: rename it, delete it (asked first).
#[component]
fn OwnerTools(id: String, handle: String, title: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let location = crate::router::use_location();
    let id = StoredValue::new(id);
    let handle = StoredValue::new(handle);
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let rename = Submit::new(move |wanted: &String| {
        let wanted = wanted.clone();
        async move {
            let renamed = api.rename_recording(&id.get_value(), &wanted).await?;
            title.set(renamed.title);
            editing.set(false);
            Ok::<_, crate::api::ApiError>(())
        }
    });
    let delete = Submit::new(move |_: &()| async move {
        api.delete_recording(&id.get_value()).await?;
        location.navigate(&format!("/{}", handle.get_value()));
        Ok::<_, crate::api::ApiError>(())
    });
    let failure = move || {
        rename
            .value()
            .and_then(Result::err)
            .or_else(|| delete.value().and_then(Result::err))
    };
    view! {
        <div class="owner-tools">
            {move || if editing.get() {
                view! {
                    <form class="row rename-recording" on:submit=move |ev| {
                        ev.prevent_default();
                        rename.dispatch(draft.get_untracked());
                    }>
                        <label class="visually-hidden" for="recording-title">{i18n.page_texts().recording_title}</label>
                        <input id="recording-title" type="text" maxlength="140" required
                            prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev)) />
                        <button type="submit" disabled=move || rename.pending().get()>{i18n.t().save}</button>
                        <button type="button" class="secondary" on:click=move |_| editing.set(false)>{i18n.t().cancel}</button>
                    </form>
                }.into_any()
            } else {
                view! {
                    <div class="row">
                        <button type="button" class="secondary rename" on:click=move |_| {
                            rename.clear();
                            draft.set(title.get_untracked());
                            editing.set(true);
                        }>{i18n.page_texts().rename}</button>
                        <button type="button" class="danger delete-recording" disabled=move || delete.pending().get()
                            on:click=move |_| {
                                if crate::browser::confirm(i18n.page_texts().delete_recording_confirm) {
                                    delete.dispatch(());
                                }
                            }>{i18n.page_texts().delete_recording}</button>
                    </div>
                }.into_any()
            }}
            {move || failure().map(|e| view! { <p class="error" role="alert">{e.explained(i18n)}</p> })}
        </div>
    }
}

/// What the list of marked moments is called, and its owner's button to take one off (`{0}`
/// the moment).
const CHAPTERS_EN: [&str; 4] = [
    "Chapters",
    "Remove the marker at {0}",
    "Rename the marker at {0}",
    "Save",
];
const CHAPTERS_KO: [&str; 4] = ["챕터", "{0} 마커 삭제", "{0} 마커 이름 바꾸기", "저장"];

/// The moments the streamer marked while live, in order: each plays the broadcast from there,
/// and its owner may rename one or take it off. Nothing when there are none (or they cannot be read: the
/// video plays all the same).
#[component]
fn Markers(id: String, yours: bool, seek: RwSignal<Option<f64>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&CHAPTERS_EN, &CHAPTERS_KO);
    let api = use_api();
    let id = StoredValue::new(id);
    let markers = RwSignal::new(Vec::new());
    let failed = RwSignal::new(None);
    leptos::task::spawn_local(async move {
        if let Ok(list) = api.recording_markers(&id.get_value()).await {
            markers.set(list.items);
        }
    });
    // The marker being renamed (its moment), and the name typed for it.
    let editing = RwSignal::new(None::<u64>);
    let typed = RwSignal::new(String::new());
    let rename = move |at_ms: u64| {
        leptos::task::spawn_local(async move {
            match api
                .rename_marker(&id.get_value(), at_ms, &typed.get_untracked())
                .await
            {
                Ok(renamed) => {
                    markers.update(|list| {
                        if let Some(m) = list.iter_mut().find(|m| m.at_ms == at_ms) {
                            *m = renamed;
                        }
                    });
                    editing.set(None);
                    failed.set(None);
                }
                Err(error) => failed.set(Some(error)),
            }
        });
    };
    let remove = move |at_ms: u64| {
        leptos::task::spawn_local(async move {
            match api.remove_marker(&id.get_value(), at_ms).await {
                Ok(()) => markers.update(|list| list.retain(|m| m.at_ms != at_ms)),
                Err(error) => failed.set(Some(error)),
            }
        });
    };
    move || {
        let list = markers.get();
        let renaming = editing.get();
        (!list.is_empty()).then(|| view! {
            <section class="markers" aria-labelledby="markers-heading">
                <h2 id="markers-heading">{move || t()[0]}</h2>
                <ol class="marker-list">
                    {list.into_iter().map(|marker| {
                        let at = marker.at_ms as f64;
                        let clock = time::clock(at);
                        let (label, rename_label) = (clock.clone(), clock.clone());
                        let at_ms = marker.at_ms;
                        if yours && renaming == Some(at_ms) {
                            return view! {
                                <li>
                                    <form class="rename-marker" on:submit=move |ev| { ev.prevent_default(); rename(at_ms); }>
                                        <time class="marker-time">{clock}</time>
                                        <input type="text" name="marker-name" maxlength="60" autofocus=true
                                            aria-label=move || t()[2].replacen("{0}", &label, 1)
                                            prop:value=move || typed.get()
                                            on:input=move |ev| typed.set(event_target_value(&ev))
                                            on:keydown=move |ev| if ev.key() == "Escape" { editing.set(None); } />
                                        <button type="submit" class="secondary">{move || t()[3]}</button>
                                    </form>
                                </li>
                            }.into_any();
                        }
                        let note = marker.note.clone();
                        view! {
                            <li>
                                <button type="button" class="link marker" on:click=move |_| seek.set(Some(at / 1000.0))>
                                    <time class="marker-time">{clock}</time>
                                    {(!marker.note.is_empty()).then(|| view! { <span class="marker-note">{marker.note}</span> })}
                                </button>
                                {yours.then(|| view! {
                                    <button type="button" class="link rename-marker-start"
                                        aria-label=move || t()[2].replacen("{0}", &rename_label, 1)
                                        on:click=move |_| { typed.set(note.clone()); editing.set(Some(at_ms)); }>"✎"</button>
                                    <button type="button" class="link remove-marker"
                                        aria-label=move || t()[1].replacen("{0}", &label, 1)
                                        on:click=move |_| remove(at_ms)>"×"</button>
                                })}
                            </li>
                        }.into_any()
                    }).collect_view()}
                </ol>
                {move || failed.get().map(|e| view! { <p class="error" role="alert">{e.explained(i18n)}</p> })}
            </section>
        })
    }
}
