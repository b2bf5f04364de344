//! The video player: the Amazon IVS web player (`ivs.rs`) under controls drawn by the app
//! (`controls.rs`), for live streams and recordings alike.
//!
//! The player script (~440 KB) is loaded only on pages that play video; its wasm worker files are
//! served untouched from the site root.

mod catch_up;
mod controls;
mod ending;
mod ivs;
mod keys;
mod mature_gate;
mod media_session;
mod retries;
mod sound;

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use self::controls::{ControlBar, StateOverlay};
use self::ending::EndWatch;
use self::ivs::{IvsPlayer, Quality, constant};
use self::keys::{KeyAction, KeyTarget, key_action, seek_target, shown_position};
use self::sound::Sound;

pub use self::mature_gate::MatureGate;
pub use self::media_session::{NowPlaying, describe_playing};

const PLAYER_SCRIPT: &str = "/ivs-player.js";

/// A listener handed to the player, kept alive as long as the player.
type Callback = Closure<dyn FnMut(JsValue)>;
/// Live latency past which the viewer is told they are behind and offered the live edge.
const BEHIND_LIVE_AFTER: f64 = 6.0;
/// How long the controls stay up after the pointer or keyboard was last used, while playing.
const CONTROLS_LINGER_MS: f64 = 3000.0;
const TICK: std::time::Duration = std::time::Duration::from_millis(250);
/// How long after the last seek key the player is asked to seek (see `Playback::seek_to`).
const SEEK_SETTLE: std::time::Duration = std::time::Duration::from_millis(150);

/// What the viewer sees over the video.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlayerStatus {
    Loading,
    /// Loaded and able to play: paused, or about to start.
    Ready,
    Buffering,
    Playing,
    Ended,
    Error,
    Unsupported,
}

/// What the viewer sees for the IVS player's state `label` (its `PlayerState` names).
fn status_of(label: &str, held: bool) -> PlayerStatus {
    match label {
        "Playing" => PlayerStatus::Playing,
        "Buffering" => PlayerStatus::Buffering,
        "Ended" => PlayerStatus::Ended,
        "Ready" => PlayerStatus::Ready,
        // Paused by the viewer: able to play again, nothing to wait for.
        "Idle" if held => PlayerStatus::Ready,
        _ => PlayerStatus::Loading,
    }
}

/// The player's state as the controls show it, and what they can ask of the player.
#[derive(Clone, Copy)]
struct Playback {
    live: bool,
    source: Signal<Option<String>>,
    player: StoredValue<Option<IvsPlayer>, LocalStorage>,
    video: NodeRef<html::Video>,
    status: RwSignal<PlayerStatus>,
    paused: RwSignal<bool>,
    /// Seconds; the duration is infinite while live.
    position: RwSignal<f64>,
    /// A seek asked for and perhaps not made yet: its target, and when (see `shown_position`).
    pending_seek: StoredValue<Option<(f64, f64)>>,
    /// Where a recording starts (seconds; a shared link's `t`, or a chapter clicked early),
    /// until it is ready to seek.
    start_at: StoredValue<Option<f64>>,
    /// Whether a recording stopped at its end without the player saying so.
    end_watch: StoredValue<EndWatch>,
    duration: RwSignal<f64>,
    buffered_to: RwSignal<f64>,
    latency: RwSignal<Option<f64>>,
    /// How often a live player skipped ahead to near the live edge (see `catch_up`).
    skips_ahead: RwSignal<u32>,
    sound: RwSignal<Sound>,
    qualities: StoredValue<Vec<Quality>, LocalStorage>,
    /// The labels of `qualities`, in the same order, for the menu.
    quality_labels: RwSignal<Vec<String>>,
    /// `None` while the player chooses by itself.
    chosen_quality: RwSignal<Option<usize>>,
    playing_quality: RwSignal<String>,
    menu_open: RwSignal<bool>,
    fullscreen: RwSignal<bool>,
    picture_in_picture: RwSignal<bool>,
    last_activity: RwSignal<f64>,
    /// Loading again after failures (see `retries`).
    retries: StoredValue<retries::Retries>,
    /// The viewer paused it. A paused live IVS player drops what it loaded and says Idle, which
    /// then means paused, not loading.
    held: StoredValue<bool>,
}

