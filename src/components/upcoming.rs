//! A channel's next planned streams, from its streamer's weekly schedule, in the viewer's own
//! time zone and language. Its words live here.

use cloumer_api_types::{FollowedPlanBody, PlannedStreamBody};
use leptos::prelude::*;

use crate::components::Avatar;
use crate::i18n::use_i18n;

pub struct UpcomingTexts {
    pub heading: &'static str,
    /// `{0}` the viewer's time zone.
    pub in_your_time: &'static str,
    pub under_way: &'static str,
    /// `{0}` when: under an offline embedded player.
    pub next: &'static str,
    /// Above the next streams of the channels the viewer follows.
    pub coming_up: &'static str,
}

pub const EN: UpcomingTexts = UpcomingTexts {
    heading: "Schedule",
    in_your_time: "In your time ({0})",
    under_way: "Planned now",
    next: "Next stream: {0}",
    coming_up: "Coming up",
};

pub const KO: UpcomingTexts = UpcomingTexts {
    heading: "방송 일정",
    in_your_time: "내 시간 기준 ({0})",
    under_way: "지금 예정",
    next: "다음 방송: {0}",
    coming_up: "곧 시작하는 방송",
};

/// "Next stream: Tue, Dec 8, 8:00 PM" for a planned stream starting at `starts_at` (RFC 3339),
/// in the viewer's time and language.
#[component]
pub fn NextStream(starts_at: String) -> impl IntoView {
    let i18n = use_i18n();
    crate::time::parse_rfc3339_ms(&starts_at).map(|starts| {
        let when = move || {
            let lang = i18n.lang.get().code();
            i18n.pick(&EN, &KO).next.replacen(
                "{0}",
                &crate::browser::local_plan_time(starts, lang, true),
                1,
            )
        };
        view! { <p class="next-stream"><time datetime=starts_at>{when}</time></p> }
    })
}

/// Whether a planned stream's start has come (a start that cannot be read counts as come): it
/// is then under way, and a streamer not live yet is late, not due.
pub fn planned_stream_started(stream: &PlannedStreamBody, now_ms: f64) -> bool {
    crate::time::parse_rfc3339_ms(&stream.starts_at).is_none_or(|at| at <= now_ms)
}

/// "Tue, Dec 8, 8:00 PM – 10:00 PM": from `starts` to `ends` (ms since the epoch), in the viewer's
/// time and language.
fn span(starts: f64, ends: f64, lang: &str) -> String {
    format!(
        "{} – {}",
        crate::browser::local_plan_time(starts, lang, true),
        crate::browser::local_plan_time(ends, lang, false)
    )
}

/// The streams `planned` (soonest first), or nothing when there are none.
#[component]
pub fn Upcoming(planned: Vec<PlannedStreamBody>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let zone = crate::browser::time_zone().unwrap_or_default();
    let now = crate::browser::now_ms();
    (!planned.is_empty()).then(|| {
        view! {
            <section class="upcoming" aria-labelledby="upcoming-heading">
                <h2 id="upcoming-heading">{move || t().heading}</h2>
                <p class="muted">{move || t().in_your_time.replacen("{0}", &zone, 1)}</p>
                <ul class="upcoming-list">
                    {planned.into_iter().filter_map(|stream| {
                        let starts = crate::time::parse_rfc3339_ms(&stream.starts_at)?;
                        let under_way = planned_stream_started(&stream, now);
                        let ends = crate::time::parse_rfc3339_ms(&stream.ends_at)?;
                        let when = move || span(starts, ends, i18n.lang.get().code());
                        let title = stream.title;
                        Some(view! {
                            <li class="upcoming-stream">
                                <time datetime=stream.starts_at>{when}</time>
                                {under_way.then(|| view! { <span class="planned-now">{move || t().under_way}</span> })}
                                {(!title.is_empty()).then(|| view! { <span class="upcoming-title">{title}</span> })}
                            </li>
                        })
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// The next streams of the channels the viewer follows (soonest first), each with whose it is,
/// or nothing when there are none.
#[component]
pub fn ComingUp(plans: Vec<FollowedPlanBody>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let zone = crate::browser::time_zone().unwrap_or_default();
    (!plans.is_empty()).then(|| {
        view! {
            <div class="upcoming coming-up">
                <h3>{move || t().coming_up}</h3>
                <p class="muted">{move || t().in_your_time.replacen("{0}", &zone, 1)}</p>
                <ul class="upcoming-list">
                    {plans.into_iter().filter_map(|plan| {
                        let starts = crate::time::parse_rfc3339_ms(&plan.starts_at)?;
                        let ends = crate::time::parse_rfc3339_ms(&plan.ends_at)?;
                        let when = move || span(starts, ends, i18n.lang.get().code());
                        let title = plan.title;
                        Some(view! {
                            <li class="upcoming-stream">
                                <a class="coming-up-channel" href=format!("/{}", plan.handle)>
                                    <Avatar src=plan.owner_avatar size=24 />
                                    {plan.owner_nickname}
                                </a>
                                <time datetime=plan.starts_at>{when}</time>
                                {(!title.is_empty()).then(|| view! { <span class="upcoming-title">{title}</span> })}
                            </li>
                        })
                    }).collect_view()}
                </ul>
            </div>
        }
    })
}
