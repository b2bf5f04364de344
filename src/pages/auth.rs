//! Sign up, confirm the email, sign in: the Cognito flow (the local stack answers the same API).

use leptos::prelude::*;

use crate::api::{encode, use_api};
use crate::auth::use_session;
use crate::components::name_page;
use crate::config::use_config;
use crate::i18n::use_i18n;
use crate::reactive::{Fetch, Submit};

#[component]
pub fn SignIn() -> impl IntoView {
    let i18n = use_i18n();
    name_page(move || Some(i18n.t().sign_in.to_owned()));
    let session = use_session();
    let location = crate::router::use_location();
    let email = RwSignal::new(location.query("email").unwrap_or_default());
    let password = RwSignal::new(String::new());
    let sign_in = Submit::new(move |(email, password): &(String, String)| {
        let (email, password) = (email.clone(), password.clone());
        async move {
            match session.cognito().sign_in(&email, &password).await {
                Ok(tokens) => {
                    session.store(tokens);
                    location.navigate("/");
                    Ok(())
                }
                Err(failure) if failure.kind == "UserNotConfirmedException" => {
                    location.navigate(&format!("/confirm?email={}", encode(&email)));
                    Ok(())
                }
                Err(failure) => Err(failure.describe(i18n.lang.get())),
            }
        }
    });
    let error = move || sign_in.value().and_then(Result::err);
    let busy = sign_in.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sign_in.dispatch((
            email.get_untracked().trim().to_owned(),
            password.get_untracked(),
        ));
    };
    view! {
        <section class="narrow">
            <h1>{move || i18n.t().sign_in}</h1>
            <form class="stack" on:submit=submit>
                <label>{move || i18n.page_texts().email}
                    <input type="email" name="email" autocomplete="username" required
                        prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev)) />
                </label>
                <label>{move || i18n.page_texts().password}
                    <input type="password" name="password" autocomplete="current-password" required
                        on:input=move |ev| password.set(event_target_value(&ev)) />
                </label>
                {move || error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <button type="submit" disabled=move || busy.get()>{move || i18n.t().sign_in}</button>
            </form>
            <p class="muted">{move || i18n.page_texts().no_account}" "<a href="/signup">{move || i18n.t().sign_up}</a></p>
        </section>
    }
}

#[component]
pub fn SignUp() -> impl IntoView {
    let i18n = use_i18n();
    name_page(move || Some(i18n.t().sign_up.to_owned()));
    let session = use_session();
    let api = use_api();
    let location = crate::router::use_location();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let handle = RwSignal::new(String::new());
    let nickname = RwSignal::new(String::new());
    // Checked as it is typed. Answers can arrive out of order: only the one for what the field
    // holds now is shown.
    let wanted = move || handle.get().trim().to_ascii_lowercase();
    let checked = Fetch::new(move || {
        let asked = wanted();
        async move {
            if asked.is_empty() {
                return None;
            }
            let answer = api
                .handle_availability(&asked)
                .await
                .map(|a| a.available)
                .map_err(|e| e.message);
            Some((asked, answer))
        }
    });
    let availability = move || {
        checked
            .get()
            .flatten()
            .filter(|(asked, _)| *asked == wanted())
            .map(|(_, answer)| answer)
    };
    let sign_up = Submit::new(move |_: &()| async move {
        let email_value = email.get_untracked().trim().to_owned();
        let result = session
            .cognito()
            .sign_up(
                &email_value,
                &password.get_untracked(),
                handle.get_untracked().trim(),
                nickname.get_untracked().trim(),
            )
            .await;
        match result {
            Ok(()) => {
                location.navigate(&format!("/confirm?email={}", encode(&email_value)));
                Ok(())
            }
            Err(failure) => Err(failure.describe(i18n.lang.get())),
        }
    });
    let error = move || sign_up.value().and_then(Result::err);
    let busy = sign_up.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sign_up.dispatch(());
    };
    view! {
        <section class="narrow">
            <h1>{move || i18n.t().sign_up}</h1>
            <form class="stack" on:submit=submit>
                <label>{move || i18n.page_texts().email}
                    <input type="email" name="email" autocomplete="email" required on:input=move |ev| email.set(event_target_value(&ev)) />
                </label>
                <label>{move || i18n.page_texts().password}
                    <input type="password" name="password" autocomplete="new-password" required minlength="8"
                        aria-describedby="password-hint" on:input=move |ev| password.set(event_target_value(&ev)) />
                    <small id="password-hint" class="muted">{move || i18n.page_texts().password_hint}</small>
                </label>
                <label>{move || i18n.page_texts().handle}
                    <input type="text" name="handle" required minlength="3" maxlength="25" pattern="[A-Za-z0-9][A-Za-z0-9_]{2,24}"
                        aria-describedby="handle-hint handle-status" on:input=move |ev| handle.set(event_target_value(&ev)) />
                    <small id="handle-hint" class="muted">{move || i18n.page_texts().handle_hint}</small>
                    <small id="handle-status" role="status" class="handle-status">
                        {move || match availability() {
                            Some(Ok(true)) => view! { <span class="ok">"✓ "{i18n.page_texts().handle_available}</span> }.into_any(),
                            Some(Ok(false)) => view! { <span class="bad">"✗ "{i18n.page_texts().handle_taken}</span> }.into_any(),
                            Some(Err(message)) => view! { <span class="bad">{message}</span> }.into_any(),
                            None => ().into_any(),
                        }}
                    </small>
                </label>
                <label>{move || i18n.page_texts().nickname}
                    <input type="text" name="nickname" required maxlength="25" on:input=move |ev| nickname.set(event_target_value(&ev)) />
                </label>
                {move || error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <button type="submit" disabled=move || busy.get() || matches!(availability(), Some(Ok(false)) | Some(Err(_)))>
                    {move || i18n.page_texts().create_account}
                </button>
            </form>
            <p class="muted">{move || i18n.page_texts().have_account}" "<a href="/signin">{move || i18n.t().sign_in}</a></p>
        </section>
    }
}

