//! Raiding: at the end of a broadcast, the streamer sends the people watching to another live
//! channel. Its words live here.

use cloumer_api_types::{MyChannel, RaidBody};
use leptos::prelude::*;

use super::typed_handle;

use crate::api::use_api;
use crate::i18n::use_i18n;
use crate::reactive::Submit;

pub struct RaidTexts {
    pub heading: &'static str,
    pub hint: &'static str,
    pub target: &'static str,
    pub send: &'static str,
    pub offline: &'static str,
    /// `{0}` how many, `{1}` the channel's streamer.
    pub sent: &'static str,
    pub sent_one: &'static str,
}

pub const EN: RaidTexts = RaidTexts {
    heading: "Raid",
    hint: "Before you end, send the people watching to another live channel: their pages move there, and its chat hears you are coming.",
    target: "Channel to raid",
    send: "Raid",
    offline: "You can raid while you are live.",
    sent: "Sent {0} viewers to {1}.",
    sent_one: "Sent 1 viewer to {1}.",
};

pub const KO: RaidTexts = RaidTexts {
    heading: "습격",
    hint: "방송을 끝내기 전에 시청자들을 방송 중인 다른 채널로 보내요. 시청자들의 페이지가 그 채널로 옮겨 가고, 그 채널 채팅에 알려져요.",
    target: "습격할 채널",
    send: "습격",
    offline: "방송 중일 때 습격할 수 있어요.",
    sent: "시청자 {0}명을 {1} 님에게 보냈어요.",
    sent_one: "시청자 1명을 {1} 님에게 보냈어요.",
};

#[component]
pub fn RaidCard(channel: Signal<MyChannel>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let api = use_api();
    let live = Memo::new(move |_| channel.with(|c| c.page.summary.live));
    let target = RwSignal::new(String::new());
    let raid = Submit::new(move |handle: &String| {
        let handle = handle.clone();
        async move { api.raid(&handle).await }
    });
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let handle = typed_handle(&target.get_untracked());
        raid.dispatch(handle);
    };
    let sent = move |done: RaidBody| {
        let t = t();
        let text = if done.viewer_count == 1 {
            t.sent_one
        } else {
            t.sent
        };
        // The count first: a nickname may itself contain "{0}".
        text.replace("{0}", &done.viewer_count.to_string())
            .replacen("{1}", &done.nickname, 1)
    };
    view! {
        <section class="panel" aria-labelledby="raid-heading">
            <h2 id="raid-heading">{move || t().heading}</h2>
            <p class="muted">{move || t().hint}</p>
            <form class="row" on:submit=send>
                <label class="visually-hidden" for="raid-target">{move || t().target}</label>
                <input id="raid-target" type="text" placeholder=move || t().target
                    prop:value=move || target.get() on:input=move |ev| target.set(event_target_value(&ev)) />
                <button type="submit" disabled=move || !live.get() || raid.pending().get()>{move || t().send}</button>
            </form>
            {move || (!live.get()).then(|| view! { <p class="muted">{move || t().offline}</p> })}
            {move || raid.value().map(|result| match result {
                Ok(done) => view! { <p class="info" role="status">{move || sent(done.clone())}</p> }.into_any(),
                Err(error) => view! { <p class="error" role="alert">{error.explained(i18n)}</p> }.into_any(),
            })}
        </section>
    }
}
