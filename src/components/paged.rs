//! A list read a page at a time: where the next page starts, and the states around it (failed
//! with a retry, empty, "load more"), the same for every such list.

use std::future::Future;

use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::use_i18n;

/// The paging state of one list; its items live in the caller's own signal.
#[derive(Clone, Copy)]
pub struct Paging {
    next: RwSignal<Option<String>>,
    loaded: RwSignal<bool>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
    /// Moves on each reset: an answer for the list as it was before is dropped.
    generation: StoredValue<u32>,
}

impl Paging {
    pub fn new() -> Self {
        Self {
            next: RwSignal::new(None),
            loaded: RwSignal::new(false),
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
            generation: StoredValue::new(0),
        }
    }

    /// Starts the list over (a new search): empties `items`, and answers still on their way
    /// for the old list will not land in the new one.
    pub fn reset<T: Send + Sync + 'static>(self, items: RwSignal<Vec<T>>) {
        self.generation.update_value(|g| *g = g.wrapping_add(1));
        items.set(Vec::new());
        self.next.set(None);
        self.loaded.set(false);
        self.busy.set(false);
        self.error.set(None);
    }

    /// Fetches the page at `cursor` (the first when `None`) and appends its items to `items`.
    /// A task and signals rather than an `Action`: the same behaviour in less wasm.
    pub fn load<T, Fut>(
        self,
        items: RwSignal<Vec<T>>,
        cursor: Option<String>,
        fetch: impl FnOnce(Option<String>) -> Fut + 'static,
    ) where
        T: Send + Sync + 'static,
        Fut: Future<Output = Result<(Vec<T>, Option<String>), ApiError>> + 'static,
    {
        self.busy.set(true);
        let generation = self.generation.get_value();
        leptos::task::spawn_local(async move {
            let answer = fetch(cursor).await;
            if self.generation.get_value() != generation {
                return;
            }
            match answer {
                Ok((page, next)) => {
                    items.update(|list| list.extend(page));
                    self.next.set(next);
                    self.loaded.set(true);
                    self.error.set(None);
                }
                Err(e) => self.error.set(Some(e)),
            }
            self.busy.set(false);
        });
    }
}

/// Around a paged list: the failure with a retry (of the page that failed: `next` only moves on
/// success), `empty` when nothing came, and "load more"
/// while there is more. `more` loads the page at the given cursor.
#[component]
pub fn PageStatus(
    paging: Paging,
    #[prop(into)] is_empty: Signal<bool>,
    /// What to say when nothing came (a closure, so it follows the language).
    #[prop(into)]
    empty: Signal<&'static str>,
    more: Callback<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let Paging {
        next,
        loaded,
        busy,
        error,
        ..
    } = paging;
    view! {
        {move || error.get().map(|e| view! {
            <p class="error" role="alert">{e.explained(i18n)}" "
                <button type="button" class="link" on:click=move |_| more.run(next.get_untracked())>{i18n.t().retry}</button>
            </p>
        })}
        {move || (loaded.get() && is_empty.get()).then(|| view! { <p class="empty">{move || empty.get()}</p> })}
        {move || next.get().map(|cursor| view! {
            <button type="button" class="secondary" disabled=move || busy.get()
                on:click=move |_| more.run(Some(cursor.clone()))>{i18n.t().load_more}</button>
        })}
    }
}