impl Playback {
    fn with_player(&self, f: impl FnOnce(&IvsPlayer)) {
        self.player.with_value(|p| {
            if let Some(p) = p {
                f(p)
            }
        });
    }

    /// Loads the source again: the first load, a retry, or back to the live edge.
    fn reload(&self) {
        let Some(url) = self.source.get_untracked() else {
            return;
        };
        self.status.set(PlayerStatus::Loading);
        self.held.set_value(false);
        // A retry the viewer (or the connection coming back) asked for replaces the one waiting.
        self.retries.update_value(retries::Retries::overtaken);
        self.with_player(|p| {
            p.load(&crate::browser::absolute(&url));
            p.play();
        });
    }

    fn toggle_play(&self) {
        let status = self.status.get_untracked();
        if matches!(status, PlayerStatus::Error | PlayerStatus::Unsupported) {
            return self.reload();
        }
        self.with_player(|p| {
            if !p.is_paused() && status != PlayerStatus::Ended {
                // A retry of an earlier failure must not play it again.
                self.retries.update_value(retries::Retries::overtaken);
                self.held.set_value(true);
                p.pause();
            } else if self.live {
                // A paused live stream resumes where the stream is now, as on other sites;
                // the short live playlist no longer holds where it stopped.
                self.reload();
            } else {
                if status == PlayerStatus::Ended {
                    p.seek_to(0.0);
                }
                self.held.set_value(false);
                p.play();
            }
        });
        self.refresh();
    }

    /// The browser's play (media keys, a picture-in-picture window): the play button's, unless
    /// it is playing already.
    fn browser_play(&self) {
        if self.player_paused()
            || matches!(
                self.status.get_untracked(),
                PlayerStatus::Ended | PlayerStatus::Error
            )
        {
            self.toggle_play();
        }
    }

    /// The browser's pause: the pause button's, if it is playing or about to.
    fn browser_pause(&self) {
        let playing = matches!(
            self.status.get_untracked(),
            PlayerStatus::Playing | PlayerStatus::Buffering | PlayerStatus::Ready
        );
        if playing && !self.player_paused() {
            self.toggle_play();
        }
    }

    /// The IVS player's own paused flag; no player yet counts as paused.
    fn player_paused(&self) -> bool {
        self.player
            .with_value(|p| p.as_ref().is_none_or(IvsPlayer::is_paused))
    }

    fn seek_to(&self, seconds: f64) {
        if self.live {
            return;
        }
        let target = seek_target(0.0, self.duration.get_untracked(), seconds);
        let asked_at = crate::browser::now_ms();
        self.pending_seek.set_value(Some((target, asked_at)));
        self.position.set(target);
        // Quick presses of → are one seek, to where the last one goes: the IVS player given
        // a seek while another is under way may finish the earlier one last, and one seen
        // stuck "playing" mid-way after twenty seeks to the end.
        let playback = *self;
        set_timeout(
            move || {
                let latest = playback.pending_seek.get_value();
                if latest.is_some_and(|(_, at)| at == asked_at) {
                    playback.with_player(|p| p.seek_to(target));
                }
            },
            SEEK_SETTLE,
        );
    }

    fn seek_by(&self, delta: f64) {
        self.seek_to(self.position.get_untracked() + delta);
    }

    fn set_sound(&self, sound: Sound) {
        self.sound.set(sound);
        sound.remember();
        self.with_player(|p| apply_sound(p, sound));
    }

    fn set_quality(&self, choice: Option<usize>) {
        self.qualities.with_value(|list| {
            self.with_player(|p| match choice.and_then(|i| list.get(i)) {
                Some(quality) => p.set_quality(&quality.handle),
                None => p.set_auto_quality_mode(true),
            })
        });
        self.chosen_quality.set(choice);
        self.menu_open.set(false);
    }

    /// Reads the qualities again (the player learns them from the playlist).
    fn refresh_qualities(&self) {
        self.player.with_value(|p| {
            let Some(p) = p else { return };
            let shown_height = self.video.get_untracked().map_or(0, |v| v.video_height());
            let list = ivs::qualities(p, shown_height);
            let current = Quality::from_js(p.get_quality()).map(|q| {
                // The same rendition, named as in the list.
                list.iter().find(|l| l.name == q.name).cloned().unwrap_or(q)
            });
            // Set only on a change: the menu is not redrawn under the viewer's pointer.
            set_if_changed(
                self.quality_labels,
                list.iter().map(Quality::label).collect(),
            );
            set_if_changed(
                self.playing_quality,
                current.map(|q| q.label()).unwrap_or_default(),
            );
            if p.is_auto_quality_mode() {
                self.chosen_quality.set(None);
            }
            self.qualities.set_value(list);
        });
    }

