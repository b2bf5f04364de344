//! The chat beside the video: history and live messages, the send box, and for the channel's
//! owner the moderation actions on each message.

use cloumer_api_types::{BanRequest, EmoteBody, TimeoutRequest};
use leptos::html;
use leptos::prelude::*;

use crate::api::use_api;
use crate::chat::card::ChatterCard;
use crate::chat::emotes::{self, EMOTE_HEIGHT, Part, emote_width};
use crate::chat::picker::EmotePicker;
use crate::chat::poll::{PollCard, PollForm};
use crate::chat::{ChatClient, ChatState, Notice, TIMEOUT_MINUTES, commands, links, mentions};
use crate::components::{Avatar, ago_text};
use crate::i18n::use_i18n;
use crate::reactive::Submit;

/// The room's limit; the server enforces the owner's real setting.
const MAX_CHARS: usize = 500;

#[component]
pub fn ChatPanel(chat: ChatClient) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let draft = RwSignal::new(String::new());
    // The message being answered (its id and sender's nickname), until sent or cancelled.
    let replying = RwSignal::new(None::<(String, String)>);
    let list = NodeRef::<html::Ol>::new();
    let input = NodeRef::<html::Input>::new();
    let handle = chat.handle;
    let act_on_line = Submit::new(move |(user, act): &(String, LineAction)| {
        let (user, act) = (user.clone(), act.clone());
        async move {
            let handle = handle.get_value();
            match act {
                LineAction::Delete(id) => api.delete_message(&handle, &id).await,
                LineAction::TimeOut { minutes, reason } => {
                    let request = TimeoutRequest {
                        duration_minutes: minutes,
                        reason,
                    };
                    api.time_out(&handle, &user, &request).await.map(drop)
                }
                LineAction::Ban { reason } => {
                    let request = BanRequest {
                        reason,
                        duration_minutes: None,
                    };
                    api.ban(&handle, &user, &request).await.map(drop)
                }
                LineAction::Pin(id) => chat.pin(&id).await,
                LineAction::Unpin => chat.unpin().await,
                LineAction::Block => chat.block(&user).await,
            }
        }
    });
    let line_action_failed = move || act_on_line.value().and_then(Result::err);

    let show_people = RwSignal::new(false);
    let making_poll = RwSignal::new(false);
    // Whose card is open (their id, and their name on the message it was opened from).
    let card = RwSignal::new(None::<(String, String)>);
    // Handles of people here that complete the `@` being typed (not the user's own, nor those
    // they blocked). Handles
    // are ASCII, so ASCII case folding is enough (and brings no Unicode case tables along).
    let suggestions = move || -> Vec<String> {
        let typed = draft.with(|d| mentions::typing(d).map(str::to_ascii_lowercase));
        let Some(typed) = typed else {
            return Vec::new();
        };
        let me = chat.user_id.get();
        chat.presence.with(|p| {
            p.iter()
                .flat_map(|p| p.users.iter())
                .filter(|u| u.user_id != me && !u.handle.is_empty() && !chat.blocks(&u.user_id))
                .filter(|u| u.handle.to_ascii_lowercase().starts_with(&typed))
                .map(|u| u.handle.clone())
                .take(5)
                .collect()
        })
    };

    // A refused message comes back to the send box, unless something new is being written.
    Effect::new(move |_| {
        if let Some(text) = chat.refused_text.get() {
            if draft.with_untracked(String::is_empty) {
                draft.set(text);
            }
            chat.refused_text.set(None);
        }
    });

    // Keep the newest message in view when one arrives (not when older ones load above), unless
    // the reader has scrolled up to read: then the list holds still and counts what came.
    let newest = StoredValue::new(None::<String>);
    let reading_back = StoredValue::new(false);
    let unseen = RwSignal::new(0u32);
    let to_newest = move || {
        unseen.set(0);
        if let Some(list) = list.get_untracked() {
            request_animation_frame(move || list.set_scroll_top(list.scroll_height()));
        }
    };
    Effect::new(move |_| {
        let last = chat
            .lines
            .with(|lines| lines.last().map(|l| (l.id.clone(), l.sender_id.clone())));
        let last_id = last.as_ref().map(|(id, _)| id.clone());
        if last_id == newest.get_value() {
            return;
        }
        newest.set_value(last_id);
        let own = last.is_some_and(|(_, sender)| sender == chat.user_id.get_untracked());
        if reading_back.get_value() && !own {
            unseen.update(|n| *n += 1);
        } else {
            to_newest();
        }
    });
    let on_scroll = move |_| {
        if let Some(list) = list.get_untracked() {
            // A few pixels short of the end still counts as following it.
            let at_end = list.scroll_top() + list.client_height() >= list.scroll_height() - 24;
            reading_back.set_value(!at_end);
            if at_end && unseen.get_untracked() > 0 {
                unseen.set(0);
            }
        }
    };

    // What the last command typed in the box came to (only the room's runners type them).
    let command_said = RwSignal::new(None::<String>);
    let send = move || {
        let content = draft.get_untracked();
        command_said.set(None);
        if chat.moderates()
            && let Some(command) = commands::parse(&content)
        {
            draft.set(String::new());
            match command {
                Ok(command) => leptos::task::spawn_local(async move {
                    let said = commands::run(command, chat, api, i18n).await;
                    let _ = command_said.try_set(Some(said));
                }),
                Err(()) => command_said.set(Some(
                    i18n.pick(&commands::EN, &commands::KO).help.to_owned(),
                )),
            }
            return;
        }
        if content.trim().is_empty()
            || content.chars().count() > MAX_CHARS
            || chat.wait_seconds().is_some()
        {
            return;
        }
        // IVS's review cannot say why it refused: the page says it first, the text kept.
        if chat.emote_only.get_untracked() && chat.plainly_words(&content) {
            chat.notice.set(Some(Notice::EmoteOnly));
            return;
        }
        if chat.links_off.get_untracked() && links::has_link(&content) {
            chat.notice.set(Some(Notice::LinksOff));
            return;
        }
        if chat.unique_chat.get_untracked() && chat.said_lately(&content) {
            chat.notice.set(Some(Notice::NotUnique));
            return;
        }
        let reply_to = replying.get_untracked().map(|(id, _)| id);
        if chat.send(content.trim(), reply_to.as_deref()) {
            draft.set(String::new());
            replying.set(None);
        }
    };

    let state_text = move || {
        let t = i18n.page_texts();
        match chat.state.get() {
            ChatState::Connecting => t.chat_connecting,
            ChatState::Connected => t.chat_connected,
            ChatState::Reconnecting => t.chat_reconnecting,
            ChatState::Banned => t.chat_banned,
            ChatState::Forbidden => t.private_locked,
        }
    };

    let notice_text = move || {
        let t = i18n.page_texts();
        chat.notice.get().map(|notice| match notice {
            Notice::RateLimited => t.chat_rate_limited,
            Notice::Filtered => t.chat_filtered,
            Notice::TooLong => t.chat_too_long,
            Notice::Banned => t.chat_banned,
            Notice::Failed => t.chat_failed,
            Notice::DisconnectedByModerator => t.you_were_disconnected,
            Notice::HistoryUnavailable => t.chat_history_failed,
            Notice::TimedOut => t.chat_timed_out,
            Notice::SlowMode => t.chat_slow_mode_refused,
            Notice::AccountTooNew => t.chat_account_too_new,
            Notice::FollowersOnly => t.chat_followers_only,
            Notice::EmoteOnly => t.chat_emote_only_refused,
            Notice::LinksOff => t.chat_links_off_refused,
            Notice::NotUnique => t.chat_not_unique_refused,
            Notice::Refused => t.chat_refused,
            Notice::Blocked => t.chat_blocked,
        })
    };

    let people_count = move || {
        chat.presence.with(|p| {
            p.as_ref()
                .map(|p| (p.user_count + p.readers).to_string())
                .unwrap_or_default()
        })
    };

    view! {
        <aside class="chat" aria-label=move || i18n.page_texts().chat>
            <header class="chat-header">
                <h2>{move || i18n.page_texts().chat}</h2>
                <button class="link chat-people-toggle" aria-controls="chat-people"
                    aria-expanded=move || show_people.get().to_string()
                    // The name holds the count the button shows (a spoken name matches the visible one).
                    aria-label=move || format!("{} {}", i18n.page_texts().who_is_here, people_count()).trim_end().to_owned()
                    on:click=move |_| show_people.update(|s| *s = !*s)>
                    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><path fill="currentColor" d="M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm7.5 0a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM9 13c-3.3 0-7 1.6-7 4v3h14v-3c0-2.4-3.7-4-7-4zm7.5 0c-.6 0-1.2.1-1.8.2 1.4.9 2.3 2.2 2.3 3.8v3h5v-3c0-2.2-3-4-5.5-4z"/></svg>
                    <span class="chat-people-count">{people_count}</span>
                </button>
                {move || chat.moderates().then(|| view! { <ShieldToggle chat=chat /> })}
                {move || chat.moderates().then(|| view! {
                    <button type="button" class="link chat-poll-toggle" aria-expanded=move || making_poll.get().to_string()
                        title=move || i18n.pick(&crate::chat::poll::EN, &crate::chat::poll::KO).start_a_poll
                        aria-label=move || i18n.pick(&crate::chat::poll::EN, &crate::chat::poll::KO).start_a_poll
                        on:click=move |_| making_poll.update(|m| *m = !*m)>
                        <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><path fill="currentColor" d="M4 20V10h4v10H4zm6 0V4h4v16h-4zm6 0v-7h4v7h-4z"/></svg>
                    </button>
                })}
                <span class="chat-state" data-state=move || chat.state.get().name() role="status">{state_text}</span>
            </header>
            {move || making_poll.get().then(|| view! { <PollForm chat=chat close=move |()| making_poll.set(false) /> })}
            {move || show_people.get().then(|| view! { <WhoIsHere chat=chat card=card /> })}
            {move || card.get().map(|(user, nickname)| view! {
                <ChatterCard chat=chat handle=handle.get_value() user=user nickname=nickname close=move |()| card.set(None) />
            })}
            <PinnedBar chat=chat act_on_line=act_on_line />
            <PollCard chat=chat />
            <ol class="chat-lines" node_ref=list aria-live="polite" on:scroll=on_scroll>
                {move || chat.older.with(Option::is_some).then(|| view! {
                    <li class="chat-older">
                        <button class="link" disabled=move || chat.loading_older.get() on:click=move |_| chat.load_older()>
                            {i18n.page_texts().load_older}
                        </button>
                    </li>
                })}
                {move || chat.lines.with(Vec::is_empty).then(|| view! { <li class="chat-empty">{i18n.page_texts().chat_empty}</li> })}
                <For each=move || chat.lines.get() key=|line| line.id.clone() let:line>
                    {
                        let mine = line.sender_id == chat.user_id.get_untracked();
                        let sender_role = line.role.clone();
                        let badge = i18n.role_badge(&line.role);
                        let id = line.id.clone();
                        let sender = line.sender_id.clone();
                        let nickname = line.nickname.clone();
                        let content = line.content.clone();
                        let answers_me = line.reply.as_ref().map(|r| r.sender_id.clone());
                        // Named in it, or answered by it (by someone else).
                        let for_me = move || {
                            !mine && answers_me.as_ref().is_some_and(|to| *to == chat.user_id.get())
                                || chat.own_handle().is_some_and(|h| mentions::mentions(&content, &h))
                        };
                        let (reply_id, reply_nickname) = (id.clone(), nickname.clone());
                        let sent = line.send_time.clone();
                        let exact = crate::time::parse_rfc3339_ms(&sent)
                            .map(|ms| crate::browser::local_date_time(ms, i18n.lang.get_untracked().code()))
                            .unwrap_or_default();
                        view! {
                            <li class="chat-line" data-id=line.id.clone() class:mine=mine class:mention-me=for_me>
                                {line.reply.clone().map(|reply| {
                                    let answered = reply.id;
                                    let said = Signal::derive(move || chat.lines.with(|lines| {
                                        lines.iter().find(|l| l.id == answered).map(|l| l.content.clone())
                                    }));
                                    view! { <ReplyQuote nickname=reply.nickname said=said /> }
                                })}
                                <Avatar src=line.avatar.clone() size=24 />
                                <button type="button" class="link chat-nick" class:owner=line.role == "owner" class:moderator=line.role == "moderator"
                                    aria-haspopup="dialog"
                                    on:click={
                                        let (sender, nickname) = (sender.clone(), nickname.clone());
                                        move |_| card.set(Some((sender.clone(), nickname.clone())))
                                    }>
                                    {line.nickname.clone()}
                                    {badge.map(|b| view! { <span class="owner-badge">{b}</span> })}
                                </button>
                                <span class="chat-text">{message_text(chat, &line.content)}</span>
                                <time class="chat-time" datetime=line.send_time.clone() title=exact>
                                    {move || { chat.minute_tick.track(); ago_text(&sent) }}
                                </time>
                                {move || chat.may_send().then(|| {
                                    let (id, nickname) = (reply_id.clone(), reply_nickname.clone());
                                    view! {
                                        <button type="button" class="link chat-reply" title=i18n.page_texts().reply
                                            aria-label=i18n.reply_to(&nickname)
                                            on:click=move |_| {
                                                replying.set(Some((id.clone(), nickname.clone())));
                                                if let Some(input) = input.get_untracked() {
                                                    let _ = input.focus();
                                                }
                                            }>"↩"</button>
                                    }
                                })}
                                {move || {
                                    let may = chat.may_act_on(&sender, &sender_role);
                                    // Any message may be pinned, the runner's own too; anyone signed in
                                    // may block someone else.
                                    let may_block = !mine && chat.role.get() != "anonymous";
                                    (chat.moderates() || may_block).then(|| {
                                        view! { <MessageMenu id=id.clone() sender=sender.clone() nickname=nickname.clone()
                                            may_pin=chat.moderates() on_sender=may
                                            may_block=may_block act_on_line=act_on_line /> }
                                    })
                                }}
                            </li>
                        }
                    }
                </For>
            </ol>
            {move || (unseen.get() > 0).then(|| view! {
                <button type="button" class="chat-more secondary" on:click=move |_| to_newest()>
                    {i18n.new_messages(unseen.get())}
                </button>
            })}
            {move || notice_text().map(|text| view! { <p class="chat-notice" role="alert">{text}</p> })}
            {move || command_said.get().map(|text| view! { <p class="chat-notice chat-command" role="status">{text}</p> })}
            {move || line_action_failed().map(|e| view! { <p class="chat-notice" role="alert">{e.explained(i18n)}</p> })}
            <ChatRules chat=chat />
            {move || if chat.can_send.get() && chat.state.get() != ChatState::Banned && chat.must_follow() {
                // The page's follow button is above the player: following opens the box.
                view! { <p class="chat-locked" role="status">{i18n.page_texts().chat_follow_to_chat}</p> }.into_any()
            } else if chat.can_send.get() && chat.state.get() != ChatState::Banned {
                let waiting = move || chat.wait_seconds();
                view! {
                    {move || waiting().filter(|_| chat.held_back()).map(|seconds| view! {
                        <p class="chat-wait" role="status">{i18n.wait_to_send(chat.timed_out_now(), seconds)}</p>
                    })}
                    {move || {
                        let found = suggestions();
                        (!found.is_empty()).then(|| view! {
                            <ul class="mention-suggestions" aria-label=i18n.page_texts().mention_suggestions>
                                {found.into_iter().map(|handle| {
                                    let chosen = handle.clone();
                                    view! {
                                        <li><button type="button" class="link" on:click=move |_| {
                                            draft.update(|d| *d = mentions::complete(d, &chosen));
                                            if let Some(input) = crate::browser::window().document().and_then(|d| d.get_element_by_id("chat-input")) {
                                                let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(input).focus();
                                            }
                                        }>"@"{handle}</button></li>
                                    }
                                }).collect_view()}
                            </ul>
                        })
                    }}
                    // The room's runners start a command: the box says which there are.
                    {move || (chat.moderates() && draft.with(|d| d.trim_start().starts_with('/'))).then(|| view! {
                        <p class="chat-command-hint" role="status">{i18n.pick(&commands::EN, &commands::KO).help}</p>
                    })}
                    {move || replying.get().map(|(_, nickname)| view! {
                        <div class="chat-replying">
                            <span>{i18n.replying_to(&nickname)}</span>
                            <button type="button" class="link" aria-label=i18n.page_texts().cancel_reply
                                on:click=move |_| replying.set(None)>"×"</button>
                        </div>
                    })}
                    <form class="chat-form" on:submit=move |ev| { ev.prevent_default(); send(); }>
                        <label class="visually-hidden" for="chat-input">{i18n.page_texts().chat_placeholder}</label>
                        <EmotePicker chat=chat draft=draft input=input />
                        <input
                            id="chat-input"
                            node_ref=input
                            type="text"
                            autocomplete="off"
                            maxlength=MAX_CHARS.to_string()
                            placeholder=i18n.page_texts().chat_placeholder
                            prop:value=move || draft.get()
                            on:input=move |ev| draft.set(event_target_value(&ev))
                            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                                if ev.key() == "Escape" && replying.get_untracked().is_some() {
                                    replying.set(None);
                                }
                                if ev.key() == "Tab" && let Some(first) = suggestions().into_iter().next() {
                                    ev.prevent_default();
                                    draft.update(|d| *d = mentions::complete(d, &first));
                                }
                            }
                        />
                        <span class="counter" class:over=move || draft.with(|d| d.chars().count() > MAX_CHARS - 50)>
                            {move || format!("{}/{MAX_CHARS}", draft.with(|d| d.chars().count()))}
                        </span>
                        <button type="submit" disabled=move || draft.with(|d| d.trim().is_empty()) || waiting().is_some()>
                            {move || match waiting() {
                                Some(seconds) => i18n.duration(seconds),
                                None => i18n.page_texts().send.to_owned(),
                            }}
                        </button>
                    </form>
                }.into_any()
            } else if chat.state.get() == ChatState::Banned {
                view! { <p class="chat-locked">{i18n.page_texts().chat_banned}</p> }.into_any()
            } else {
                view! {
                    <p class="chat-locked">
                        <a href="/signin">{i18n.t().sign_in}</a>" — "{i18n.page_texts().chat_sign_in}
                    </p>
                }.into_any()
            }}
        </aside>
    }
}

