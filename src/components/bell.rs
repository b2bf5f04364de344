//! The notification bell in the top bar: the unread count, a link to the list
//! (`pages/notifications.rs`), and a toast when news arrives while the app is open (a followed
//! channel went live, the user's video is ready, a channel raided the user's).

use cloumer_api_types::{NotificationBody, NotificationPage};
use leptos::prelude::*;

use crate::api::use_api;
use crate::i18n::{PageTexts, use_i18n};
use crate::time::parse_rfc3339_ms;

/// How a notification reads and where it leads: (link, the bold lead, the words after it).
/// "**Minji** went live" and "**Minji** raided your channel" open the channel; "**Your video
/// is ready**" opens the video. What staff decided is only announced here (the notifications
/// page says what and why: its words are not loaded with the first page).
pub fn notification_text(n: &NotificationBody, t: &'static PageTexts) -> (String, String, String) {
    let channel = format!("/{}", n.channel_handle);
    match (n.kind.as_str(), &n.video_id, n.raid_viewers) {
        ("VIDEO_READY", Some(video), _) => (
            format!("/videos/{video}"),
            t.video_ready.to_owned(),
            String::new(),
        ),
        ("RAID", _, Some(viewers)) => (
            channel,
            n.owner_nickname.clone(),
            t.raided_you.replace("{}", &viewers.to_string()),
        ),
        ("REPORT_REVIEWED", ..) => (
            "/notifications".to_owned(),
            t.report_reviewed.to_owned(),
            String::new(),
        ),
        ("TAKEN_DOWN" | "SUSPENDED" | "SUSPENSION_LIFTED" | "APPEAL_REJECTED", ..) => (
            "/notifications".to_owned(),
            t.staff_decision.to_owned(),
            String::new(),
        ),
        _ => (channel, n.owner_nickname.clone(), t.went_live.to_owned()),
    }
}

/// How often the bell asks for news. Stream starts are rare; a minute-old toast still brings a
/// viewer in time for the start of a broadcast.
const POLL: std::time::Duration = std::time::Duration::from_secs(30);
/// How long a toast stays.
const TOAST: std::time::Duration = std::time::Duration::from_secs(12);

fn newest(page: &NotificationPage) -> f64 {
    page.items
        .iter()
        .filter_map(|n| parse_rfc3339_ms(&n.created_at))
        .fold(0.0, f64::max)
}

#[component]
pub fn Bell() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let unread = RwSignal::new(0u64);
    let toast = RwSignal::new(None::<NotificationBody>);
    // Notifications older than the first answer were there before the app opened: no toast.
    let known_until = StoredValue::new(None::<f64>);
    // Signals and a task rather than a resource, and the list on its own page (code loaded when
    // opened): this sits in the first page's wasm.
    let poll = move || {
        leptos::task::spawn_local(async move {
            let Ok(fresh) = api.notifications(None).await else {
                return;
            };
            if let Some(known) = known_until.get_value()
                && let Some(news) = fresh.items.iter().find(|n| {
                    n.unread && parse_rfc3339_ms(&n.created_at).is_some_and(|at| at > known)
                })
            {
                toast.set(Some(news.clone()));
                set_timeout(move || toast.set(None), TOAST);
            }
            let until = newest(&fresh).max(known_until.get_value().unwrap_or(0.0));
            known_until.set_value(Some(until));
            unread.set(fresh.unread);
        });
    };
    poll();
    if let Ok(timer) = set_interval_with_handle(poll, POLL) {
        on_cleanup(move || timer.clear());
    }
    // The tab's title counts them too; signing out takes the bell, and the count, away.
    Effect::new(move |_| super::show_unread(unread.get()));
    on_cleanup(|| super::show_unread(0));
    view! {
        // Read out as "Notifications 3". The list page marks them seen.
        <a href="/notifications" class="button bell secondary" data-testid="bell"
            on:click=move |_| unread.set(0)>
            <span class="visually-hidden">{move || i18n.page_texts().notifications}</span>
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"/></svg>
            <span class="badge" data-testid="bell-count" hidden=move || unread.get() == 0>
                {move || super::unread_count(unread.get())}
            </span>
        </a>
        {move || toast.get().map(|n| {
            let (href, lead, rest) = notification_text(&n, i18n.page_texts());
            view! {
            <div class="toast" role="status" data-testid="toast">
                <a href=href on:click=move |_| toast.set(None)>
                    <strong>{lead}</strong>" "{rest}<br />{n.title}
                </a>
                <button type="button" class="link" aria-label=i18n.page_texts().close on:click=move |_| toast.set(None)>"×"</button>
            </div>
            }
        })}
    }
}
