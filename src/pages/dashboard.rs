//! The streamer dashboard: go live (server, stream key, encoder settings), watch the stream's
//! state, edit the channel, moderate the chat.

use cloumer_api_types::{
    BanBody, ChatRules, MyChannel, RecordingBody, UpdateChannel, ViewerGrantBody,
};
use leptos::prelude::*;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::{CopyButton, LiveBadge, RecordingCard, Uptime};
use crate::i18n::use_i18n;
use crate::player::VideoPlayer;
use crate::time;

#[component]
pub fn Dashboard() -> impl IntoView {
    let session = use_session();
    let location = crate::router::use_location();
    move || {
        if session.signed_in() {
            view! { <DashboardView /> }.into_any()
        } else {
            location.redirect("/signin");
            ().into_any()
        }
    }
}

#[component]
fn DashboardView() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let channel = RwSignal::new(None::<MyChannel>);
    let error = RwSignal::new(None::<String>);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            match api.my_channel().await {
                Ok(mine) => channel.set(Some(mine)),
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    refresh();
    // Live state, health, viewers: kept current while the dashboard is open.
    if let Ok(timer) = set_interval_with_handle(refresh, std::time::Duration::from_secs(5)) {
        on_cleanup(move || timer.clear());
    }
    view! {
        <h1>{move || i18n.t().dashboard_title}</h1>
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        {move || channel.get().is_some().then(|| view! {
            <div class="dashboard">
                <StatusCard channel=channel />
                <StreamSetup />
                <SettingsCard channel=channel />
                <ModerationCard channel=channel />
                {move || channel.get().filter(|c| c.page.summary.private).map(|_| view! { <ViewersCard /> })}
                <RecordingsCard channel=channel />
            </div>
        })}
    }
}

#[component]
fn StatusCard(channel: RwSignal<Option<MyChannel>>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let live =
        Memo::new(move |_| channel.with(|c| c.as_ref().is_some_and(|c| c.page.summary.live)));
    let preview = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if !live.get() {
            preview.set(None);
            return;
        }
        let Some(handle) =
            channel.with_untracked(|c| c.as_ref().map(|c| c.page.summary.handle.clone()))
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(playback) = api.playback(&handle).await {
                preview.set(Some(playback.url));
            }
        });
    });
    view! {
        <section class="panel status-card" aria-labelledby="status-heading">
            <h2 id="status-heading">{move || i18n.t().status}</h2>
            {move || channel.get().map(|c| {
                let summary = c.page.summary.clone();
                view! {
                    <dl class="stats">
                        <div>
                            <dt>{i18n.t().status}</dt>
                            <dd data-testid="live-state">
                                {if summary.live { view! { <LiveBadge /> }.into_any() } else { view! { <span class="offline-badge">{i18n.t().offline}</span> }.into_any() }}
                            </dd>
                        </div>
                        <div><dt>{i18n.t().health}</dt><dd data-testid="health">{c.page.health.clone().unwrap_or_else(|| "—".into())}</dd></div>
                        <div><dt>{i18n.t().viewers_title}</dt><dd data-testid="viewers">{time::compact_count(summary.viewer_count)}</dd></div>
                        <div><dt>{i18n.t().uptime}</dt><dd>{summary.live.then(|| summary.started_at.clone().map(|s| view! { <Uptime since=s /> }))}</dd></div>
                    </dl>
                    <a href=format!("/{}", summary.handle)>{i18n.t().view_channel}" →"</a>
                }
            })}
            {move || live.get().then(|| view! { <VideoPlayer url=preview live=true /> })}
        </section>
    }
}

#[component]
fn StreamSetup() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let server = RwSignal::new(String::new());
    let key = RwSignal::new(String::new());
    let revealed = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        if let Ok(ingest) = api.stream_key().await {
            server.set(ingest.ingest_server);
            key.set(ingest.stream_key);
        }
    });
    let reset = move |_| {
        if !crate::browser::confirm(i18n.t().reset_key_confirm) {
            return;
        }
        leptos::task::spawn_local(async move {
            if let Ok(ingest) = api.reset_stream_key().await {
                key.set(ingest.stream_key);
                revealed.set(true);
            }
        });
    };
    let ffmpeg = move || {
        format!(
            "ffmpeg -re -i input.mp4 -c:v libx264 -preset veryfast -tune zerolatency -g 60 -c:a aac -f flv \"{}{}\"",
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
            <h2 id="setup-heading">{move || i18n.t().stream_setup}</h2>
            <label for="ingest-server">{move || i18n.t().ingest_server}</label>
            <div class="row">
                <input id="ingest-server" type="text" readonly prop:value=move || server.get() />
                <CopyButton text=server label="copy server" />
            </div>
            <label for="stream-key">{move || i18n.t().stream_key}</label>
            <div class="row">
                <input id="stream-key" type=move || if revealed.get() { "text" } else { "password" } readonly
                    data-testid="stream-key" prop:value=move || key.get() autocomplete="off" />
                <button type="button" class="secondary" on:click=move |_| revealed.update(|r| *r = !*r)>
                    {move || if revealed.get() { i18n.t().hide } else { i18n.t().reveal }}
                </button>
                <CopyButton text=key label="copy stream key" />
                <button type="button" class="danger" on:click=reset>{move || i18n.t().reset_key}</button>
            </div>
            <p class="muted">{move || i18n.t().key_warning}</p>
            <p>{move || i18n.t().obs_steps}</p>
            <p>{move || i18n.t().ffmpeg_steps}</p>
            <pre class="command">{ffmpeg}</pre>
        </section>
    }
}

