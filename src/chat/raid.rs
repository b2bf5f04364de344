//! Raids as a channel page shows them: the streamer sends everyone to another channel (the page
//! moves there after a few seconds, unless the viewer stays), and a streamer arrives here with
//! their viewers. Their words live here.

use leptos::prelude::*;

use super::ChatClient;
use crate::i18n::use_i18n;

/// Seconds between the raid and the page moving: time to read where to, and to stay.
const MOVING_AFTER: u32 = 5;

pub struct RaidTexts {
    /// `{}`: the channel's streamer.
    pub going: &'static str,
    /// `{}`: seconds.
    pub moving_in: &'static str,
    pub go_now: &'static str,
    pub stay: &'static str,
    /// `{0}` the streamer who raids, `{1}` how many were watching.
    pub arriving: &'static str,
    pub arriving_one: &'static str,
    pub dismiss: &'static str,
}

pub const EN: RaidTexts = RaidTexts {
    going: "Raid! The stream is sending everyone to {}'s channel.",
    moving_in: "Moving in {} s",
    go_now: "Go now",
    stay: "Stay here",
    arriving: "{0} is raiding with {1} viewers!",
    arriving_one: "{0} is raiding with 1 viewer!",
    dismiss: "Dismiss",
};

pub const KO: RaidTexts = RaidTexts {
    going: "습격! 방송이 모두를 {} 님의 채널로 보내요.",
    moving_in: "{}초 후 이동",
    go_now: "지금 이동",
    stay: "여기 있기",
    arriving: "{0} 님이 시청자 {1}명과 함께 습격했어요!",
    arriving_one: "{0} 님이 시청자 1명과 함께 습격했어요!",
    dismiss: "닫기",
};

/// Where the room's streamer is sending everyone: the page moves there after
/// [`MOVING_AFTER`] seconds; the viewer may go at once or stay.
#[component]
pub fn RaidNotice(chat: ChatClient) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let location = crate::router::use_location();
    let left = RwSignal::new(MOVING_AFTER);
    let timer = StoredValue::new(None::<IntervalHandle>);
    let stop = move || {
        if let Some(timer) = timer.try_update_value(Option::take).flatten() {
            timer.clear();
        }
    };
    let go = move || {
        stop();
        if let Some(to) = chat.raid.get_untracked() {
            location.navigate(&format!("/{}", to.handle));
        }
    };
    Effect::new(move |_| {
        if chat.raid.with(Option::is_some) {
            stop();
            left.set(MOVING_AFTER);
            let tick = move || {
                let next = left.get_untracked().saturating_sub(1);
                left.set(next);
                if next == 0 {
                    go();
                }
            };
            timer.set_value(set_interval_with_handle(tick, std::time::Duration::from_secs(1)).ok());
        }
    });
    on_cleanup(stop);
    let stay = move |_| {
        stop();
        chat.raid.set(None);
    };
    move || {
        chat.raid.get().map(|to| {
            view! {
                // Said once; the countdown beside it is not read out every second.
                <div class="raid-notice">
                    <p role="alert"><strong>{move || t().going.replace("{}", &to.nickname)}</strong></p>
                    <p class="muted">{move || t().moving_in.replace("{}", &left.get().to_string())}</p>
                    <div class="row">
                        <button type="button" on:click=move |_| go()>{move || t().go_now}</button>
                        <button type="button" class="secondary" on:click=stay>{move || t().stay}</button>
                    </div>
                </div>
            }
        })
    }
}

/// A streamer who just sent their viewers here, welcomed until dismissed.
#[component]
pub fn RaidedNotice(chat: ChatClient) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    move || {
        chat.raided.get().map(|from| {
            let href = format!("/{}", from.handle);
            // The count first: a nickname may itself contain "{1}".
            let said = move || {
                let t = t();
                let text = if from.viewers == 1 {
                    t.arriving_one
                } else {
                    t.arriving
                };
                text.replace("{1}", &from.viewers.to_string())
                    .replacen("{0}", &from.nickname, 1)
            };
            view! {
                <div class="raided-notice" role="status">
                    <p><a href=href>{said}</a></p>
                    <button type="button" class="secondary" on:click=move |_| chat.raided.set(None)>
                        {move || t().dismiss}
                    </button>
                </div>
            }
        })
    }
}
