//! The people who run the chat with the streamer (appointed by channel name, removed), and the
//! moderation log: who deleted, timed out, banned or appointed whom, when and why.

use cloumer_api_types::{ModerationEntryBody, MyChannel};
use leptos::prelude::*;

use super::typed_handle;

use crate::api::use_api;
use crate::components::{Avatar, Loaded, LogEntry};
use crate::i18n::use_i18n;
use crate::reactive::{Fetch, Submit};

#[component]
pub fn ModeratorsCard(channel: Signal<MyChannel>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let handle = StoredValue::new(channel.with_untracked(|c| c.page.summary.handle.clone()));
    let moderators = Fetch::new(move || async move { api.moderators().await });
    let log = RwSignal::new(Vec::<ModerationEntryBody>::new());
    let next = RwSignal::new(None::<String>);
    let load_log = Submit::new(move |cursor: &Option<String>| {
        let cursor = cursor.clone();
        async move {
            let page = api
                .moderation_log(&handle.get_value(), cursor.as_deref())
                .await?;
            if cursor.is_none() {
                log.set(page.items);
            } else {
                log.update(|entries| entries.extend(page.items));
            }
            next.set(page.next);
            Ok::<(), crate::api::ApiError>(())
        }
    });
    load_log.dispatch(None);
    let adding = RwSignal::new(String::new());
    let appoint = Submit::new(move |target: &String| {
        let target = target.clone();
        async move {
            let appointed = api.appoint_moderator(&target).await;
            if appointed.is_ok() {
                adding.set(String::new());
                moderators.refetch();
                load_log.dispatch(None);
            }
            appointed.map(drop)
        }
    });
    let remove = Submit::new(move |target: &String| {
        let target = target.clone();
        async move {
            let removed = api.remove_moderator(&target).await;
            moderators.refetch();
            load_log.dispatch(None);
            removed
        }
    });
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let target = typed_handle(&adding.get_untracked());
        appoint.dispatch(target);
    };
    let failure = move || {
        appoint
            .value()
            .and_then(Result::err)
            .or_else(|| remove.value().and_then(Result::err))
            .or_else(|| load_log.value().and_then(Result::err))
    };
    view! {
        <section class="panel" aria-labelledby="moderators-heading">
            <h2 id="moderators-heading">{move || i18n.page_texts().moderators}</h2>
            <p class="muted">{move || i18n.page_texts().moderators_hint}</p>
            <form class="row" on:submit=add>
                <label class="visually-hidden" for="add-moderator">{move || i18n.page_texts().add_moderator}</label>
                <input id="add-moderator" type="text" placeholder=move || i18n.page_texts().add_moderator prop:value=move || adding.get()
                    on:input=move |ev| adding.set(event_target_value(&ev)) />
                <button type="submit" disabled=move || appoint.pending().get()>{move || i18n.page_texts().add_moderator}</button>
            </form>
            {move || failure().map(|e| view! { <p class="error" role="alert">{e.explained(i18n)}</p> })}
            <Loaded retry=move || moderators.refetch()>
                {move || Suspend::new(async move {
                    moderators.await.map(|list| if list.is_empty() {
                        view! { <p class="muted">{i18n.page_texts().no_moderators}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="list moderators">
                                {list.into_iter().map(|moderator| {
                                    let target = moderator.handle.clone().unwrap_or_default();
                                    view! {
                                        <li>
                                            <Avatar src=moderator.avatar.clone() size=24 />
                                            <span>{moderator.nickname.clone()}</span>
                                            <span class="muted">{moderator.handle.clone().map(|h| format!("@{h}"))}</span>
                                            <button class="secondary" on:click=move |_| { remove.dispatch(target.clone()); }>
                                                {i18n.page_texts().remove}
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    })
                })}
            </Loaded>
            <h3>{move || i18n.page_texts().moderation_log}</h3>
            {move || (log.with(Vec::is_empty) && !load_log.pending().get()).then(|| view! {
                <p class="muted">{i18n.page_texts().no_moderation_log}</p>
            })}
            <ol class="list moderation-log">
                <For each=move || log.get() key=|entry| entry.id.clone() let:entry>
                    <LogEntry entry />
                </For>
            </ol>
            {move || next.get().map(|cursor| view! {
                <button class="secondary" disabled=move || load_log.pending().get()
                    on:click=move |_| { load_log.dispatch(Some(cursor.clone())); }>
                    {i18n.t().load_more}
                </button>
            })}
        </section>
    }
}
