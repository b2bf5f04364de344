//! Cloumer browser app.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

pub mod api;

/// The whole app: routes and the page frame.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <header class="topbar">
                <a class="brand" href="/">"Cloumer"</a>
            </header>
            <main>
                <Routes fallback=|| view! { <p>"Page not found."</p> }>
                    <Route path=path!("/") view=Home />
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn Home() -> impl IntoView {
    let health = LocalResource::new(api::health);
    view! {
        <h1>"Cloumer"</h1>
        <p class="api-status">
            <Suspense fallback=|| "Connecting to the API…">
                {move || Suspend::new(async move {
                    match health.await {
                        Ok(h) => format!("API {} ({}, v{})", h.status, h.environment, h.version),
                        Err(e) => format!("API unreachable: {e}"),
                    }
                })}
            </Suspense>
        </p>
    }
}