    /// Position, buffer, pause and latency, read from the player; the seconds buffered ahead of
    /// the position (for catching up with live), or `None` without a player.
    fn refresh(&self) -> Option<f64> {
        self.player.with_value(|p| {
            let p = p.as_ref()?;
            let position = p.get_position();
            let duration = p.get_duration();
            let position = if position.is_finite() { position } else { 0.0 };
            let (shown, seeking) = shown_position(
                position,
                self.pending_seek.get_value(),
                crate::browser::now_ms(),
            );
            if !seeking {
                self.pending_seek.set_value(None);
            }
            set_if_changed(self.position, shown);
            set_if_changed(self.duration, duration);
            let buffered = p.get_buffer_duration();
            set_if_changed(self.buffered_to, position + buffered.max(0.0));
            set_if_changed(self.paused, p.is_paused());
            // The picture ran out: the IVS player does not always say Ended for a recording
            // played to its last frame (seen under load); the video element sometimes does,
            // and otherwise the position stands still at the end.
            if !self.live {
                let now = crate::browser::now_ms();
                let stopped_at_end = self
                    .end_watch
                    .try_update_value(|w| w.played_out(position, duration, now))
                    .unwrap_or(false);
                if stopped_at_end || self.video.get_untracked().is_some_and(|v| v.ended()) {
                    set_if_changed(self.status, PlayerStatus::Ended);
                }
            }
            if self.live {
                // Paused, the player keeps its last reading while the viewer falls further
                // behind; "Jump to live" says so instead of a figure that is no longer true.
                let value = p.get_live_latency();
                set_if_changed(
                    self.latency,
                    (!p.is_paused() && value.is_finite() && value > 0.0).then_some(value),
                );
            }
            Some(buffered)
        })
    }

    fn behind_live(&self) -> bool {
        self.live
            && (self.paused.get() || self.latency.get().is_some_and(|l| l > BEHIND_LIVE_AFTER))
    }

    fn touched(&self) {
        self.last_activity.set(crate::browser::now_ms());
    }
}

/// Sets `signal` only when `value` differs: what follows it is redrawn only on a change (the
/// player is read four times a second).
fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    if signal.with_untracked(|current| *current != value) {
        signal.set(value);
    }
}

fn apply_sound(player: &IvsPlayer, sound: Sound) {
    player.set_volume(sound.volume);
    player.set_muted(sound.muted);
}

