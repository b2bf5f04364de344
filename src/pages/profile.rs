//! The signed-in user's profile: nickname, avatar and language.

use cloumer_api_types::UpdateProfile;
use leptos::prelude::*;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::{Avatar, avatar_src};
use crate::i18n::{Lang, use_i18n};

const PRESETS: [&str; 8] = [
    "cat", "dog", "fox", "panda", "penguin", "rabbit", "tiger", "whale",
];

#[component]
pub fn Profile() -> impl IntoView {
    let session = use_session();
    let location = crate::router::use_location();
    move || {
        if session.signed_in() {
            view! { <ProfileForm /> }.into_any()
        } else {
            location.redirect("/signin");
            ().into_any()
        }
    }
}

#[component]
fn ProfileForm() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let nickname = RwSignal::new(String::new());
    let avatar = RwSignal::new(String::new());
    let handle = RwSignal::new(String::new());
    let status = RwSignal::new(None::<Result<(), String>>);
    leptos::task::spawn_local(async move {
        if let Ok(me) = api.me().await {
            nickname.set(me.nickname);
            avatar.set(me.avatar);
            handle.set(me.handle);
        }
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let change = UpdateProfile {
            nickname: Some(nickname.get_untracked()),
            avatar: Some(avatar.get_untracked()),
            language: Some(i18n.lang.get_untracked().code().to_owned()),
        };
        leptos::task::spawn_local(async move {
            status.set(Some(
                api.update_me(&change)
                    .await
                    .map(drop)
                    .map_err(|e| e.message),
            ));
        });
    };
    view! {
        <section class="narrow">
            <h1>{move || i18n.t().profile_title}</h1>
            <p class="muted">"@"{move || handle.get()}</p>
            <form class="stack" on:submit=save>
                <label>{move || i18n.t().nickname}
                    <input type="text" name="nickname" maxlength="25" required prop:value=move || nickname.get()
                        on:input=move |ev| nickname.set(event_target_value(&ev)) />
                </label>
                <fieldset>
                    <legend>{move || i18n.t().avatar}</legend>
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
                    <label>{move || i18n.t().avatar_url}
                        <input type="url" name="avatar-url" placeholder="https://"
                            prop:value=move || {
                                let value = avatar.get();
                                if value.starts_with("https://") { value } else { String::new() }
                            }
                            on:input=move |ev| avatar.set(event_target_value(&ev)) />
                    </label>
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
                {move || match status.get() {
                    Some(Ok(())) => view! { <p class="info" role="status">{i18n.t().saved}</p> }.into_any(),
                    Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                    None => ().into_any(),
                }}
                <button type="submit">{move || i18n.t().save}</button>
            </form>
        </section>
    }
}
