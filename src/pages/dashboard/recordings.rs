//! The channel's past broadcasts, private ones included (the owner sees them all).

use cloumer_api_types::MyChannel;
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::{Loaded, RecordingGrid};
use crate::i18n::use_i18n;
use crate::reactive::Fetch;

#[component]
pub fn RecordingsCard(channel: Signal<MyChannel>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let handle = channel.with_untracked(|c| c.page.summary.handle.clone());
    let recordings = Fetch::new(move || {
        let handle = handle.clone();
        async move { api.channel_recordings(&handle).await }
    });
    view! {
        <section class="panel wide" aria-labelledby="recordings-heading">
            <h2 id="recordings-heading">{move || i18n.page_texts().past_broadcasts}</h2>
            <Loaded retry=move || recordings.refetch()>
                {move || Suspend::new(async move {
                    recordings.await.map(|page| view! {
                        <RecordingGrid recordings=page.items empty=move || i18n.t().no_broadcasts />
                    })
                })}
            </Loaded>
        </section>
    }
}
