//! A past broadcast's chat beside its video: each message appears when playback reaches the
//! moment it was sent; a seek starts again from there. Messages come from the API a page at a
//! time, ahead of playback.

use cloumer_api_types::{EmoteBody, ReplayedMessageBody};
use leptos::html;
use leptos::prelude::*;

use crate::api::use_api;
use crate::auth::use_session;
use crate::chat::panel::{ReplyQuote, message_words};
use crate::chat::protocol::Reply;
use crate::components::Avatar;
use crate::i18n::use_i18n;
use crate::tab_news::{self, TabNews};
use crate::time::clock;

/// Lines kept on screen: the latest ones up to the playback position.
const SHOWN: usize = 150;
/// How far ahead of playback the next page is fetched.
const AHEAD_MS: u64 = 30_000;
/// What a seek shows of what came before the new position.
const CONTEXT_MS: u64 = 120_000;

/// What the replay does as playback moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Keep,
    /// Start again from this moment (the first load, or after a seek).
    Reload {
        from_ms: u64,
    },
    /// Fetch the page after the loaded ones.
    LoadMore,
}

/// The step for playback moving from `last` to `now` (seconds), with messages loaded up to
/// `loaded_until` (ms into the video) and `more` after them. A jump back, or forward by more
/// than playing would, is a seek.
pub fn next_step(last: f64, now: f64, loaded_until: Option<u64>, more: bool) -> Step {
    let now = if now.is_finite() { now.max(0.0) } else { 0.0 };
    let seeked = !last.is_finite() || now < last - 1.0 || now > last + 4.0;
    let now_ms = (now * 1000.0) as u64;
    if seeked {
        return Step::Reload {
            from_ms: now_ms.saturating_sub(CONTEXT_MS),
        };
    }
    if more && loaded_until.is_none_or(|until| now_ms + AHEAD_MS >= until) {
        return Step::LoadMore;
    }
    Step::Keep
}

/// The last [`SHOWN`] of `loaded` (ordered by moment) sent by `now_ms`.
pub fn shown(loaded: &[ReplayedMessageBody], now_ms: u64) -> &[ReplayedMessageBody] {
    let end = loaded.partition_point(|m| m.offset_ms <= now_ms);
    &loaded[end.saturating_sub(SHOWN)..end]
}

