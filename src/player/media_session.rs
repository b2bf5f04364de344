//! The browser's own play and pause (media keys, a picture-in-picture window's buttons, the
//! system's media controls) go through the player's controls, through the Media Session API.
//!
//! Why: left to itself the browser pauses the video element behind the IVS player's back. The
//! IVS player then says Idle, which the app cannot tell from loading, its own paused flag stays
//! false (so the play button offers to pause), and a live stream played again that way does not
//! go back to the live edge, as the app's own button does.
//!
//! The same controls say what is playing (a phone's lock screen and notification, the browser's
//! media hub): the stream's or video's title, its streamer and their avatar. Without it they
//! show the tab's title and the site's address.

use std::cell::Cell;

use js_sys::{Array, Function, Object, Reflect};
use leptos::prelude::{Effect, on_cleanup};
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;

const ACTIONS: [&str; 2] = ["play", "pause"];

thread_local! {
    /// The latest player to hand over its handlers, so a player going away after the next one
    /// arrived leaves the next one's in place.
    static LATEST: Cell<u64> = const { Cell::new(0) };
    /// The same for the latest page to describe what it plays.
    static LATEST_DESCRIBED: Cell<u64> = const { Cell::new(0) };
}

/// What is playing, as the system's media controls show it.
#[derive(PartialEq)]
pub struct NowPlaying {
    /// What the page calls it (an untitled stream as the page names it).
    pub title: String,
    pub streamer: String,
    /// The streamer's avatar, as the page's `<img>` loads it.
    pub artwork: String,
}

/// Hands the browser's play and pause to `play` and `pause` until the current reactive owner
/// (the player) goes away. Nothing happens in a browser without `navigator.mediaSession`.
pub(super) fn route(play: impl Fn() + 'static, pause: impl Fn() + 'static) {
    let Some(session) = media_session() else {
        return;
    };
    let handlers = [
        Closure::<dyn Fn()>::new(play),
        Closure::<dyn Fn()>::new(pause),
    ];
    for (action, handler) in ACTIONS.iter().zip(&handlers) {
        set_handler(&session, action, handler.as_ref());
    }
    let id = LATEST.with(|latest| {
        latest.set(latest.get() + 1);
        latest.get()
    });
    let kept = SendWrapper::new((session, handlers));
    on_cleanup(move || {
        let (session, handlers) = kept.take();
        if LATEST.with(Cell::get) == id {
            for action in ACTIONS {
                set_handler(&session, action, &JsValue::NULL);
            }
        }
        // The browser no longer holds these (cleared above, or replaced by the next player's).
        drop(handlers);
    });
}

fn media_session() -> Option<JsValue> {
    let navigator = crate::browser::window().navigator();
    Reflect::get(&navigator, &"mediaSession".into())
        .ok()
        .filter(|session| session.is_object())
}

/// `navigator.mediaSession.setActionHandler(action, handler)`; a browser that does not know the
/// action throws, which leaves that action to the browser.
fn set_handler(session: &JsValue, action: &str, handler: &JsValue) {
    if let Ok(set) = Reflect::get(session, &"setActionHandler".into())
        && let Some(set) = set.dyn_ref::<Function>()
    {
        let _ = set.call2(session, &action.into(), handler);
    }
}

/// Tells the system's media controls what the calling page plays, following `about` as it
/// changes (a renamed broadcast, the language; `None`: nothing, or not known yet), until the
/// page goes away. The page describes it rather than the player, as the page knows what it
/// plays: a closure called by one effect here, not a signal handed to the player (a signal of a
/// new type brings its own copy of the reactive machinery: it cost every page 1.1 KB more).
pub fn describe_playing(about: impl Fn() -> Option<NowPlaying> + 'static) {
    describe_playing_with(Box::new(about));
}

fn describe_playing_with(about: Box<dyn Fn() -> Option<NowPlaying>>) {
    let Some(session) = media_session() else {
        return;
    };
    let id = LATEST_DESCRIBED.with(|latest| {
        latest.set(latest.get() + 1);
        latest.get()
    });
    let session = SendWrapper::new(session);
    let kept = session.clone();
    // Told again only when it changed: the channel page fetches itself anew every 20 s, and each
    // new description may redraw the system's controls and fetch the artwork again.
    Effect::new(move |told: Option<Option<NowPlaying>>| {
        let about = about();
        if LATEST_DESCRIBED.with(Cell::get) == id && told.as_ref() != Some(&about) {
            describe(&session, about.as_ref());
        }
        about
    });
    on_cleanup(move || {
        if LATEST_DESCRIBED.with(Cell::get) == id {
            describe(&kept, None);
        }
    });
}

/// `navigator.mediaSession.metadata = new MediaMetadata({title, artist, artwork})`, or `null`
/// (the browser's own description) for `None` or a browser without `MediaMetadata`.
fn describe(session: &JsValue, about: Option<&NowPlaying>) {
    let metadata = about
        .and_then(|about| {
            let make = Reflect::get(&js_sys::global(), &"MediaMetadata".into()).ok()?;
            let make = make.dyn_ref::<Function>()?;
            let init = Object::new();
            let (drawing, picture) = (Object::new(), Object::new());
            // The avatars are drawings (SVG), good at any size; the build draws each as a PNG
            // too, for systems whose media controls decode no SVG.
            let png = about.artwork.replace(".svg", ".png");
            let fields: [(&Object, &str, JsValue); 9] = [
                (&init, "title", about.title.as_str().into()),
                (&init, "artist", about.streamer.as_str().into()),
                (&drawing, "src", about.artwork.as_str().into()),
                (&drawing, "sizes", "any".into()),
                (&drawing, "type", "image/svg+xml".into()),
                (&picture, "src", png.into()),
                (&picture, "sizes", "256x256".into()),
                (&picture, "type", "image/png".into()),
                (&init, "artwork", Array::of2(&drawing, &picture).into()),
            ];
            for (object, key, value) in fields {
                Reflect::set(object, &key.into(), &value).ok()?;
            }
            Reflect::construct(make, &Array::of1(&init)).ok()
        })
        .unwrap_or(JsValue::NULL);
    let _ = Reflect::set(session, &"metadata".into(), &metadata);
}
