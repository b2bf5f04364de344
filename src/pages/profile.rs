//! The signed-in user's profile: nickname, avatar, language and how they hear of streams, the
//! channels they follow, and the people they blocked.

use cloumer_api_types::{ChannelSummary, Me, UpdateProfile};
use leptos::prelude::*;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::{
    Avatar, ChannelCard, Loaded, PageStatus, Paging, RequireSignIn, SaveStatus, avatar_src,
    name_page,
};
use crate::i18n::{Lang, use_i18n};
use crate::push::{self, PushError, PushState};
use crate::reactive::{Fetch, Submit};
use crate::tab_news::{self, TabNews};

const PRESETS: [&str; 8] = [
    "cat", "dog", "fox", "panda", "penguin", "rabbit", "tiger", "whale",
];

#[component]
pub fn Profile() -> impl IntoView {
    let i18n = use_i18n();
    name_page(move || Some(i18n.page_texts().profile_title.to_owned()));
    let api = use_api();
    let me = Fetch::new(move || async move { api.me().await });
    view! {
        <RequireSignIn>
            <section class="narrow">
                <h1>{move || i18n.page_texts().profile_title}</h1>
                <Loaded retry=move || me.refetch()>
                    {move || Suspend::new(async move { me.await.map(|me| view! { <ProfileForm me=me /> }) })}
                </Loaded>
            </section>
            <FollowedChannels />
            <BlockedPeople />
            <Loaded retry=move || me.refetch()>
                {move || Suspend::new(async move { me.await.map(|me| view! {
                    <ExportData handle=me.handle.clone() />
                    <DeleteAccount handle=me.handle />
                }) })}
            </Loaded>
        </RequireSignIn>
    }
}

#[component]
fn ProfileForm(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let nickname = RwSignal::new(me.nickname);
    let avatar = RwSignal::new(me.avatar);
    let email_notifications = RwSignal::new(me.email_notifications);
    let email = me.email.clone();
    let save = Submit::new(move |change: &UpdateProfile| {
        let change = change.clone();
        async move { api.update_me(&change).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(UpdateProfile {
            nickname: Some(nickname.get_untracked()),
            avatar: Some(avatar.get_untracked()),
            language: Some(i18n.lang.get_untracked().code().to_owned()),
            email_notifications: Some(email_notifications.get_untracked()),
        });
    };
    view! {
        <p class="muted">"@"{me.handle}</p>
        <form class="stack" on:submit=submit>
            <label>{move || i18n.page_texts().nickname}
                <input type="text" name="nickname" maxlength="25" required prop:value=move || nickname.get()
                    on:input=move |ev| nickname.set(event_target_value(&ev)) />
            </label>
            <fieldset>
                <legend>{move || i18n.page_texts().avatar}</legend>
                <div class="avatar-grid" role="radiogroup">
                    {PRESETS.iter().map(|name| {
                        let value = format!("preset:{name}");
                        let checked_value = value.clone();
                        view! {
                            <label class="avatar-choice">
                                <input type="radio" name="avatar" value=value.clone()
                                    prop:checked=move || avatar.get() == checked_value
                                    on:change=move |_| avatar.set(value.clone()) />
                                <img src=avatar_src(&format!("preset:{name}")) width="48" height="48" alt=*name />
                            </label>
                        }
                    }).collect_view()}
                </div>
                <div class="preview">{move || view! { <Avatar src=avatar.get() size=64 /> }}</div>
            </fieldset>
            <label>{move || i18n.t().language}
                <select on:change=move |ev| {
                    if let Some(lang) = Lang::from_code(&event_target_value(&ev)) { i18n.set(lang); }
                } prop:value=move || i18n.lang.get().code()>
                    <option value="en">"English"</option>
                    <option value="ko">"한국어"</option>
                </select>
            </label>
            <fieldset>
                <legend>{move || i18n.page_texts().notification_settings}</legend>
                <label class="check">
                    <input type="checkbox" name="email-notifications" disabled=email.is_none()
                        prop:checked=move || email_notifications.get()
                        on:change=move |ev| email_notifications.set(event_target_checked(&ev)) />
                    {move || i18n.page_texts().email_when_live}
                </label>
                <p class="muted" data-testid="notification-email">{move || match &email {
                    Some(address) => format!("{} {address}", i18n.page_texts().email_goes_to),
                    None => i18n.page_texts().no_email.to_owned(),
                }}</p>
                <PushToggle />
            </fieldset>
            <SaveStatus outcome=move || save.value() />
            <button type="submit" disabled=move || save.pending().get()>{move || i18n.t().save}</button>
        </form>
    }
}

/// Push in this browser: takes effect at once (it is this browser's, not the profile's), and
/// says why it cannot be turned on when it cannot.
#[component]
fn PushToggle() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let state = RwSignal::new(None::<PushState>);
    let failure = RwSignal::new(None::<PushError>);
    let busy = RwSignal::new(true);
    leptos::task::spawn_local(async move {
        state.set(Some(push::state().await));
        busy.set(false);
    });
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        busy.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            if on {
                failure.set(push::turn_on(api).await.err());
            } else {
                push::turn_off(api).await;
            }
            state.set(Some(push::state().await));
            busy.set(false);
        });
    };
    let usable = move || matches!(state.get(), Some(PushState::On | PushState::Off));
    view! {
        <label class="check">
            <input type="checkbox" name="push-notifications" data-testid="push-toggle"
                disabled=move || busy.get() || !usable()
                prop:checked=move || state.get() == Some(PushState::On)
                on:change=toggle />
            {move || i18n.page_texts().push_in_browser}
        </label>
        <p class="muted" data-testid="push-status" role="status">{move || {
            let t = i18n.page_texts();
            match (failure.get(), state.get()) {
                (Some(PushError::Blocked), _) | (_, Some(PushState::Blocked)) => t.push_blocked.to_owned(),
                (Some(PushError::Unavailable), _) => t.push_unavailable.to_owned(),
                (Some(PushError::Failed(why)), _) => format!("{} {why}", t.push_failed),
                (_, Some(PushState::Unsupported)) => t.push_unsupported.to_owned(),
                _ => t.push_hint.to_owned(),
            }
        }}</p>
    }
}

