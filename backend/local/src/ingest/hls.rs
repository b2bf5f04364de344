//! Serving live HLS, live thumbnails and recordings, with IVS's private-channel rule: a private
//! channel's files need a valid playback token (`?token=`), checked when playback starts.
//!
//! As with IVS, the playback URL `/hls/<channel>/index.m3u8` is a multivariant playlist: one
//! variant per quality, `<quality>/index.m3u8` (`source`, and the ladder's rungs while a
//! STANDARD channel is live). With a token, each variant carries `?session=…`: a playback
//! session bound to the token's channel (see [`PlaybackSessions`]), whose playlists and
//! segments go on loading after the token expires, as IVS's do. A live playlist names the
//! segments being written, which are served as they grow ([`GrowingSegments`]).

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::routing::get;
use cloumer_domain::Platform;
use cloumer_domain::ids::{ChannelId, RecordingId, StreamId};
use cloumer_domain::ports::Clock;
use cloumer_domain::use_cases::private_playback::PlaybackRule;
use cloumer_tokens::PlaybackTokenVerifier;
use serde::Deserialize;
use tokio::sync::OnceCell;

use super::PlaybackViews;
use super::growing_segments::GrowingSegments;
use super::ladder::{self, RUNGS, SOURCE};
use super::playback_sessions::PlaybackSessions;
use super::playlists::{self, Variant, multivariant, peak_bandwidth, rewrite_playlist};
use super::private_recordings::{RecordingGate, SigningQuery};
use super::timed_metadata;
use super::{IngestDirs, ffmpeg};
use crate::client::ClientAddress;
use crate::video::LocalVideo;

/// The source's picture size (width, height) in each live channel's current broadcast, probed
/// once per broadcast: the players that ask while it is probed wait for that one probe (a
/// channel's followers arrive together as it goes live).
type SourceSizes = HashMap<ChannelId, (StreamId, Arc<OnceCell<(u32, u32)>>)>;

struct Files {
    platform: Platform,
    video: LocalVideo,
    source_sizes: Mutex<SourceSizes>,
    dirs: IngestDirs,
    verifier: PlaybackTokenVerifier,
    clock: Arc<dyn Clock>,
    sessions: PlaybackSessions,
    /// Who is playing each channel (each live playlist load), for its viewer count.
    views: Arc<PlaybackViews>,
    gate: RecordingGate,
    growing: GrowingSegments,
}

/// What a request for a private channel's files may carry.
#[derive(Deserialize)]
struct Credentials {
    token: Option<String>,
    session: Option<String>,
}

/// `/hls/<channel>/{index.m3u8,thumb.jpg}`, `/hls/<channel>/<quality>/{index.m3u8,N.ts}`, and
/// recordings' files under
/// `/recordings/<channel>/<recording>/` and `/private-recordings/<channel>/<recording>/`.
pub fn router(
    platform: Platform,
    video: LocalVideo,
    dirs: IngestDirs,
    verifier: PlaybackTokenVerifier,
    gate: RecordingGate,
    clock: Arc<dyn Clock>,
    views: Arc<PlaybackViews>,
) -> Router {
    let files = Arc::new(Files {
        platform,
        video,
        source_sizes: Mutex::default(),
        dirs,
        verifier,
        gate,
        sessions: PlaybackSessions::new(clock.clone()),
        views,
        growing: GrowingSegments::default(),
        clock,
    });
    Router::new()
        .route("/hls/{channel}/{file}", get(live))
        .route("/hls/{channel}/{quality}/{file}", get(live_quality))
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
        // A clip's playlist, beside its recording's.
        f if f.starts_with("clip-") && f.ends_with(".m3u8") => Some(Kind::Playlist),
        "thumb.jpg" => Some(Kind::Thumbnail),
        f if f.starts_with("clip-") && f.ends_with(".jpg") => Some(Kind::Thumbnail),
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

/// A file's response: its type, how long it may be kept, who may read it across origins.
fn file_response(
    kind: &Kind,
    body: impl Into<Body>,
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
        body.into(),
    )
        .into_response()
}

/// The multivariant playlist (the playback URL) and the live thumbnail.
async fn live(
    State(files): State<Arc<Files>>,
    ClientAddress(client): ClientAddress,
    UrlPath((channel, file)): UrlPath<(String, String)>,
    Query(credentials): Query<Credentials>,
) -> Response {
    let kind = match kind(&file) {
        Some(kind @ (Kind::Playlist | Kind::Thumbnail)) => kind,
        _ => return not_found(),
    };
    let Some(channel) = files.channel(&channel).await else {
        return not_found();
    };
    let access = match files.authorize(&channel, credentials) {
        Ok(access) => access,
        Err(status) => return status.into_response(),
    };
    if let Kind::Thumbnail = kind {
        let path = files.dirs.thumbnails.join(format!("{}.jpg", channel.id));
        let Ok(bytes) = tokio::fs::read(&path).await else {
            return not_found();
        };
        return file_response(&kind, bytes, "no-cache", access.origin(), Vec::new());
    }
    let Some(variants) = files.variants(&channel.id).await else {
        // Not live, or the first segment is not cut yet: the player tries again.
        return not_found();
    };
    let session = match &access {
        Access::Open => None,
        Access::Token { token, origin } => {
            match files.sessions.start(&channel.id, token, origin.clone()) {
                Ok(session) => Some(session),
                Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
            }
        }
        Access::Session { id, .. } => Some(id.clone()),
    };
    files.saw_playing(&channel.id, client);
    let body = multivariant(&variants, session.as_deref(), Some(SystemTime::now()));
    file_response(&kind, body, "no-cache", access.origin(), Vec::new())
}