/// A message's words, with the channel's emotes.
fn message_text(chat: ChatClient, content: &str) -> impl IntoView + use<> {
    message_words(chat.emotes, content)
}

/// A pushpin, drawn so that it looks the same on every system (emoji differ).
#[component]
fn PinIcon() -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true">
            <path fill="currentColor" d="M16 3v2h-1v5l3 3v2h-5v6l-1 1-1-1v-6H6v-2l3-3V5H8V3h8z"/>
        </svg>
    }
}

/// The message pinned above the chat: who said it and what, who pinned it; the owner and the
/// moderators take it down, and anyone may hide it for themselves (until another is pinned).
#[component]
fn PinnedBar(
    chat: ChatClient,
    act_on_line: Submit<(String, LineAction), Result<(), crate::api::ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let hidden = RwSignal::new(None::<String>);
    move || {
        let pinned = chat.pinned.get()?;
        if hidden.with(|h| h.as_deref() == Some(pinned.line.id.as_str())) {
            return None;
        }
        let id = pinned.line.id.clone();
        Some(view! {
            <section class="chat-pinned" data-id=pinned.line.id.clone() aria-label=i18n.page_texts().pinned_message>
                <p class="chat-pinned-by"><PinIcon />" "{i18n.pinned_by(&pinned.by)}</p>
                <p class="chat-pinned-text">
                    <span class="chat-nick">{pinned.line.nickname.clone()}</span>" "
                    <span class="chat-text">{message_text(chat, &pinned.line.content)}</span>
                </p>
                <div class="chat-pinned-actions">
                    {move || chat.moderates().then(|| view! {
                        <button type="button" class="link chat-unpin"
                            on:click=move |_| act_on_line.dispatch((String::new(), LineAction::Unpin))>
                            {i18n.page_texts().unpin_message}
                        </button>
                    })}
                    <button type="button" class="link chat-pinned-hide" title=i18n.page_texts().hide_pinned
                        aria-label=i18n.page_texts().hide_pinned on:click=move |_| hidden.set(Some(id.clone()))>"×"</button>
                </div>
            </section>
        })
    }
}

