//! The follow button beside a channel's name, with its follower count.

use leptos::prelude::*;

use crate::api::{ApiError, use_api};
use crate::auth::use_session;
use crate::i18n::use_i18n;
use crate::tab_news::{self, TabNews};

/// Follow or unfollow `handle`. Signed out, it leads to sign-in; on one's own channel only the
/// count shows. The count and state come from the server's answer, never guessed (here or in
/// another tab of the browser, which tells this one); `on_change` hears when the user now
/// follows, or no longer does.
#[component]
pub fn FollowButton(
    handle: String,
    following: bool,
    followers: u64,
    notify: bool,
    own: bool,
    #[prop(optional)] on_change: Option<Callback<bool>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let state = RwSignal::new((following, followers));
    let notifying = RwSignal::new(notify);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let handle = StoredValue::new(handle);
    let now = move |following: bool, followers: u64| {
        let changed = state.get_untracked().0 != following;
        state.set((following, followers));
        if let Some(on_change) = on_change.filter(|_| changed) {
            on_change.run(following);
        }
    };
    tab_news::listen_while_mounted(move |news| {
        if let TabNews::Follow {
            handle: followed,
            following,
            followers,
        } = news
            && followed == handle.get_value()
        {
            now(following, followers);
        }
    });
    // A task and two signals rather than a Leptos `Action`: the same behaviour for a fraction of
    // the wasm each `Action` type brings (measured with `cargo xtask build-web`).
    // `Some(on)` turns notifications on or off; `None` follows or unfollows.
    let change = move |follow: bool, notify: Option<bool>| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let handle = handle.get_value();
            let answer = match notify {
                Some(on) => api.set_follow_notify(&handle, on).await,
                None if follow => api.follow(&handle).await,
                None => api.unfollow(&handle).await,
            };
            match answer {
                Ok(body) => {
                    if notify.is_none() {
                        tab_news::tell(&TabNews::Follow {
                            handle: handle.clone(),
                            following: body.following,
                            followers: body.followers,
                        });
                    }
                    now(body.following, body.followers);
                    notifying.set(body.notify);
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
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
                on:click=move |_| change(!following, None)>
                <span class="when-idle">{if following { i18n.t().following_state } else { i18n.t().follow }}</span>
                {following.then(|| view! { <span class="when-hover">{i18n.t().unfollow}</span> })}
            </button>
            {following.then(|| view! {
                <button type="button" class="notify secondary" title=i18n.t().notify_live
                    aria-label=i18n.t().notify_live aria-pressed=move || notifying.get().to_string()
                    disabled=move || busy.get() on:click=move |_| change(true, Some(!notifying.get_untracked()))>
                    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"/><path class="slash" d="M3 3l18 18" stroke="currentColor" stroke-width="2.5"/></svg>
                </button>
            })}
        }
        .into_any()
    };
    view! {
        <div class="follow-box">
            <span class="followers" data-testid="followers">{move || i18n.followers(state.get().1)}</span>
            {button}
            {move || error.get().map(|e| view! { <span class="error" role="alert">{e.explained(i18n)}</span> })}
        </div>
    }
}
