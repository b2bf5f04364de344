//! The signed-in user's notifications: followed channels that went live, newest first. Opening
//! the page marks them seen.

use cloumer_api_types::NotificationBody;
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::{Avatar, RequireSignIn, ago_text};
use crate::i18n::use_i18n;

#[component]
pub fn Notifications() -> impl IntoView {
    view! {
        <RequireSignIn>
            <NotificationList />
        </RequireSignIn>
    }
}

#[component]
fn NotificationList() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let items = RwSignal::new(Vec::<NotificationBody>::new());
    let next = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let load = move |cursor: Option<String>| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api.notifications(cursor.as_deref()).await {
                Ok(page) => {
                    let first = cursor.is_none();
                    items.update(|list| list.extend(page.items));
                    next.set(page.next);
                    loaded.set(true);
                    error.set(None);
                    if first && page.unread > 0 {
                        // Shown: seen. The marks on this list stay until the next visit.
                        let _ = api.mark_notifications_seen().await;
                    }
                }
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    load(None);
    view! {
        <section class="narrow" aria-labelledby="notifications-heading" data-testid="notifications">
            <h1 id="notifications-heading">{move || i18n.t().notifications}</h1>
            {move || error.get().map(|message| view! {
                <p class="error" role="alert">{message}" "
                    <button type="button" class="link" on:click=move |_| load(next.get_untracked())>{i18n.t().retry}</button>
                </p>
            })}
            {move || (loaded.get() && items.with(Vec::is_empty)).then(|| view! { <p class="empty">{i18n.t().no_notifications}</p> })}
            <div class="notification-list">
                {move || items.get().into_iter().map(|n| view! { <NotificationItem n=n /> }).collect_view()}
            </div>
            {move || next.get().map(|cursor| view! {
                <button type="button" class="secondary" disabled=move || busy.get()
                    on:click=move |_| load(Some(cursor.clone()))>{i18n.t().load_more}</button>
            })}
        </section>
    }
}

#[component]
fn NotificationItem(n: NotificationBody) -> impl IntoView {
    let i18n = use_i18n();
    let title = if n.title.is_empty() {
        i18n.t().untitled.to_owned()
    } else {
        n.title.clone()
    };
    view! {
        <a class="notification" class:unread=n.unread href=format!("/{}", n.channel_handle)>
            <Avatar src=n.owner_avatar.clone() size=40 />
            <span>
                <strong>{n.owner_nickname.clone()}</strong>" "{i18n.t().went_live}
                <br /><span class="muted">{title}" · "{ago_text(&n.created_at)}</span>
            </span>
        </a>
    }
}
