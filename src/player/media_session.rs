//! The browser's own play and pause (media keys, a picture-in-picture window's buttons, the
//! system's media controls) go through the player's controls, through the Media Session API.
//!
//! Why: left to itself the browser pauses the video element behind the IVS player's back. The
//! IVS player then says Idle, which the app cannot tell from loading, its own paused flag stays
//! false (so the play button offers to pause), and a live stream played again that way does not
//! go back to the live edge, as the app's own button does.

use std::cell::Cell;

use js_sys::{Function, Reflect};
use leptos::prelude::on_cleanup;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::*;

const ACTIONS: [&str; 2] = ["play", "pause"];

thread_local! {
    /// The latest player to hand over its handlers, so a player going away after the next one
    /// arrived leaves the next one's in place.
    static LATEST: Cell<u64> = const { Cell::new(0) };
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