impl Files {
    /// A client loaded one of a live channel's playlists: it is watching (players reload them
    /// every segment or so). A client of unknown address is not counted.
    fn saw_playing(&self, channel: &ChannelId, client: Option<std::net::IpAddr>) {
        if let Some(client) = client {
            self.views.saw(channel, client);
        }
    }

    /// Where one quality of a live channel is written: the source by nginx, rungs by ffmpeg.
    fn quality_dir(&self, channel: &ChannelId, quality: &str) -> Option<PathBuf> {
        if quality == SOURCE {
            return Some(self.dirs.hls.join(channel.as_str()));
        }
        let rung = ladder::rung(quality)?;
        Some(ladder::rung_dir(&self.dirs.renditions, channel, rung))
    }

    /// Whether a rung's transcoder started (or nginx wrote its rung) lately: a rung whose
    /// playlist is not this broadcast's yet is waited for.
    fn rung_starting(&self, channel: &ChannelId, rung: &str) -> bool {
        /// Long enough for ffmpeg to start and cut a first one-second segment on a busy machine.
        const RUNG_GRACE: std::time::Duration = std::time::Duration::from_secs(8);
        self.quality_dir(channel, rung)
            .and_then(|dir| std::fs::metadata(dir).ok()?.modified().ok())
            .and_then(|created| created.elapsed().ok())
            .is_some_and(|age| age < RUNG_GRACE)
    }

    /// The qualities a live channel has now, best first: the source, then each rung whose
    /// playlist has been written. `None` before the source has one.
    async fn variants(&self, channel: &ChannelId) -> Option<Vec<Variant>> {
        /// Before a quality has segments: a typical 1080p rate for the source.
        const TYPICAL_SOURCE: u64 = 6_000_000;
        let media_of = |quality: &str| -> Option<(PathBuf, String)> {
            let dir = self.quality_dir(channel, quality)?;
            let media = std::fs::read_to_string(dir.join("index.m3u8")).ok()?;
            // An ended playlist is a finished broadcast's: offline, or live again with no
            // playlist of its own yet.
            let media = (!playlists::has_ended(&media)).then_some(media)?;
            Some((dir, playlists::since_last_break(&media).into_owned()))
        };
        let peak = |(dir, media): &(PathBuf, String)| {
            peak_bandwidth(media, |segment| {
                Some(std::fs::metadata(dir.join(segment)).ok()?.len())
            })
        };
        let source = media_of(SOURCE)?;
        let source_size = self.source_size(channel, &source).await;
        let mut variants = vec![Variant {
            name: SOURCE,
            bandwidth: peak(&source).unwrap_or(TYPICAL_SOURCE),
            size: source_size,
        }];
        for rung in RUNGS {
            match media_of(rung.name) {
                Some(media) => {
                    let nominal = u64::from(rung.video_kbps + rung.audio_kbps) * 1000;
                    variants.push(Variant {
                        name: rung.name,
                        bandwidth: peak(&media).unwrap_or(nominal),
                        size: source_size.map(|size| rung.size_for(size)),
                    });
                }
                // Being transcoded, with no playlist yet: a player keeps the qualities it
                // loaded first for the whole broadcast, so it waits (a 404 it retries) rather
                // than starts with the source only. A rung that never comes is left out.
                None if self.rung_starting(channel, rung.name) => return None,
                None => {}
            }
        }
        // The source is the best quality, whatever its bits (a still picture at full size may
        // take fewer than a rung's steady rate): players list and pick qualities by their
        // declared bandwidth, so it is declared no lower than any rung's.
        let fastest_rung = variants[1..].iter().map(|v| v.bandwidth).max();
        if let Some(fastest) = fastest_rung {
            variants[0].bandwidth = variants[0].bandwidth.max(fastest + 1);
        }
        Some(variants)
    }

