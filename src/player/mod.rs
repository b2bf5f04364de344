//! The Amazon IVS web player, bound from Rust, and the video component built on it.
//!
//! The player script (~440 KB) is loaded only on pages that play video; its wasm worker files are
//! served untouched from the site root.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::i18n::use_i18n;

#[wasm_bindgen]
extern "C" {
    /// An IVS player instance (`IVSPlayer.create(...)`).
    pub type IvsPlayer;

    #[wasm_bindgen(js_namespace = IVSPlayer, js_name = create)]
    fn create_player(options: &JsValue) -> IvsPlayer;

    #[wasm_bindgen(method, js_name = attachHTMLVideoElement)]
    fn attach_html_video_element(this: &IvsPlayer, video: &web_sys::HtmlVideoElement);
    #[wasm_bindgen(method)]
    fn load(this: &IvsPlayer, url: &str);
    #[wasm_bindgen(method)]
    fn play(this: &IvsPlayer);
    #[wasm_bindgen(method, js_name = setMuted)]
    fn set_muted(this: &IvsPlayer, muted: bool);
    #[wasm_bindgen(method, js_name = isMuted)]
    fn is_muted(this: &IvsPlayer) -> bool;
    #[wasm_bindgen(method, js_name = setAutoplay)]
    fn set_autoplay(this: &IvsPlayer, autoplay: bool);
    #[wasm_bindgen(method, js_name = getState)]
    fn get_state(this: &IvsPlayer) -> String;
    #[wasm_bindgen(method, js_name = getLiveLatency)]
    fn get_live_latency(this: &IvsPlayer) -> f64;
    #[wasm_bindgen(method, js_name = getBufferDuration)]
    fn get_buffer_duration(this: &IvsPlayer) -> f64;
    #[wasm_bindgen(method, js_name = setPlaybackRate)]
    fn set_playback_rate(this: &IvsPlayer, rate: f64);
    #[wasm_bindgen(method, js_name = addEventListener)]
    fn add_event_listener(this: &IvsPlayer, event: &str, callback: &JsValue);
    #[wasm_bindgen(method)]
    fn delete(this: &IvsPlayer);
}

const PLAYER_SCRIPT: &str = "/ivs-player.js";

/// A listener handed to the player, kept alive as long as the player.
type Callback = Closure<dyn FnMut(JsValue)>;
/// Buffered seconds above which a live stream plays a little faster until it is back near live
/// (10% faster; 25% when far behind), and below which it plays at normal speed again. With
/// one-second segments the buffer swings by a second as each segment arrives.
const CATCH_UP_ABOVE: f64 = 1.6;
const FAR_BEHIND: f64 = 3.0;
const SETTLE_BELOW: f64 = 1.1;

/// `IVSPlayer.<group>.<name>`: event and state names, read from the player itself.
fn constant(group: &str, name: &str) -> String {
    let ivs =
        js_sys::Reflect::get(&js_sys::global(), &"IVSPlayer".into()).unwrap_or(JsValue::UNDEFINED);
    js_sys::Reflect::get(&ivs, &group.into())
        .and_then(|g| js_sys::Reflect::get(&g, &name.into()))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

fn supported() -> bool {
    let ivs =
        js_sys::Reflect::get(&js_sys::global(), &"IVSPlayer".into()).unwrap_or(JsValue::UNDEFINED);
    js_sys::Reflect::get(&ivs, &"isPlayerSupported".into())
        .map(|v| v.is_truthy())
        .unwrap_or(false)
}

/// What the viewer sees over the video.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlayerStatus {
    Loading,
    Buffering,
    Playing,
    Ended,
    Error,
    Unsupported,
}

