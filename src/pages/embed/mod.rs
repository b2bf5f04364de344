//! `/embed/<page>`: a page's player alone, for other sites to put in an iframe (the only pages
//! the site lets others frame): a channel's live player, or a clip, past broadcast or video.
//! Nothing here acts for a signed-in viewer: a framing page could trick a click onto it
//! (clickjacking), so following, chat and clip-making stay on the page itself, one link away in
//! a new tab. Private channels and videos do not play here: their viewers are checked on the
//! site itself.

mod channel;
mod recorded;

use leptos::prelude::*;

use crate::i18n::{PageTexts, use_i18n};
use crate::router::Page;

/// The embedded player of `page` (what the path after `/embed` names); a page with no player
/// of its own shows none of the app.
pub fn embedded(page: Page) -> AnyView {
    use recorded::{EmbedRecorded, Kind};
    match page {
        Page::Channel(handle) => view! { <channel::EmbedChannel handle=handle /> }.into_any(),
        Page::Clip(id) => view! { <EmbedRecorded kind=Kind::Clip id=id /> }.into_any(),
        Page::Recording(id) => view! { <EmbedRecorded kind=Kind::Recording id=id /> }.into_any(),
        Page::Video(id) => view! { <EmbedRecorded kind=Kind::Video id=id /> }.into_any(),
        _ => view! { <div class="embed">{notice(|t| t.embed_missing)}</div> }.into_any(),
    }
}

/// What the player area says instead of playing.
fn notice(text: fn(&PageTexts) -> &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="player offline" role="status">
            <p>{move || text(i18n.page_texts())}</p>
        </div>
    }
}

/// The link to the page itself, in a new tab: the embed never moves away from its player.
/// `name` is what it plays (the streamer's name for a channel), `by` whose it is.
#[component]
fn EmbedLink(href: String, name: String, #[prop(optional)] by: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="embed-link" href=href target="_blank" rel="noopener">
            <strong>{name}</strong>
            {by.map(|by| format!(" · {by}"))}
            " · "
            {move || i18n.page_texts().watch_on_cloumer}
        </a>
    }
}
