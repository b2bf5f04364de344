//! Cloumer's browser app: the directory, channel pages with the IVS player and chat, sign-up and
//! sign-in through Cognito (or the local stand-in), and the streamer dashboard.

use leptos::prelude::*;

pub mod api;
pub mod auth;
mod browser;
pub mod chat;
mod chat_panel;
mod components;
mod config;
pub mod i18n;
mod pages;
mod player;
pub mod router;
pub mod time;

/// Loads the runtime configuration, then the app.
#[component]
pub fn App() -> impl IntoView {
    let i18n = i18n::provide_i18n();
    let config = LocalResource::new(config::fetch);
    view! {
        <Suspense fallback=move || view! { <p class="boot">{i18n.t().loading}</p> }>
            {move || Suspend::new(async move {
                match config.await {
                    Ok(config) => view! { <Shell config=config /> }.into_any(),
                    Err(error) => view! {
                        <div class="boot" role="alert">
                            <p>{i18n.t().error_generic}</p>
                            <p class="muted">{error}</p>
                        </div>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Shell(config: cloumer_api_types::RuntimeConfig) -> impl IntoView {
    let session = auth::provide_session(auth::Cognito {
        endpoint: config.cognito_endpoint.clone(),
        client_id: config.cognito_client_id.clone(),
    });
    provide_context(api::Api::new(config.api_base.clone(), session));
    provide_context(config::Config(config));
    let location = router::provide_location();
    let page = Memo::new(move |_| location.page());
    view! {
        <components::TopBar />
        <main id="main">
            {move || match page.get() {
                router::Page::Home => view! { <pages::home::Home /> }.into_any(),
                router::Page::SignIn => view! { <pages::auth::SignIn /> }.into_any(),
                router::Page::SignUp => view! { <pages::auth::SignUp /> }.into_any(),
                router::Page::Confirm => view! { <pages::auth::Confirm /> }.into_any(),
                router::Page::Profile => view! { <pages::profile::Profile /> }.into_any(),
                router::Page::Dashboard => view! { <pages::dashboard::Dashboard /> }.into_any(),
                router::Page::Recording(id) => view! { <pages::recording::Recording id=id /> }.into_any(),
                router::Page::Channel(handle) => view! { <pages::channel::Channel handle=handle /> }.into_any(),
                router::Page::NotFound => view! { <pages::NotFound /> }.into_any(),
            }}
        </main>
    }
}
