//! Where the "stop these emails" link of a go-live email leads: one button turns them off, no
//! sign-in needed (the link carries its own secret). Mail clients' one-click buttons post to the
//! API directly; this page is for people, and asks first so a link scanner opening it changes
//! nothing.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{ApiError, use_api};
use crate::components::name_page;
use crate::i18n::use_i18n;

#[component]
pub fn Unsubscribe() -> impl IntoView {
    let i18n = use_i18n();
    name_page(move || Some(i18n.page_texts().unsubscribe_title.to_owned()));
    let api = use_api();
    let location = crate::router::use_location();
    let user = location.query("user").unwrap_or_default();
    let token = location.query("token").unwrap_or_default();
    let outcome = RwSignal::new(None::<Result<(), ApiError>>);
    let busy = RwSignal::new(false);
    let confirm = move |_| {
        let (user, token) = (user.clone(), token.clone());
        busy.set(true);
        spawn_local(async move {
            outcome.set(Some(api.unsubscribe(&user, &token).await));
            busy.set(false);
        });
    };
    view! {
        <section class="narrow" data-testid="unsubscribe">
            <h1>{move || i18n.page_texts().unsubscribe_title}</h1>
            {move || match outcome.get() {
                Some(Ok(())) => view! { <p class="info" role="status">{i18n.page_texts().unsubscribed}</p> }.into_any(),
                Some(Err(error)) if error.status == 404 || error.status == 400 => {
                    view! { <p class="error" role="alert">{i18n.page_texts().unsubscribe_failed}</p> }.into_any()
                }
                failed => view! {
                    <p>{move || i18n.page_texts().unsubscribe_ask}</p>
                    {failed.and_then(Result::err).map(|e| view! { <p class="error" role="alert">{e.explained(i18n)}</p> })}
                    <button type="button" on:click=confirm.clone() disabled=move || busy.get()>
                        {move || i18n.page_texts().unsubscribe_button}
                    </button>
                }.into_any(),
            }}
        </section>
    }
}
