//! Cloumer's browser app: the directory, channel pages with the IVS player and chat, sign-up and
//! sign-in through Cognito (or the local stand-in), and the streamer dashboard.

use std::sync::Arc;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_split_helpers::SplitLoaderError;

pub mod api;
pub mod auth;
mod browser;
pub mod chat;
mod components;
mod config;
mod decimal;
pub mod i18n;
mod json;
mod pages;
mod player;
mod push;
mod reactive;
pub mod router;
mod tab_news;
pub mod time;

/// Loads the runtime configuration, then the app.
#[component]
pub fn App() -> impl IntoView {
    let i18n = i18n::provide_i18n();
    let config = Fetch::new(config::fetch);
    view! {
        // A Transition, not a Suspense: pages read resources that refresh while shown, and a
        // refresh must not put the whole app back to "Loading…".
        <Transition fallback=move || view! { <p class="boot">{i18n.t().loading}</p> }>
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
        </Transition>
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
    // Embedded in another site's page: the player alone, no top bar, nothing to sign in to
    // (every link out opens a new tab, so the page never moves). Decided by the path as the
    // servers decide which documents may be framed: whatever else is under it shows no page.
    let embedded = location
        .path
        .get_untracked()
        .starts_with(router::EMBEDDED_PAGES);
    let page = Memo::new(move |_| match location.page() {
        page @ router::Page::Embed(_) => page,
        _ if embedded => router::Page::Embed(Box::new(router::Page::NotFound)),
        page => page,
    });
    view! {
        {(!embedded).then(|| view! { <components::TopBar /> })}
        // Focused from script after a move within the app and by the skip link
        // (router::focus_the_content).
        <main id="main" tabindex="-1" class:embedded=embedded>
            {move || match page.get() {
                router::Page::Home => view! { <pages::home::Home /> }.into_any(),
                page @ (router::Page::Channel(_)
                | router::Page::Recording(_)
                | router::Page::Video(_)
                | router::Page::Clip(_)
                | router::Page::Embed(_)
                | router::Page::Browse) => {
                    lazy_page(Arc::new(move || Box::pin(page_code!(watch_page(page.clone())))))
                }
                page @ (router::Page::SignIn
                | router::Page::SignUp
                | router::Page::Confirm
                | router::Page::Profile
                | router::Page::Notifications
                | router::Page::Reports
                | router::Page::Unsubscribe) => {
                    lazy_page(Arc::new(move || Box::pin(page_code!(account_page(page.clone())))))
                }
                router::Page::Dashboard => lazy_page(Arc::new(|| Box::pin(page_code!(dashboard_page())))),
                router::Page::NotFound => view! { <pages::NotFound /> }.into_any(),
            }}
        </main>
    }
}

// Code splitting. The shell and the home page ship in the main wasm module; the other pages come
// in three lazily loaded groups: watching (finding streams on the browse page, channel and
// recording pages: player and chat), account (sign-in, sign-up, confirmation, profile) and the
// streamer dashboard. Fewer, larger groups compress better and need fewer requests than a module
// per page (and each split point costs the main module a loader), and the home page fetches the
// watching group ahead of a click, so browsing opens at once.
//
// `cargo xtask build-web` compiles with `--cfg cloumer_split`: each `*_page` function below then
// becomes a split point (`wasm_split`, the mechanism behind Leptos' `#[lazy]`, used directly for
// its `fallible` option: a chunk that fails to download is an error the page shows with a retry
// button, not a panic that aborts the app), and xtask/src/web_split.rs splits the module after
// the build. Without the cfg (host tests, `trunk serve`) they are plain functions in one module.

type PageFuture = std::pin::Pin<Box<dyn std::future::Future<Output = PageResult>>>;
type PageResult = Result<AnyView, SplitLoaderError>;

/// The future of a page function's view: loading its code first when it is split off.
#[cfg(cloumer_split)]
macro_rules! page_code {
    ($call:expr) => {
        $call
    };
}
#[cfg(not(cloumer_split))]
macro_rules! page_code {
    ($call:expr) => {
        std::future::ready($call)
    };
}
use crate::reactive::Fetch;
use page_code;

/// Shows a page once its code has arrived (at once when it is already loaded or not split); if
/// it cannot be fetched, says so and offers to try again.
/// `load` is a trait object, not generic: one copy of this (and of the reactive machinery under
/// it) in the main module serves every group of pages.
fn lazy_page(load: Arc<dyn Fn() -> PageFuture + Send + Sync>) -> AnyView {
    let i18n = i18n::use_i18n();
    let attempt = RwSignal::new(0_u32);
    view! {
        <Transition fallback=move || {
            view! { <p class="muted" role="status">{move || i18n.t().loading}</p> }
        }>
            {move || {
                attempt.track();
                let page = SendWrapper::new(load());
                Suspend::new(async move {
                    match page.await {
                        Ok(view) => view,
                        Err(_) => view! {
                            <section class="narrow" role="alert">
                                <p>{move || i18n.t().error_generic}</p>
                                <button on:click=move |_| attempt.update(|n| *n += 1)>
                                    {move || i18n.t().retry}
                                </button>
                            </section>
                        }
                        .into_any(),
                    }
                })
            }}
        </Transition>
    }
    .into_any()
}

#[cfg_attr(
    cloumer_split,
    wasm_split_helpers::wasm_split(watch, fallible, preload(preload_watch_page))
)]
fn watch_page(page: router::Page) -> PageResult {
    Ok(match page {
        router::Page::Recording(id) => view! { <pages::recording::Recording id=id /> }.into_any(),
        router::Page::Clip(id) => view! { <pages::clip::Clip id=id /> }.into_any(),
        router::Page::Video(id) => view! { <pages::video::Video id=id /> }.into_any(),
        router::Page::Browse => view! { <pages::browse::Browse /> }.into_any(),
        router::Page::Channel(handle) => {
            view! { <pages::channel::Channel handle=handle /> }.into_any()
        }
        router::Page::Embed(page) => pages::embed::embedded(*page),
        _ => view! { <pages::NotFound /> }.into_any(),
    })
}

