//! What the viewer sees over the video: the control bar and the state overlay.

use leptos::html;
use leptos::prelude::*;

use super::sound::Sound;
use super::{Playback, PlayerStatus, picture_in_picture_available, toggle_fullscreen};
use crate::decimal::fixed;
use crate::i18n::use_i18n;
use crate::time::clock;

fn seconds_clock(seconds: f64) -> String {
    clock(seconds * 1000.0)
}

/// An icon drawn from one SVG path (24×24), hidden from screen readers: its button is named.
fn icon(path: &'static str) -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
            <path fill="currentColor" d=path />
        </svg>
    }
}

const PLAY: &str = "M8 5v14l11-7z";
const PAUSE: &str = "M6 5h4v14H6zm8 0h4v14h-4z";
const VOLUME: &str = "M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z";
const MUTED: &str = "M16.5 12A4.5 4.5 0 0 0 14 8v2.2l2.5 2.5V12zM19 12c0 .9-.2 1.8-.5 2.6l1.5 1.5A9 9 0 0 0 14 3.2v2.1A7 7 0 0 1 19 12zM4.3 3 3 4.3 7.7 9H3v6h4l5 5v-6.7l4.3 4.3c-.7.5-1.4.9-2.3 1.1v2.1a9 9 0 0 0 3.7-1.8l2 2 1.3-1.3L4.3 3zM12 4 9.9 6.1 12 8.2V4z";
const FULLSCREEN: &str =
    "M7 14H5v5h5v-2H7v-3zm-2-4h2V7h3V5H5v5zm12 7h-3v2h5v-5h-2v3zM14 5v2h3v3h2V5h-5z";
const EXIT_FULLSCREEN: &str =
    "M5 16h3v3h2v-5H5v2zm3-8H5v2h5V5H8v3zm6 11h2v-3h3v-2h-5v5zm2-11V5h-2v5h5V8h-3z";
const PICTURE_IN_PICTURE: &str = "M19 11h-8v6h8v-6zm4 8V5a2 2 0 0 0-2-2H3a2 2 0 0 0-2 2v14c0 1.1.9 2 2 2h18a2 2 0 0 0 2-2zm-2 0H3V5h18v14z";
const QUALITY: &str = "M19.4 13a7.5 7.5 0 0 0 0-2l2.1-1.6-2-3.5-2.5 1a7.4 7.4 0 0 0-1.7-1L15 3.3h-4l-.4 2.6a7.4 7.4 0 0 0-1.7 1l-2.5-1-2 3.5L6.6 11a7.5 7.5 0 0 0 0 2l-2.1 1.6 2 3.5 2.5-1c.5.4 1.1.7 1.7 1l.4 2.6h4l.4-2.6c.6-.3 1.2-.6 1.7-1l2.5 1 2-3.5-2.1-1.6zM13 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7z";

/// Loading, stalls, errors (with a retry), an unsupported browser, and what follows the end.
#[component]
pub(super) fn StateOverlay(playback: Playback) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let t = i18n.page_texts();
        match playback.status.get() {
            PlayerStatus::Playing | PlayerStatus::Ready => None,
            PlayerStatus::Loading => Some(view! {
                <div class="player-overlay" role="status"><span class="spinner" aria-hidden="true"></span>{t.player_loading}</div>
            }.into_any()),
            // Shown only once it lasts (see `.waiting` in the style): a seek within what is
            // buffered, such as a skip ahead to near live, buffers for a fifth of a second.
            PlayerStatus::Buffering => Some(view! {
                <div class="player-overlay waiting" role="status"><span class="spinner" aria-hidden="true"></span>{t.player_buffering}</div>
            }.into_any()),
            PlayerStatus::Unsupported => Some(view! {
                <div class="player-overlay" role="alert">{t.player_unsupported}</div>
            }.into_any()),
            PlayerStatus::Ended if playback.live => Some(view! {
                <div class="player-overlay" role="status">{t.player_offline}</div>
            }.into_any()),
            PlayerStatus::Ended => Some(view! {
                <div class="player-overlay actionable">
                    <button type="button" class="replay" on:click=move |_| playback.toggle_play()>{t.player_replay}</button>
                </div>
            }.into_any()),
            PlayerStatus::Error => {
                let offline = !crate::browser::window().navigator().on_line();
                let text = if offline { t.player_network_offline } else { t.player_error };
                Some(view! {
                    <div class="player-overlay actionable" role="alert">
                        <p>{text}</p>
                        <button type="button" class="retry" on:click=move |_| playback.reload()>{i18n.t().retry}</button>
                    </div>
                }.into_any())
            }
        }
    }
}