/// Plays `url` (an HLS playlist; relative URLs are made absolute) with the app's controls.
/// Starts playing at once: muted unless the viewer unmuted before and has used this page (the
/// browser's autoplay rule). `data-player-state`, `data-latency` and `data-skips-ahead` on the
/// container expose the player's state, live latency (seconds) and how often it skipped ahead
/// to near the live edge, for monitoring and tests.
#[component]
pub fn VideoPlayer(
    #[prop(into)] url: Signal<Option<String>>,
    #[prop(optional)] live: bool,
    /// Where playback is (seconds), for what follows the video (the chat replay).
    #[prop(optional)]
    position: Option<RwSignal<f64>>,
    /// Where a recording starts playing (seconds), for a link to a moment of it.
    #[prop(default = None)]
    start_at: Option<f64>,
    /// Set to a moment (seconds) to play a recording from there, as the page's own controls
    /// ask (a marker's chapter); the player takes it and clears it.
    #[prop(optional)]
    seek: Option<RwSignal<Option<f64>>>,
) -> impl IntoView {
    let container = NodeRef::<html::Div>::new();
    let video = NodeRef::<html::Video>::new();
    let state_name = RwSignal::new(String::from("Idle"));
    let callbacks: StoredValue<Vec<Callback>, LocalStorage> = StoredValue::new_local(Vec::new());
    let remembered = Sound::remembered();
    let playback = Playback {
        live,
        source: url,
        player: StoredValue::new_local(None),
        video,
        status: RwSignal::new(PlayerStatus::Loading),
        paused: RwSignal::new(false),
        position: position.unwrap_or_else(|| RwSignal::new(0.0)),
        pending_seek: StoredValue::new(None),
        start_at: StoredValue::new(start_at.filter(|_| !live)),
        end_watch: StoredValue::new(EndWatch::default()),
        duration: RwSignal::new(if live { f64::INFINITY } else { 0.0 }),
        buffered_to: RwSignal::new(0.0),
        latency: RwSignal::new(None),
        skips_ahead: RwSignal::new(0),
        sound: RwSignal::new(Sound {
            muted: remembered.muted || !crate::browser::user_has_interacted(),
            ..remembered
        }),
        qualities: StoredValue::new_local(Vec::new()),
        quality_labels: RwSignal::new(Vec::new()),
        chosen_quality: RwSignal::new(None),
        playing_quality: RwSignal::new(String::new()),
        menu_open: RwSignal::new(false),
        fullscreen: RwSignal::new(false),
        picture_in_picture: RwSignal::new(false),
        last_activity: RwSignal::new(crate::browser::now_ms()),
        held: StoredValue::new(false),
        retries: StoredValue::new(retries::Retries::default()),
    };
    let status = playback.status;
    let player = playback.player;
    media_session::route(
        move || playback.browser_play(),
        move || playback.browser_pause(),
    );

    if let Some(seek) = seek {
        Effect::new(move |_| {
            if let Some(seconds) = seek.get() {
                // Cleared without telling anyone: asking for the same moment again is a change.
                seek.update_untracked(|asked| *asked = None);
                // Before the recording's length is known a seek would be clamped to 0: held
                // until it is ready, as a shared link's start is.
                let duration = playback.duration.get_untracked();
                if duration.is_finite() && duration > 0.0 {
                    playback.seek_to(seconds);
                } else {
                    playback.start_at.set_value(Some(seconds));
                }
            }
        });
    }
    Effect::new(move |_| {
        let Some(_) = url.get() else { return };
        let Some(element) = video.get() else { return };
        leptos::task::spawn_local(async move {
            if crate::browser::load_script(PLAYER_SCRIPT).await.is_err() || !ivs::supported() {
                status.set(PlayerStatus::Unsupported);
                return;
            }
            if player.with_value(Option::is_none) {
                let instance = create(&element);
                apply_sound(&instance, playback.sound.get_untracked());
                listen(&instance, playback, state_name, callbacks);
                player.set_value(Some(instance));
            }
            playback.reload();
        });
    });

    // Four times a second: position, buffer and latency for the controls, whether the
    // controls should hide, and catching up with the live edge (see `catch_up`).
    let skip_ahead = StoredValue::new(catch_up::SkipAhead::default());
    let ticker = set_interval_with_handle(
        move || {
            let buffered = playback.refresh();
            set_if_changed(
                playback.fullscreen,
                crate::browser::document_property("fullscreenElement").is_truthy(),
            );
            set_if_changed(
                playback.picture_in_picture,
                crate::browser::document_property("pictureInPictureElement").is_truthy(),
            );
            if live && let Some(buffered) = buffered {
                player.with_value(|p| {
                    let Some(p) = p else { return };
                    let low_latency = p.is_live_low_latency();
                    if let Some(rate) = catch_up::catch_up_rate(buffered, low_latency) {
                        p.set_playback_rate(rate);
                    }
                    let playing = status.get_untracked() == PlayerStatus::Playing;
                    let skip = skip_ahead.try_update_value(|skip_ahead| {
                        skip_ahead.skip(
                            crate::browser::now_ms(),
                            playback.latency.get_untracked(),
                            buffered,
                            low_latency && playing && !playback.paused.get_untracked(),
                        )
                    });
                    if let Some(seconds) = skip.flatten()
                        && let Some(element) = video.get_untracked()
                    {
                        element.set_current_time(element.current_time() + seconds);
                        playback.skips_ahead.update(|skips| *skips += 1);
                    }
                });
            }
        },
        TICK,
    );
    if let Ok(ticker) = ticker {
        on_cleanup(move || ticker.clear());
    }

    // Back online: try at once rather than at the next back-off step.
    let online = window_event_listener(leptos::ev::online, move |_| {
        if status.get_untracked() == PlayerStatus::Error {
            playback.reload();
        }
    });
    on_cleanup(move || online.remove());

    on_cleanup(move || {
        if let Some(Some(p)) = player.try_update_value(|p| p.take()) {
            p.delete();
        }
    });

    let idle = Memo::new(move |_| {
        // Re-evaluated on each tick through `position`.
        playback.position.track();
        let focused_inside = container
            .get()
            .and_then(|c| c.query_selector(".player-bar:focus-within").ok().flatten())
            .is_some();
        status.get() == PlayerStatus::Playing
            && !playback.paused.get()
            && !playback.menu_open.get()
            && !focused_inside
            && crate::browser::now_ms() - playback.last_activity.get() > CONTROLS_LINGER_MS
    });

    let playable = Memo::new(move |_| status.get() != PlayerStatus::Unsupported);

    let on_key = move |event: web_sys::KeyboardEvent| {
        if event.ctrl_key() || event.meta_key() || event.alt_key() {
            return;
        }
        playback.touched();
        if event.key() == "Escape" && playback.menu_open.get_untracked() {
            playback.menu_open.set(false);
            return;
        }
        let target = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let target = match target {
            Some(t) if t.class_list().contains("volume") => KeyTarget::VolumeSlider,
            Some(t) if t.tag_name() == "BUTTON" => KeyTarget::Button,
            _ => KeyTarget::Player,
        };
        let Some(action) = key_action(&event.key(), target) else {
            return;
        };
        event.prevent_default();
        match action {
            KeyAction::TogglePlay => playback.toggle_play(),
            KeyAction::ToggleMute => playback.set_sound(playback.sound.get_untracked().toggled()),
            KeyAction::ToggleFullscreen => toggle_fullscreen(container, video),
            KeyAction::SeekBy(delta) => playback.seek_by(delta),
            KeyAction::VolumeBy(delta) => {
                playback.set_sound(playback.sound.get_untracked().stepped(delta))
            }
        }
    };

    // A click on the picture plays or pauses; a tap (touch) first brings the controls back.
    let on_video_click = move |event: web_sys::MouseEvent| {
        let touch = js_sys::Reflect::get(&event, &"pointerType".into())
            .ok()
            .and_then(|v| v.as_string())
            .is_some_and(|t| t == "touch");
        let was_idle = idle.get_untracked();
        playback.touched();
        if playback.menu_open.get_untracked() {
            playback.menu_open.set(false);
        } else if !(touch && was_idle) {
            playback.toggle_play();
        }
    };

    view! {
        <div
            class="player"
            class:idle=idle
            class:live=live
            node_ref=container
            tabindex="0"
            role="region"
            aria-label=move || crate::i18n::use_i18n().page_texts().player_label
            data-player-state=move || state_name.get()
            data-latency=move || playback.latency.get().map(|l| crate::decimal::fixed(l, 2)).unwrap_or_default()
            data-skips-ahead=move || playback.skips_ahead.get()
            on:keydown=on_key
            on:pointermove=move |_| playback.touched()
            on:focusin=move |_| playback.touched()
        >
            <video node_ref=video playsinline=true muted=true
                on:click=on_video_click
                on:dblclick=move |_| toggle_fullscreen(container, video)></video>
            <StateOverlay playback=playback />
            // No controls in a browser that cannot play: they would do nothing.
            {move || playable.get().then(|| view! { <ControlBar playback=playback container=container video=video /> })}
        </div>
    }
}

