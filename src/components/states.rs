//! The states every page shows the same way: loading, failed (with a retry), saved, and the
//! sign-in a page needs.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::auth::use_session;
use crate::i18n::use_i18n;

/// Shows `children` (which read resources inside `Suspend`) with one look for every page: a
/// status line while the first answer is on its way, the previous content while a refresh is
/// (`Transition`), and the failure with a retry button when a load failed (`ErrorBoundary`).
#[component]
pub fn Loaded(
    /// Runs again what failed (usually `resource.refetch()`).
    #[prop(into)]
    retry: Callback<()>,
    children: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Transition fallback=move || view! { <p class="muted" role="status">{move || i18n.t().loading}</p> }>
            <ErrorBoundary fallback=move |errors| view! { <Failed errors=errors retry=retry /> }>
                {children()}
            </ErrorBoundary>
        </Transition>
    }
}

/// What failed, and a way to try again. A device that is offline is told so, in words, not with
/// the browser's "Failed to fetch"; and when the connection comes back, the load runs again by
/// itself.
#[component]
fn Failed(errors: ArcRwSignal<Errors>, retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let offline = !crate::browser::window().navigator().on_line();
    let back_online = window_event_listener(leptos::ev::online, move |_| retry.run(()));
    on_cleanup(move || back_online.remove());
    let message = move || {
        errors
            .get()
            .into_iter()
            .next()
            .filter(|_| !offline)
            .map(|(_, error)| error.to_string())
            .unwrap_or_default()
    };
    view! {
        <div class="failed" role="alert">
            <p>{move || if offline { i18n.t().network_offline } else { i18n.t().error_generic }}</p>
            <p class="muted">{message}</p>
            <button type="button" class="secondary" on:click=move |_| retry.run(())>
                {move || i18n.t().retry}
            </button>
        </div>
    }
}

/// Renders `children` for a signed-in user; sends anyone else to the sign-in page.
#[component]
pub fn RequireSignIn(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = crate::router::use_location();
    move || {
        if session.signed_in() {
            children().into_any()
        } else {
            location.redirect("/signin");
            ().into_any()
        }
    }
}

/// The outcome of saving a form: "Saved" or the server's reason, announced to assistive
/// technology. `outcome` is usually an action's value.
#[component]
pub fn SaveStatus<T>(#[prop(into)] outcome: Signal<Option<Result<T, ApiError>>>) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    move || match outcome.get() {
        Some(Ok(_)) => view! { <p class="info" role="status">{i18n.t().saved}</p> }.into_any(),
        Some(Err(error)) => {
            view! { <p class="error" role="alert">{error.explained(i18n)}</p> }.into_any()
        }
        None => ().into_any(),
    }
}
