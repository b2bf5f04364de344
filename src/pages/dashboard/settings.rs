//! The channel's settings: title, category, the language it streams in, latency, video
//! qualities, privacy, recording, whether it is for adults, and whose raids it takes.
//!
//! The words only this card uses are here rather than in the shared texts, which ship with the
//! first page; this card's code does not.

use cloumer_api_types::{MyChannel, UpdateChannel};
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::{SaveStatus, language_options};
use crate::i18n::use_i18n;
use crate::reactive::{Fetch, Submit};

struct SettingsTexts {
    qualities: &'static str,
    standard: &'static str,
    basic: &'static str,
    qualities_hint: &'static str,
    raids: &'static str,
    raids_everyone: &'static str,
    raids_followed: &'static str,
    raids_nobody: &'static str,
    mature: &'static str,
    mature_hint: &'static str,
    language: &'static str,
    choose_language: &'static str,
}

const EN: SettingsTexts = SettingsTexts {
    qualities: "Video qualities",
    standard: "Several (viewers choose)",
    basic: "Source only",
    qualities_hint: "From your next broadcast on.",
    raids: "Take raids from",
    raids_everyone: "Everyone",
    raids_followed: "Channels I follow",
    raids_nobody: "No one",
    mature: "Mature content (18+)",
    mature_hint: "Viewers are warned before your streams, past broadcasts, clips and videos play.",
    language: "Stream language",
    choose_language: "Choose the language you stream in",
};

const KO: SettingsTexts = SettingsTexts {
    qualities: "영상 화질",
    standard: "여러 화질 (시청자 선택)",
    basic: "원본만",
    qualities_hint: "다음 방송부터 적용돼요.",
    raids: "습격 받기",
    raids_everyone: "모든 채널",
    raids_followed: "내가 팔로우하는 채널",
    raids_nobody: "받지 않기",
    mature: "성인용 콘텐츠 (18+)",
    mature_hint: "방송, 지난 방송, 클립, 동영상을 재생하기 전에 시청자에게 알려요.",
    language: "방송 언어",
    choose_language: "방송하는 언어를 고르세요",
};

#[component]
pub fn SettingsCard(
    channel: Signal<MyChannel>,
    /// After a save, so the rest of the dashboard shows the new settings.
    #[prop(into)]
    on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    // The form starts from the channel as loaded and then keeps what the streamer types.
    let initial = channel.get_untracked();
    let title = RwSignal::new(initial.page.summary.title.clone());
    let category = RwSignal::new(initial.page.summary.category.clone());
    let curated = Fetch::new(move || async move { api.categories().await });
    let latency = RwSignal::new(initial.page.latency_mode.clone());
    let channel_type = RwSignal::new(initial.channel_type.clone());
    let local = move || i18n.pick(&EN, &KO);
    let private = RwSignal::new(initial.page.summary.private);
    let recording = RwSignal::new(initial.recording);
    let mature = RwSignal::new(initial.page.summary.mature);
    let raids = RwSignal::new(initial.raids.clone());
    let language = RwSignal::new(initial.page.summary.language.clone().unwrap_or_default());
    let save = Submit::new(move |change: &UpdateChannel| {
        let change = change.clone();
        async move {
            let saved = api.update_channel(&change).await;
            if saved.is_ok() {
                on_saved.run(());
            }
            saved
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(UpdateChannel {
            title: Some(title.get_untracked()),
            category: Some(category.get_untracked()),
            latency_mode: Some(latency.get_untracked()),
            channel_type: Some(channel_type.get_untracked()),
            private: Some(private.get_untracked()),
            recording: Some(recording.get_untracked()),
            mature: Some(mature.get_untracked()),
            language: Some(language.get_untracked()).filter(|l| !l.is_empty()),
            raids: Some(raids.get_untracked()),
            handle: None,
        });
    };
    view! {
        <section class="panel" aria-labelledby="settings-heading">
            <h2 id="settings-heading">{move || i18n.page_texts().settings}</h2>
            <form class="stack" on:submit=submit>
                <label>{move || i18n.page_texts().title}
                    <input type="text" name="title" maxlength="140" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                </label>
                <label>{move || i18n.page_texts().category}
                    <input type="text" name="category" maxlength="40" list="categories" prop:value=move || category.get()
                        on:input=move |ev| category.set(event_target_value(&ev)) />
                    // The curated categories as suggestions; anything else may still be typed.
                    <datalist id="categories">
                        {move || curated.get().and_then(Result::ok).map(|list| list.items.into_iter().map(|c| {
                            let label = i18n.category(&c.name).to_owned();
                            view! { <option value=c.name label=label /> }
                        }).collect_view())}
                    </datalist>
                </label>
                <label>{move || local().language}
                    <select name="language" prop:value=move || language.get() on:change=move |ev| language.set(event_target_value(&ev))>
                        <option value="" disabled>{move || local().choose_language}</option>
                        {language_options()}
                    </select>
                </label>
                <label>{move || i18n.page_texts().latency_mode}
                    <select prop:value=move || latency.get() on:change=move |ev| latency.set(event_target_value(&ev))>
                        <option value="LOW">{move || i18n.page_texts().latency_low}</option>
                        <option value="NORMAL">{move || i18n.page_texts().latency_normal}</option>
                    </select>
                </label>
                <label>{move || local().qualities}
                    <select name="channel-type" aria-describedby="qualities-hint" prop:value=move || channel_type.get()
                        on:change=move |ev| channel_type.set(event_target_value(&ev))>
                        <option value="STANDARD">{move || local().standard}</option>
                        <option value="BASIC">{move || local().basic}</option>
                    </select>
                </label>
                <small id="qualities-hint" class="muted">{move || local().qualities_hint}</small>
                <label class="check">
                    <input type="checkbox" name="private" prop:checked=move || private.get() on:change=move |ev| private.set(event_target_checked(&ev)) />
                    {move || i18n.page_texts().private_label}
                </label>
                <small class="muted">{move || i18n.page_texts().private_hint}</small>
                <label class="check">
                    <input type="checkbox" name="recording" prop:checked=move || recording.get() on:change=move |ev| recording.set(event_target_checked(&ev)) />
                    {move || i18n.page_texts().recording_label}
                </label>
                <label class="check">
                    <input type="checkbox" name="mature" aria-describedby="mature-hint" prop:checked=move || mature.get()
                        on:change=move |ev| mature.set(event_target_checked(&ev)) />
                    {move || local().mature}
                </label>
                <small id="mature-hint" class="muted">{move || local().mature_hint}</small>
                <label>{move || local().raids}
                    <select name="raids" prop:value=move || raids.get() on:change=move |ev| raids.set(event_target_value(&ev))>
                        <option value="EVERYONE">{move || local().raids_everyone}</option>
                        <option value="FOLLOWED">{move || local().raids_followed}</option>
                        <option value="NOBODY">{move || local().raids_nobody}</option>
                    </select>
                </label>
                <SaveStatus outcome=move || save.value() />
                <button type="submit" disabled=move || save.pending().get()>{move || i18n.t().save}</button>
            </form>
        </section>
    }
}
