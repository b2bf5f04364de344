//! The chat beside the video: history and live messages, the send box, and for the channel's
//! owner the moderation actions on each message.

use cloumer_api_types::BanRequest;
use leptos::html;
use leptos::prelude::*;

use crate::api::use_api;
use crate::chat::{ChatClient, ChatState, Notice};
use crate::components::Avatar;
use crate::i18n::use_i18n;

/// The room's limit; the server enforces the owner's real setting.
const MAX_CHARS: usize = 500;

#[component]
pub fn ChatPanel(chat: ChatClient) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let draft = RwSignal::new(String::new());
    let list = NodeRef::<html::Ol>::new();
    let is_owner = move || chat.role.get() == "owner";
    let delete = Action::new_local(move |id: &String| {
        let id = id.clone();
        async move { api.delete_message(&id).await }
    });
    let ban = Action::new_local(move |user: &String| {
        let user = user.clone();
        async move { api.ban(&user, &BanRequest::default()).await.map(drop) }
    });
    let moderation_failed = move || {
        delete
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| ban.value().get().and_then(Result::err))
    };

    // Keep the newest message in view.
    Effect::new(move |_| {
        chat.lines.track();
        if let Some(list) = list.get() {
            request_animation_frame(move || list.set_scroll_top(list.scroll_height()));
        }
    });

    let send = move || {
        let content = draft.get_untracked();
        if content.trim().is_empty() || content.chars().count() > MAX_CHARS {
            return;
        }
        if chat.send(content.trim()) {
            draft.set(String::new());
        }
    };

    let state_text = move || {
        let t = i18n.t();
        match chat.state.get() {
            ChatState::Connecting => t.chat_connecting,
            ChatState::Connected => t.chat_connected,
            ChatState::Reconnecting => t.chat_reconnecting,
            ChatState::Banned => t.chat_banned,
            ChatState::Forbidden => t.private_locked,
        }
    };

    let notice_text = move || {
        let t = i18n.t();
        chat.notice.get().map(|notice| match notice {
            Notice::RateLimited => t.chat_rate_limited,
            Notice::Filtered => t.chat_filtered,
            Notice::TooLong => t.chat_too_long,
            Notice::Banned => t.chat_banned,
            Notice::Failed => t.chat_failed,
            Notice::DisconnectedByModerator => t.you_were_disconnected,
            Notice::HistoryUnavailable => t.chat_history_failed,
        })
    };

    view! {
        <aside class="chat" aria-label=move || i18n.t().chat>
            <header class="chat-header">
                <h2>{move || i18n.t().chat}</h2>
                <span class="chat-state" data-state=move || format!("{:?}", chat.state.get()) role="status">{state_text}</span>
            </header>
            <ol class="chat-lines" node_ref=list aria-live="polite">
                {move || chat.lines.with(Vec::is_empty).then(|| view! { <li class="chat-empty">{i18n.t().chat_empty}</li> })}
                <For each=move || chat.lines.get() key=|line| line.id.clone() let:line>
                    {
                        let mine = line.sender_id == chat.user_id.get_untracked();
                        let id = line.id.clone();
                        let sender = line.sender_id.clone();
                        let nickname = line.nickname.clone();
                        view! {
                            <li class="chat-line" data-id=line.id.clone() class:mine=mine>
                                <Avatar src=line.avatar.clone() size=24 />
                                <span class="chat-nick" class:owner=line.role == "owner">
                                    {line.nickname.clone()}
                                    {(line.role == "owner").then(|| view! { <span class="owner-badge">{i18n.t().owner_badge}</span> })}
                                </span>
                                <span class="chat-text">{line.content.clone()}</span>
                                {move || (is_owner() && !mine).then(|| {
                                    let id = id.clone();
                                    let sender = sender.clone();
                                    let nickname = nickname.clone();
                                    view! {
                                        <span class="chat-actions">
                                            <button
                                                class="link delete-message"
                                                aria-label=format!("{} {}", i18n.t().delete, nickname)
                                                on:click=move |_| { delete.dispatch(id.clone()); }
                                            >{i18n.t().delete}</button>
                                            <button
                                                class="link ban-user"
                                                aria-label=format!("{} {}", i18n.t().ban, nickname)
                                                on:click=move |_| { ban.dispatch(sender.clone()); }
                                            >{i18n.t().ban}</button>
                                        </span>
                                    }
                                })}
                            </li>
                        }
                    }
                </For>
            </ol>
            {move || notice_text().map(|text| view! { <p class="chat-notice" role="alert">{text}</p> })}
            {move || moderation_failed().map(|e| view! { <p class="chat-notice" role="alert">{e.message}</p> })}
            {move || if chat.can_send.get() && chat.state.get() != ChatState::Banned {
                view! {
                    <form class="chat-form" on:submit=move |ev| { ev.prevent_default(); send(); }>
                        <label class="visually-hidden" for="chat-input">{i18n.t().chat_placeholder}</label>
                        <input
                            id="chat-input"
                            type="text"
                            autocomplete="off"
                            maxlength=MAX_CHARS.to_string()
                            placeholder=i18n.t().chat_placeholder
                            prop:value=move || draft.get()
                            on:input=move |ev| draft.set(event_target_value(&ev))
                        />
                        <span class="counter" class:over=move || draft.with(|d| d.chars().count() > MAX_CHARS - 50)>
                            {move || format!("{}/{MAX_CHARS}", draft.with(|d| d.chars().count()))}
                        </span>
                        <button type="submit" disabled=move || draft.with(|d| d.trim().is_empty())>{i18n.t().send}</button>
                    </form>
                }.into_any()
            } else if chat.state.get() == ChatState::Banned {
                view! { <p class="chat-locked">{i18n.t().chat_banned}</p> }.into_any()
            } else {
                view! {
                    <p class="chat-locked">
                        <a href="/signin">{i18n.t().sign_in}</a>" — "{i18n.t().chat_sign_in}
                    </p>
                }.into_any()
            }}
        </aside>
    }
}