/// A new IVS player on `element`, autoplaying, with its worker files from the site root.
fn create(element: &web_sys::HtmlVideoElement) -> IvsPlayer {
    let options = js_sys::Object::new();
    for (key, file) in [
        ("wasmWorker", "/amazon-ivs-wasmworker.min.js"),
        ("wasmBinary", "/amazon-ivs-wasmworker.min.wasm"),
    ] {
        let _ = js_sys::Reflect::set(
            &options,
            &key.into(),
            &crate::browser::absolute(file).into(),
        );
    }
    let instance = ivs::create_player(&options);
    instance.attach_html_video_element(element);
    instance.set_autoplay(true);
    instance
}

/// The player's state changes, quality changes and errors, into `playback`.
fn listen(
    instance: &IvsPlayer,
    playback: Playback,
    state_name: RwSignal<String>,
    callbacks: StoredValue<Vec<Callback>, LocalStorage>,
) {
    let add = |event: String, callback: Callback| {
        instance.add_event_listener(&event, callback.as_ref());
        callbacks.update_value(|c| c.push(callback));
    };
    for state in ["IDLE", "READY", "BUFFERING", "PLAYING", "ENDED"] {
        let label = constant("PlayerState", state);
        let on_state = {
            let label = label.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
                if label == "Playing" {
                    playback.retries.update_value(retries::Retries::playing);
                }
                // Set only on a change: the overlay is redrawn on every set, and a "Watch
                // again" drawn anew under the viewer's pointer loses their click (the IVS
                // player may say Ended after the app saw the end itself).
                set_if_changed(
                    playback.status,
                    status_of(&label, playback.held.get_value()),
                );
                if matches!(label.as_str(), "Ready" | "Playing") {
                    playback.refresh_qualities();
                }
                playback.refresh();
                // Once the recording's length is known, start where the link asked (once); a
                // moment past its end plays it from the start.
                let duration = playback.duration.get_untracked();
                if matches!(label.as_str(), "Ready" | "Playing")
                    && duration.is_finite()
                    && duration > 0.0
                    && let Some(Some(start)) = playback.start_at.try_update_value(Option::take)
                    && start < duration
                {
                    playback.seek_to(start);
                }
                state_name.set(label.clone());
            })
        };
        add(label, on_state);
    }
    let on_quality = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
        playback.refresh_qualities();
    });
    add(constant("PlayerEventType", "QUALITY_CHANGED"), on_quality);
    // Load again after a failure, backing off (see `retries`).
    let on_error = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
        let online = crate::browser::window().navigator().on_line();
        let now = crate::browser::now_ms();
        let Some(retry) = playback
            .retries
            .try_update_value(|retries| retries.failed(now, playback.live, online))
            .flatten()
        else {
            // Another error of the same failed load: its retry is already on its way.
            return;
        };
        playback.status.set(if retry.shown_as_error {
            PlayerStatus::Error
        } else {
            PlayerStatus::Loading
        });
        set_timeout(
            move || {
                let due = playback
                    .retries
                    .try_update_value(|retries| retries.due(retry.id))
                    == Some(true);
                // Unless the player got going again by itself.
                if due
                    && matches!(
                        playback.status.get_untracked(),
                        PlayerStatus::Error | PlayerStatus::Loading
                    )
                {
                    playback.reload();
                }
            },
            std::time::Duration::from_millis(u64::from(retry.after_ms)),
        );
    });
    add(constant("PlayerEventType", "ERROR"), on_error);
}