/// A message's words as a reader sees them: its web addresses as links (opening in a new tab,
/// credited to nobody by search engines, telling the other site nothing of the page), mentions
/// marked, and the channel's emotes as images (again when the emotes change). Links come
/// first: `medium.com/@someone` is an address, not a mention.
pub(crate) fn message_words(
    emotes: RwSignal<Vec<EmoteBody>>,
    content: &str,
) -> impl IntoView + use<> {
    links::split(content)
        .into_iter()
        .map(|piece| match piece {
            links::Piece::Link { text, href } => view! {
                <a class="chat-link" href=href target="_blank" rel="noopener noreferrer nofollow ugc">{text.to_owned()}</a>
            }
            .into_any(),
            links::Piece::Text(text) => mentions::pieces(text)
                .into_iter()
                .map(|piece| match piece {
                    mentions::Piece::Text(text) => with_emotes(emotes, text).into_any(),
                    mentions::Piece::Mention(handle) => {
                        view! { <span class="mention">"@"{handle}</span> }.into_any()
                    }
                })
                .collect_view()
                .into_any(),
        })
        .collect_view()
}

/// Text with the channel's emotes shown as images (again when the emotes change).
fn with_emotes(emotes: RwSignal<Vec<EmoteBody>>, text: String) -> impl IntoView {
    move || {
        emotes.with(|known| {
            emotes::split(&text, |code| known.iter().any(|e| e.code == code))
                .into_iter()
                .map(|part| match part {
                    Part::Text(text) => text.to_owned().into_any(),
                    Part::Emote(code) => {
                        let label = format!(":{code}:");
                        match known.iter().find(|e| e.code == code) {
                            Some(e) => view! {
                                <img class="emote" src=e.url.clone() alt=label.clone() title=label
                                    height=EMOTE_HEIGHT.to_string()
                                    width=emote_width(e.width, e.height).to_string() />
                            }
                            .into_any(),
                            None => label.into_any(),
                        }
                    }
                })
                .collect_view()
        })
    }
}

