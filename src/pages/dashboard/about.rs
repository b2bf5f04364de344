//! The streamer's bio and links elsewhere (their YouTube, Discord, shop), which their channel
//! page shows under the player. Its words live here.

use cloumer_api_types::{AboutBody, AboutLinkBody, MyChannel};
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::SaveStatus;
use crate::i18n::use_i18n;
use crate::reactive::Submit;

pub struct AboutTexts {
    pub heading: &'static str,
    pub hint: &'static str,
    pub bio: &'static str,
    /// `{0}` characters left.
    pub left: &'static str,
    pub links: &'static str,
    pub label: &'static str,
    pub address: &'static str,
    pub add: &'static str,
    pub remove: &'static str,
}

pub const EN: AboutTexts = AboutTexts {
    heading: "About",
    hint: "Tell viewers who you are and where else to find you. Your channel page shows it under the player.",
    bio: "Bio",
    left: "{0} characters left",
    links: "Links",
    label: "Name (optional)",
    address: "Address",
    add: "Add a link",
    remove: "Remove",
};

pub const KO: AboutTexts = AboutTexts {
    heading: "채널 소개",
    hint: "내가 누구인지, 어디서 또 만날 수 있는지 알려 주세요. 채널 페이지의 플레이어 아래에 보여요.",
    bio: "소개",
    left: "{0}자 남았어요",
    links: "링크",
    label: "이름 (선택)",
    address: "주소",
    add: "링크 추가",
    remove: "삭제",
};

/// What the API keeps: a 300-character bio and 5 links.
const MAX_BIO: usize = 300;
const MAX_LINKS: usize = 5;

/// One link being edited: its own signals, so typing in one redraws nothing else.
#[derive(Clone, Copy)]
struct Row {
    id: u32,
    label: RwSignal<String>,
    url: RwSignal<String>,
}

impl Row {
    /// The link to save, or `None` for a row left empty. An address typed without its scheme
    /// (`youtube.com/@me`) is taken as `https://`, as a browser's address bar would.
    fn link(&self) -> Option<AboutLinkBody> {
        let label = self.label.get_untracked().trim().to_owned();
        let url = self.url.get_untracked().trim().to_owned();
        if url.is_empty() && label.is_empty() {
            return None;
        }
        let has_scheme = url.starts_with("https://") || url.starts_with("http://");
        let url = if has_scheme || url.contains(':') {
            url
        } else {
            format!("https://{url}")
        };
        Some(AboutLinkBody { label, url })
    }
}

#[component]
pub fn AboutCard(
    channel: Signal<MyChannel>,
    on_saved: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let api = use_api();
    let kept = channel.with_untracked(|c| c.page.about.clone().unwrap_or_default());
    let bio = RwSignal::new(kept.bio);
    let next_id = StoredValue::new(0u32);
    let new_row = move |link: AboutLinkBody| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        Row {
            id,
            label: RwSignal::new(link.label),
            url: RwSignal::new(link.url),
        }
    };
    let rows = RwSignal::new(kept.links.into_iter().map(new_row).collect::<Vec<_>>());
    let save = Submit::new(move |about: &AboutBody| {
        let about = about.clone();
        async move {
            let saved = api.set_about(&about).await;
            if saved.is_ok() {
                on_saved();
            }
            saved
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(AboutBody {
            bio: bio.get_untracked(),
            links: rows.with_untracked(|rows| rows.iter().filter_map(Row::link).collect()),
        });
    };
    let add = move |_| {
        let row = new_row(AboutLinkBody {
            label: String::new(),
            url: String::new(),
        });
        rows.update(|rows| rows.push(row));
    };
    let left = move || MAX_BIO.saturating_sub(bio.with(|b| b.chars().count()));
    view! {
        <section class="panel about-card" aria-labelledby="about-heading">
            <h2 id="about-heading">{move || t().heading}</h2>
            <p class="muted">{move || t().hint}</p>
            <form class="stack" on:submit=submit>
                <label>{move || t().bio}
                    <textarea name="bio" rows="4" maxlength=MAX_BIO.to_string()
                        aria-describedby="bio-left" prop:value=move || bio.get()
                        on:input=move |ev| bio.set(event_target_value(&ev))></textarea>
                </label>
                <p id="bio-left" class="muted counter">{move || t().left.replacen("{0}", &left().to_string(), 1)}</p>
                <fieldset class="about-links">
                    <legend>{move || t().links}</legend>
                    <ul class="about-rows">
                        // Redrawn only as links come and go: each row's fields keep their own
                        // signals (as the schedule's rows, without a keyed `For`).
                        {move || rows.get().into_iter().map(|row| view! {
                            <LinkRow row=row remove=move || rows.update(|rows| rows.retain(|r| r.id != row.id)) />
                        }).collect_view()}
                    </ul>
                    <button type="button" class="secondary add-link"
                        disabled=move || rows.with(|rows| rows.len() >= MAX_LINKS) on:click=add>
                        {move || t().add}
                    </button>
                </fieldset>
                <SaveStatus outcome=move || save.value() />
                <button type="submit" disabled=move || save.pending().get()>{move || i18n.t().save}</button>
            </form>
        </section>
    }
}

/// One link's fields.
#[component]
fn LinkRow(row: Row, remove: impl Fn() + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    view! {
        <li class="about-row">
            <label>{move || t().label}
                <input type="text" name="link-label" maxlength="25" prop:value=move || row.label.get()
                    on:input=move |ev| row.label.set(event_target_value(&ev)) />
            </label>
            <label class="link-address">{move || t().address}
                // Text, not `type=url`: the browser would refuse `youtube.com/@me`, which is
                // taken as https here.
                <input type="text" name="link-url" inputmode="url" autocomplete="url" spellcheck="false"
                    maxlength="300" placeholder="https://" prop:value=move || row.url.get()
                    on:input=move |ev| row.url.set(event_target_value(&ev)) />
            </label>
            <button type="button" class="link remove-link" on:click=move |_| remove()>{move || t().remove}</button>
        </li>
    }
}
