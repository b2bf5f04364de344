//! The follow button beside a channel's name, with its follower count.

use leptos::prelude::*;

use crate::api::use_api;
use crate::auth::use_session;
use crate::i18n::use_i18n;

/// Follow or unfollow `handle`. Signed out, it leads to sign-in; on one's own channel only the
/// count shows. The count and state come from the server's answer, never guessed.
#[component]
pub fn FollowButton(handle: String, following: bool, followers: u64, own: bool) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let state = RwSignal::new((following, followers));
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let handle = StoredValue::new(handle);
    // A task and two signals rather than a Leptos `Action`: the same behaviour for a fraction of
    // the wasm each `Action` type brings (measured with `cargo xtask build-web`).
    let toggle = move |follow: bool| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let handle = handle.get_value();
            let answer = if follow {
                api.follow(&handle).await
            } else {
                api.unfollow(&handle).await
            };
            match answer {
                Ok(body) => {
                    state.set((body.following, body.followers));
                    error.set(None);
                }
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    let button = move || {
        if own {
            return ().into_any();
        }
        if !session.signed_in() {
            return view! { <a href="/signin" class="button follow">{i18n.t().follow}</a> }
                .into_any();
        }
        let following = state.get().0;
        view! {
            <button type="button" class="follow" class:secondary=following
                aria-pressed=following.to_string()
                disabled=move || busy.get()
                on:click=move |_| toggle(!following)>
                <span class="when-idle">{if following { i18n.t().following_state } else { i18n.t().follow }}</span>
                {following.then(|| view! { <span class="when-hover">{i18n.t().unfollow}</span> })}
            </button>
        }
        .into_any()
    };
    view! {
        <div class="follow-box">
            <span class="followers" data-testid="followers">{move || i18n.followers(state.get().1)}</span>
            {button}
            {move || error.get().map(|message| view! { <span class="error" role="alert">{message}</span> })}
        </div>
    }
}
