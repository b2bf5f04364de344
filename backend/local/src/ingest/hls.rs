//! Serving live HLS, live thumbnails and recordings, with IVS's private-channel rule: a private
//! channel's files need a valid playback token (`?token=`), checked when playback starts. The
//! playlist a token loads is a multivariant playlist naming one variant, `index.m3u8?session=…`:
//! a playback session bound to the token's channel (see [`PlaybackSessions`]), whose playlist
//! and segments go on loading after the token expires, as IVS's do.

use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use axum::Router;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::routing::get;
use cloumer_domain::Platform;
use cloumer_domain::ids::{ChannelId, RecordingId};
use cloumer_domain::ports::Clock;
use cloumer_domain::use_cases::private_playback::PlaybackRule;
use cloumer_tokens::PlaybackTokenVerifier;
use serde::Deserialize;
use time::OffsetDateTime;

use super::IngestDirs;
use super::playback_sessions::PlaybackSessions;
use super::private_recordings::{RecordingGate, SigningQuery};

struct Files {
    platform: Platform,
    dirs: IngestDirs,
    verifier: PlaybackTokenVerifier,
    clock: Arc<dyn Clock>,
    sessions: PlaybackSessions,
    gate: RecordingGate,
}

/// What a request for a private channel's files may carry.
#[derive(Deserialize)]
struct Credentials {
    token: Option<String>,
    session: Option<String>,
}

/// `/hls/<channel>/{index.m3u8,N.ts,thumb.jpg}`, and recordings' files under
/// `/recordings/<channel>/<recording>/` and `/private-recordings/<channel>/<recording>/`.
pub fn router(
    platform: Platform,
    dirs: IngestDirs,
    verifier: PlaybackTokenVerifier,
    gate: RecordingGate,
    clock: Arc<dyn Clock>,
) -> Router {
    let files = Arc::new(Files {
        platform,
        dirs,
        verifier,
        gate,
        sessions: PlaybackSessions::new(clock.clone()),
        clock,
    });
    Router::new()
        .route("/hls/{channel}/{file}", get(live))
        .route("/recordings/{channel}/{recording}/{file}", get(recorded))
        .route(
            "/private-recordings/{channel}/{recording}/{file}",
            get(recorded),
        )
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

/// What let a request through.
enum Access {
    /// A public channel: anyone, from any origin.
    Open,
    /// A valid playback token for the channel: playback starts.
    Token { token: String, origin: String },
    /// A playback session of the channel that is still going on.
    Session { id: String, origin: String },
}

impl Access {
    fn origin(&self) -> &str {
        match self {
            Access::Open => "*",
            Access::Token { origin, .. } | Access::Session { origin, .. } => origin,
        }
    }
}

impl Files {
    async fn channel(&self, id: &str) -> Option<Guarded> {
        let id = ChannelId::parse(id).ok()?;
        let rule = self.platform.playback_rule(&id).await.ok().flatten()?;
        Some(Guarded { id, rule })
    }

    fn authorize(&self, channel: &Guarded, credentials: Credentials) -> Result<Access, StatusCode> {
        let PlaybackRule::TokenFor { channel_arn } = &channel.rule else {
            return Ok(Access::Open);
        };
        if let Some(id) = credentials.session {
            let origin = self
                .sessions
                .resume(&id, &channel.id)
                .ok_or(StatusCode::FORBIDDEN)?;
            return Ok(Access::Session { id, origin });
        }
        let token = credentials.token.ok_or(StatusCode::FORBIDDEN)?;
        let claims = self
            .verifier
            .verify(&token, self.clock.now())
            .filter(|claims| &claims.channel_arn == channel_arn)
            .ok_or(StatusCode::FORBIDDEN)?;
        Ok(Access::Token {
            token,
            origin: claims.access_control_allow_origin,
        })
    }
}

/// The multivariant playlist a playback token loads: one variant, the session's playlist.
/// `BANDWIDTH` (required) is the peak rate of the segments listed so far, or a typical 1080p
/// rate before there are any.
fn session_playlist(session: &str, media: &str, size_of: impl Fn(&str) -> Option<u64>) -> String {
    const TYPICAL: u64 = 6_000_000;
    let peak = segment_entries(media)
        .filter_map(|(duration, uri)| {
            let bits = size_of(uri)? * 8;
            (duration > 0.0).then(|| (bits as f64 / duration) as u64)
        })
        .max()
        .unwrap_or(TYPICAL);
    format!("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH={peak}\nindex.m3u8?session={session}\n")
}

/// `(duration, uri)` of each segment of a media playlist.
fn segment_entries(media: &str) -> impl Iterator<Item = (f64, &str)> {
    let mut duration = None;
    media.lines().filter_map(move |line| {
        if let Some(info) = line.strip_prefix("#EXTINF:") {
            duration = info.split(',').next().and_then(|d| d.trim().parse().ok());
            return None;
        }
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        Some((duration.take()?, line))
    })
}

/// Prepares a playlist for the player:
/// - live playlists get `#EXT-X-PROGRAM-DATE-TIME` per segment (when its first frame arrived:
///   the file's time minus its duration), so players can tell how far behind live they are, as
///   with IVS's own playlists;
/// - a private channel's segment URIs carry the playback session, since segments need it too.
pub fn rewrite_playlist(
    text: &str,
    modified: impl Fn(&str) -> Option<SystemTime>,
    session: Option<&str>,
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
        if let Some(session) = session {
            out.push_str("?session=");
            out.push_str(session);
        }
        out.push('\n');
    }
    out
}

