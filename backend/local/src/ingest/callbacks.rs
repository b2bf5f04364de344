//! nginx's HTTP callbacks: `on_publish` (may this key publish?), `on_publish_done` and
//! `on_record_done`. Every callback carries the per-run secret; an encoder only ever publishes
//! to `app/<stream key>`, which we relay to `live/<channel id>` when the key is good.

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Form, Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use cloumer_domain::ids::ChannelId;
use serde::Deserialize;

use super::{IngestState, broadcasts, vod};

#[derive(Debug, Deserialize)]
struct Notify {
    app: String,
    name: String,
    #[serde(default)]
    secret: Option<String>,
    #[serde(default)]
    path: Option<String>,
}

pub(super) fn router(state: Arc<IngestState>) -> Router {
    Router::new()
        .route("/internal/ingest/{secret}/{event}", post(callback))
        .with_state(state)
}

fn refused() -> Response {
    StatusCode::FORBIDDEN.into_response()
}

/// nginx's notifications: 2xx allows, 3xx redirects (relays), anything else refuses.
async fn callback(
    State(state): State<Arc<IngestState>>,
    UrlPath((secret, event)): UrlPath<(String, String)>,
    Form(notify): Form<Notify>,
) -> Response {
    if secret != state.secret {
        return refused();
    }
    match (event.as_str(), notify.app.as_str()) {
        ("publish", "app") => authorize(&state, &notify.name).await,
        ("publish", "live") => {
            if notify.secret.as_deref() != Some(state.secret.as_str()) {
                return refused();
            }
            let Ok(channel) = ChannelId::parse(&notify.name) else {
                return refused();
            };
            if broadcasts::begin(&state, channel).await {
                StatusCode::OK.into_response()
            } else {
                refused()
            }
        }
        ("publish-done", "live") => {
            if let Ok(channel) = ChannelId::parse(&notify.name) {
                broadcasts::end(&state, &channel).await;
            }
            StatusCode::OK.into_response()
        }
        ("record-done", "live") => {
            if let (Ok(channel), Some(path)) = (ChannelId::parse(&notify.name), notify.path) {
                let state = state.clone();
                tokio::spawn(
                    async move { vod::finish(&state, channel, PathBuf::from(path)).await },
                );
            }
            StatusCode::OK.into_response()
        }
        _ => StatusCode::OK.into_response(),
    }
}

/// An encoder publishes to `app/<stream key>`: a known key of a channel that is not live yet is
/// relayed to `live/<channel id>`; anything else is refused.
async fn authorize(state: &IngestState, key: &str) -> Response {
    let channel = match state.video.channel_for_key(key) {
        Ok(Some(channel)) => channel,
        Ok(None) => {
            tracing::info!("publish refused: unknown stream key");
            return refused();
        }
        Err(error) => {
            tracing::error!(%error, "publish refused: stream keys unreadable");
            return refused();
        }
    };
    if state
        .live
        .lock()
        .expect("ingest lock")
        .contains_key(&channel)
    {
        tracing::info!(%channel, "publish refused: the channel is already live");
        return refused();
    }
    let location = format!("{}/{channel}?secret={}", state.relay_target, state.secret);
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}