/// The bar along the bottom: play, sound, the timeline (recordings) or the live edge (live),
/// quality, picture-in-picture and fullscreen.
#[component]
pub(super) fn ControlBar(
    playback: Playback,
    container: NodeRef<html::Div>,
    video: NodeRef<html::Video>,
) -> impl IntoView {
    let i18n = use_i18n();
    let live = playback.live;
    let playing = Memo::new(move |_| {
        !playback.paused.get() && playback.status.get() == PlayerStatus::Playing
    });
    let muted = Memo::new(move |_| playback.sound.get().muted);
    view! {
        <div class="player-bar">
            {(!live).then(|| view! { <SeekBar playback=playback /> })}
            <div class="player-buttons">
                <button type="button" class="play"
                    aria-label=move || if playing.get() { i18n.page_texts().pause } else { i18n.page_texts().play }
                    title=move || if playing.get() { i18n.page_texts().pause } else { i18n.page_texts().play }
                    on:click=move |_| playback.toggle_play()>
                    {move || icon(if playing.get() { PAUSE } else { PLAY })}
                </button>
                <button type="button" class="mute"
                    aria-label=move || if muted.get() { i18n.page_texts().unmute } else { i18n.page_texts().mute }
                    title=move || if muted.get() { i18n.page_texts().unmute } else { i18n.page_texts().mute }
                    on:click=move |_| playback.set_sound(playback.sound.get_untracked().toggled())>
                    {move || icon(if muted.get() { MUTED } else { VOLUME })}
                </button>
                <input type="range" class="volume" min="0" max="1" step="0.05"
                    aria-label=move || i18n.page_texts().volume
                    prop:value=move || fixed(playback.sound.get().audible_volume(), 2)
                    aria-valuetext=move || format!("{}%", fixed(playback.sound.get().audible_volume() * 100.0, 0))
                    on:input=move |event| {
                        if let Some(volume) = slider_value(&event) {
                            playback.set_sound(Sound::at(volume));
                        }
                    } />
                {if live {
                    view! { <LiveEdge playback=playback /> }.into_any()
                } else {
                    view! {
                        <span class="player-time">
                            {move || seconds_clock(playback.position.get())}" / "
                            {move || seconds_clock(finite_or_zero(playback.duration.get()))}
                        </span>
                    }.into_any()
                }}
                <span class="player-spacer"></span>
                <QualityMenu playback=playback />
                {picture_in_picture_available().then(|| view! {
                    <button type="button" class="pip"
                        aria-pressed=move || playback.picture_in_picture.get().to_string()
                        aria-label=move || i18n.page_texts().picture_in_picture
                        title=move || i18n.page_texts().picture_in_picture
                        on:click=move |_| super::toggle_picture_in_picture(video)>
                        {icon(PICTURE_IN_PICTURE)}
                    </button>
                })}
                <button type="button" class="fullscreen"
                    aria-label=move || if playback.fullscreen.get() { i18n.page_texts().exit_fullscreen } else { i18n.page_texts().fullscreen }
                    title=move || if playback.fullscreen.get() { i18n.page_texts().exit_fullscreen } else { i18n.page_texts().fullscreen }
                    on:click=move |_| toggle_fullscreen(container, video)>
                    {move || icon(if playback.fullscreen.get() { EXIT_FULLSCREEN } else { FULLSCREEN })}
                </button>
            </div>
        </div>
    }
}

/// Where a slider stands, as the browser reads it (a number, not text to parse).
fn slider_value(event: &leptos::ev::Event) -> Option<f64> {
    Some(event_target::<web_sys::HtmlInputElement>(event).value_as_number())
        .filter(|v| v.is_finite())
}

