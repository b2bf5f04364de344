//! Who may watch the channel while it is private: add by handle, remove.

use leptos::prelude::*;

use super::typed_handle;

use crate::api::use_api;
use crate::components::Loaded;
use crate::i18n::use_i18n;
use crate::reactive::{Fetch, Submit};

#[component]
pub fn ViewersCard() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let viewers = Fetch::new(move || async move { api.viewers().await });
    let adding = RwSignal::new(String::new());
    let grant = Submit::new(move |handle: &String| {
        let handle = handle.clone();
        async move {
            let granted = api.grant_viewer(&handle).await;
            if granted.is_ok() {
                adding.set(String::new());
                viewers.refetch();
            }
            granted
        }
    });
    let revoke = Submit::new(move |handle: &String| {
        let handle = handle.clone();
        async move {
            let revoked = api.revoke_viewer(&handle).await;
            viewers.refetch();
            revoked
        }
    });
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let handle = typed_handle(&adding.get_untracked());
        grant.dispatch(handle);
    };
    let failure = move || {
        grant
            .value()
            .and_then(|r| r.err())
            .or_else(|| revoke.value().and_then(Result::err))
    };
    view! {
        <section class="panel" aria-labelledby="viewers-heading">
            <h2 id="viewers-heading">{move || i18n.page_texts().allowed_viewers}</h2>
            <form class="row" on:submit=add>
                <label class="visually-hidden" for="add-viewer">{move || i18n.page_texts().add_viewer}</label>
                <input id="add-viewer" type="text" placeholder=move || i18n.page_texts().add_viewer prop:value=move || adding.get()
                    on:input=move |ev| adding.set(event_target_value(&ev)) />
                <button type="submit" disabled=move || grant.pending().get()>"+"</button>
            </form>
            {move || failure().map(|e| view! { <p class="error" role="alert">{e.explained(i18n)}</p> })}
            <Loaded retry=move || viewers.refetch()>
                {move || Suspend::new(async move {
                    viewers.await.map(|list| view! {
                        <ul class="list">
                            {list.into_iter().map(|viewer| {
                                let handle = viewer.handle.clone();
                                view! {
                                    <li>
                                        <span>"@"{viewer.handle.clone()}</span>
                                        <button class="secondary" on:click=move |_| { revoke.dispatch(handle.clone()); }>
                                            {i18n.page_texts().remove}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })
                })}
            </Loaded>
        </section>
    }
}