/// Every channel the user follows, most recently followed first, a page at a time.
#[component]
fn FollowedChannels() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let channels = RwSignal::new(Vec::<ChannelSummary>::new());
    let paging = Paging::new();
    let more = Callback::new(move |cursor: Option<String>| {
        paging.load(channels, cursor, move |cursor| async move {
            let page = api.following(cursor.as_deref()).await?;
            Ok((page.items, page.next))
        });
    });
    more.run(None);
    view! {
        <section class="following" aria-labelledby="following-heading" data-testid="profile-following">
            <h2 id="following-heading">{move || i18n.t().following_heading}</h2>
            <div class="grid small">
                {move || channels.get().into_iter().map(|channel| view! { <ChannelCard channel=channel /> }).collect_view()}
            </div>
            <PageStatus paging=paging is_empty=Signal::derive(move || channels.with(Vec::is_empty))
                empty=move || i18n.t().no_following more=more />
        </section>
    }
}

/// The people the user blocked, most recently first, each with a button to unblock them: their
/// chat messages show again from the next chat the user opens.
#[component]
fn BlockedPeople() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let blocked = Fetch::new(move || async move { api.blocked_users().await });
    let unblock = Submit::new(move |user_id: &String| {
        let user_id = user_id.clone();
        async move {
            let done = api.unblock_user(&user_id).await;
            if done.is_ok() {
                tab_news::tell(&TabNews::Unblocked(user_id));
            }
            blocked.refetch();
            done
        }
    });
    view! {
        <section class="narrow blocked-people" aria-labelledby="blocked-heading">
            <h2 id="blocked-heading">{move || i18n.page_texts().blocked_heading}</h2>
            <p class="hint">{move || i18n.page_texts().blocked_hint}</p>
            {move || unblock.value().and_then(Result::err).map(|e| view! { <p class="error" role="alert">{e.explained(i18n)}</p> })}
            <Loaded retry=move || blocked.refetch()>
                {move || Suspend::new(async move {
                    blocked.await.map(|list| if list.items.is_empty() {
                        view! { <p class="empty">{i18n.page_texts().blocked_none}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="list">
                                {list.items.into_iter().map(|person| {
                                    let user_id = person.user_id.clone();
                                    // An account that is gone keeps its place, unnamed, until unblocked.
                                    let name = if person.nickname.is_empty() {
                                        i18n.page_texts().deleted_account.to_owned()
                                    } else {
                                        person.nickname.clone()
                                    };
                                    let label = format!("{} {name}", i18n.page_texts().unblock);
                                    view! {
                                        <li data-user=person.user_id.clone()>
                                            <Avatar src=person.avatar.clone() size=24 />
                                            <span class="blocked-name">{name}</span>
                                            {person.handle.map(|handle| view! {
                                                <a class="muted" href=format!("/{handle}")>"@"{handle.clone()}</a>
                                            })}
                                            <button class="secondary unblock" aria-label=label
                                                disabled=move || unblock.pending().get()
                                                on:click=move |_| unblock.dispatch(user_id.clone())>
                                                {i18n.page_texts().unblock}
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    })
                })}
            </Loaded>
        </section>
    }
}

/// The words of taking one's data away.
struct ExportWords {
    heading: &'static str,
    what: &'static str,
    download: &'static str,
    /// Before the count of chat messages gathered so far.
    gathering: &'static str,
    messages: &'static str,
}

const EXPORT_EN: ExportWords = ExportWords {
    heading: "Your data",
    what: "Download a file of everything Cloumer keeps of yours: your profile and channel settings, whom you follow and blocked, your past broadcasts, clips, videos, webhooks, notifications and what you said in chats.",
    download: "Download my data",
    gathering: "Gathering your chat messages: ",
    messages: "",
};

const EXPORT_KO: ExportWords = ExportWords {
    heading: "내 데이터",
    what: "Cloumer가 보관하는 내 데이터를 파일로 내려받습니다: 프로필과 채널 설정, 팔로우하거나 차단한 사람, 지난 방송, 클립, 동영상, 웹훅, 알림, 채팅에서 보낸 메시지.",
    download: "내 데이터 내려받기",
    gathering: "채팅 메시지를 모으는 중: ",
    messages: "개",
};

/// Downloading everything of one's own as `cloumer-<handle>.json`.
#[component]
fn ExportData(handle: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EXPORT_EN, &EXPORT_KO);
    let api = use_api();
    let file_name = format!("cloumer-{handle}.json");
    let gathered = RwSignal::new(None::<usize>);
    let download = Submit::new(move |_: &()| {
        let file_name = file_name.clone();
        async move {
            let export = api.export_account().await?;
            let text = with_sent_messages(api, &export, gathered).await?;
            gathered.set(None);
            save_file(&file_name, &text);
            Ok::<(), crate::api::ApiError>(())
        }
    });
    view! {
        <section class="narrow your-data" aria-labelledby="your-data-heading">
            <h2 id="your-data-heading">{move || t().heading}</h2>
            <p class="hint">{move || t().what}</p>
            {move || gathered.get().filter(|_| download.pending().get()).map(|n| view! {
                <p class="hint gathering" role="status">{t().gathering}{n}{t().messages}</p>
            })}
            {move || download.value().and_then(Result::err).map(|e| view! { <p class="error" role="alert">{e.explained(i18n)}</p> })}
            <button type="button" class="secondary download-data" disabled=move || download.pending().get()
                on:click=move |_| download.dispatch(())>{move || t().download}</button>
        </section>
    }
}

/// The export's text with `messages` added: everything the caller said in chats, read a page at
/// a time (there can be far more than one answer should carry), counted in `gathered` as it
/// goes. The browser's own JSON does the work: no parser of these types in the app.
async fn with_sent_messages(
    api: crate::api::Api,
    export: &str,
    gathered: RwSignal<Option<usize>>,
) -> Result<String, crate::api::ApiError> {
    use crate::json::Json;
    let mut messages = Vec::new();
    let mut before: Option<String> = None;
    loop {
        gathered.set(Some(messages.len()));
        let page =
            Json::parse(&api.sent_messages(before.as_deref()).await?).unwrap_or_else(Json::object);
        messages.extend(page.get("items").items().unwrap_or_default());
        before = page.get("next").string();
        if before.is_none() {
            break;
        }
    }
    let Some(export) = Json::parse(export) else {
        return Ok(export.to_owned());
    };
    Ok(export.with("messages", Json::array(messages)).stringify())
}

/// Hands `text` to the browser as a file named `name` to save.
fn save_file(name: &str, text: &str) {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let Ok(blob) = web_sys::Blob::new_with_str_sequence(&parts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let document = crate::browser::window().document();
    if let Some(link) = document
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = link.set_attribute("href", &url);
        let _ = link.set_attribute("download", name);
        link.click();
    }
    // Later: the browser reads the file after the click has returned.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
}

/// The words of deleting an account (only this page has them).
struct DeletionWords {
    heading: &'static str,
    what_goes: &'static str,
    start: &'static str,
    password: &'static str,
    type_handle: &'static str,
    confirm: &'static str,
    cancel: &'static str,
    working: &'static str,
    handle_mismatch: &'static str,
}

const DELETION_EN: DeletionWords = DeletionWords {
    heading: "Delete account",
    what_goes: "Your channel goes with its past broadcasts, clips, videos, emotes, chat history and followers, and so do the channels you follow, what you said in other channels' chats, your notifications and your profile. Your handle becomes free for anyone. This cannot be undone.",
    start: "Delete my account…",
    password: "Your password",
    type_handle: "Type your handle to confirm",
    confirm: "Delete my account for good",
    cancel: "Cancel",
    working: "Deleting…",
    handle_mismatch: "That is not your handle.",
};

const DELETION_KO: DeletionWords = DeletionWords {
    heading: "계정 삭제",
    what_goes: "채널과 함께 지난 방송, 클립, 동영상, 이모티콘, 채팅 기록, 팔로워가 모두 삭제되고, 팔로우한 채널, 다른 채널 채팅에서 보낸 메시지, 알림, 프로필도 삭제됩니다. 핸들은 누구나 쓸 수 있게 됩니다. 되돌릴 수 없습니다.",
    start: "계정 삭제…",
    password: "비밀번호",
    type_handle: "확인을 위해 핸들을 입력하세요",
    confirm: "계정 영구 삭제",
    cancel: "취소",
    working: "삭제 중…",
    handle_mismatch: "내 핸들과 다릅니다.",
};

/// Tries at the API's deletion when it fails on its side (a big account may take more than one
/// request's time; asking again goes on where it stopped).
const DELETE_TRIES: u32 = 3;

/// Deleting the account for good: the password again (the API takes only a fresh sign-in) and
/// the handle typed out; then the platform erases everything, and the sign-in itself goes.
#[component]
fn DeleteAccount(handle: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&DELETION_EN, &DELETION_KO);
    let api = use_api();
    let session = use_session();
    let location = crate::router::use_location();
    let open = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let typed = RwSignal::new(String::new());
    let handle = StoredValue::new(handle);
    let delete = Submit::new(move |password: &String| {
        let password = password.clone();
        async move {
            let lang = i18n.lang.get_untracked();
            let Some(user) = session.user() else {
                return Err(i18n.t().error_generic.to_owned());
            };
            // A fresh sign-in: proves the password, and is what the API asks for.
            let tokens = session
                .cognito()
                .sign_in(&user.email, &password)
                .await
                .map_err(|e| e.describe(lang))?;
            let access_token = tokens.access_token.clone();
            session.store(tokens);
            let mut tries = 0;
            loop {
                tries += 1;
                match api.delete_account().await {
                    Ok(()) => break,
                    Err(e) if (e.status == 0 || e.status >= 500) && tries < DELETE_TRIES => {}
                    Err(e) => return Err(e.explained(i18n)),
                }
            }
            if let Err(e) = session.cognito().delete_user(&access_token).await {
                // Another request of this page may have finished it meanwhile: told that the
                // account was deleted, the session deletes the sign-in itself and signs out.
                if session.signed_in() {
                    return Err(e.describe(lang));
                }
            }
            // Home first: signing out under this page would send it to sign in instead. The
            // sign-out waits until home has replaced it.
            location.navigate("/");
            set_timeout(move || session.sign_out(), std::time::Duration::ZERO);
            Ok(())
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        delete.dispatch(password.get_untracked());
    };
    let matches = move || {
        typed.with(|t| {
            handle.with_value(|h| t.trim().trim_start_matches('@').eq_ignore_ascii_case(h))
        })
    };
    view! {
        <section class="narrow delete-account" aria-labelledby="delete-account-heading">
            <h2 id="delete-account-heading">{move || t().heading}</h2>
            <p class="hint">{move || t().what_goes}</p>
            <Show when=move || open.get() fallback=move || view! {
                <button type="button" class="danger" on:click=move |_| open.set(true)>{move || t().start}</button>
            }>
                <form class="stack" on:submit=submit>
                    <label>{move || t().password}
                        <input type="password" name="password" autocomplete="current-password" required
                            on:input=move |ev| password.set(event_target_value(&ev)) />
                    </label>
                    <label>{move || t().type_handle}  " (@"{handle.get_value()}")"
                        <input type="text" name="confirm-handle" autocomplete="off" required
                            prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
                    </label>
                    {move || (!typed.with(String::is_empty) && !matches()).then(|| view! { <p class="hint">{t().handle_mismatch}</p> })}
                    {move || delete.value().and_then(Result::err).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <div class="row">
                        <button type="submit" class="danger" disabled=move || delete.pending().get() || !matches()>
                            {move || if delete.pending().get() { t().working } else { t().confirm }}
                        </button>
                        <button type="button" class="secondary" disabled=move || delete.pending().get()
                            on:click=move |_| open.set(false)>{move || t().cancel}</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
