//! Sharing a channel, clip or video from its page: its address to copy, and for a public one
//! the code that plays it on another site (its `/embed/…` page in an iframe). A past broadcast or video
//! can be shared from a moment of it (`?t=<seconds>`, as other video sites write it), which its
//! page and its embedded player start at.

use cloumer_api_types::embed::{self, embed_code};
use leptos::prelude::*;

use crate::components::CopyButton;
use crate::i18n::use_i18n;

/// `page` is its path on the site; `link_name` names the address ("Clip link"). A private one
/// gets no embed code: embedded, it would only say that it plays here. With `position` (where
/// its player is, in seconds), the viewer may share it from there.
#[component]
pub fn ShareVideo(
    page: String,
    title: String,
    #[prop(into)] link_name: Signal<&'static str>,
    private: bool,
    #[prop(optional)] position: Option<RwSignal<f64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let origin = StoredValue::new(crate::browser::origin());
    let (page, title) = (StoredValue::new(page), StoredValue::new(title));
    // The moment chosen, in whole seconds, kept from when the box was ticked.
    let start = RwSignal::new(None::<u32>);
    let shared = move || {
        let page = page.get_value();
        match start.get() {
            Some(seconds) if seconds > 0 => format!("{page}?t={seconds}"),
            _ => page,
        }
    };
    // The address to share: this page's, whoever opens it sees what they may.
    let link = Signal::derive(move || format!("{}{}", origin.get_value(), shared()));
    let code = Signal::derive(move || {
        title.with_value(|title| {
            embed_code(
                &origin.get_value(),
                &shared(),
                title,
                embed::WIDTH,
                embed::HEIGHT,
            )
        })
    });
    let start_at = position.map(|position| {
        // Read on each of the player's 4 moves a second; the label's text node is written only
        // when the clock it shows changes (Leptos compares the text), and a `Memo` to skip the
        // formatting cost 1.0 KB of wasm.
        let whole = move || position.get().max(0.0) as u32;
        let shown =
            move || crate::time::clock(f64::from(start.get().unwrap_or_else(whole)) * 1000.0);
        view! {
            <label class="check share-start">
                <input type="checkbox" name="share-start" prop:checked=move || start.get().is_some()
                    on:change=move |ev| start.set(event_target_checked(&ev).then(whole))
                />
                {move || i18n.page_texts().start_at}" "{shown}
            </label>
        }
    });
    view! {
        <div class="video-share">
            <div class="row">
                <span class="muted share-link">{link}</span>
                <CopyButton text=link what=link_name />
            </div>
            {start_at}
            {(!private).then(|| view! {
                <details class="share-embed">
                    <summary>{move || i18n.page_texts().embed}</summary>
                    <div class="row">
                        <textarea readonly rows="3" spellcheck="false" data-testid="embed-code"
                            aria-label=move || i18n.page_texts().embed_code
                            prop:value=code></textarea>
                        <CopyButton text=code what=move || i18n.page_texts().embed_code />
                    </div>
                </details>
            })}
        </div>
    }
}

/// Where the page's address asks its recording to start (`?t=`), in seconds.
pub fn linked_start() -> Option<f64> {
    let query = crate::router::use_location().query.get_untracked();
    let t = crate::router::query_value(&query, "t")?;
    embed::start_offset(&t).map(f64::from)
}