/// Plays `url` (an HLS playlist; relative URLs are made absolute). Autoplays muted, as browsers
/// require, with an unmute button. `data-player-state` and `data-latency` on the container expose
/// the player's state and live latency (seconds) for monitoring and tests.
#[component]
pub fn VideoPlayer(
    #[prop(into)] url: Signal<Option<String>>,
    #[prop(optional)] live: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let video = NodeRef::<html::Video>::new();
    let status = RwSignal::new(PlayerStatus::Loading);
    let state_name = RwSignal::new(String::from("Idle"));
    let latency = RwSignal::new(None::<f64>);
    let muted = RwSignal::new(true);
    let failures = RwSignal::new(0u32);
    let player: StoredValue<Option<IvsPlayer>, LocalStorage> = StoredValue::new_local(None);
    let callbacks: StoredValue<Vec<Callback>, LocalStorage> = StoredValue::new_local(Vec::new());

    let source = url;
    Effect::new(move |_| {
        let Some(url) = source.get() else { return };
        let Some(element) = video.get() else { return };
        let url = crate::browser::absolute(&url);
        leptos::task::spawn_local(async move {
            if crate::browser::load_script(PLAYER_SCRIPT).await.is_err() || !supported() {
                status.set(PlayerStatus::Unsupported);
                return;
            }
            let existing = player.with_value(|p| p.is_some());
            if !existing {
                let options = js_sys::Object::new();
                let _ = js_sys::Reflect::set(
                    &options,
                    &"wasmWorker".into(),
                    &crate::browser::absolute("/amazon-ivs-wasmworker.min.js").into(),
                );
                let _ = js_sys::Reflect::set(
                    &options,
                    &"wasmBinary".into(),
                    &crate::browser::absolute("/amazon-ivs-wasmworker.min.wasm").into(),
                );
                let instance = create_player(&options);
                instance.attach_html_video_element(&element);
                instance.set_autoplay(true);
                instance.set_muted(true);
                for state in ["IDLE", "READY", "BUFFERING", "PLAYING", "ENDED"] {
                    let name = constant("PlayerState", state);
                    let label = name.clone();
                    let on_state = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
                        if label == "Playing" {
                            failures.set(0);
                        }
                        status.set(match label.as_str() {
                            "Playing" => PlayerStatus::Playing,
                            "Buffering" => PlayerStatus::Buffering,
                            "Ended" => PlayerStatus::Ended,
                            _ => PlayerStatus::Loading,
                        });
                        state_name.set(label.clone());
                    });
                    instance.add_event_listener(&name, on_state.as_ref());
                    callbacks.update_value(|c| c.push(on_state));
                }
                // A live playlist may not exist yet (the stream has just started) or a segment
                // may fail: try again, backing off, for as long as the page shows the video.
                let on_error = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
                    status.set(PlayerStatus::Error);
                    let attempt = failures.get_untracked().min(4);
                    failures.set(attempt + 1);
                    let delay = std::time::Duration::from_millis(1000 << attempt);
                    set_timeout(
                        move || {
                            let current = source.get_untracked();
                            player.with_value(|p| {
                                if let (Some(p), Some(current)) = (p, current) {
                                    p.load(&crate::browser::absolute(&current));
                                    p.play();
                                }
                            });
                        },
                        delay,
                    );
                });
                instance
                    .add_event_listener(&constant("PlayerEventType", "ERROR"), on_error.as_ref());
                callbacks.update_value(|c| c.push(on_error));
                player.set_value(Some(instance));
            }
            status.set(PlayerStatus::Loading);
            player.with_value(|p| {
                if let Some(p) = p {
                    p.load(&url);
                    p.play();
                }
            });
        });
    });

    if live {
        // Every second: the latency the player measures (from the playlist's program date
        // times), and catching up with the live edge when the buffer grows: a little faster
        // playback instead of drifting behind (the way low-latency players hold their delay).
        let ticker = set_interval_with_handle(
            move || {
                player.with_value(|p| {
                    let Some(p) = p else { return };
                    let value = p.get_live_latency();
                    latency.set((value.is_finite() && value > 0.0).then_some(value));
                    let buffered = p.get_buffer_duration();
                    if buffered > FAR_BEHIND {
                        p.set_playback_rate(1.25);
                    } else if buffered > CATCH_UP_ABOVE {
                        p.set_playback_rate(1.1);
                    } else if buffered < SETTLE_BELOW {
                        p.set_playback_rate(1.0);
                    }
                });
            },
            std::time::Duration::from_secs(1),
        );
        if let Ok(ticker) = ticker {
            on_cleanup(move || ticker.clear());
        }
    }

    on_cleanup(move || {
        if let Some(Some(p)) = player.try_update_value(|p| p.take()) {
            p.delete();
        }
    });

    let toggle_mute = move |_| {
        player.with_value(|p| {
            if let Some(p) = p {
                let next = !p.is_muted();
                p.set_muted(next);
                muted.set(next);
            }
        });
    };

    view! {
        <div
            class="player"
            data-player-state=move || state_name.get()
            data-latency=move || latency.get().map(|l| format!("{l:.2}")).unwrap_or_default()
        >
            <video node_ref=video playsinline=true muted=true aria-label="video"></video>
            {move || {
                let t = i18n.t();
                let overlay = match status.get() {
                    PlayerStatus::Loading => Some(t.player_loading),
                    PlayerStatus::Buffering => Some(t.player_buffering),
                    PlayerStatus::Ended => Some(t.player_offline),
                    PlayerStatus::Error => Some(t.player_error),
                    PlayerStatus::Unsupported => Some(t.player_unsupported),
                    PlayerStatus::Playing => None,
                };
                overlay.map(|text| view! { <div class="player-overlay" role="status">{text}</div> })
            }}
            <div class="player-controls">
                <button class="unmute" on:click=toggle_mute>
                    {move || if muted.get() { i18n.t().unmute } else { i18n.t().mute }}
                </button>
                {move || latency.get().map(|l| view! {
                    <span class="latency">{format!("{} {l:.1} s", i18n.t().latency)}</span>
                })}
            </div>
        </div>
    }
}