#[component]
pub fn Confirm() -> impl IntoView {
    let i18n = use_i18n();
    name_page(move || Some(i18n.page_texts().confirm_title.to_owned()));
    let session = use_session();
    let config = use_config();
    let location = crate::router::use_location();
    let email = RwSignal::new(location.query("email").unwrap_or_default());
    let code = RwSignal::new(String::new());
    let local = config.0.environment == "local";
    let confirm = Submit::new(move |_: &()| async move {
        let email_value = email.get_untracked().trim().to_owned();
        match session
            .cognito()
            .confirm(&email_value, code.get_untracked().trim())
            .await
        {
            Ok(()) => {
                location.navigate(&format!("/signin?email={}", encode(&email_value)));
                Ok(())
            }
            Err(failure) => Err(failure.describe(i18n.lang.get())),
        }
    });
    let resend = Submit::new(move |_: &()| async move {
        session
            .cognito()
            .resend_code(email.get_untracked().trim())
            .await
            .map_err(|failure| failure.describe(i18n.lang.get()))
    });
    // The latest thing that happened: a failure of either, or the resent code.
    let error = move || {
        confirm
            .value()
            .and_then(Result::err)
            .or_else(|| resend.value().and_then(Result::err))
    };
    let info = move || matches!(resend.value(), Some(Ok(()))).then(|| i18n.page_texts().code_sent);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        confirm.dispatch(());
    };
    let resend_code = move |_| {
        resend.dispatch(());
    };
    view! {
        <section class="narrow">
            <h1>{move || i18n.page_texts().confirm_title}</h1>
            <p>{move || i18n.page_texts().confirm_hint}</p>
            {local.then(|| view! { <p class="muted">{move || i18n.page_texts().confirm_local_hint}</p> })}
            <form class="stack" on:submit=submit>
                <label>{move || i18n.page_texts().email}
                    <input type="email" name="email" required prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev)) />
                </label>
                <label>{move || i18n.page_texts().code}
                    <input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" required
                        on:input=move |ev| code.set(event_target_value(&ev)) />
                </label>
                {move || error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                {move || info().map(|m| view! { <p class="info" role="status">{m}</p> })}
                <button type="submit" disabled=move || confirm.pending().get()>{move || i18n.page_texts().confirm}</button>
                <button type="button" class="link" on:click=resend_code disabled=move || resend.pending().get()>{move || i18n.page_texts().resend_code}</button>
            </form>
        </section>
    }
}
