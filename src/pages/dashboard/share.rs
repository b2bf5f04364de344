//! Where the channel can be found: its address, and the code that puts its live player on
//! another site (`/embed/<handle>` in an iframe), each ready to copy.

use cloumer_api_types::MyChannel;
use leptos::prelude::*;

use crate::browser;
use crate::components::CopyButton;
use crate::i18n::use_i18n;

/// The iframe another site pastes: 16:9, allowed to play with sound once the viewer unmutes, to
/// go full screen and picture-in-picture. Handles are letters, digits and `_`: nothing to escape.
fn embed_code(origin: &str, handle: &str) -> String {
    format!(
        "<iframe src=\"{origin}/embed/{handle}\" width=\"640\" height=\"360\" allow=\"autoplay; fullscreen; picture-in-picture\" allowfullscreen title=\"{handle} · Cloumer\"></iframe>"
    )
}

#[component]
pub fn ShareCard(channel: Signal<MyChannel>) -> impl IntoView {
    let i18n = use_i18n();
    let origin = browser::origin();
    let handle = channel.with_untracked(|c| c.page.summary.handle.clone());
    let private = Memo::new(move |_| channel.with(|c| c.page.summary.private));
    let link = Signal::stored(format!("{origin}/{handle}"));
    let code = Signal::stored(embed_code(&origin, &handle));
    view! {
        <section class="panel" aria-labelledby="share-heading">
            <h2 id="share-heading">{move || i18n.page_texts().share_title}</h2>
            <label for="channel-link">{move || i18n.page_texts().channel_link}</label>
            <div class="row">
                <input id="channel-link" type="text" readonly prop:value=move || link.get() />
                <CopyButton text=link what=move || i18n.page_texts().channel_link />
            </div>
            <label for="embed-code">{move || i18n.page_texts().embed_code}</label>
            <div class="row">
                <textarea id="embed-code" readonly rows="3" spellcheck="false" data-testid="embed-code"
                    prop:value=move || code.get()></textarea>
                <CopyButton text=code what=move || i18n.page_texts().embed_code />
            </div>
            <p class="muted">{move || i18n.page_texts().embed_explained}</p>
            {move || private.get().then(|| view! {
                <p class="muted">{move || i18n.page_texts().embed_private_note}</p>
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embed_code_frames_the_channels_player_page() {
        assert_eq!(
            embed_code("https://cloumer.example", "mina_99"),
            "<iframe src=\"https://cloumer.example/embed/mina_99\" width=\"640\" height=\"360\" allow=\"autoplay; fullscreen; picture-in-picture\" allowfullscreen title=\"mina_99 · Cloumer\"></iframe>"
        );
    }
}
