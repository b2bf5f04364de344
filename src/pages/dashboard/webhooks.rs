//! The channel's webhooks: URLs called when the stream starts (a Discord channel, a bot), each
//! with how its latest delivery went. A new webhook's signing secret is shown once, here.

use cloumer_api_types::WebhookBody;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{ApiError, use_api};
use crate::components::{CopyButton, ago_text};
use crate::i18n::use_i18n;

#[component]
pub fn WebhooksCard() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    // Plain signals and tasks: a resource or action each would cost the dashboard's download
    // more than this whole card.
    let list = RwSignal::new(None::<Vec<WebhookBody>>);
    let failure = RwSignal::new(None::<ApiError>);
    let url = RwSignal::new(String::new());
    let secret = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let reload = move || {
        spawn_local(async move {
            match api.webhooks().await {
                Ok(found) => list.set(Some(found)),
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    reload();
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        spawn_local(async move {
            match api.add_webhook(url.get_untracked().trim()).await {
                Ok(created) => {
                    failure.set(None);
                    url.set(String::new());
                    secret.set(Some(created.secret));
                    reload();
                }
                Err(error) => failure.set(Some(error)),
            }
            busy.set(false);
        });
    };
    let remove = move |id: String| {
        spawn_local(async move {
            match api.remove_webhook(&id).await {
                Ok(()) => failure.set(None),
                Err(error) => failure.set(Some(error)),
            }
            reload();
        });
    };
    let shown_secret = Signal::derive(move || secret.get().unwrap_or_default());
    view! {
        <section class="panel" aria-labelledby="webhooks-heading">
            <h2 id="webhooks-heading">{move || i18n.page_texts().webhooks}</h2>
            <p class="muted">{move || i18n.page_texts().webhooks_hint}</p>
            <form class="row" on:submit=add>
                <label class="visually-hidden" for="add-webhook">{move || i18n.page_texts().webhook_url}</label>
                <input id="add-webhook" type="url" inputmode="url" autocomplete="off" required
                    placeholder=move || i18n.page_texts().webhook_url prop:value=move || url.get()
                    on:input=move |ev| url.set(event_target_value(&ev)) />
                <button type="submit" disabled=move || busy.get()>{move || i18n.page_texts().add_webhook}</button>
            </form>
            {move || failure.get().map(|e| view! { <p class="error" role="alert">{e.explained(i18n)}</p> })}
            {move || secret.get().is_some().then(|| view! {
                <div class="notice" role="status">
                    <p>{move || i18n.page_texts().webhook_secret}</p>
                    <div class="row">
                        <input type="text" readonly data-testid="webhook-secret" prop:value=move || shown_secret.get() />
                        <CopyButton text=shown_secret what=move || i18n.page_texts().signing_secret />
                    </div>
                </div>
            })}
            {move || list.get().map(|hooks| if hooks.is_empty() {
                view! { <p class="muted">{i18n.page_texts().no_webhooks}</p> }.into_any()
            } else {
                view! {
                    <ul class="list webhooks">
                        {hooks.into_iter().map(|hook| {
                            let id = hook.id.clone();
                            view! {
                                <li>
                                    <div class="webhook">
                                        <span class="webhook-url" title=hook.url.clone()>{hook.url.clone()}</span>
                                        <DeliveryStatus hook=hook />
                                    </div>
                                    <button class="secondary" on:click=move |_| remove(id.clone())>
                                        {i18n.page_texts().remove}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}

/// "Delivered · 200 · 3 minutes ago", "Failed · the receiver answered 500 · 4 attempts · …",
/// or "Not called yet".
#[component]
fn DeliveryStatus(hook: WebhookBody) -> impl IntoView {
    let t = use_i18n().page_texts();
    let Some(delivery) = hook.last_delivery else {
        return view! { <span class="muted delivery" data-testid="webhook-delivery">{t.never_delivered}</span> }.into_any();
    };
    let mut parts = Vec::new();
    if let Some(status) = delivery.status {
        parts.push(status.to_string());
    }
    if let Some(error) = &delivery.error {
        parts.push(error.clone());
    }
    if delivery.attempts > 1 {
        parts.push(format!("{} {}", delivery.attempts, t.attempts));
    }
    parts.push(ago_text(&delivery.at));
    let (class, label) = if delivery.delivered {
        ("delivery ok", t.delivered)
    } else {
        ("delivery failed", t.delivery_failed)
    };
    view! { <span class=class data-testid="webhook-delivery">{label}" · "{parts.join(" · ")}</span> }
        .into_any()
}
