//! A chatter's card, opened from their name on a message: who they are (their picture, name and
//! channel), since when they have an account and follow this channel (what a viewer or a
//! moderator weighs before answering a stranger); the room's owner and moderators also see a
//! timeout or ban in force, and may lift it there, what they said in the room lately (a message
//! judged in its context) and what the room's runners did to them before (the moderation log's
//! entries about them), so a third offence is not judged as a first; and whoever may act on them
//! times them out or bans them there, with a reason. Its words live here.

use cloumer_api_types::{BanRequest, ChatterCard as Card, TimeoutRequest};
use leptos::prelude::*;

use crate::api::{ApiError, use_api};
use crate::chat::{ChatClient, TIMEOUT_MINUTES};
use crate::components::{Avatar, LogEntry};
use crate::i18n::{I18n, use_i18n};

pub struct CardTexts {
    /// `{}`: a date.
    pub joined: &'static str,
    /// `{}`: a date.
    pub following_since: &'static str,
    pub not_following: &'static str,
    /// `{}`: a date and time.
    pub timed_out_until: &'static str,
    /// `{}`: a date and time.
    pub banned_until: &'static str,
    pub banned: &'static str,
    /// `{}`: what the moderator wrote.
    pub reason: &'static str,
    pub loading: &'static str,
    pub close: &'static str,
    pub lift_timeout: &'static str,
    pub history: &'static str,
    pub recent_messages: &'static str,
}

pub const EN: CardTexts = CardTexts {
    joined: "Joined {}",
    following_since: "Following since {}",
    not_following: "Not following",
    timed_out_until: "Timed out until {}",
    banned_until: "Banned until {}",
    banned: "Banned",
    reason: "Reason: {}",
    loading: "Loading…",
    close: "Close",
    lift_timeout: "Lift timeout",
    history: "Earlier in this chat",
    recent_messages: "Lately in this chat",
};

pub const KO: CardTexts = CardTexts {
    joined: "{} 가입",
    following_since: "{}부터 팔로우",
    not_following: "팔로우하지 않음",
    timed_out_until: "{}까지 타임아웃",
    banned_until: "{}까지 차단됨",
    banned: "차단됨",
    reason: "사유: {}",
    loading: "불러오는 중…",
    close: "닫기",
    lift_timeout: "타임아웃 해제",
    history: "이 채팅에서 받은 조치",
    recent_messages: "이 채팅에서 최근에 한 말",
};

/// The card of `user` (called `nickname` on the message it was opened from) in the chat of the
/// channel `handle`; `close` takes it away.
#[component]
pub fn ChatterCard(
    chat: ChatClient,
    handle: String,
    user: String,
    nickname: String,
    #[prop(into)] close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let api = use_api();
    let answer = RwSignal::new(None);
    let (handle, user) = (StoredValue::new(handle), StoredValue::new(user));
    let load = move || {
        // Closed while a lift, timeout or ban was answered: nothing to show it on (a disposed
        // value read with `get_value` would panic, and a panic stops the whole app).
        let (Some(handle), Some(user)) = (handle.try_get_value(), user.try_get_value()) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let card = api.chatter_card(&handle, &user).await;
            // The card may have been closed (or another opened) meanwhile.
            let _ = answer.try_set(Some(card));
        });
    };
    load();
    // After lifting, timing out or banning: the card as it now is, or why it could not be done.
    let failed = RwSignal::new(None);
    let settle = move |done: Result<(), ApiError>| match done {
        Ok(()) => {
            let _ = failed.try_set(None);
            load();
        }
        Err(error) => {
            let _ = failed.try_set(Some(error));
        }
    };
    let lift = move || {
        leptos::task::spawn_local(async move {
            settle(api.unban(&handle.get_value(), &user.get_value()).await);
        });
    };
    // A timeout of `minutes`, or (`None`) a ban for good.
    let restrict = Callback::new(move |(minutes, reason): (Option<u32>, Option<String>)| {
        leptos::task::spawn_local(async move {
            let (handle, user) = (handle.get_value(), user.get_value());
            let done = match minutes {
                Some(duration_minutes) => {
                    let request = TimeoutRequest {
                        duration_minutes,
                        reason,
                    };
                    api.time_out(&handle, &user, &request).await.map(drop)
                }
                None => {
                    let request = BanRequest {
                        reason,
                        duration_minutes: None,
                    };
                    api.ban(&handle, &user, &request).await.map(drop)
                }
            };
            settle(done);
        });
    });
    let label = nickname.clone();
    view! {
        <section class="chatter-card" role="dialog" aria-label=label>
            <button type="button" class="link chatter-card-close" aria-label=move || t().close
                on:click=move |_| close.run(())>"×"</button>
            {move || match answer.get() {
                None => view! {
                    <p class="chatter-card-name">{nickname.clone()}</p>
                    <p role="status">{t().loading}</p>
                }.into_any(),
                Some(Err(error)) => view! {
                    <p class="chatter-card-name">{nickname.clone()}</p>
                    <p class="error" role="alert">{error.explained(i18n)}</p>
                }.into_any(),
                Some(Ok(card)) => {
                    let may_act = chat.may_act_on(&card.user_id, &card.role);
                    card_view(card, i18n, lift, may_act.then_some(restrict)).into_any()
                }
            }}
            {move || failed.get().map(|e| view! { <p class="error" role="alert">{e.explained(i18n)}</p> })}
        </section>
    }
}

