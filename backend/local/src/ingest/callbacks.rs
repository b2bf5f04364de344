//! nginx's HTTP callbacks: `on_publish` (may this key publish?), `on_publish_done`,
//! `on_record_done` and `on_play` (only our transcoder may play, and publish its rungs). Every
//! callback carries the per-run secret; an encoder only ever publishes to `app/<stream key>`,
//! which we relay to `live/<channel id>` when the key is good.

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Form, Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use cloumer_domain::ids::ChannelId;
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::{IngestState, broadcasts, ladder, vod};

/// What nginx-rtmp posts with every notification.
#[derive(Debug, Deserialize)]
struct Notify {
    app: String,
    name: String,
    /// nginx's id for the RTMP connection the notification is about.
    #[serde(default)]
    clientid: String,
    /// The relay into `live`, and our transcoder playing from it, carry the secret as a query
    /// argument.
    #[serde(default)]
    secret: Option<String>,
    /// `record-done`: the file nginx finished writing.
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

/// The secret, compared in constant time: how much of a guess matched must not show in how long
/// the answer took.
fn is_secret(state: &IngestState, given: &str) -> bool {
    given.as_bytes().ct_eq(state.secret.as_bytes()).into()
}

fn allowed(yes: bool) -> Response {
    if yes {
        StatusCode::OK.into_response()
    } else {
        refused()
    }
}

/// nginx's notifications: 2xx allows, 3xx redirects (relays), anything else refuses. Each acts
/// only on what it is about: the broadcast its client started, the file nginx wrote for it.
async fn callback(
    State(state): State<Arc<IngestState>>,
    UrlPath((secret, event)): UrlPath<(String, String)>,
    Form(notify): Form<Notify>,
) -> Response {
    if !is_secret(&state, &secret) {
        return refused();
    }
    match (event.as_str(), notify.app.as_str()) {
        ("publish", "app") => authorize(&state, &notify.name).await,
        ("update", "app") => allowed(may_go_on(&state, &notify.name)),
        ("publish", "live") => {
            let relayed = notify
                .secret
                .as_deref()
                .is_some_and(|s| is_secret(&state, s));
            match ChannelId::parse(&notify.name) {
                Ok(channel) if relayed => {
                    allowed(broadcasts::begin(&state, channel, notify.clientid).await)
                }
                _ => refused(),
            }
        }
        // Our transcoder's rungs, of a channel being broadcast.
        ("publish", "ladder") => {
            let ours = notify
                .secret
                .as_deref()
                .is_some_and(|s| is_secret(&state, s));
            let live = ladder::parse_stream_name(&notify.name).is_some_and(|(channel, _)| {
                state
                    .live
                    .lock()
                    .expect("ingest lock")
                    .contains_key(&channel)
            });
            allowed(ours && live)
        }
        ("play", "live") => allowed(
            notify
                .secret
                .as_deref()
                .is_some_and(|s| is_secret(&state, s)),
        ),
        ("publish-done", "live") => match ChannelId::parse(&notify.name) {
            Ok(channel) => allowed(broadcasts::end_by(&state, &channel, &notify.clientid).await),
            Err(_) => refused(),
        },
        ("record-done", "live") => {
            let (Ok(channel), Some(path)) = (ChannelId::parse(&notify.name), notify.path) else {
                return refused();
            };
            let Some(flv) = vod::recorded_file(&state, &channel, &PathBuf::from(path)) else {
                tracing::warn!(%channel, "record-done for a file that is not this channel's recording");
                return refused();
            };
            let (keeper, kept) = (state.clone(), channel.clone());
            let keep = async move { vod::finish(&keeper, kept, notify.clientid, flv).await };
            if !state.keeps.start(keep) {
                tracing::info!(%channel, "stopping: the next start keeps this recording");
            }
            StatusCode::OK.into_response()
        }
        _ => StatusCode::OK.into_response(),
    }
}

/// Whether the encoder on `app/<key>` may go on: no once the key was reset, or the stream stopped.
fn may_go_on(state: &IngestState, key: &str) -> bool {
    match state.video.channel_for_key(key) {
        Ok(Some(channel)) => !state.video.take_stop_request(&channel),
        Ok(None) => {
            tracing::info!("dropping an encoder: its stream key was reset");
            false
        }
        // Unreadable keys: keep the broadcast rather than drop everyone on a hiccup.
        Err(error) => {
            tracing::error!(%error, "stream keys unreadable");
            true
        }
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
