//! Reusable pieces of the interface.

mod about;
pub mod bell;
mod follow;
mod log_entry;
mod paged;
pub mod report;
pub mod session;
mod share;
mod states;
mod stream_language;
mod title;
mod upcoming;

use cloumer_api_types::{ChannelSummary, RecordingBody};
use leptos::prelude::*;

pub use about::About;
pub use follow::FollowButton;
pub use log_entry::LogEntry;
pub use paged::{PageStatus, Paging};
pub use report::ReportButton;
pub use share::{ShareVideo, linked_start};
pub use states::{Loaded, RequireSignIn, SaveStatus};
pub use stream_language::{language_name, language_options};
pub use title::{name_page, or_untitled, show_unread, unread_count, video_name};
pub use upcoming::{ComingUp, NextStream, Upcoming, planned_stream_started};

use crate::auth::use_session;
use crate::i18n::{Lang, use_i18n};
use crate::time;

/// The image for an avatar value: one of the built-in pictures, served by us (the server accepts
/// nothing else; anything else shows the default).
pub fn avatar_src(avatar: &str) -> String {
    match avatar.strip_prefix("preset:") {
        Some(name) if name.bytes().all(|b| b.is_ascii_lowercase()) && !name.is_empty() => {
            format!("/avatars/{name}.svg")
        }
        _ => "/avatars/cat.svg".to_owned(),
    }
}

#[component]
pub fn Avatar(#[prop(into)] src: String, #[prop(optional)] size: Option<u32>) -> impl IntoView {
    let size = size.unwrap_or(32);
    view! {
        <img class="avatar" src=avatar_src(&src) width=size height=size alt="" loading="lazy" />
    }
}

#[component]
pub fn LiveBadge() -> impl IntoView {
    let i18n = use_i18n();
    view! { <span class="live-badge">{move || i18n.t().live}</span> }
}

/// A running clock from an RFC 3339 start time, ticking every second.
#[component]
pub fn Uptime(#[prop(into)] since: String) -> impl IntoView {
    let started = time::parse_rfc3339_ms(&since);
    let now = RwSignal::new(crate::browser::now_ms());
    if let Ok(handle) = set_interval_with_handle(
        move || now.set(crate::browser::now_ms()),
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    move || {
        started
            .map(|s| time::clock(now.get() - s))
            .unwrap_or_default()
    }
}

/// "until Dec 14, 2026, 3:00 PM" in the interface's language (nothing for a bad time).
pub fn until_text(at: &str) -> String {
    let i18n = use_i18n();
    time::parse_rfc3339_ms(at)
        .map(|ms| {
            let lang = i18n.lang.get_untracked().code();
            i18n.until(&crate::browser::local_day_and_minute(ms, lang))
        })
        .unwrap_or_default()
}

/// "3 min ago" in the interface's language.
pub fn ago_text(then: &str) -> String {
    let i18n = use_i18n();
    let t = i18n.t();
    let Some(then) = time::parse_rfc3339_ms(then) else {
        return String::new();
    };
    match time::ago(then, crate::browser::now_ms()) {
        time::Ago::JustNow => t.just_now.to_owned(),
        time::Ago::Minutes(n) => format!("{n}{}{}", sep(i18n.lang.get_untracked()), t.minutes_ago),
        time::Ago::Hours(n) => format!("{n}{}{}", sep(i18n.lang.get_untracked()), t.hours_ago),
        time::Ago::Days(n) => format!("{n}{}{}", sep(i18n.lang.get_untracked()), t.days_ago),
    }
}

fn sep(lang: Lang) -> &'static str {
    match lang {
        Lang::En => " ",
        Lang::Ko => "",
    }
}

