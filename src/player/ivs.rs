//! The Amazon IVS web player's JavaScript API, bound from Rust: only what the app calls.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// An IVS player instance (`IVSPlayer.create(...)`).
    pub type IvsPlayer;

    #[wasm_bindgen(js_namespace = IVSPlayer, js_name = create)]
    pub fn create_player(options: &JsValue) -> IvsPlayer;

    #[wasm_bindgen(method, js_name = attachHTMLVideoElement)]
    pub fn attach_html_video_element(this: &IvsPlayer, video: &web_sys::HtmlVideoElement);
    #[wasm_bindgen(method)]
    pub fn load(this: &IvsPlayer, url: &str);
    #[wasm_bindgen(method)]
    pub fn play(this: &IvsPlayer);
    #[wasm_bindgen(method)]
    pub fn pause(this: &IvsPlayer);
    #[wasm_bindgen(method, js_name = isPaused)]
    pub fn is_paused(this: &IvsPlayer) -> bool;
    #[wasm_bindgen(method, js_name = setMuted)]
    pub fn set_muted(this: &IvsPlayer, muted: bool);
    #[wasm_bindgen(method, js_name = setVolume)]
    pub fn set_volume(this: &IvsPlayer, volume: f64);
    #[wasm_bindgen(method, js_name = setAutoplay)]
    pub fn set_autoplay(this: &IvsPlayer, autoplay: bool);
    #[wasm_bindgen(method, js_name = getPosition)]
    pub fn get_position(this: &IvsPlayer) -> f64;
    /// Seconds; `Infinity` for a live stream.
    #[wasm_bindgen(method, js_name = getDuration)]
    pub fn get_duration(this: &IvsPlayer) -> f64;
    #[wasm_bindgen(method, js_name = seekTo)]
    pub fn seek_to(this: &IvsPlayer, seconds: f64);
    #[wasm_bindgen(method, js_name = getLiveLatency)]
    pub fn get_live_latency(this: &IvsPlayer) -> f64;
    /// Seconds buffered ahead of the position.
    #[wasm_bindgen(method, js_name = getBufferDuration)]
    pub fn get_buffer_duration(this: &IvsPlayer) -> f64;
    /// Low latency on both sides (the channel's and the player's): the player then sets the
    /// playback rate itself.
    #[wasm_bindgen(method, js_name = isLiveLowLatency)]
    pub fn is_live_low_latency(this: &IvsPlayer) -> bool;
    #[wasm_bindgen(method, js_name = setPlaybackRate)]
    pub fn set_playback_rate(this: &IvsPlayer, rate: f64);
    /// `Quality[]`: `{ name, bitrate, width, height, framerate, codecs, … }`.
    #[wasm_bindgen(method, js_name = getQualities)]
    pub fn get_qualities(this: &IvsPlayer) -> js_sys::Array;
    #[wasm_bindgen(method, js_name = getQuality)]
    pub fn get_quality(this: &IvsPlayer) -> JsValue;
    /// Fixes the quality (and turns automatic selection off).
    #[wasm_bindgen(method, js_name = setQuality)]
    pub fn set_quality(this: &IvsPlayer, quality: &JsValue);
    #[wasm_bindgen(method, js_name = setAutoQualityMode)]
    pub fn set_auto_quality_mode(this: &IvsPlayer, auto: bool);
    #[wasm_bindgen(method, js_name = isAutoQualityMode)]
    pub fn is_auto_quality_mode(this: &IvsPlayer) -> bool;
    #[wasm_bindgen(method, js_name = addEventListener)]
    pub fn add_event_listener(this: &IvsPlayer, event: &str, callback: &JsValue);
    #[wasm_bindgen(method)]
    pub fn delete(this: &IvsPlayer);
}

fn global(name: &str) -> JsValue {
    js_sys::Reflect::get(&js_sys::global(), &name.into()).unwrap_or(JsValue::UNDEFINED)
}

/// `IVSPlayer.<group>.<name>`: event and state names, read from the player itself.
pub fn constant(group: &str, name: &str) -> String {
    js_sys::Reflect::get(&global("IVSPlayer"), &group.into())
        .and_then(|g| js_sys::Reflect::get(&g, &name.into()))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Whether this browser can run the player (Media Source Extensions, WebAssembly, …).
pub fn supported() -> bool {
    js_sys::Reflect::get(&global("IVSPlayer"), &"isPlayerSupported".into())
        .map(|v| v.is_truthy())
        .unwrap_or(false)
}

/// One rendition the player can play, as the quality menu lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct Quality {
    pub name: String,
    pub height: u32,
    pub bitrate: u64,
    /// The player's own object, handed back to `setQuality`.
    pub handle: JsValue,
}

impl Quality {
    pub fn from_js(value: JsValue) -> Option<Self> {
        if !value.is_object() {
            return None;
        }
        let field = |name: &str| js_sys::Reflect::get(&value, &name.into()).ok();
        let number = |name: &str| field(name).and_then(|v| v.as_f64()).unwrap_or(0.0);
        Some(Self {
            name: field("name")
                .and_then(|v| v.as_string())
                .unwrap_or_default(),
            height: number("height").max(0.0) as u32,
            bitrate: number("bitrate").max(0.0) as u64,
            handle: value,
        })
    }

    /// What the menu calls it: `720p` where the height is known, else the playlist's name.
    pub fn label(&self) -> String {
        quality_label(&self.name, self.height)
    }
}

pub fn quality_label(name: &str, height: u32) -> String {
    if height > 0 {
        format!("{height}p")
    } else {
        name.to_owned()
    }
}

/// The qualities the player offers, best first. A stream of one rendition whose playlist does
/// not say its size (the player calls it "unknown") is named by the picture's height,
/// `shown_height`, once known. Qualities whose sizes are not all known stay in the playlist's
/// order, which lists the best first (their bitrates need not say so: a still picture at the
/// source's size may take fewer bits than a smaller rendition's constant rate).
pub fn qualities(player: &IvsPlayer, shown_height: u32) -> Vec<Quality> {
    let mut list: Vec<Quality> = player
        .get_qualities()
        .iter()
        .filter_map(Quality::from_js)
        .collect();
    if let [only] = list.as_mut_slice()
        && only.height == 0
    {
        only.height = shown_height;
    }
    if list.iter().all(|q| q.height > 0) {
        list.sort_by_key(|q| std::cmp::Reverse((q.height, q.bitrate)));
    }
    list
}