/// The chat of recording `id` (of channel `handle`), following `position` (seconds).
#[component]
pub fn ChatReplay(id: String, handle: String, position: Signal<f64>) -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let id = StoredValue::new(id);
    let loaded = RwSignal::new(Vec::<ReplayedMessageBody>::new());
    let next = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(false);
    // Answers for a window a seek has left are dropped.
    let window = StoredValue::new(0u32);
    let last_position = StoredValue::new(f64::NAN);
    let emotes = RwSignal::new(Vec::<EmoteBody>::new());
    leptos::task::spawn_local(async move {
        if let Ok(found) = api.channel_emotes(&handle).await {
            emotes.set(found);
        }
    });
    // Whom a signed-in viewer blocked is hidden here as in the live chat, and follows their
    // blocks in other tabs.
    let blocked = RwSignal::new(Vec::<String>::new());
    if use_session().signed_in() {
        leptos::task::spawn_local(async move {
            if let Ok(found) = api.blocked_users().await {
                blocked.set(found.items.into_iter().map(|b| b.user_id).collect());
            }
        });
        tab_news::listen_while_mounted(move |news| match news {
            TabNews::Blocked(user) => blocked.update(|b| {
                if !b.contains(&user) {
                    b.push(user);
                }
            }),
            TabNews::Unblocked(user) => blocked.update(|b| b.retain(|id| *id != user)),
            TabNews::Follow { .. } => {}
        });
    }

    let fetch = move |from_ms: u64, after: Option<String>| {
        busy.set(true);
        let asked_in = window.get_value();
        leptos::task::spawn_local(async move {
            let answer = api
                .chat_replay(&id.get_value(), from_ms, after.as_deref())
                .await;
            if window.get_value() != asked_in {
                return;
            }
            busy.set(false);
            match answer {
                Ok(page) => {
                    loaded.update(|l| l.extend(page.items));
                    next.set(page.next);
                    failed.set(false);
                }
                Err(_) => failed.set(true),
            }
        });
    };
    let reload = move |from_ms: u64| {
        window.update_value(|w| *w += 1);
        loaded.set(Vec::new());
        next.set(None);
        failed.set(false);
        fetch(from_ms, None);
    };
    Effect::new(move |_| {
        let now = position.get();
        let last = last_position.get_value();
        last_position.set_value(now);
        let until = loaded.with_untracked(|l| l.last().map(|m| m.offset_ms));
        let more = next.with_untracked(Option::is_some);
        match next_step(last, now, until, more) {
            Step::Reload { from_ms } => reload(from_ms),
            Step::LoadMore if !busy.get_untracked() && !failed.get_untracked() => {
                fetch(0, next.get_untracked())
            }
            _ => {}
        }
    });

    let now_ms = move || (position.get().max(0.0) * 1000.0) as u64;
    let lines = Memo::new(move |_| {
        let now = now_ms();
        let blocked = blocked.get();
        loaded.with(|l| {
            shown(l, now)
                .iter()
                .filter(|m| !blocked.contains(&m.message.sender.user_id))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let list = NodeRef::<html::Ol>::new();
    Effect::new(move |_| {
        lines.track();
        if let Some(list) = list.get() {
            request_animation_frame(move || list.set_scroll_top(list.scroll_height()));
        }
    });

    view! {
        <aside class="chat chat-replay" aria-label=move || i18n.page_texts().chat_replay>
            <header class="chat-header"><h2>{move || i18n.page_texts().chat_replay}</h2></header>
            <ol class="chat-lines" node_ref=list aria-live="polite">
                {move || lines.with(Vec::is_empty).then(|| view! {
                    <li class="chat-empty">{move || i18n.page_texts().chat_replay_empty}</li>
                })}
                <For each=move || lines.get() key=|m| m.message.id.clone() let:replayed>
                    {
                        let m = replayed.message;
                        let badge = i18n.role_badge(&m.sender.role);
                        // A reply quotes what it answers as far as the replay has loaded it.
                        let quote = Reply::of(Some(&m.attributes)).map(|reply| {
                            let answered = reply.id;
                            let said = Signal::derive(move || loaded.with(|l| {
                                l.iter().find(|r| r.message.id == answered).map(|r| r.message.content.clone())
                            }));
                            view! { <ReplyQuote nickname=reply.nickname said=said /> }
                        });
                        view! {
                            <li class="chat-line" data-offset-ms=replayed.offset_ms.to_string()>
                                {quote}
                                <Avatar src=m.sender.avatar.clone() size=24 />
                                <span class="chat-nick" class:owner=m.sender.role == "owner" class:moderator=m.sender.role == "moderator">
                                    {m.sender.nickname.clone()}
                                    {badge.map(|b| view! { <span class="owner-badge">{b}</span> })}
                                </span>
                                <span class="chat-text">
                                    {message_words(emotes, &m.content)}
                                </span>
                                <span class="chat-time">{clock(replayed.offset_ms as f64)}</span>
                            </li>
                        }
                    }
                </For>
            </ol>
            {move || failed.get().then(|| view! {
                <p class="chat-notice" role="alert">
                    {i18n.page_texts().chat_replay_failed}" "
                    <button type="button" class="link" on:click=move |_| {
                        reload(now_ms().saturating_sub(CONTEXT_MS))
                    }>{i18n.t().retry}</button>
                </p>
            })}
        </aside>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn playing_on_loads_ahead_and_a_seek_starts_again() {
        // The first position, and jumps either way, start again with some context before.
        assert_eq!(
            next_step(f64::NAN, 0.0, None, false),
            Step::Reload { from_ms: 0 }
        );
        assert_eq!(
            next_step(100.0, 300.0, Some(120_000), true),
            Step::Reload { from_ms: 180_000 }
        );
        assert_eq!(
            next_step(300.0, 250.0, Some(400_000), false),
            Step::Reload { from_ms: 130_000 }
        );
        // Playing on: the next page once playback is within 30 s of the loaded end.
        assert_eq!(next_step(10.0, 10.25, Some(60_000), true), Step::Keep);
        assert_eq!(next_step(30.0, 30.25, Some(60_000), true), Step::LoadMore);
        assert_eq!(next_step(30.0, 30.25, None, true), Step::LoadMore);
        assert_eq!(next_step(30.0, 30.25, Some(60_000), false), Step::Keep);
    }

    #[test]
    fn only_what_was_said_by_now_is_shown() {
        let at = |offset_ms: u64| ReplayedMessageBody {
            message: cloumer_api_types::ChatMessageBody {
                id: format!("m{offset_ms}"),
                sent_at: String::new(),
                sender: cloumer_api_types::ChatSender {
                    user_id: "u".into(),
                    handle: "h".into(),
                    nickname: "n".into(),
                    avatar: String::new(),
                    role: "viewer".into(),
                },
                content: String::new(),
                attributes: Default::default(),
            },
            offset_ms,
        };
        let loaded: Vec<_> = [0, 1000, 1000, 5000].into_iter().map(at).collect();
        assert_eq!(shown(&loaded, 999).len(), 1);
        assert_eq!(shown(&loaded, 1000).len(), 3);
        assert_eq!(shown(&loaded, 60_000).len(), 4);
        let many: Vec<_> = (0..400).map(|i| at(i * 10)).collect();
        let visible = shown(&many, 3_000);
        assert_eq!(visible.len(), SHOWN);
        assert_eq!(visible.last().unwrap().offset_ms, 3_000);
    }
}
