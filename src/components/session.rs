//! The signed-in header's session controls. On arrival they keep this browser's push
//! subscription current (browsers renew subscriptions on their own, and the service worker cannot
//! tell the API, having no sign-in); signing out first takes the subscription back (while the
//! session can still say whose it is), so whoever signs in next on a shared browser never gets
//! the previous person's notifications.

use leptos::prelude::*;

use crate::api::use_api;
use crate::auth::use_session;
use crate::i18n::use_i18n;

#[component]
pub fn SessionControls() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    leptos::task::spawn_local(crate::push::renew(api));
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