/// What one does from a message's menu: a moderator's actions, and anyone's block.
#[derive(Clone, Debug)]
enum LineAction {
    Delete(String),
    TimeOut {
        minutes: u32,
        reason: Option<String>,
    },
    Ban {
        reason: Option<String>,
    },
    /// Pin the message with this id above the chat.
    Pin(String),
    Unpin,
    /// Stop seeing the sender's messages (this user alone).
    Block,
}

/// A message's menu: for the owner and moderators, pin it above the chat (`may_pin`), and when
/// they may act on its sender (`on_sender`), delete it, or time out or ban its sender, with a
/// reason; for anyone signed in but its sender, block the sender (`may_block`).
#[component]
fn MessageMenu(
    id: String,
    sender: String,
    nickname: String,
    may_pin: bool,
    on_sender: bool,
    may_block: bool,
    act_on_line: Submit<(String, LineAction), Result<(), crate::api::ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reason = RwSignal::new(String::new());
    let menu = NodeRef::<html::Details>::new();
    let reason_given = move || {
        let text = reason.get_untracked();
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_owned())
    };
    let act = move |sender: String, what: LineAction| {
        act_on_line.dispatch((sender, what));
        reason.set(String::new());
        if let Some(menu) = menu.get_untracked() {
            menu.set_open(false);
        }
    };
    let (delete_sender, timeout_sender, ban_sender) =
        (sender.clone(), sender.clone(), sender.clone());
    let pin_id = id.clone();
    view! {
        <details class="chat-menu" node_ref=menu>
            <summary aria-label=format!("{} {}", if may_pin { i18n.page_texts().moderate } else { i18n.page_texts().message_menu }, nickname)>"⋯"</summary>
            <div class="chat-menu-body">
                {may_pin.then(|| view! {
                    <button class="link pin-message" on:click=move |_| act(String::new(), LineAction::Pin(pin_id.clone()))>
                        <PinIcon />" "{i18n.page_texts().pin_message}
                    </button>
                })}
                {on_sender.then(|| view! {
                    <label>
                        <span class="visually-hidden">{i18n.page_texts().reason_optional}</span>
                        <input type="text" class="chat-reason" maxlength="256" placeholder=i18n.page_texts().reason_optional
                            prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
                    </label>
                    <button class="link delete-message" on:click=move |_| act(delete_sender.clone(), LineAction::Delete(id.clone()))>
                        {i18n.page_texts().delete}
                    </button>
                    <span class="chat-menu-timeouts">
                        {i18n.page_texts().time_out}
                        {TIMEOUT_MINUTES.into_iter().map(|minutes| {
                            let sender = timeout_sender.clone();
                            view! {
                                <button class="link time-out" data-minutes=minutes.to_string()
                                    on:click=move |_| act(sender.clone(), LineAction::TimeOut { minutes, reason: reason_given() })>
                                    {i18n.duration(u64::from(minutes) * 60)}
                                </button>
                            }
                        }).collect_view()}
                    </span>
                    <button class="link ban-user" on:click=move |_| act(ban_sender.clone(), LineAction::Ban { reason: reason_given() })>
                        {i18n.page_texts().ban}
                    </button>
                })}
                {may_block.then(|| view! {
                    <button class="link block-user" on:click=move |_| act(sender.clone(), LineAction::Block)>
                        {i18n.page_texts().block_user}
                    </button>
                })}
            </div>
        </details>
    }
}

