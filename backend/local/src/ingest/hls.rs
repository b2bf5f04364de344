//! Serving live HLS, live thumbnails and recordings, with IVS's private-channel rule: a private
//! channel's playlist, segments and thumbnails need a valid playback token (`?token=`). Like IVS,
//! a token is checked when playback starts; playback that started goes on after it expires.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cloumer_domain::Platform;
use cloumer_domain::channel::Channel;
use cloumer_domain::ids::ChannelId;
use cloumer_tokens::PlaybackTokenVerifier;
use serde::Deserialize;

use super::IngestDirs;

/// How long after its last use an expired token keeps a started playback going.
const PLAYBACK_CONTINUES: Duration = Duration::from_secs(60);

struct Files {
    platform: Platform,
    dirs: IngestDirs,
    verifier: PlaybackTokenVerifier,
    /// Tokens that started a playback, and when they were last used.
    in_use: Mutex<HashMap<String, Instant>>,
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

/// `/hls/<channel>/{index.m3u8,N.ts,thumb.jpg}` and `/recordings/<channel>/<recording>/...`.
pub fn router(platform: Platform, dirs: IngestDirs, verifier: PlaybackTokenVerifier) -> Router {
    let files = Arc::new(Files {
        platform,
        dirs,
        verifier,
        in_use: Mutex::default(),
    });
    Router::new()
        .route("/hls/{channel}/{file}", get(live))
        .route("/recordings/{channel}/{recording}/{file}", get(recorded))
        .with_state(files)
}

fn safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
        && !name.starts_with('.')
}

enum Kind {
    Playlist,
    Segment,
    Thumbnail,
}

fn kind(file: &str) -> Option<Kind> {
    if !safe_name(file) {
        return None;
    }
    match file {
        "index.m3u8" => Some(Kind::Playlist),
        "thumb.jpg" => Some(Kind::Thumbnail),
        f if f.ends_with(".ts") => Some(Kind::Segment),
        _ => None,
    }
}

fn not_found() -> Response {
    StatusCode::NOT_FOUND.into_response()
}

impl Files {
    async fn channel(&self, id: &str) -> Option<Channel> {
        let id = ChannelId::parse(id).ok()?;
        self.platform
            .ports()
            .channels
            .get_channel(&id)
            .await
            .ok()
            .flatten()
    }

    /// `None`: allowed for anyone. `Some(origin)`: allowed with a token for this origin.
    fn authorize(
        &self,
        channel: &Channel,
        token: Option<&str>,
    ) -> Result<Option<String>, StatusCode> {
        if !channel.private {
            return Ok(None);
        }
        let token = token.ok_or(StatusCode::FORBIDDEN)?;
        let arn = channel
            .video
            .as_ref()
            .map(|v| v.arn.as_str())
            .unwrap_or_default();
        let mut in_use = self.in_use.lock().expect("token lock");
        in_use.retain(|_, last| last.elapsed() < PLAYBACK_CONTINUES);
        let claims = self.verifier.verify(token);
        let valid = claims.as_ref().is_some_and(|c| c.channel_arn == arn);
        let continuing = in_use.contains_key(token);
        if !(valid || continuing) {
            return Err(StatusCode::FORBIDDEN);
        }
        in_use.insert(token.to_owned(), Instant::now());
        Ok(Some(
            claims
                .map(|c| c.access_control_allow_origin)
                .unwrap_or_else(|| "*".to_owned()),
        ))
    }
}

async fn serve(
    files: &Files,
    channel: &Channel,
    kind: Kind,
    path: PathBuf,
    token: Option<&str>,
    cache: &'static str,
) -> Response {
    let origin = match files.authorize(channel, token) {
        Ok(origin) => origin,
        Err(status) => return status.into_response(),
    };
    let Ok(bytes) = tokio::fs::read(&path).await else {
        return not_found();
    };
    let (content_type, body) = match kind {
        Kind::Playlist => {
            let mut text = String::from_utf8_lossy(&bytes).into_owned();
            if let Some(token) = token.filter(|_| channel.private) {
                // Segment requests must carry the token too.
                text = text
                    .lines()
                    .map(|line| {
                        if line.is_empty() || line.starts_with('#') {
                            line.to_owned()
                        } else {
                            format!("{line}?token={token}")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
                    + "\n";
            }
            ("application/vnd.apple.mpegurl", text.into_bytes())
        }
        Kind::Segment => ("video/mp2t", bytes),
        Kind::Thumbnail => ("image/jpeg", bytes),
    };
    let allow_origin = HeaderValue::from_str(origin.as_deref().unwrap_or("*"))
        .unwrap_or(HeaderValue::from_static("*"));
    let cache = match kind {
        Kind::Playlist | Kind::Thumbnail => "no-cache",
        Kind::Segment => cache,
    };
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, allow_origin),
        ],
        body,
    )
        .into_response()
}

async fn live(
    State(files): State<Arc<Files>>,
    Path((channel, file)): Path<(String, String)>,
    Query(query): Query<TokenQuery>,
) -> Response {
    let Some(kind) = kind(&file) else {
        return not_found();
    };
    let Some(channel) = files.channel(&channel).await else {
        return not_found();
    };
    let path = match kind {
        Kind::Thumbnail => files.dirs.thumbnails.join(format!("{}.jpg", channel.id)),
        _ => files.dirs.hls.join(channel.id.as_str()).join(&file),
    };
    serve(
        &files,
        &channel,
        kind,
        path,
        query.token.as_deref(),
        "max-age=30",
    )
    .await
}

async fn recorded(
    State(files): State<Arc<Files>>,
    Path((channel, recording, file)): Path<(String, String, String)>,
    Query(query): Query<TokenQuery>,
) -> Response {
    let Some(kind) = kind(&file) else {
        return not_found();
    };
    if !safe_name(&recording) {
        return not_found();
    }
    let Some(channel) = files.channel(&channel).await else {
        return not_found();
    };
    let path = files
        .dirs
        .recordings
        .join(channel.id.as_str())
        .join(&recording)
        .join(&file);
    serve(
        &files,
        &channel,
        kind,
        path,
        query.token.as_deref(),
        "max-age=86400",
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_file_names_are_served() {
        assert!(kind("index.m3u8").is_some());
        assert!(kind("12.ts").is_some());
        assert!(kind("thumb.jpg").is_some());
        for bad in [
            "../secret",
            "..",
            ".ts",
            "a/b.ts",
            "index.m3u8.bak",
            "nginx.conf",
            "x\0.ts",
            "",
        ] {
            assert!(kind(bad).is_none(), "{bad:?}");
        }
    }
}
