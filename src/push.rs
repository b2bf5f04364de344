//! Web Push in this browser: turning it on registers our service worker (`/sw.js`, which shows
//! the notifications), asks for permission, subscribes with the server's VAPID key and gives the
//! subscription to the API; turning it off (or signing out) takes it back, so the next person
//! signing in on a shared browser never gets the previous one's notifications.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Notification, NotificationPermission, PushSubscription, PushSubscriptionOptionsInit,
    ServiceWorkerRegistration,
};

use crate::api::Api;
use crate::browser::window;

/// Where push stands in this browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PushState {
    /// No service workers, Push API or notifications here (or not a secure context).
    Unsupported,
    /// The user blocked notifications for the site.
    Blocked,
    Off,
    On,
}

/// Why push could not be turned on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PushError {
    Blocked,
    /// The server has no VAPID key.
    Unavailable,
    /// The browser, its push service or our API said no; the words are theirs.
    Failed(String),
}

fn supported() -> bool {
    let window = window();
    window.is_secure_context()
        && ["PushManager", "Notification", "ServiceWorkerRegistration"]
            .iter()
            .all(|name| js_sys::Reflect::has(&window, &JsValue::from_str(name)).unwrap_or(false))
}

fn message(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// Our service worker's registration, if this browser has one.
async fn existing_registration() -> Option<ServiceWorkerRegistration> {
    let container = window().navigator().service_worker();
    JsFuture::from(container.get_registration())
        .await
        .ok()?
        .dyn_into()
        .ok()
}

/// This browser's push subscription, if it has one.
async fn current_subscription() -> Option<PushSubscription> {
    let registration = existing_registration().await?;
    let pending = registration.push_manager().ok()?.get_subscription().ok()?;
    JsFuture::from(pending).await.ok()?.dyn_into().ok()
}

pub async fn state() -> PushState {
    if !supported() {
        return PushState::Unsupported;
    }
    match Notification::permission() {
        NotificationPermission::Denied => PushState::Blocked,
        NotificationPermission::Granted if current_subscription().await.is_some() => PushState::On,
        _ => PushState::Off,
    }
}

/// Subscribes this browser and tells the API.
pub async fn turn_on(api: Api) -> Result<(), PushError> {
    let failed = |error: JsValue| PushError::Failed(message(error));
    let asked = Notification::request_permission().map_err(failed)?;
    let answer = JsFuture::from(asked).await.map_err(failed)?;
    if answer.as_string().as_deref() != Some("granted") {
        return Err(PushError::Blocked);
    }
    let key = match api.push_key().await {
        Ok(key) => key.public_key,
        Err(error) if error.status == 404 => return Err(PushError::Unavailable),
        Err(error) => return Err(PushError::Failed(error.message)),
    };
    let container = window().navigator().service_worker();
    JsFuture::from(container.register("/sw.js"))
        .await
        .map_err(failed)?;
    let registration: ServiceWorkerRegistration =
        JsFuture::from(container.ready().map_err(failed)?)
            .await
            .map_err(failed)?
            .unchecked_into();
    let options = PushSubscriptionOptionsInit::new();
    options.set_user_visible_only(true);
    options.set_application_server_key(&JsValue::from_str(&key));
    let subscribing = registration
        .push_manager()
        .map_err(failed)?
        .subscribe_with_options(&options)
        .map_err(failed)?;
    let subscription = JsFuture::from(subscribing).await.map_err(failed)?;
    // `JSON.stringify` calls the subscription's `toJSON()`: the shape the API takes.
    let json = js_sys::JSON::stringify(&subscription)
        .map_err(failed)?
        .as_string()
        .unwrap_or_default();
    api.save_push_subscription(json)
        .await
        .map_err(|error| PushError::Failed(error.message))
}

/// Gives the API this browser's subscription again, once a page load, when push is on here: the
/// browser may have renewed it, or someone else may have used push in this browser before.
pub async fn renew(api: Api) {
    static RENEWED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !supported()
        || Notification::permission() != NotificationPermission::Granted
        || RENEWED.swap(true, std::sync::atomic::Ordering::Relaxed)
    {
        return;
    }
    let Some(subscription) = current_subscription().await else {
        return;
    };
    if let Some(json) = js_sys::JSON::stringify(&subscription)
        .ok()
        .and_then(|json| json.as_string())
    {
        let _ = api.save_push_subscription(json).await;
    }
}

/// Unsubscribes this browser and tells the API (which may already have forgotten it).
pub async fn turn_off(api: Api) {
    if !supported() {
        return;
    }
    let Some(subscription) = current_subscription().await else {
        return;
    };
    let _ = api.remove_push_subscription(&subscription.endpoint()).await;
    if let Ok(pending) = subscription.unsubscribe() {
        let _ = JsFuture::from(pending).await;
    }
}