/// The most of an answered message a reply shows above itself.
const QUOTED_CHARS: usize = 60;

/// Whom a reply answers (`nickname`), with the start of what they `said` while the page still
/// holds that message (a deleted one is gone from the page, and so from its replies).
#[component]
pub(crate) fn ReplyQuote(nickname: String, said: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let quoted = move || {
        said.with(|said| {
            let said = said.as_deref()?;
            let mut quote: String = said.chars().take(QUOTED_CHARS).collect();
            if said.chars().nth(QUOTED_CHARS).is_some() {
                quote.push('…');
            }
            Some(quote)
        })
    };
    view! {
        <p class="chat-reply-to">
            <span aria-hidden="true">"↪ "</span>
            <span class="visually-hidden">{i18n.page_texts().in_reply_to}" "</span>
            <span class="chat-reply-nick">{nickname}</span>
            {move || quoted().map(|quote| view! { <span class="chat-reply-text">{quote}</span> })}
        </p>
    }
}

/// The shield button of the room's owner and moderators: raises shield mode on a room under
/// attack, or lowers it; pressed while it is raised (the room's news keeps it so for every runner).
#[component]
fn ShieldToggle(chat: ChatClient) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let failed = RwSignal::new(None::<crate::api::ApiError>);
    let toggle = move |_| {
        let raise = !chat.shield.get_untracked();
        leptos::task::spawn_local(async move {
            match api.set_shield(&chat.handle.get_value(), raise).await {
                Ok(shield) => {
                    chat.shield.set(shield.raised);
                    failed.set(None);
                }
                Err(error) => failed.set(Some(error)),
            }
        });
    };
    let label = move || {
        if chat.shield.get() {
            i18n.page_texts().lower_shield
        } else {
            i18n.page_texts().raise_shield
        }
    };
    view! {
        <button type="button" class="link chat-shield-toggle" class:raised=move || chat.shield.get()
            aria-pressed=move || chat.shield.get().to_string() title=label aria-label=label on:click=toggle>
            <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><path fill="currentColor" d="M12 2 4 5v6c0 5 3.4 9.7 8 11 4.6-1.3 8-6 8-11V5l-8-3z"/></svg>
        </button>
        {move || failed.get().map(|e| view! { <span class="error chat-shield-error" role="alert">{e.explained(i18n)}</span> })}
    }
}

