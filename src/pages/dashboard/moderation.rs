//! The chat's rules (word filter, limits, slow mode, account age, followers-only) and the users
//! banned or timed out.

use cloumer_api_types::{ChatRules, MyChannel};
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::{Loaded, SaveStatus};
use crate::i18n::use_i18n;
use crate::reactive::{Fetch, Submit};

/// Slow-mode intervals the dashboard offers, in seconds (the API takes any 0–600).
const SLOW_MODE_CHOICES: [u16; 8] = [3, 5, 10, 30, 60, 120, 300, 600];

/// How long a follow a followers-only chat may ask for, in minutes, beside "any follower" (the
/// API takes any 0–129,600): ten minutes to ninety days.
const FOLLOWER_MINUTES_CHOICES: [u32; 7] = [10, 30, 60, 1440, 10_080, 43_200, 129_600];

/// The followers-only choice as the select holds it: `off`, or minutes.
const FOLLOWERS_ONLY_OFF: &str = "off";

#[component]
pub fn ModerationCard(channel: Signal<MyChannel>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let rules = channel.with_untracked(|c| c.chat_rules.clone());
    let words = RwSignal::new(rules.filtered_words.join("\n"));
    let mode = RwSignal::new(rules.filter_mode.clone());
    let max_length = RwSignal::new(rules.max_message_length.to_string());
    let max_rate = RwSignal::new(rules.max_messages_per_second.to_string());
    let slow_mode = RwSignal::new(rules.slow_mode_seconds.to_string());
    let account_age = RwSignal::new(rules.min_account_age_minutes.to_string());
    let followers_only = RwSignal::new(
        rules
            .followers_only_minutes
            .map_or_else(|| FOLLOWERS_ONLY_OFF.to_owned(), |m| m.to_string()),
    );
    let emote_only = RwSignal::new(rules.emote_only);
    let links_off = RwSignal::new(rules.links_off);
    let unique_chat = RwSignal::new(rules.unique_chat);
    // A length set through the API that the list does not offer is kept as a choice of its own.
    let set_elsewhere = rules
        .followers_only_minutes
        .filter(|m| *m != 0 && !FOLLOWER_MINUTES_CHOICES.contains(m));
    let handle = channel.with_untracked(|c| c.page.summary.handle.clone());
    let save = Submit::new(move |rules: &ChatRules| {
        let rules = rules.clone();
        async move { api.update_chat_rules(&rules).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(ChatRules {
            // Not a number: 0, which the server refuses with the allowed range.
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
            slow_mode_seconds: slow_mode.get_untracked().parse().unwrap_or(0),
            // Not a number: more than allowed, which the server refuses with the range.
            min_account_age_minutes: account_age
                .get_untracked()
                .trim()
                .parse()
                .unwrap_or(u32::MAX),
            followers_only_minutes: followers_only.get_untracked().parse().ok(),
            emote_only: emote_only.get_untracked(),
            links_off: links_off.get_untracked(),
            unique_chat: unique_chat.get_untracked(),
        });
    };
    view! {
        <section class="panel" aria-labelledby="moderation-heading">
            <h2 id="moderation-heading">{move || i18n.page_texts().moderation}</h2>
            <form class="stack" on:submit=submit>
                <label>{move || i18n.page_texts().word_filter}
                    <textarea name="words" rows="4" prop:value=move || words.get() on:input=move |ev| words.set(event_target_value(&ev))></textarea>
                    <small class="muted">{move || i18n.page_texts().word_filter_hint}</small>
                </label>
                <label>{move || i18n.page_texts().filter_mode}
                    <select name="filter-mode" prop:value=move || mode.get() on:change=move |ev| mode.set(event_target_value(&ev))>
                        <option value="BLOCK">{move || i18n.page_texts().filter_block}</option>
                        <option value="MASK">{move || i18n.page_texts().filter_mask}</option>
                    </select>
                </label>
                <div class="row">
                    <label>{move || i18n.page_texts().max_length}
                        <input type="number" name="max-length" min="1" max="500" prop:value=move || max_length.get()
                            on:input=move |ev| max_length.set(event_target_value(&ev)) />
                    </label>
                    <label>{move || i18n.page_texts().max_rate}
                        <input type="number" name="max-rate" min="1" max="100" prop:value=move || max_rate.get()
                            on:input=move |ev| max_rate.set(event_target_value(&ev)) />
                    </label>
                </div>
                <label>{move || i18n.page_texts().slow_mode}
                        <select name="slow-mode" prop:value=move || slow_mode.get() on:change=move |ev| slow_mode.set(event_target_value(&ev))>
                            <option value="0">{move || i18n.page_texts().off}</option>
                            {SLOW_MODE_CHOICES.into_iter().map(|seconds| view! {
                                <option value=seconds.to_string()>{move || i18n.duration(u64::from(seconds))}</option>
                            }).collect_view()}
                    </select>
                </label>
                <label>{move || i18n.page_texts().min_account_age}
                    <input type="number" name="min-account-age" min="0" max="43200" prop:value=move || account_age.get()
                        on:input=move |ev| account_age.set(event_target_value(&ev)) />
                    <small class="muted">{move || i18n.page_texts().min_account_age_hint}</small>
                </label>
                <label>{move || i18n.page_texts().followers_only}
                    <select name="followers-only" prop:value=move || followers_only.get()
                        on:change=move |ev| followers_only.set(event_target_value(&ev))>
                        <option value=FOLLOWERS_ONLY_OFF>{move || i18n.page_texts().off}</option>
                        <option value="0">{move || i18n.page_texts().followers_only_any}</option>
                        {FOLLOWER_MINUTES_CHOICES.into_iter().chain(set_elsewhere).map(|minutes| view! {
                            <option value=minutes.to_string()>{move || i18n.duration(u64::from(minutes) * 60)}</option>
                        }).collect_view()}
                    </select>
                    <small class="muted">{move || i18n.page_texts().followers_only_hint}</small>
                </label>
                <label class="check">
                    <input type="checkbox" name="emote-only" prop:checked=move || emote_only.get()
                        on:change=move |ev| emote_only.set(event_target_checked(&ev)) />
                    {move || i18n.page_texts().emote_only}
                </label>
                <small class="muted">{move || i18n.page_texts().emote_only_hint}</small>
                <label class="check">
                    <input type="checkbox" name="links-off" prop:checked=move || links_off.get()
                        on:change=move |ev| links_off.set(event_target_checked(&ev)) />
                    {move || i18n.page_texts().links_off}
                </label>
                <small class="muted">{move || i18n.page_texts().links_off_hint}</small>
                <label class="check">
                    <input type="checkbox" name="unique-chat" prop:checked=move || unique_chat.get()
                        on:change=move |ev| unique_chat.set(event_target_checked(&ev)) />
                    {move || i18n.page_texts().unique_chat}
                </label>
                <small class="muted">{move || i18n.page_texts().unique_chat_hint}</small>
                <SaveStatus outcome=move || save.value() />
                <button type="submit" disabled=move || save.pending().get()>{move || i18n.t().save}</button>
            </form>
            <h3>{move || i18n.page_texts().bans}</h3>
            <Bans handle=handle />
        </section>
    }
}

/// The bans in force, each with a way to lift it.
#[component]
fn Bans(handle: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let handle = StoredValue::new(handle);
    let bans = Fetch::new(move || async move { api.bans(&handle.get_value()).await });
    let unban = Submit::new(move |user: &String| {
        let user = user.clone();
        async move {
            let lifted = api.unban(&handle.get_value(), &user).await;
            bans.refetch();
            lifted
        }
    });
    view! {
        {move || unban.value().and_then(Result::err).map(|e| view! { <p class="error" role="alert">{e.explained(i18n)}</p> })}
        <Loaded retry=move || bans.refetch()>
            {move || Suspend::new(async move {
                bans.await.map(|list| if list.is_empty() {
                    view! { <p class="muted">{i18n.page_texts().no_bans}</p> }.into_any()
                } else {
                    view! {
                        <ul class="list">
                            {list.into_iter().map(|ban| {
                                let user = ban.user_id.clone();
                                let until = match ban.expires_at.as_deref().and_then(crate::time::parse_rfc3339_ms) {
                                    Some(ms) => i18n.until(&crate::browser::local_date_time(
                                        ms,
                                        i18n.lang.get_untracked().code(),
                                    )),
                                    None => format!(" {}", i18n.page_texts().banned_forever),
                                };
                                let kind = ban.timeout.then(|| view! { <span class="tag">{i18n.page_texts().timeout_label}</span> });
                                view! {
                                    <li>
                                        <span>{ban.nickname.clone()}</span>
                                        {kind}
                                        <span class="muted">{until}</span>
                                        <button class="secondary" on:click=move |_| { unban.dispatch(user.clone()); }>
                                            {i18n.page_texts().unban}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })
            })}
        </Loaded>
    }
}