/// `restrict`: for whoever may act on the card's person, a timeout or ban while none is in force.
fn card_view(
    card: Card,
    i18n: I18n,
    lift: impl Fn() + Copy + 'static,
    restrict: Option<Callback<(Option<u32>, Option<String>)>>,
) -> impl IntoView {
    let t = i18n.pick(&EN, &KO);
    let lang = i18n.lang.get_untracked().code();
    let day =
        |at: &str| crate::time::parse_rfc3339_ms(at).map(|ms| crate::browser::local_date(ms, lang));
    let moment = |at: &str| {
        crate::time::parse_rfc3339_ms(at).map(|ms| crate::browser::local_date_time(ms, lang))
    };
    let badge = i18n.role_badge(&card.role);
    let joined = day(&card.joined_at).map(|d| t.joined.replacen("{}", &d, 1));
    let following = match card.followed_at.as_deref().and_then(day) {
        Some(since) => t.following_since.replacen("{}", &since, 1),
        None => t.not_following.to_owned(),
    };
    let actions = restrict
        .filter(|_| card.restriction.is_none())
        .map(|restrict| view! { <CardActions restrict /> });
    let restriction = card.restriction.map(|r| {
        let until = r.expires_at.as_deref().and_then(moment);
        let what = match (r.timeout, until) {
            (true, Some(until)) => t.timed_out_until.replacen("{}", &until, 1),
            (false, Some(until)) => t.banned_until.replacen("{}", &until, 1),
            (_, None) => t.banned.to_owned(),
        };
        let reason = r.reason.map(|reason| t.reason.replacen("{}", &reason, 1));
        let lift_label = if r.timeout {
            t.lift_timeout
        } else {
            i18n.page_texts().unban
        };
        view! {
            <p class="chatter-card-restriction">
                {what}
                {reason.map(|reason| view! { <br /><span class="chatter-card-reason">{reason}</span> })}
            </p>
            <button type="button" class="secondary chatter-card-lift" on:click=move |_| lift()>{lift_label}</button>
        }
    });
    let said = (!card.recent_messages.is_empty()).then(|| {
        let lines = card.recent_messages.into_iter().map(|message| {
            let at = moment(&message.sent_at).unwrap_or_default();
            view! {
                <li>
                    <time class="muted" datetime=message.sent_at>{at}</time>
                    " "<span class="chatter-card-said">{message.content}</span>
                </li>
            }
        });
        view! {
            <h3 class="chatter-card-history-heading">{t.recent_messages}</h3>
            <ol class="chatter-card-history chatter-card-messages">{lines.collect_view()}</ol>
        }
    });
    let history = (!card.history.is_empty()).then(|| {
        view! {
            <h3 class="chatter-card-history-heading">{t.history}</h3>
            <ol class="list moderation-log chatter-card-history">
                {card.history.into_iter().map(|entry| view! { <LogEntry entry /> }).collect_view()}
            </ol>
        }
    });
    let channel = format!("/{}", card.handle);
    view! {
        <div class="chatter-card-who">
            <Avatar src=card.avatar size=48 />
            <div>
                <p class="chatter-card-name">
                    {card.nickname}
                    {badge.map(|b| view! { <span class="owner-badge">{b}</span> })}
                </p>
                <a class="chatter-card-channel" href=channel>"@"{card.handle}</a>
            </div>
        </div>
        <ul class="chatter-card-facts">
            {joined.map(|joined| view! { <li class="chatter-card-joined">{joined}</li> })}
            <li class="chatter-card-following">{following}</li>
        </ul>
        {restriction}
        {actions}
        {said}
        {history}
    }
}

/// Times the card's person out or bans them for good, with an optional reason.
#[component]
fn CardActions(restrict: Callback<(Option<u32>, Option<String>)>) -> impl IntoView {
    let i18n = use_i18n();
    let reason = RwSignal::new(String::new());
    let given = move || {
        let text = reason.get_untracked();
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_owned())
    };
    view! {
        <div class="chatter-card-actions">
            <input type="text" class="chat-reason" maxlength="256"
                aria-label=i18n.page_texts().reason_optional placeholder=i18n.page_texts().reason_optional
                prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
            <span class="chat-menu-timeouts">
                {i18n.page_texts().time_out}
                {TIMEOUT_MINUTES.into_iter().map(|minutes| view! {
                    <button type="button" class="link time-out" data-minutes=minutes.to_string()
                        on:click=move |_| restrict.run((Some(minutes), given()))>
                        {i18n.duration(u64::from(minutes) * 60)}
                    </button>
                }).collect_view()}
            </span>
            <button type="button" class="link ban-user" on:click=move |_| restrict.run((None, given()))>
                {i18n.page_texts().ban}
            </button>
        </div>
    }
}
