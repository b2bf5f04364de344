//! Small wrappers over browser APIs, so the rest of the app reads plainly.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

pub fn window() -> web_sys::Window {
    web_sys::window().expect("running in a browser")
}

pub fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The browser's language preferences (`navigator.languages`).
pub fn languages() -> Vec<String> {
    window()
        .navigator()
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect()
}

pub fn set_document_lang(code: &str) {
    if let Some(root) = window().document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", code);
    }
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// `https://host` of the page.
pub fn origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// An absolute URL for `url`, resolved against the page (the IVS player needs absolute URLs).
pub fn absolute(url: &str) -> String {
    web_sys::Url::new_with_base(url, &origin())
        .map(|u| u.href())
        .unwrap_or_else(|_| url.to_owned())
}

pub fn copy_to_clipboard(text: &str) {
    let _ = window().navigator().clipboard().write_text(text);
}

/// Asks the user to confirm something (the browser's own dialog).
pub fn confirm(message: &str) -> bool {
    window().confirm_with_message(message).unwrap_or(false)
}

/// Loads a script once and resolves when it has run (used for the IVS player, which only the
/// pages with video need).
pub async fn load_script(src: &str) -> Result<(), JsValue> {
    let document = window().document().expect("a document");
    let id = format!("script:{src}");
    if document
        .get_element_by_id(&id)
        .is_some_and(|e| e.get_attribute("data-loaded").is_some())
    {
        return Ok(());
    }
    let script = match document.get_element_by_id(&id) {
        Some(existing) => existing.dyn_into::<web_sys::HtmlScriptElement>()?,
        None => {
            let script: web_sys::HtmlScriptElement =
                document.create_element("script")?.dyn_into()?;
            script.set_id(&id);
            script.set_src(src);
            script.set_async(true);
            document.head().expect("a head").append_child(&script)?;
            script
        }
    };
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        let element = script.clone();
        let on_load = Closure::once_into_js(move || {
            let _ = element.set_attribute("data-loaded", "");
            let _ = resolve.call0(&JsValue::NULL);
        });
        let on_error = Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        // Listeners, not `onload`: several components may wait for the same script.
        let _ = script.add_event_listener_with_callback("load", on_load.unchecked_ref());
        let _ = script.add_event_listener_with_callback("error", on_error.unchecked_ref());
    });
    wasm_bindgen_futures::JsFuture::from(done).await.map(drop)
}

/// A moment with its date: "11/30/2026, 12:34:56 PM", "2026. 11. 30. 오후 12:34:56".
pub fn local_date_time(milliseconds: f64, lang: &str) -> String {
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(milliseconds))
        .to_locale_string(lang, &wasm_bindgen::JsValue::UNDEFINED)
        .into()
}

/// A day: "Dec 6, 2026", "2026년 12월 6일".
pub fn local_date(milliseconds: f64, lang: &str) -> String {
    let options = js_sys::Object::new();
    for (key, value) in [("year", "numeric"), ("month", "short"), ("day", "numeric")] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(milliseconds))
        .to_locale_date_string(lang, &options)
        .into()
}

/// A day and its minute, for what ends then: "Dec 14, 2026, 9:50 PM",
/// "2026년 12월 14일 오후 9:50".
pub fn local_day_and_minute(milliseconds: f64, lang: &str) -> String {
    let options = js_sys::Object::new();
    for (key, value) in [
        ("year", "numeric"),
        ("month", "short"),
        ("day", "numeric"),
        ("hour", "numeric"),
        ("minute", "2-digit"),
    ] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(milliseconds))
        .to_locale_string(lang, &options)
        .into()
}

/// A moment as a week's plan reads it, in the viewer's time zone: "Tue, Dec 8, 8:00 PM",
/// "12월 8일 (화) 오후 8:00"; with `with_day` false, only its time ("9:30 PM").
pub fn local_plan_time(milliseconds: f64, lang: &str, with_day: bool) -> String {
    let options = js_sys::Object::new();
    let set = |key: &str, value: &str| {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    };
    if with_day {
        set("weekday", "short");
        set("month", "short");
        set("day", "numeric");
    }
    set("hour", "numeric");
    set("minute", "2-digit");
    js_sys::Date::new(&JsValue::from_f64(milliseconds))
        .to_locale_string(lang, &options)
        .into()
}

/// The viewer's time zone as the browser knows it (`Asia/Seoul`), if it says.
pub fn time_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()?
        .as_string()
}

/// Calls `object.name()` if the browser has it; its promise (if any) is left to settle.
pub fn call_if_present(object: &JsValue, name: &str) -> bool {
    let Ok(function) = js_sys::Reflect::get(object, &name.into()) else {
        return false;
    };
    match function.dyn_ref::<js_sys::Function>() {
        Some(function) => function.call0(object).is_ok(),
        None => false,
    }
}

/// `document.<name>` (`undefined` where the browser has no such property).
pub fn document_property(name: &str) -> JsValue {
    window()
        .document()
        .and_then(|d| js_sys::Reflect::get(&d, &name.into()).ok())
        .unwrap_or(JsValue::NULL)
}

/// Whether the page had a click or key press: only then may video start with sound.
pub fn user_has_interacted() -> bool {
    let navigator = window().navigator();
    js_sys::Reflect::get(&navigator, &"userActivation".into())
        .and_then(|a| js_sys::Reflect::get(&a, &"hasBeenActive".into()))
        .map(|v| v.is_truthy())
        .unwrap_or(false)
}
