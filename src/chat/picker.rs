//! The emoji button beside the send box: the channel's own emotes first, then common emoji;
//! choosing one puts it where the caret is in the message being written.

use leptos::html;
use leptos::prelude::*;

use crate::chat::ChatClient;
use crate::chat::emotes::{EMOJI, EMOTE_HEIGHT, emote_width, insert_at};
use crate::i18n::use_i18n;

/// The picker for the send box `input`, whose text is `draft`.
#[component]
pub fn EmotePicker(
    chat: ChatClient,
    draft: RwSignal<String>,
    input: NodeRef<html::Input>,
) -> impl IntoView {
    let i18n = use_i18n();
    let menu = NodeRef::<html::Details>::new();
    let choose = move |text: String| {
        let field = input.get_untracked();
        let caret = field
            .as_ref()
            .and_then(|f| f.selection_start().ok().flatten())
            .map(|at| at as usize);
        let (next, caret) = draft.with_untracked(|d| insert_at(d, caret, &text));
        draft.set(next.clone());
        if let Some(field) = field {
            // The input shows the new text at once (not on the next render), so the caret can
            // go after what was inserted.
            field.set_value(&next);
            let _ = field.focus();
            let _ = field.set_selection_range(caret as u32, caret as u32);
        }
        if let Some(menu) = menu.get_untracked() {
            menu.set_open(false);
        }
    };
    view! {
        <details class="emote-picker" node_ref=menu>
            <summary aria-label=move || i18n.page_texts().emote_picker title=move || i18n.page_texts().emote_picker>
                <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="currentColor" d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16zm-3.5-9a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zm7 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zM12 17.5c2.3 0 4.3-1.4 5.1-3.5H6.9c.8 2.1 2.8 3.5 5.1 3.5z"/></svg>
            </summary>
            <div class="emote-picker-body">
                {move || (!chat.emotes.with(Vec::is_empty)).then(|| view! {
                    <h3>{i18n.page_texts().channel_emotes}</h3>
                    <ul class="emote-grid">
                        {chat.emotes.get().into_iter().map(|emote| {
                            let code = format!(":{}:", emote.code);
                            let (insert, title) = (code.clone(), code.clone());
                            view! {
                                <li><button type="button" class="emote-choice" title=title
                                    on:click=move |_| choose(insert.clone())>
                                    <img src=emote.url.clone() alt=code height=EMOTE_HEIGHT.to_string()
                                        width=emote_width(emote.width, emote.height).to_string() />
                                </button></li>
                            }
                        }).collect_view()}
                    </ul>
                })}
                <h3>{move || i18n.page_texts().emoji}</h3>
                <ul class="emote-grid emoji-grid">
                    {EMOJI.into_iter().map(|emoji| view! {
                        <li><button type="button" class="emoji-choice" on:click=move |_| choose(emoji.to_owned())>{emoji}</button></li>
                    }).collect_view()}
                </ul>
            </div>
        </details>
    }
}