/// A channel in the directory.
#[component]
pub fn ChannelCard(channel: ChannelSummary) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/{}", channel.handle);
    let title = if channel.title.is_empty() {
        None
    } else {
        Some(channel.title.clone())
    };
    let live = channel.live;
    let started = channel.started_at.clone();
    let avatar = channel.owner_avatar.clone();
    let language = channel
        .language
        .clone()
        .and_then(|code| language_name(&code).map(|name| (code, name)));
    view! {
        <article class="card" class:live=live class:mature=channel.mature>
            // The picture repeats the title's link for the pointer; keyboards and screen readers
            // get one link per card (the title), not two to the same page.
            <a href=href.clone() class="card-link" tabindex="-1" aria-hidden="true">
                <div class="thumb">
                    {match channel.thumbnail_url.clone() {
                        Some(src) if live => view! { <img src=src alt="" loading="lazy" /> }.into_any(),
                        _ => view! { <div class="thumb-placeholder"><Avatar src=avatar.clone() size=64 /></div> }.into_any(),
                    }}
                    {live.then(|| view! {
                        <span class="thumb-top"><LiveBadge /></span>
                        <span class="thumb-bottom">
                            <span class="viewers">{move || i18n.viewers(channel.viewer_count)}</span>
                            {started.clone().map(|s| view! { <span class="uptime"><Uptime since=s /></span> })}
                        </span>
                    })}
                    {channel.private.then(|| view! { <span class="thumb-lock">{move || i18n.t().private_channel}</span> })}
                    {channel.mature.then(mature_badge)}
                </div>
            </a>
            <div class="card-body">
                <Avatar src=channel.owner_avatar.clone() size=36 />
                <div class="card-text">
                    <a href=href class="card-title">
                        {move || title.clone().unwrap_or_else(|| i18n.t().untitled.to_owned())}
                    </a>
                    <div class="card-meta">{channel.owner_nickname.clone()}" · @"{channel.handle.clone()}</div>
                    {(!channel.category.is_empty() || language.is_some()).then(|| view! {
                        // What it is about and the language it is in, each leading to Browse's
                        // streams of the same.
                        <div class="card-tags">
                            {(!channel.category.is_empty()).then(|| {
                                let category = channel.category.clone();
                                let href = format!("/browse?category={}", crate::api::encode(&category));
                                view! {
                                    <a class="card-category" href=href>
                                        {move || i18n.category(&category).to_owned()}
                                    </a>
                                }
                            })}
                            {language.map(|(code, name)| view! {
                                <a class="card-language" href=format!("/browse?language={code}") lang=code>{name}</a>
                            })}
                        </div>
                    })}
                </div>
            </div>
        </article>
    }
}

/// A card's mark of a channel for adults (its pages ask before playing).
pub fn mature_badge() -> impl IntoView {
    view! { <span class="thumb-mature">"18+"</span> }
}

/// A past broadcast.
#[component]
pub fn RecordingCard(recording: RecordingBody) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/videos/{}", recording.id);
    let duration = recording.duration_ms.map(|ms| time::clock(ms as f64));
    let when = recording
        .started_at
        .clone()
        .map(|s| ago_text(&s))
        .unwrap_or_default();
    let title = recording.title.clone();
    let avatar = recording.owner_avatar.clone();
    view! {
        <article class="card" class:mature=recording.mature>
            // As on channel cards: one link per card for keyboards and screen readers.
            <a href=href.clone() class="card-link" tabindex="-1" aria-hidden="true">
                <div class="thumb">
                    {match recording.thumbnail_url.clone() {
                        Some(src) => view! { <img src=src alt="" loading="lazy" /> }.into_any(),
                        None => view! { <div class="thumb-placeholder"><Avatar src=avatar.clone() size=64 /></div> }.into_any(),
                    }}
                    {duration.map(|d| view! { <span class="thumb-bottom"><span class="duration">{d}</span></span> })}
                    {recording.private.then(|| view! { <span class="thumb-lock">{move || i18n.t().private_recording}</span> })}
                    {recording.mature.then(mature_badge)}
                </div>
            </a>
            <div class="card-body">
                <Avatar src=recording.owner_avatar.clone() size=36 />
                <div class="card-text">
                    <a href=href class="card-title">
                        {move || if title.is_empty() { i18n.t().untitled.to_owned() } else { title.clone() }}
                    </a>
                    <div class="card-meta">{recording.owner_nickname.clone()}" · "{when}</div>
                </div>
            </div>
        </article>
    }
}