/// The room's rules for viewers, shown before they type.
#[component]
fn ChatRules(chat: ChatClient) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {move || {
            let slow = chat.slow_mode_seconds.get();
            let age = chat.min_account_age_minutes.get();
            let followers = chat.followers_only_minutes.get();
            let emote_only = chat.emote_only.get();
            let links_off = chat.links_off.get();
            let unique = chat.unique_chat.get();
            let shield = chat.shield.get();
            (chat.can_send.get() && (slow > 0 || age > 0 || followers.is_some() || emote_only || links_off || unique)).then(|| view! {
                <ul class="chat-rules">
                    {shield.then(|| view! { <li class="shield-rule">"🛡 "{i18n.page_texts().shield_rule}</li> })}
                    {emote_only.then(|| view! { <li class="emote-only-rule">{i18n.page_texts().emote_only_rule}</li> })}
                    {links_off.then(|| view! { <li class="links-off-rule">{i18n.page_texts().links_off_rule}</li> })}
                    {unique.then(|| view! { <li class="unique-chat-rule">{i18n.page_texts().unique_chat_rule}</li> })}
                    {followers.map(|minutes| view! { <li>{i18n.followers_only_rule(minutes)}</li> })}
                    {(slow > 0).then(|| view! { <li>{i18n.slow_mode_rule(slow)}</li> })}
                    {(age > 0).then(|| view! { <li>{i18n.account_age_rule(age)}</li> })}
                </ul>
            })
        }}
    }
}

