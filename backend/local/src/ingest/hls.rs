//! Serving live HLS, live thumbnails and recordings, with IVS's private-channel rule: a private
//! channel's playlist, segments and thumbnails need a valid playback token (`?token=`). Like IVS,
//! a token is checked when playback starts; playback that started goes on after it expires.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cloumer_domain::Platform;
use cloumer_domain::ids::ChannelId;
use cloumer_domain::ports::Clock;
use cloumer_domain::use_cases::private_playback::PlaybackRule;
use cloumer_tokens::PlaybackTokenVerifier;
use serde::Deserialize;
use time::OffsetDateTime;

use super::IngestDirs;

/// How long after its last use an expired token keeps a started playback going.
const PLAYBACK_CONTINUES: Duration = Duration::from_secs(60);

struct Files {
    platform: Platform,
    dirs: IngestDirs,
    verifier: PlaybackTokenVerifier,
    clock: Arc<dyn Clock>,
    /// Tokens that started a playback, and when they were last used.
    in_use: Mutex<HashMap<String, Instant>>,
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

/// `/hls/<channel>/{index.m3u8,N.ts,thumb.jpg}` and `/recordings/<channel>/<recording>/...`.
pub fn router(
    platform: Platform,
    dirs: IngestDirs,
    verifier: PlaybackTokenVerifier,
    clock: Arc<dyn Clock>,
) -> Router {
    let files = Arc::new(Files {
        platform,
        dirs,
        verifier,
        clock,
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

/// A channel whose files were asked for, with the rule that guards them.
struct Guarded {
    id: ChannelId,
    rule: PlaybackRule,
}

impl Guarded {
    fn private(&self) -> bool {
        self.rule != PlaybackRule::Public
    }
}

impl Files {
    async fn channel(&self, id: &str) -> Option<Guarded> {
        let id = ChannelId::parse(id).ok()?;
        let rule = self.platform.playback_rule(&id).await.ok().flatten()?;
        Some(Guarded { id, rule })
    }

    /// `None`: allowed for anyone. `Some(origin)`: allowed with a token for this origin.
    fn authorize(
        &self,
        channel: &Guarded,
        token: Option<&str>,
    ) -> Result<Option<String>, StatusCode> {
        let PlaybackRule::TokenFor { channel_arn: arn } = &channel.rule else {
            return Ok(None);
        };
        let token = token.ok_or(StatusCode::FORBIDDEN)?;
        let mut in_use = self.in_use.lock().expect("token lock");
        in_use.retain(|_, last| last.elapsed() < PLAYBACK_CONTINUES);
        let claims = self.verifier.verify(token, self.clock.now());
        let valid = claims.as_ref().is_some_and(|c| &c.channel_arn == arn);
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

/// Prepares a playlist for the player:
/// - live playlists get `#EXT-X-PROGRAM-DATE-TIME` per segment (when its first frame arrived:
///   the file's time minus its duration), so players can tell how far behind live they are, as
///   with IVS's own playlists;
/// - private channels' segment URIs carry the playback token, since segments need it too.
pub fn rewrite_playlist(
    text: &str,
    modified: impl Fn(&str) -> Option<SystemTime>,
    token: Option<&str>,
) -> String {
    let mut out = String::with_capacity(text.len() + 256);
    let mut pending_info: Option<&str> = None;
    for line in text.lines() {
        if line.starts_with("#EXTINF:") {
            pending_info = Some(line);
            continue;
        }
        if line.starts_with('#') || line.is_empty() {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let duration = pending_info
            .and_then(|info| info.strip_prefix("#EXTINF:"))
            .and_then(|info| info.split(',').next())
            .and_then(|d| d.trim().parse::<f64>().ok());
        if let (Some(written), Some(duration)) = (modified(line), duration) {
            let start = OffsetDateTime::from(written) - time::Duration::seconds_f64(duration);
            let format = time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
            );
            if let Ok(stamp) = start.format(format) {
                out.push_str("#EXT-X-PROGRAM-DATE-TIME:");
                out.push_str(&stamp);
                out.push('\n');
            }
        }
        if let Some(info) = pending_info.take() {
            out.push_str(info);
            out.push('\n');
        }
        out.push_str(line);
        if let Some(token) = token {
            out.push_str("?token=");
            out.push_str(token);
        }
        out.push('\n');
    }
    out
}

async fn serve(
    files: &Files,
    channel: &Guarded,
    kind: Kind,
    path: PathBuf,
    token: Option<&str>,
    cache: &'static str,
    live: bool,
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
            let text = String::from_utf8_lossy(&bytes);
            let token = token.filter(|_| channel.private());
            let segment_dir = live
                .then(|| path.parent().map(std::path::Path::to_path_buf))
                .flatten();
            let modified = |segment: &str| -> Option<SystemTime> {
                let dir = segment_dir.as_ref()?;
                std::fs::metadata(dir.join(segment)).ok()?.modified().ok()
            };
            (
                "application/vnd.apple.mpegurl",
                rewrite_playlist(&text, modified, token).into_bytes(),
            )
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
    UrlPath((channel, file)): UrlPath<(String, String)>,
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
        true,
    )
    .await
}

async fn recorded(
    State(files): State<Arc<Files>>,
    UrlPath((channel, recording, file)): UrlPath<(String, String, String)>,
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
        false,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_playlists_get_program_date_times_and_private_ones_the_token() {
        let playlist =
            "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.000,\n7.ts\n#EXTINF:0.500,\n8.ts\n";
        let written = |segment: &str| {
            let seconds = if segment == "7.ts" { 100 } else { 101 };
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
        };
        let out = rewrite_playlist(playlist, written, Some("t0k"));
        assert_eq!(
            out,
            "#EXTM3U\n#EXT-X-TARGETDURATION:1\n\
             #EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:01:39.000Z\n#EXTINF:1.000,\n7.ts?token=t0k\n\
             #EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:01:40.500Z\n#EXTINF:0.500,\n8.ts?token=t0k\n"
        );
        // Recordings: no times, no token.
        assert_eq!(rewrite_playlist(playlist, |_| None, None), playlist);
    }

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
