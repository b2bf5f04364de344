//! The channel's custom emotes: upload an image under a code (again to replace it), see them as
//! viewers will, remove them. The server checks the file; its refusal is shown as it says it.

use leptos::html;
use leptos::prelude::*;

use crate::api::{ApiError, use_api};
use crate::components::Loaded;
use crate::i18n::use_i18n;
use crate::reactive::{Fetch, Submit};

/// What the server accepts, for the file picker (it checks the bytes, not this).
const ACCEPT: &str = "image/png,image/gif,image/webp";
/// The server's limit, checked here too so a large file is not sent only to be refused.
const MAX_BYTES: f64 = 256.0 * 1024.0;

#[component]
pub fn EmotesCard(handle: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let handle = StoredValue::new(handle);
    let emotes = Fetch::new(move || async move { api.channel_emotes(&handle.get_value()).await });
    let code = RwSignal::new(String::new());
    let file_input = NodeRef::<html::Input>::new();
    let upload = Submit::new(move |(code, file): &(String, web_sys::File)| {
        let (code, file) = (code.clone(), file.clone());
        async move {
            let uploaded = api.put_emote(&code, file).await;
            emotes.refetch();
            uploaded.map(drop)
        }
    });
    let remove = Submit::new(move |code: &String| {
        let code = code.clone();
        async move {
            let removed = api.remove_emote(&code).await;
            emotes.refetch();
            removed
        }
    });
    // Why the form did not send: no file chosen, or one too large.
    let unsent = RwSignal::new(None::<&'static str>);
    // A successful upload clears the form for the next one.
    Effect::new(move |_| {
        if let Some(Ok(())) = upload.value() {
            code.set(String::new());
            if let Some(input) = file_input.get_untracked() {
                input.set_value("");
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let file = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        // Only this attempt's outcome is shown.
        upload.clear();
        remove.clear();
        let t = i18n.page_texts();
        match file {
            None => unsent.set(Some(t.choose_image)),
            Some(file) if file.size() > MAX_BYTES => unsent.set(Some(t.emote_too_large)),
            Some(file) => {
                unsent.set(None);
                let typed = code.get_untracked().trim().trim_matches(':').to_owned();
                upload.dispatch((typed, file));
            }
        }
    };
    let failure = move || -> Option<ApiError> {
        upload
            .value()
            .and_then(Result::err)
            .or_else(|| remove.value().and_then(Result::err))
    };
    view! {
        <section class="panel" aria-labelledby="emotes-heading">
            <h2 id="emotes-heading">{move || i18n.page_texts().emotes}</h2>
            <p class="muted">{move || i18n.page_texts().emotes_hint}</p>
            <form class="emote-upload" on:submit=submit>
                <label>
                    <span>{move || i18n.page_texts().emote_code}</span>
                    <input id="emote-code" type="text" required minlength="2" maxlength="24"
                        pattern="[A-Za-z0-9_]*[A-Za-z][A-Za-z0-9_]*" autocomplete="off" placeholder="Hype"
                        prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev)) />
                </label>
                <label>
                    <span>{move || i18n.page_texts().emote_file}</span>
                    <input id="emote-file" type="file" accept=ACCEPT node_ref=file_input />
                </label>
                <button type="submit" disabled=move || upload.pending().get()>{move || i18n.page_texts().upload_emote}</button>
            </form>
            {move || unsent.get().map(|why| view! { <p class="error" role="alert">{why}</p> })}
            {move || failure().map(|e| view! { <p class="error" role="alert">{e.explained(i18n)}</p> })}
            <Loaded retry=move || emotes.refetch()>
                {move || Suspend::new(async move {
                    emotes.await.map(|list| if list.is_empty() {
                        view! { <p class="muted">{i18n.page_texts().no_emotes}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="emote-list">
                                {list.into_iter().map(|emote| {
                                    let target = emote.code.clone();
                                    let label = format!(":{}:", emote.code);
                                    view! {
                                        <li data-code=emote.code.clone()>
                                            <img src=emote.url.clone() alt=label.clone() title=label.clone()
                                                width=emote.width.to_string() height=emote.height.to_string() />
                                            <code>{label}</code>
                                            <button class="secondary" on:click=move |_| { remove.dispatch(target.clone()); }>
                                                {i18n.page_texts().remove}
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    })
                })}
            </Loaded>
        </section>
    }
}
