//! A channel its streamer marked for adults plays only once the viewer says they want to watch:
//! asked in place of the player, once per channel in each browser (the answer is kept in its
//! local storage, as the volume is).

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The warning's heading and sentence, and the button that plays.
const GATE_EN: [&str; 3] = [
    "Mature content",
    "The streamer marked this channel for adult audiences. Its streams, past broadcasts, clips and videos may not be suitable for everyone.",
    "Start watching",
];
const GATE_KO: [&str; 3] = [
    "성인용 콘텐츠",
    "스트리머가 이 채널을 성인 시청자용으로 지정했어요. 방송, 지난 방송, 클립, 동영상이 모두에게 적합하지 않을 수 있어요.",
    "시청 시작",
];

/// Where the answer for `handle` is kept.
fn key(handle: &str) -> String {
    format!("cloumer.mature.{handle}")
}

fn accepted_before(handle: &str) -> bool {
    crate::browser::local_storage()
        .and_then(|storage| storage.get_item(&key(handle)).ok().flatten())
        .is_some()
}

/// `children` (the player) for `handle`'s content; if `mature`, behind the warning until the
/// viewer chooses to watch.
#[component]
pub fn MatureGate(mature: bool, handle: String, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&GATE_EN, &GATE_KO);
    let accepted = RwSignal::new(!mature || accepted_before(&handle));
    let accept = move |_| {
        if let Some(storage) = crate::browser::local_storage() {
            // A browser that keeps nothing asks again next time; this time it plays.
            let _ = storage.set_item(&key(&handle), "1");
        }
        accepted.set(true);
    };
    move || {
        if accepted.get() {
            children().into_any()
        } else {
            let t = t();
            view! {
                <div class="player mature-gate" role="group" aria-labelledby="mature-heading">
                    <h2 id="mature-heading">{t[0]}</h2>
                    <p>{t[1]}</p>
                    <button type="button" on:click=accept.clone()>{t[2]}</button>
                </div>
            }
            .into_any()
        }
    }
}