/// Fullscreen for the whole player (video and controls); phones without element fullscreen
/// (iPhone Safari) get the video's own.
fn toggle_fullscreen(container: NodeRef<html::Div>, video: NodeRef<html::Video>) {
    if crate::browser::document_property("fullscreenElement").is_truthy() {
        if let Some(document) = crate::browser::window().document() {
            document.exit_fullscreen();
        }
        return;
    }
    let done = container
        .get_untracked()
        .is_some_and(|c| crate::browser::call_if_present(&c, "requestFullscreen"));
    if !done && let Some(video) = video.get_untracked() {
        crate::browser::call_if_present(&video, "webkitEnterFullscreen");
    }
}

/// Picture-in-picture where the browser has it.
fn toggle_picture_in_picture(video: NodeRef<html::Video>) {
    if crate::browser::document_property("pictureInPictureElement").is_truthy() {
        if let Some(document) = crate::browser::window().document() {
            crate::browser::call_if_present(&document, "exitPictureInPicture");
        }
    } else if let Some(video) = video.get_untracked() {
        crate::browser::call_if_present(&video, "requestPictureInPicture");
    }
}

fn picture_in_picture_available() -> bool {
    crate::browser::document_property("pictureInPictureEnabled").is_truthy()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_player_the_viewer_paused_is_ready_not_loading_when_it_says_idle() {
        assert_eq!(status_of("Idle", true), PlayerStatus::Ready);
        // Idle the viewer did not ask for: still on its way (a first load, a reload).
        assert_eq!(status_of("Idle", false), PlayerStatus::Loading);
        for held in [false, true] {
            assert_eq!(status_of("Playing", held), PlayerStatus::Playing);
            assert_eq!(status_of("Buffering", held), PlayerStatus::Buffering);
            assert_eq!(status_of("Ended", held), PlayerStatus::Ended);
            assert_eq!(status_of("Ready", held), PlayerStatus::Ready);
        }
    }
}