#[cfg_attr(cloumer_split, wasm_split_helpers::wasm_split(account, fallible))]
fn account_page(page: router::Page) -> PageResult {
    Ok(match page {
        router::Page::SignIn => view! { <pages::auth::SignIn /> }.into_any(),
        router::Page::SignUp => view! { <pages::auth::SignUp /> }.into_any(),
        router::Page::Confirm => view! { <pages::auth::Confirm /> }.into_any(),
        router::Page::Profile => view! { <pages::profile::Profile /> }.into_any(),
        router::Page::Notifications => view! { <pages::notifications::Notifications /> }.into_any(),
        router::Page::Unsubscribe => view! { <pages::unsubscribe::Unsubscribe /> }.into_any(),
        router::Page::Reports => view! { <pages::reports::Reports /> }.into_any(),
        _ => view! { <pages::NotFound /> }.into_any(),
    })
}

#[cfg_attr(cloumer_split, wasm_split_helpers::wasm_split(dashboard, fallible))]
fn dashboard_page() -> PageResult {
    Ok(view! { <pages::dashboard::Dashboard /> }.into_any())
}

/// What only signed-in visitors see outside the pages: the notification bell and the home page's
/// "Following" row. Split off: a signed-out visitor of the home page needs none of it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum MemberPart {
    Bell,
    FollowingRow,
    Session,
}

#[cfg_attr(cloumer_split, wasm_split_helpers::wasm_split(member, fallible))]
fn member_part_view(part: MemberPart) -> PageResult {
    Ok(match part {
        MemberPart::Bell => view! { <components::bell::Bell /> }.into_any(),
        MemberPart::FollowingRow => view! { <pages::home::FollowingRow /> }.into_any(),
        MemberPart::Session => view! { <components::session::SessionControls /> }.into_any(),
    })
}

/// A signed-in part once its code has arrived: nothing until then, and nothing if it cannot be
/// fetched (the page works without it; the next visit tries again).
pub(crate) fn member_part(part: MemberPart) -> AnyView {
    view! {
        <Transition fallback=|| ()>
            {move || {
                let code: PageFuture = Box::pin(page_code!(member_part_view(part)));
                let code = SendWrapper::new(code);
                Suspend::new(async move { code.await.unwrap_or_else(|_| ().into_any()) })
            }}
        </Transition>
    }
    .into_any()
}

/// Fetches the watching pages' code in the background, so that a click from the directory opens
/// the player without waiting for it. A failure is retried when the page is opened.
pub(crate) fn preload_watch_pages() {
    #[cfg(cloumer_split)]
    leptos::task::spawn_local(async {
        let _ = preload_watch_page().await;
    });
}
