//! One routed page per module.

pub mod auth;
pub mod browse;
pub mod channel;
pub mod clip;
pub mod dashboard;
pub mod embed;
pub mod home;
pub mod notifications;
pub mod profile;
pub mod recording;
pub mod reports;
mod stream_summary;
pub mod unsubscribe;
pub mod video;

use leptos::prelude::*;

use crate::i18n::use_i18n;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    crate::components::name_page(move || Some(i18n.t().page_not_found.to_owned()));
    view! {
        <section class="narrow">
            <h1>"404"</h1>
            <p>{move || i18n.t().not_found}</p>
            <a href="/">{move || i18n.t().back_home}</a>
        </section>
    }
}
