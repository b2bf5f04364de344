//! One line of a channel's moderation log: when, who did what to whom, the start of the message
//! it was about and why. The dashboard's log and a chatter's card (their history in the room)
//! show entries the same way.

use cloumer_api_types::ModerationEntryBody;
use leptos::prelude::*;

use crate::i18n::use_i18n;

#[component]
pub fn LogEntry(entry: ModerationEntryBody) -> impl IntoView {
    let i18n = use_i18n();
    let at = crate::time::parse_rfc3339_ms(&entry.at)
        .map(|ms| crate::browser::local_date_time(ms, i18n.lang.get_untracked().code()))
        .unwrap_or_default();
    let (action, datetime, detail, reason) = (
        entry.action.clone(),
        entry.at.clone(),
        entry.excerpt.clone(),
        entry.reason.clone(),
    );
    view! {
        <li class="log-entry" data-action=action>
            <time class="muted" datetime=datetime>{at}</time>
            <span>{move || i18n.log_line(&entry)}</span>
            {detail.map(|d| view! { <q class="muted">{d}</q> })}
            {reason.map(|r| view! { <span class="muted">" — "{r}</span> })}
        </li>
    }
}