#[component]
fn SettingsCard(channel: RwSignal<Option<MyChannel>>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let initial = channel.get_untracked().expect("loaded");
    let title = RwSignal::new(initial.page.summary.title.clone());
    let category = RwSignal::new(initial.page.summary.category.clone());
    let latency = RwSignal::new(initial.page.latency_mode.clone());
    let private = RwSignal::new(initial.page.summary.private);
    let recording = RwSignal::new(initial.recording);
    let status = RwSignal::new(None::<Result<(), String>>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let change = UpdateChannel {
            title: Some(title.get_untracked()),
            category: Some(category.get_untracked()),
            latency_mode: Some(latency.get_untracked()),
            private: Some(private.get_untracked()),
            recording: Some(recording.get_untracked()),
            handle: None,
        };
        leptos::task::spawn_local(async move {
            match api.update_channel(&change).await {
                Ok(updated) => {
                    channel.set(Some(updated));
                    status.set(Some(Ok(())));
                }
                Err(e) => status.set(Some(Err(e.message))),
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="settings-heading">
            <h2 id="settings-heading">{move || i18n.t().settings}</h2>
            <form class="stack" on:submit=save>
                <label>{move || i18n.t().title}
                    <input type="text" name="title" maxlength="140" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                </label>
                <label>{move || i18n.t().category}
                    <input type="text" name="category" maxlength="40" list="categories" prop:value=move || category.get()
                        on:input=move |ev| category.set(event_target_value(&ev)) />
                    <datalist id="categories">
                        <option value="Just Chatting" /><option value="Music" /><option value="Games" />
                        <option value="Art" /><option value="Sports" /><option value="Education" />
                    </datalist>
                </label>
                <label>{move || i18n.t().latency_mode}
                    <select prop:value=move || latency.get() on:change=move |ev| latency.set(event_target_value(&ev))>
                        <option value="LOW">{move || i18n.t().latency_low}</option>
                        <option value="NORMAL">{move || i18n.t().latency_normal}</option>
                    </select>
                </label>
                <label class="check">
                    <input type="checkbox" name="private" prop:checked=move || private.get() on:change=move |ev| private.set(event_target_checked(&ev)) />
                    {move || i18n.t().private_label}
                </label>
                <small class="muted">{move || i18n.t().private_hint}</small>
                <label class="check">
                    <input type="checkbox" name="recording" prop:checked=move || recording.get() on:change=move |ev| recording.set(event_target_checked(&ev)) />
                    {move || i18n.t().recording_label}
                </label>
                {move || match status.get() {
                    Some(Ok(())) => view! { <p class="info" role="status">{i18n.t().saved}</p> }.into_any(),
                    Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                    None => ().into_any(),
                }}
                <button type="submit">{move || i18n.t().save}</button>
            </form>
        </section>
    }
}

#[component]
fn ModerationCard(channel: RwSignal<Option<MyChannel>>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let rules = channel.get_untracked().expect("loaded").chat_rules;
    let words = RwSignal::new(rules.filtered_words.join("\n"));
    let mode = RwSignal::new(rules.filter_mode.clone());
    let max_length = RwSignal::new(rules.max_message_length.to_string());
    let max_rate = RwSignal::new(rules.max_messages_per_second.to_string());
    let status = RwSignal::new(None::<Result<(), String>>);
    let bans = RwSignal::new(Vec::<BanBody>::new());
    let load_bans = move || {
        leptos::task::spawn_local(async move {
            if let Ok(list) = api.bans().await {
                bans.set(list);
            }
        });
    };
    load_bans();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let rules = ChatRules {
            max_message_length: max_length.get_untracked().trim().parse().unwrap_or(0),
            max_messages_per_second: max_rate.get_untracked().trim().parse().unwrap_or(0),
            filtered_words: words
                .get_untracked()
                .lines()
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect(),
            filter_mode: mode.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            status.set(Some(
                api.update_chat_rules(&rules)
                    .await
                    .map(drop)
                    .map_err(|e| e.message),
            ));
        });
    };
    view! {
        <section class="panel" aria-labelledby="moderation-heading">
            <h2 id="moderation-heading">{move || i18n.t().moderation}</h2>
            <form class="stack" on:submit=save>
                <label>{move || i18n.t().word_filter}
                    <textarea name="words" rows="4" prop:value=move || words.get() on:input=move |ev| words.set(event_target_value(&ev))></textarea>
                    <small class="muted">{move || i18n.t().word_filter_hint}</small>
                </label>
                <label>
                    <select name="filter-mode" prop:value=move || mode.get() on:change=move |ev| mode.set(event_target_value(&ev))>
                        <option value="BLOCK">{move || i18n.t().filter_block}</option>
                        <option value="MASK">{move || i18n.t().filter_mask}</option>
                    </select>
                </label>
                <div class="row">
                    <label>{move || i18n.t().max_length}
                        <input type="number" name="max-length" min="1" max="500" prop:value=move || max_length.get()
                            on:input=move |ev| max_length.set(event_target_value(&ev)) />
                    </label>
                    <label>{move || i18n.t().max_rate}
                        <input type="number" name="max-rate" min="1" max="100" prop:value=move || max_rate.get()
                            on:input=move |ev| max_rate.set(event_target_value(&ev)) />
                    </label>
                </div>
                {move || match status.get() {
                    Some(Ok(())) => view! { <p class="info" role="status">{i18n.t().saved}</p> }.into_any(),
                    Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                    None => ().into_any(),
                }}
                <button type="submit">{move || i18n.t().save}</button>
            </form>
            <h3>{move || i18n.t().bans}</h3>
            {move || if bans.get().is_empty() {
                view! { <p class="muted">{i18n.t().no_bans}</p> }.into_any()
            } else {
                view! {
                    <ul class="list">
                        <For each=move || bans.get() key=|b| b.user_id.clone() let:ban>
                            {
                                let user = ban.user_id.clone();
                                let until = ban.expires_at.clone();
                                view! {
                                    <li>
                                        <span>{ban.nickname.clone()}</span>
                                        <span class="muted">
                                            {match until { Some(t) => format!(" {} {t}", i18n.t().banned_until), None => format!(" {}", i18n.t().banned_forever) }}
                                        </span>
                                        <button class="secondary" on:click=move |_| {
                                            let user = user.clone();
                                            leptos::task::spawn_local(async move {
                                                if api.unban(&user).await.is_ok() { load_bans(); }
                                            });
                                        }>{i18n.t().unban}</button>
                                    </li>
                                }
                            }
                        </For>
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ViewersCard() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let viewers = RwSignal::new(Vec::<ViewerGrantBody>::new());
    let adding = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let load = move || {
        leptos::task::spawn_local(async move {
            if let Ok(list) = api.viewers().await {
                viewers.set(list);
            }
        });
    };
    load();
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let handle = adding
            .get_untracked()
            .trim()
            .trim_start_matches('@')
            .to_owned();
        leptos::task::spawn_local(async move {
            match api.grant_viewer(&handle).await {
                Ok(_) => {
                    adding.set(String::new());
                    error.set(None);
                    load();
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="viewers-heading">
            <h2 id="viewers-heading">{move || i18n.t().allowed_viewers}</h2>
            <form class="row" on:submit=add>
                <label class="visually-hidden" for="add-viewer">{move || i18n.t().add_viewer}</label>
                <input id="add-viewer" type="text" placeholder=move || i18n.t().add_viewer prop:value=move || adding.get()
                    on:input=move |ev| adding.set(event_target_value(&ev)) />
                <button type="submit">"+"</button>
            </form>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <ul class="list">
                <For each=move || viewers.get() key=|v| v.handle.clone() let:viewer>
                    {
                        let handle = viewer.handle.clone();
                        view! {
                            <li>
                                <span>"@"{viewer.handle.clone()}</span>
                                <button class="secondary" on:click=move |_| {
                                    let handle = handle.clone();
                                    leptos::task::spawn_local(async move {
                                        if api.revoke_viewer(&handle).await.is_ok() { load(); }
                                    });
                                }>{i18n.t().remove}</button>
                            </li>
                        }
                    }
                </For>
            </ul>
        </section>
    }
}

#[component]
fn RecordingsCard(channel: RwSignal<Option<MyChannel>>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let recordings = RwSignal::new(Vec::<RecordingBody>::new());
    let handle = channel.get_untracked().expect("loaded").page.summary.handle;
    leptos::task::spawn_local(async move {
        if let Ok(page) = api.channel_recordings(&handle).await {
            recordings.set(page.items);
        }
    });
    view! {
        <section class="panel wide" aria-labelledby="recordings-heading">
            <h2 id="recordings-heading">{move || i18n.t().past_broadcasts}</h2>
            {move || if recordings.get().is_empty() {
                view! { <p class="muted">{i18n.t().no_broadcasts}</p> }.into_any()
            } else {
                view! {
                    <div class="grid">
                        <For each=move || recordings.get() key=|r| r.id.clone() let:recording>
                            <RecordingCard recording=recording />
                        </For>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
