//! Marking a moment of the live broadcast ("boss fight", "giveaway"), which its past broadcast
//! lists as a chapter to jump to. Shown while live. Its words live here.

use cloumer_api_types::MarkerBody;
use leptos::prelude::*;

use crate::api::{ApiError, use_api};
use crate::i18n::use_i18n;
use crate::reactive::Submit;
use crate::time;

pub struct MarkerTexts {
    pub note: &'static str,
    pub mark: &'static str,
    /// `{0}` where in the broadcast.
    pub marked: &'static str,
}

pub const EN: MarkerTexts = MarkerTexts {
    note: "Mark this moment (a note, optional)",
    mark: "Add marker",
    marked: "Marked at {0}: your past broadcast lists it as a chapter.",
};

pub const KO: MarkerTexts = MarkerTexts {
    note: "지금 이 순간 표시 (메모, 선택)",
    mark: "마커 추가",
    marked: "{0} 지점을 표시했어요. 다시보기에 챕터로 보여요.",
};

#[component]
pub fn MarkMoment() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let api = use_api();
    let note = RwSignal::new(String::new());
    let mark = Submit::new(move |note: &String| {
        let note = note.clone();
        async move { api.add_marker(&note).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        mark.dispatch(note.get_untracked());
    };
    // A marker made clears the note for the next one.
    Effect::new(move |_| {
        if matches!(mark.value(), Some(Ok(_))) {
            note.set(String::new());
        }
    });
    let outcome = move || {
        mark.value().map(|done: Result<MarkerBody, ApiError>| match done {
            Ok(marker) => view! {
                <p role="status">{t().marked.replacen("{0}", &time::clock(marker.at_ms as f64), 1)}</p>
            }
            .into_any(),
            Err(error) => view! { <p class="error" role="alert">{error.explained(i18n)}</p> }.into_any(),
        })
    };
    view! {
        <form class="mark-moment" on:submit=submit>
            <label>{move || t().note}
                <input type="text" name="marker-note" maxlength="60" prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev)) />
            </label>
            <button type="submit" class="secondary" disabled=move || mark.pending().get()>{move || t().mark}</button>
            {outcome}
        </form>
    }
}