fn finite_or_zero(value: f64) -> f64 {
    if value.is_finite() { value } else { 0.0 }
}

/// The timeline of a recording: played, buffered, and a thumb to drag (arrows seek 5 s).
#[component]
fn SeekBar(playback: Playback) -> impl IntoView {
    let i18n = use_i18n();
    let percent = move |seconds: f64| {
        let duration = finite_or_zero(playback.duration.get());
        if duration > 0.0 {
            (seconds / duration * 100.0).clamp(0.0, 100.0)
        } else {
            0.0
        }
    };
    view! {
        <input type="range" class="seek" min="0" step="any"
            max=move || fixed(finite_or_zero(playback.duration.get()), 3)
            prop:value=move || fixed(playback.position.get(), 3)
            aria-label=move || i18n.page_texts().seek
            aria-valuetext=move || format!(
                "{} / {}",
                seconds_clock(playback.position.get()),
                seconds_clock(finite_or_zero(playback.duration.get()))
            )
            style=move || format!(
                "--played: {}%; --buffered: {}%",
                fixed(percent(playback.position.get()), 2),
                fixed(percent(playback.buffered_to.get()), 2)
            )
            on:input=move |event| {
                if let Some(seconds) = slider_value(&event) {
                    playback.seek_to(seconds);
                }
            } />
    }
}

/// "Live" at the live edge; "Jump to live" when the viewer has fallen behind or paused.
#[component]
fn LiveEdge(playback: Playback) -> impl IntoView {
    let i18n = use_i18n();
    let behind = move || playback.behind_live();
    view! {
        <button type="button" class="live-edge" class:behind=behind
            aria-label=move || if behind() { i18n.page_texts().jump_to_live } else { i18n.page_texts().at_live_edge }
            title=move || if behind() { i18n.page_texts().jump_to_live } else { i18n.page_texts().at_live_edge }
            on:click=move |_| playback.reload()>
            <span class="live-dot" aria-hidden="true"></span>
            {move || i18n.t().live}
        </button>
        {move || playback.latency.get().map(|l| view! {
            <span class="latency">{format!("{} {} s", i18n.page_texts().latency, fixed(l, 1))}</span>
        })}
    }
}

/// Auto, then each rendition the player offers, best first.
#[component]
fn QualityMenu(playback: Playback) -> impl IntoView {
    let i18n = use_i18n();
    let open = playback.menu_open;
    let label = move || {
        let playing = playback.playing_quality.get();
        match playback.chosen_quality.get() {
            None if playing.is_empty() => i18n.page_texts().quality_auto.to_owned(),
            None => format!("{} ({playing})", i18n.page_texts().quality_auto),
            Some(_) => playing,
        }
    };
    let item = move |choice: Option<usize>, text: String| {
        let checked = move || (playback.chosen_quality.get() == choice).to_string();
        view! {
            <li role="none">
                <button type="button" role="menuitemradio" aria-checked=checked
                    on:click=move |_| playback.set_quality(choice)>{text}</button>
            </li>
        }
    };
    let offered = Memo::new(move |_| !playback.quality_labels.with(Vec::is_empty));
    move || {
        offered.get().then(|| view! {
            <div class="quality">
                <button type="button" class="quality-button" aria-haspopup="menu"
                    aria-expanded=move || open.get().to_string()
                    aria-label=move || format!("{}: {}", i18n.page_texts().quality, label())
                    title=move || i18n.page_texts().quality
                    on:click=move |_| open.update(|o| *o = !*o)>
                    {icon(QUALITY)}<span class="quality-label">{label}</span>
                </button>
                <ul class="quality-menu" role="menu" aria-label=move || i18n.page_texts().quality hidden=move || !open.get()>
                    {item(None, i18n.page_texts().quality_auto.to_owned())}
                    {move || playback.quality_labels.get().into_iter().enumerate()
                        .map(|(i, text)| item(Some(i), text)).collect_view()}
                </ul>
            </div>
        })
    }
}