/// Past broadcasts as a grid of cards, or `empty` when there are none (a closure, so it
/// follows the language).
#[component]
pub fn RecordingGrid(
    recordings: Vec<RecordingBody>,
    #[prop(into)] empty: Signal<&'static str>,
) -> impl IntoView {
    if recordings.is_empty() {
        return view! { <p class="empty">{move || empty.get()}</p> }.into_any();
    }
    view! {
        <div class="grid">
            {recordings.into_iter().map(|recording| view! { <RecordingCard recording=recording /> }).collect_view()}
        </div>
    }
    .into_any()
}

/// A button that copies `text` and says so for a moment.
#[component]
pub fn CopyButton(
    #[prop(into)] text: Signal<String>,
    /// What is copied ("Stream key"), for the button's accessible name.
    #[prop(into)]
    what: Signal<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(false);
    let shown = move || {
        if copied.get() {
            i18n.page_texts().copied
        } else {
            i18n.page_texts().copy
        }
    };
    view! {
        <button
            type="button"
            class="secondary"
            // Starts with the text it shows, as WCAG asks of a name and its visible label.
            aria-label=move || format!("{} — {}", shown(), what.get())
            on:click=move |_| {
                crate::browser::copy_to_clipboard(&text.get_untracked());
                copied.set(true);
                set_timeout(move || copied.set(false), std::time::Duration::from_millis(1500));
            }
        >
            {shown}
        </button>
    }
}

/// The top bar: brand, navigation, language, account.
#[component]
pub fn TopBar() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let location = crate::router::use_location();
    let user = Memo::new(move |_| session.user());
    view! {
        <header class="topbar">
            // Hidden until a keyboard reaches it (first, before the top bar's own links).
            // Handled here rather than by the browser, which would add "#main" to the address.
            <a
                href="#main"
                class="skip-link button"
                on:click=|event| {
                    event.prevent_default();
                    crate::router::focus_the_content();
                }
            >
                {move || i18n.t().skip_to_content}
            </a>
            <a href="/" class="brand">"Cloumer"</a>
            <nav aria-label="main">
                <a href="/" aria-current=move || (location.path.get() == "/").then_some("page")>{move || i18n.t().nav_home}</a>
                <a href="/browse" aria-current=move || (location.path.get() == "/browse").then_some("page")>{move || i18n.t().nav_browse}</a>
                {move || user.get().map(|user| view! {
                    <a href="/dashboard" aria-current=move || (location.path.get() == "/dashboard").then_some("page")>
                        {move || i18n.t().nav_dashboard}
                    </a>
                    {user.staff.then(|| view! {
                        <a href="/staff/reports" aria-current=move || (location.path.get() == "/staff/reports").then_some("page")>
                            {move || i18n.t().nav_reports}
                        </a>
                    })}
                })}
            </nav>
            <div class="topbar-end">
                <label class="visually-hidden" for="lang">{move || i18n.t().language}</label>
                <select
                    id="lang"
                    class="lang"
                    on:change=move |ev| {
                        if let Some(lang) = Lang::from_code(&event_target_value(&ev)) {
                            i18n.set(lang);
                        }
                    }
                    prop:value=move || i18n.lang.get().code()
                >
                    <option value="en">"English"</option>
                    <option value="ko">"한국어"</option>
                </select>
                {move || match user.get() {
                    Some(user) => view! {
                        {crate::member_part(crate::MemberPart::Bell)}
                        <a href="/profile" class="account">
                            {if user.nickname.is_empty() { user.email.clone() } else { user.nickname.clone() }}
                        </a>
                        {crate::member_part(crate::MemberPart::Session)}
                    }.into_any(),
                    None => view! {
                        <a href="/signin" class="button secondary">{move || i18n.t().sign_in}</a>
                        <a href="/signup" class="button">{move || i18n.t().sign_up}</a>
                    }.into_any(),
                }}
            </div>
        </header>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn avatar_values_become_safe_image_urls() {
        assert_eq!(avatar_src("preset:fox"), "/avatars/fox.svg");
        assert_eq!(avatar_src("https://e.com/a.png"), "/avatars/cat.svg");
        assert_eq!(avatar_src("preset:../../etc"), "/avatars/cat.svg");
        assert_eq!(avatar_src("javascript:alert(1)"), "/avatars/cat.svg");
        assert_eq!(avatar_src(""), "/avatars/cat.svg");
    }
}