/// Who is in the room: signed-in users with their role (not those this user blocked, whom the
/// counts still include), and how many read signed out. A name opens that person's card.
#[component]
fn WhoIsHere(chat: ChatClient, card: RwSignal<Option<(String, String)>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section id="chat-people" class="chat-people" aria-label=move || i18n.page_texts().who_is_here>
            {move || chat.presence.get().map(|presence| {
                let more = presence.user_count.saturating_sub(presence.users.len() as u64);
                view! {
                    <ul>
                        {presence.users.into_iter().filter(|user| !chat.blocks(&user.user_id)).map(|user| {
                            let badge = i18n.role_badge(&user.role);
                            let whose = (user.user_id.clone(), user.nickname.clone());
                            view! {
                                <li class="chat-person" data-user=user.user_id.clone()>
                                    <Avatar src=user.avatar.clone() size=20 />
                                    <button type="button" class="link chat-person-name" aria-haspopup="dialog"
                                        on:click=move |_| card.set(Some(whose.clone()))>
                                        {user.nickname.clone()}
                                    </button>
                                    {badge.map(|b| view! { <span class="owner-badge">{b}</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {(more > 0).then(|| view! { <p class="muted">{format!("+{more}")}</p> })}
                    <p class="muted chat-readers">{i18n.readers(presence.readers)}</p>
                }
            })}
        </section>
    }
}
