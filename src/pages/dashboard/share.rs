//! Where the channel can be found: its address, and the code that puts its live player on
//! another site (`/embed/<handle>` in an iframe), each ready to copy.

use cloumer_api_types::MyChannel;
use cloumer_api_types::embed::{self, embed_code};
use leptos::prelude::*;

use crate::browser;
use crate::components::CopyButton;
use crate::i18n::use_i18n;

#[component]
pub fn ShareCard(channel: Signal<MyChannel>) -> impl IntoView {
    let i18n = use_i18n();
    let origin = browser::origin();
    let (handle, nickname) = channel.with_untracked(|c| {
        let s = &c.page.summary;
        (s.handle.clone(), s.owner_nickname.clone())
    });
    let private = Memo::new(move |_| channel.with(|c| c.page.summary.private));
    let link = Signal::stored(format!("{origin}/{handle}"));
    // Named as the channel's oEmbed answer names it.
    let code = Signal::stored(embed_code(
        &origin,
        &format!("/{handle}"),
        &nickname,
        embed::WIDTH,
        embed::HEIGHT,
    ));
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
