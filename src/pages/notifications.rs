//! The signed-in user's notifications, newest first: followed channels that went live, their own
//! videos ready to watch, raids, and what the platform's staff decided on their reports and
//! their content (what was done and which rule it broke). Opening the page marks them seen.

use cloumer_api_types::NotificationBody;
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::bell::notification_text;
use crate::components::report::{self, decision_text};
use crate::components::{Avatar, PageStatus, Paging, RequireSignIn, ago_text, name_page};
use crate::i18n::use_i18n;

#[component]
pub fn Notifications() -> impl IntoView {
    let i18n = use_i18n();
    name_page(move || Some(i18n.page_texts().notifications.to_owned()));
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
    let paging = Paging::new();
    let more = Callback::new(move |cursor: Option<String>| {
        paging.load(items, cursor, move |cursor| async move {
            let first = cursor.is_none();
            let page = api.notifications(cursor.as_deref()).await?;
            if first && page.unread > 0 {
                // Shown: seen. The marks on this list stay until the next visit.
                let _ = api.mark_notifications_seen().await;
            }
            Ok((page.items, page.next))
        });
    });
    more.run(None);
    view! {
        <section class="narrow" aria-labelledby="notifications-heading" data-testid="notifications">
            <h1 id="notifications-heading">{move || i18n.page_texts().notifications}</h1>
            <div class="notification-list">
                {move || items.get().into_iter().map(|n| view! { <NotificationItem n=n /> }).collect_view()}
            </div>
            <PageStatus paging=paging is_empty=Signal::derive(move || items.with(Vec::is_empty))
                empty=move || i18n.page_texts().no_notifications more=more />
        </section>
    }
}

#[component]
fn NotificationItem(n: NotificationBody) -> impl IntoView {
    let i18n = use_i18n();
    // Staff decisions say here what and why (the bell's toast only announces them).
    let decision = decision_text(&n, i18n.pick(&report::EN, &report::KO));
    let title = match (n.title.is_empty(), decision.is_some()) {
        (false, _) => n.title.clone(),
        // A decision about a channel: the channel is the subject.
        (true, true) => n.owner_nickname.clone(),
        (true, false) => i18n.t().untitled.to_owned(),
    };
    let (href, lead, rest) = decision.unwrap_or_else(|| notification_text(&n, i18n.page_texts()));
    view! {
        <a class="notification" class:unread=n.unread href=href>
            <Avatar src=n.owner_avatar.clone() size=40 />
            <span>
                <strong>{lead}</strong>" "{rest}
                <br /><span class="muted">{title}" · "{ago_text(&n.created_at)}</span>
            </span>
        </a>
    }
}