/// A file's response: its type, how long it may be kept, who may read it across origins.
fn file_response(
    kind: &Kind,
    body: Vec<u8>,
    cache: &'static str,
    allow_origin: &str,
    set_cookies: Vec<String>,
) -> Response {
    let content_type = match kind {
        Kind::Playlist => "application/vnd.apple.mpegurl",
        Kind::Segment => "video/mp2t",
        Kind::Thumbnail => "image/jpeg",
    };
    let allow_origin = HeaderValue::from_str(allow_origin).unwrap_or(HeaderValue::from_static("*"));
    let cookies = set_cookies
        .into_iter()
        .filter_map(|cookie| HeaderValue::from_str(&cookie).ok())
        .map(|cookie| (header::SET_COOKIE, cookie));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, allow_origin),
        ],
        AppendHeaders(cookies),
        body,
    )
        .into_response()
}

async fn live(
    State(files): State<Arc<Files>>,
    UrlPath((channel, file)): UrlPath<(String, String)>,
    Query(credentials): Query<Credentials>,
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
    let access = match files.authorize(&channel, credentials) {
        Ok(access) => access,
        Err(status) => return status.into_response(),
    };
    let Ok(bytes) = tokio::fs::read(&path).await else {
        return not_found();
    };
    let directory = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let body = match (&kind, &access) {
        (Kind::Playlist, Access::Token { token, origin }) => {
            let Ok(session) = files.sessions.start(&channel.id, token, origin.clone()) else {
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            };
            session_playlist(&session, &String::from_utf8_lossy(&bytes), |segment| {
                Some(std::fs::metadata(directory.join(segment)).ok()?.len())
            })
            .into_bytes()
        }
        (Kind::Playlist, _) => {
            let session = match &access {
                Access::Session { id, .. } => Some(id.as_str()),
                _ => None,
            };
            let modified = |segment: &str| -> Option<SystemTime> {
                std::fs::metadata(directory.join(segment))
                    .ok()?
                    .modified()
                    .ok()
            };
            rewrite_playlist(&String::from_utf8_lossy(&bytes), modified, session).into_bytes()
        }
        _ => bytes,
    };
    let cache = match (&kind, &access) {
        (Kind::Playlist | Kind::Thumbnail, _) => "no-cache",
        (Kind::Segment, Access::Open) => "max-age=30",
        // A private channel's segments are not for shared caches.
        (Kind::Segment, _) => "private, max-age=30",
    };
    file_response(&kind, body, cache, access.origin(), Vec::new())
}

/// A past broadcast's files, under `/recordings/` or `/private-recordings/`. The recording's own
/// privacy decides: public ones are anyone's; private ones need a signed policy for the channel
/// (in the URL, or in the cookies an earlier signed URL set).
async fn recorded(
    State(files): State<Arc<Files>>,
    UrlPath((channel, recording, file)): UrlPath<(String, String, String)>,
    Query(signing): Query<SigningQuery>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Some(kind) = kind(&file) else {
        return not_found();
    };
    let (Ok(channel), Ok(recording)) = (ChannelId::parse(&channel), RecordingId::parse(&recording))
    else {
        return not_found();
    };
    if !safe_name(recording.as_str()) {
        return not_found();
    }
    let Ok(Some(private)) = files.platform.recording_privacy(&channel, &recording).await else {
        return not_found();
    };
    let set_cookies = if private {
        let cookie = headers
            .get(header::COOKIE)
            .and_then(|value| value.to_str().ok());
        match files
            .gate
            .admit(uri.path(), &signing, cookie, files.clock.now())
        {
            Some(admitted) => admitted.set_cookies,
            None => return StatusCode::FORBIDDEN.into_response(),
        }
    } else {
        Vec::new()
    };
    let path = files
        .dirs
        .recordings
        .join(channel.as_str())
        .join(recording.as_str())
        .join(&file);
    let Ok(body) = tokio::fs::read(&path).await else {
        return not_found();
    };
    let cache = match (&kind, private) {
        (Kind::Playlist, _) => "no-cache",
        (_, false) => "max-age=86400",
        (_, true) => "private, max-age=86400",
    };
    file_response(&kind, body, cache, "*", set_cookies)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn live_playlists_get_program_date_times_and_private_ones_the_session() {
        let playlist =
            "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.000,\n7.ts\n#EXTINF:0.500,\n8.ts\n";
        let written = |segment: &str| {
            let seconds = if segment == "7.ts" { 100 } else { 101 };
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
        };
        let out = rewrite_playlist(playlist, written, Some("s3ss"));
        assert_eq!(
            out,
            "#EXTM3U\n#EXT-X-TARGETDURATION:1\n\
             #EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:01:39.000Z\n#EXTINF:1.000,\n7.ts?session=s3ss\n\
             #EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:01:40.500Z\n#EXTINF:0.500,\n8.ts?session=s3ss\n"
        );
        // Recordings: no times, no session.
        assert_eq!(rewrite_playlist(playlist, |_| None, None), playlist);
    }

    #[test]
    fn a_token_loads_one_variant_at_the_segments_peak_rate() {
        let media = "#EXTM3U\n#EXTINF:2.000,\n1.ts\n#EXTINF:1.000,\n2.ts\n#EXTINF:1.0,\ngone.ts\n";
        let sizes = |segment: &str| match segment {
            "1.ts" => Some(500_000),
            "2.ts" => Some(400_000),
            _ => None,
        };
        assert_eq!(
            session_playlist("abc", media, sizes),
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=3200000\nindex.m3u8?session=abc\n"
        );
        assert!(session_playlist("abc", "#EXTM3U\n", sizes).contains("BANDWIDTH=6000000"));
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
