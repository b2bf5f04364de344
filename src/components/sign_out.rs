//! The header's sign-out button. Signing out first takes back this browser's push subscription
//! (while the session can still say whose it is), so whoever signs in next on a shared browser
//! never gets the previous person's notifications.

use leptos::prelude::*;

use crate::api::use_api;
use crate::auth::use_session;
use crate::i18n::use_i18n;

#[component]
pub fn SignOutButton() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let signing_out = RwSignal::new(false);
    let sign_out = move |_| {
        signing_out.set(true);
        leptos::task::spawn_local(async move {
            crate::push::turn_off(api).await;
            session.sign_out();
            signing_out.set(false);
        });
    };
    view! {
        <button class="secondary" on:click=sign_out disabled=move || signing_out.get()>
            {move || i18n.t().sign_out}
        </button>
    }
}
