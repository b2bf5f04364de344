//! A streamer's summary of their own broadcast, under its player: peak and average viewers,
//! followers gained, chat messages and chatters, and viewers over time (sampled each minute while live).

use leptos::prelude::*;

use crate::api::use_api;
use crate::i18n::use_i18n;
use crate::reactive::Fetch;
use crate::time;

/// Heading, three figures, the chart's name (`{0}` the peak, `{1}` when), how it is counted,
/// and the fourth and fifth figures.
const SUMMARY_EN: [&str; 8] = [
    "Stream summary",
    "Peak viewers",
    "Average viewers",
    "Followers gained",
    "Viewers over time: at most {0}, at {1}",
    "Counted once a minute while live.",
    "Chat messages",
    "Chatters",
];
const SUMMARY_KO: [&str; 8] = [
    "방송 요약",
    "최고 시청자",
    "평균 시청자",
    "늘어난 팔로워",
    "시간별 시청자: {1}에 최고 {0}명",
    "방송 중 1분마다 집계했습니다.",
    "채팅 메시지",
    "채팅 참여자",
];

/// The chart's drawing box (the SVG's `viewBox`), in whole units: integer arithmetic keeps the
/// standard library's float formatting out of the page (see `decimal.rs`). The SVG stretches
/// it to its width.
const WIDTH: u64 = 1000;
const HEIGHT: u64 = 100;

/// Shown to the broadcast's owner only (the page asks only then, and the API answers only
/// them); nothing when there is no summary (under a minute, from before summaries) or it
/// cannot be read.
#[component]
pub fn StreamSummary(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&SUMMARY_EN, &SUMMARY_KO);
    let api = use_api();
    let id = StoredValue::new(id);
    // Through the shared, type-erased loader: a signal and a task of this card's own type cost
    // the page more code than the card's view.
    let summary = Fetch::new(move || async move { api.stream_summary(&id.get_value()).await });
    // One closure for the whole card, which a change of language redraws too: each text its
    // own reactive closure would cost the page more code than the card itself.
    move || {
        let t = t();
        summary.get().and_then(Result::ok).map(|s| {
            let (line, area) = chart(&s.viewers);
            let span = time::clock(
                (s.viewers.len() as u64)
                    .saturating_mul(s.seconds_per_point)
                    .saturating_mul(1000) as f64,
            );
            let chart_name = t[4].replacen("{0}", &s.peak_viewers.to_string(), 1).replacen(
                "{1}",
                &time::clock(peak_offset_ms(&s.viewers, s.seconds_per_point)),
                1,
            );
            let gained = match s.followers_gained {
                n if n > 0 => format!("+{n}"),
                n => n.to_string(),
            };
            let figures = [
                (t[1], "peak-viewers", s.peak_viewers.to_string()),
                (t[2], "average-viewers", s.average_viewers.to_string()),
                (t[3], "followers-gained", gained),
                (t[6], "chat-messages", s.chat_messages.to_string()),
                (t[7], "chatters", s.chatters.to_string()),
            ];
            view! {
                <section class="stream-summary" aria-labelledby="summary-heading">
                    <h2 id="summary-heading">{t[0]}</h2>
                    <dl class="summary-figures">
                        {figures.into_iter().map(|(name, class, value)| view! {
                            <div><dt>{name}</dt><dd class=class>{value}</dd></div>
                        }).collect_view()}
                    </dl>
                    // Drawn as text: only numbers and this file's own words go in, and the
                    // chart as elements cost the page 3 KB more.
                    <figure class="summary-chart" inner_html=chart_markup(&line, &area, &chart_name, t[5], &span) />
                </section>
            }
        })
    }
}

/// The chart's line and the area under it, as SVG path data in the [`WIDTH`]×[`HEIGHT`] box:
/// the points spread evenly across, the highest a tenth below the top (a single point is a
/// level line; all zero lie on the bottom).
fn chart(points: &[u64]) -> (String, String) {
    let highest = u128::from(points.iter().copied().max().unwrap_or(0).max(1));
    let y = |v: u64| HEIGHT - (u128::from(v) * u128::from(HEIGHT) * 9 / 10 / highest) as u64;
    let xy: Vec<(u64, u64)> = match points {
        [] => Vec::new(),
        [only] => vec![(0, y(*only)), (WIDTH, y(*only))],
        _ => {
            let last = points.len() as u64 - 1;
            points
                .iter()
                .enumerate()
                .map(|(i, &v)| (i as u64 * WIDTH / last, y(v)))
                .collect()
        }
    };
    let line: String = xy
        .iter()
        .enumerate()
        .map(|(i, (x, y))| format!("{}{x},{y}", if i == 0 { "M" } else { "L" }))
        .collect();
    let area = if line.is_empty() {
        String::new()
    } else {
        format!("{line}L{WIDTH},{HEIGHT}L0,{HEIGHT}Z")
    };
    (line, area)
}

/// The chart and its caption (the start, how it is counted, the end) as markup. Every piece is
/// a number or a constant of this file, none with `<`, `&` or `"` (a unit test checks).
fn chart_markup(line: &str, area: &str, name: &str, note: &str, span: &str) -> String {
    format!(
        "<svg viewBox=\"0 0 {WIDTH} {HEIGHT}\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"{name}\">\
         <path class=\"chart-area\" d=\"{area}\"/>\
         <path class=\"chart-line\" d=\"{line}\" vector-effect=\"non-scaling-stroke\"/></svg>\
         <figcaption><span>0:00</span><span class=\"summary-note\">{note}</span><span>{span}</span></figcaption>"
    )
}

/// Where the first highest point starts, in milliseconds from the first sample.
fn peak_offset_ms(points: &[u64], seconds_per_point: u64) -> f64 {
    let highest = points.iter().copied().max().unwrap_or(0);
    let at = points.iter().position(|&v| v == highest).unwrap_or(0);
    (at as u64)
        .saturating_mul(seconds_per_point)
        .saturating_mul(1000) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_spreads_points_across_with_the_highest_near_the_top() {
        let (line, area) = chart(&[0, 10, 5]);
        assert_eq!(line, "M0,100L500,10L1000,55");
        assert_eq!(area, format!("{line}L1000,100L0,100Z"));
    }

    #[test]
    fn one_point_is_a_level_line_and_none_draws_nothing() {
        assert_eq!(chart(&[7]).0, "M0,10L1000,10");
        assert_eq!(chart(&[0]).0, "M0,100L1000,100");
        // Counts far past any room do not overflow.
        assert_eq!(chart(&[u64::MAX, 0]).0, "M0,10L1000,100");
        assert_eq!(chart(&[]), (String::new(), String::new()));
    }

    #[test]
    fn the_words_drawn_as_markup_hold_no_markup() {
        for words in [SUMMARY_EN, SUMMARY_KO] {
            for word in words {
                assert!(!word.contains(['<', '>', '&', '"']), "{word}");
            }
        }
    }

    #[test]
    fn the_peak_is_placed_at_its_first_point() {
        assert_eq!(peak_offset_ms(&[1, 9, 9, 2], 120), 120_000.0);
        assert_eq!(peak_offset_ms(&[], 60), 0.0);
    }
}
