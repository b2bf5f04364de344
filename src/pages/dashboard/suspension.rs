//! The notice a suspended channel's owner sees on top of the dashboard: what the suspension
//! means, the rule staff found broken and since when, and their appeal (one per suspension:
//! their words, then when they sent it, and when staff kept the suspension on it).

use cloumer_api_types::MyChannel;
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::report::{EN, KO, MAX_DETAILS};
use crate::components::{ago_text, until_text};
use crate::i18n::use_i18n;
use crate::reactive::Submit;

#[component]
pub fn SuspendedNotice(
    channel: Signal<MyChannel>,
    /// Called once an appeal is sent (the dashboard reads the channel again).
    on_appealed: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let words = move || i18n.pick(&EN, &KO);
    let api = use_api();
    let why = move || {
        channel.with(|c| {
            let rule = c.suspended_for.map(|ground| words().rule_broken_by(ground));
            let since = c.suspended_since.as_deref().map(ago_text);
            let until = Some(
                c.suspended_until
                    .as_deref()
                    .map_or_else(|| words().until_lifted.to_owned(), until_text),
            );
            [rule, since, until]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ")
        })
    };
    let appeal =
        Memo::new(move |_| channel.with(|c| (c.appealed_at.clone(), c.appeal_rejected_at.clone())));
    let text = RwSignal::new(String::new());
    let send = Submit::new(move |text: &String| {
        let text = text.clone();
        async move {
            api.appeal_suspension(&text)
                .await
                .map_err(|e| e.explained(i18n))?;
            on_appealed();
            Ok::<(), String>(())
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send.dispatch(text.get_untracked());
    };
    view! {
        <div class="error suspended-notice" role="alert">
            <p>{move || words().yours_suspended}</p>
            <p data-testid="suspended-why">{why}</p>
        </div>
        <section class="panel appeal" aria-labelledby="appeal-heading" data-testid="appeal">
            <h2 id="appeal-heading">{move || words().appeal}</h2>
            {move || match appeal.get() {
                (_, Some(kept)) => view! {
                    <p class="hint" role="status">{words().appeal_kept.replace("{}", &ago_text(&kept))}</p>
                }.into_any(),
                (Some(at), None) => view! {
                    <p class="hint" role="status">{words().appealed.replace("{}", &ago_text(&at))}</p>
                }.into_any(),
                (None, None) => view! {
                    <form class="stack" on:submit=submit>
                        <label>{move || words().appeal_words}
                            <textarea name="appeal-words" rows="4" maxlength=MAX_DETAILS required=true
                                prop:value=move || text.get()
                                on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                        </label>
                        {move || send.value().and_then(Result::err).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                        <div class="row">
                            <button type="submit" disabled=move || text.with(|t| t.trim().is_empty()) || send.pending().get()>
                                {move || if send.pending().get() { words().sending } else { words().send_appeal }}
                            </button>
                        </div>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}