    /// The source's picture size in the channel's current broadcast: probed from the newest
    /// segment of its media playlist (`source`: its directory and text) the first time a player
    /// asks, then remembered until the next broadcast. A player waits for the probe at most
    /// [`PROBE_WAIT`] and is served without sizes after it.
    async fn source_size(
        &self,
        channel: &ChannelId,
        (dir, media): &(PathBuf, String),
    ) -> Option<(u32, u32)> {
        let stream = self.video.status(channel)?.stream_id;
        let probed = {
            let mut sizes = self.source_sizes.lock().expect("sizes lock");
            match sizes.get(channel) {
                Some((seen, probed)) if *seen == stream => probed.clone(),
                _ => {
                    // Channels that went offline are forgotten as others' broadcasts start.
                    sizes.retain(|c, _| self.video.status(c).is_some());
                    let probed = Arc::default();
                    sizes.insert(channel.clone(), (stream, Arc::clone(&probed)));
                    probed
                }
            }
        };
        // A probe that fails (no segment yet, say) or outlasts its asker's wait (dropped, and
        // ffprobe killed with it) is not remembered: the next asker probes.
        let size = probed.get_or_try_init(|| async {
            let newest = media
                .lines()
                .rev()
                .find(|line| !line.is_empty() && !line.starts_with('#'))
                .filter(|newest| safe_name(newest))
                .ok_or(())?;
            ffmpeg::picture_size(&dir.join(newest)).await.ok_or(())
        });
        tokio::time::timeout(PROBE_WAIT, size)
            .await
            .ok()?
            .ok()
            .copied()
    }
}

/// How long a player waits for the source's picture size: ffprobe reads one segment in well
/// under a second even on a busy machine, and a probe that hangs must not hold every player
/// of the channel (they all wait on the one probe).
const PROBE_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// One quality's media playlist and segments.
async fn live_quality(
    State(files): State<Arc<Files>>,
    ClientAddress(client): ClientAddress,
    UrlPath((channel, quality, file)): UrlPath<(String, String, String)>,
    Query(credentials): Query<Credentials>,
) -> Response {
    let kind = match kind(&file) {
        Some(kind @ (Kind::Playlist | Kind::Segment)) => kind,
        _ => return not_found(),
    };
    let Some(channel) = files.channel(&channel).await else {
        return not_found();
    };
    let Some(directory) = files.quality_dir(&channel.id, &quality) else {
        return not_found();
    };
    let access = match files.authorize(&channel, credentials) {
        // A token starts playback at the multivariant playlist, not here.
        Ok(Access::Token { .. }) => return StatusCode::FORBIDDEN.into_response(),
        Ok(access) => access,
        Err(status) => return status.into_response(),
    };
    let cache = match (&kind, &access) {
        (Kind::Playlist, _) => "no-cache",
        (_, Access::Open) => "max-age=30",
        // A private channel's segments are not for shared caches.
        (_, _) => "private, max-age=30",
    };
    if matches!(kind, Kind::Segment) && !files.growing.surely_listed(&directory, &file) {
        let media = tokio::fs::read_to_string(directory.join("index.m3u8")).await;
        if media.is_ok_and(|media| playlists::is_coming(&media, &file)) {
            return match files.growing.body(&directory, &file).await {
                Some(body) => file_response(&kind, body, cache, access.origin(), Vec::new()),
                None => not_found(),
            };
        }
    }
    let path = directory.join(&file);
    let body = match kind {
        Kind::Playlist => {
            let Ok(bytes) = tokio::fs::read(&path).await else {
                return not_found();
            };
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
            let media = String::from_utf8_lossy(&bytes);
            // The last broadcast's ended playlist while the next has none of its own yet (nginx
            // writes it with the first segment): the player asks again, rather than plays the
            // last broadcast's end.
            if playlists::has_ended(&media) && files.video.status(&channel.id).is_some() {
                return not_found();
            }
            files.growing.saw_playlist(&directory, &media);
            files.saw_playing(&channel.id, client);
            let media = playlists::since_last_break(&media);
            Body::from(rewrite_playlist(&media, modified, session))
        }
        Kind::Segment => match complete_segment(path).await {
            Some(segment) => Body::from(segment),
            None => return not_found(),
        },
        // Refused at the top: a quality has no thumbnail of its own.
        Kind::Thumbnail => return not_found(),
    };
    file_response(&kind, body, cache, access.origin(), Vec::new())
}

/// A live segment nginx-rtmp has finished, with the timed metadata: read whole through one open
/// file, which also tells when its first frame arrived (nginx-rtmp creates the file as that
/// frame comes, so its birth time).
async fn complete_segment(path: PathBuf) -> Option<Bytes> {
    let read = move || -> std::io::Result<Bytes> {
        let mut file = std::fs::File::open(path)?;
        let about = file.metadata()?;
        let mut segment = vec![0; timed_metadata::ROOM];
        segment.reserve_exact(usize::try_from(about.len()).unwrap_or(0));
        file.read_to_end(&mut segment)?;
        Ok(timed_metadata::stamp_whole(segment, about.created().ok()))
    };
    tokio::task::spawn_blocking(read).await.ok()?.ok()
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
    use super::*;

    #[test]
    fn only_plain_file_names_are_served() {
        assert!(kind("index.m3u8").is_some());
        assert!(kind("clip-cl0123456789abcdef.m3u8").is_some());
        assert!(kind("clip-cl0123456789abcdef.jpg").is_some());
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
