//! The local IVS ingest: RTMP in, low-latency HLS out, live state, thumbnails and recordings.
//!
//! nginx (with the RTMP module) receives and segments the video; this module decides who may
//! publish, turns publish start/stop into the same domain events the cloud gets from
//! EventBridge, keeps health, viewer counts and a live thumbnail per channel, and turns each
//! recorded broadcast into a VOD (HLS playlist + thumbnail) with ffmpeg, as IVS auto-record does.

pub mod hls;
mod nginx;

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};
use axum::Router;
use axum::extract::{Form, Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use cloumer_domain::Platform;
use cloumer_domain::ids::{ChannelId, RecordingId, StreamId, random_alphanumeric};
use cloumer_domain::live::{StreamEvent, StreamEventKind};
use cloumer_domain::ports::{StreamHealth, StreamStatus};
use cloumer_domain::recording::{RecordingEvent, RecordingEventKind, RecordingStatus};
use serde::Deserialize;
use time::OffsetDateTime;
use tokio::process::{Child, Command};

use crate::chat::ChatHub;
use crate::video::LocalVideo;

/// A segment newer than this means the encoder is sending: HEALTHY; older: STARVING.
const STARVING_AFTER: Duration = Duration::from_secs(3);
/// How often the live thumbnail is refreshed.
const THUMBNAIL_EVERY: Duration = Duration::from_secs(10);

/// Directories of the ingest, all under the data directory.
#[derive(Clone, Debug)]
pub struct IngestDirs {
    /// nginx's configuration, pid and log.
    pub runtime: PathBuf,
    /// Live HLS, one directory per channel id.
    pub hls: PathBuf,
    /// Broadcasts being recorded, as FLV, until they are turned into VODs.
    pub flv: PathBuf,
    /// Live thumbnails, one JPEG per channel id.
    pub thumbnails: PathBuf,
    /// Past broadcasts: `<channel>/<recording>/{index.m3u8, *.ts, thumb.jpg}`.
    pub recordings: PathBuf,
}

impl IngestDirs {
    pub fn under(data_dir: &Path) -> Self {
        let ingest = data_dir.join("ingest");
        Self {
            runtime: ingest.clone(),
            hls: ingest.join("hls"),
            flv: ingest.join("flv"),
            thumbnails: ingest.join("thumbnails"),
            recordings: data_dir.join("recordings"),
        }
    }
}

/// A broadcast in progress.
#[derive(Clone, Debug)]
struct Broadcast {
    stream_id: StreamId,
    started_at: OffsetDateTime,
    recording_id: Option<RecordingId>,
    thumbnail_version: u64,
    last_thumbnail: Option<SystemTime>,
}

struct IngestState {
    platform: Platform,
    video: LocalVideo,
    hub: Arc<ChatHub>,
    dirs: IngestDirs,
    secret: String,
    relay_target: String,
    /// Channels being broadcast now.
    live: Mutex<HashMap<ChannelId, Broadcast>>,
    /// Recordings whose FLV is still being written or converted, by channel.
    recording: Mutex<HashMap<ChannelId, (RecordingId, StreamId, OffsetDateTime)>>,
}

/// The running ingest. Dropping it stops nginx.
pub struct Ingest {
    state: Arc<IngestState>,
    nginx: Child,
    monitor: tokio::task::JoinHandle<()>,
}

#[derive(Debug, Deserialize)]
struct Notify {
    app: String,
    name: String,
    #[serde(default)]
    secret: Option<String>,
    #[serde(default)]
    path: Option<String>,
}

pub struct IngestSettings {
    pub platform: Platform,
    pub video: LocalVideo,
    pub hub: Arc<ChatHub>,
    pub dirs: IngestDirs,
    pub rtmp_host: IpAddr,
    pub rtmp_port: u16,
    /// Our HTTP listener as nginx reaches it, e.g. `http://127.0.0.1:8080`.
    pub callback_base: String,
}

impl Ingest {
    /// The callbacks nginx calls, to be served by the stack's HTTP listener. Build the state with
    /// [`Ingest::prepare`] first, then start nginx with [`Ingest::start`] once the listener is up.
    pub fn prepare(settings: &IngestSettings) -> Result<(Prepared, Router)> {
        for dir in [
            &settings.dirs.hls,
            &settings.dirs.flv,
            &settings.dirs.thumbnails,
            &settings.dirs.recordings,
        ] {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        // Live HLS and thumbnails of a previous run are stale.
        let _ = std::fs::remove_dir_all(&settings.dirs.hls);
        let _ = std::fs::remove_dir_all(&settings.dirs.thumbnails);
        std::fs::create_dir_all(&settings.dirs.hls)?;
        std::fs::create_dir_all(&settings.dirs.thumbnails)?;
        let secret = random_alphanumeric(32);
        let loopback = if settings.rtmp_host.is_ipv6() {
            "[::1]"
        } else {
            "127.0.0.1"
        };
        let state = Arc::new(IngestState {
            platform: settings.platform.clone(),
            video: settings.video.clone(),
            hub: settings.hub.clone(),
            dirs: settings.dirs.clone(),
            relay_target: format!("rtmp://{loopback}:{}/live", settings.rtmp_port),
            secret,
            live: Mutex::default(),
            recording: Mutex::default(),
        });
        let router = Router::new()
            .route("/internal/ingest/{secret}/{event}", post(callback))
            .with_state(state.clone());
        Ok((Prepared { state }, router))
    }
}

/// The ingest state before nginx runs.
pub struct Prepared {
    state: Arc<IngestState>,
}

impl Prepared {
    /// Ends what a previous run left live, starts nginx and the health/thumbnail monitor.
    pub async fn start(self, settings: &IngestSettings) -> Result<Ingest> {
        let state = self.state;
        recover(&state).await;
        let nginx = nginx::start(&nginx::NginxSettings {
            runtime_dir: &state.dirs.runtime,
            hls_dir: &state.dirs.hls,
            flv_dir: &state.dirs.flv,
            rtmp_host: settings.rtmp_host,
            rtmp_port: settings.rtmp_port,
            callback_base: &settings.callback_base,
            secret: &state.secret,
        })
        .await?;
        let monitor = tokio::spawn(monitor(state.clone()));
        tracing::info!(port = settings.rtmp_port, "RTMP ingest ready");
        Ok(Ingest {
            state,
            nginx,
            monitor,
        })
    }
}

impl Ingest {
    /// Stops nginx (ending every broadcast as an encoder disconnect would).
    pub async fn stop(mut self) {
        self.monitor.abort();
        let _ = self.nginx.kill().await;
        let channels: Vec<ChannelId> = self
            .state
            .live
            .lock()
            .expect("ingest lock")
            .keys()
            .cloned()
            .collect();
        for channel in channels {
            end_broadcast(&self.state, &channel).await;
        }
    }
}

/// A previous run that died while channels were live left them live in the store, and their
/// recordings unfinished: end them now.
async fn recover(state: &IngestState) {
    let Ok(live) = state.platform.ports().channels.list_live_channels().await else {
        return;
    };
    for channel in live {
        if let Some(stream_id) = channel.live.stream_id.clone() {
            let event = StreamEvent {
                channel_id: channel.id.clone(),
                stream_id,
                kind: StreamEventKind::End,
                at: OffsetDateTime::now_utc(),
            };
            if let Err(error) = state.platform.handle_stream_event(&event).await {
                tracing::warn!(%error, "could not end a broadcast left by a previous run");
            }
        }
        if let Ok(page) = state
            .platform
            .ports()
            .recordings
            .list_channel_recordings(&channel.id, None, 5)
            .await
        {
            for recording in page
                .items
                .into_iter()
                .filter(|r| r.status == RecordingStatus::Recording)
            {
                let event = RecordingEvent {
                    channel_id: channel.id.clone(),
                    recording_id: recording.id,
                    stream_id: recording.stream_id,
                    kind: RecordingEventKind::Failed,
                    at: OffsetDateTime::now_utc(),
                    duration_ms: None,
                    playlist_url: None,
                    thumbnail_url: None,
                    live_thumbnail_url: None,
                };
                let _ = state.platform.handle_recording_event(&event).await;
            }
        }
    }
    // Recordings cut short by the crash cannot be trusted: drop their FLV.
    if let Ok(entries) = std::fs::read_dir(&state.dirs.flv) {
        for entry in entries.flatten() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
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
            match ChannelId::parse(&notify.name) {
                Ok(channel) => begin_broadcast(&state, channel).await,
                Err(_) => refused(),
            }
        }
        ("publish-done", "live") => {
            if let Ok(channel) = ChannelId::parse(&notify.name) {
                end_broadcast(&state, &channel).await;
            }
            StatusCode::OK.into_response()
        }
        ("record-done", "live") => {
            if let (Ok(channel), Some(path)) = (ChannelId::parse(&notify.name), notify.path) {
                let state = state.clone();
                tokio::spawn(async move {
                    finish_recording(&state, channel, PathBuf::from(path)).await
                });
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

async fn begin_broadcast(state: &IngestState, channel_id: ChannelId) -> Response {
    let channel = match state
        .platform
        .ports()
        .channels
        .get_channel(&channel_id)
        .await
    {
        Ok(Some(channel)) => channel,
        _ => return refused(),
    };
    let stream_id = StreamId::generate();
    let started_at = OffsetDateTime::now_utc();
    {
        let mut live = state.live.lock().expect("ingest lock");
        if live.contains_key(&channel_id) {
            return refused();
        }
        live.insert(
            channel_id.clone(),
            Broadcast {
                stream_id: stream_id.clone(),
                started_at,
                recording_id: None,
                thumbnail_version: 0,
                last_thumbnail: None,
            },
        );
    }
    state.video.set_status(
        &channel_id,
        Some(status(
            state,
            &channel_id,
            &stream_id,
            started_at,
            StreamHealth::Healthy,
            None,
        )),
    );
    let event = StreamEvent {
        channel_id: channel_id.clone(),
        stream_id: stream_id.clone(),
        kind: StreamEventKind::Start,
        at: started_at,
    };
    if let Err(error) = state.platform.handle_stream_event(&event).await {
        tracing::error!(%error, "could not record the stream start");
    }
    if channel.recording {
        let recording_id =
            RecordingId::parse(&format!("rec-{}", random_alphanumeric(16))).expect("a valid id");
        state.recording.lock().expect("ingest lock").insert(
            channel_id.clone(),
            (recording_id.clone(), stream_id.clone(), started_at),
        );
        if let Some(broadcast) = state.live.lock().expect("ingest lock").get_mut(&channel_id) {
            broadcast.recording_id = Some(recording_id.clone());
        }
        let event = RecordingEvent {
            channel_id: channel_id.clone(),
            recording_id,
            stream_id: Some(stream_id.clone()),
            kind: RecordingEventKind::Started,
            at: started_at,
            duration_ms: None,
            playlist_url: None,
            thumbnail_url: None,
            live_thumbnail_url: None,
        };
        if let Err(error) = state.platform.handle_recording_event(&event).await {
            tracing::error!(%error, "could not record the recording start");
        }
    }
    tracing::info!(channel = %channel_id, stream = %stream_id, "broadcast started");
    StatusCode::OK.into_response()
}

async fn end_broadcast(state: &IngestState, channel: &ChannelId) {
    let Some(broadcast) = state.live.lock().expect("ingest lock").remove(channel) else {
        return;
    };
    state.video.set_status(channel, None);
    let _ = std::fs::remove_file(state.dirs.thumbnails.join(format!("{channel}.jpg")));
    let event = StreamEvent {
        channel_id: channel.clone(),
        stream_id: broadcast.stream_id.clone(),
        kind: StreamEventKind::End,
        at: OffsetDateTime::now_utc(),
    };
    if let Err(error) = state.platform.handle_stream_event(&event).await {
        tracing::error!(%error, "could not record the stream end");
    }
    tracing::info!(%channel, stream = %broadcast.stream_id, "broadcast ended");
}

fn status(
    state: &IngestState,
    channel: &ChannelId,
    stream_id: &StreamId,
    started_at: OffsetDateTime,
    health: StreamHealth,
    thumbnail_url: Option<String>,
) -> StreamStatus {
    StreamStatus {
        channel_arn: crate::video::arn(channel),
        stream_id: stream_id.clone(),
        started_at,
        health,
        // Local viewer count: open chat connections to the channel's room. Every channel page
        // holds one (signed in or not), so it counts people with the page open.
        viewer_count: state.hub.connection_count(&ChatHub::room_arn(channel)) as u64,
        thumbnail_url,
    }
}

/// Every two seconds: health from the age of the newest segment, viewer counts, and every ten
/// seconds a fresh thumbnail from the newest segment.
async fn monitor(state: Arc<IngestState>) {
    let mut tick = tokio::time::interval(Duration::from_secs(2));
    loop {
        tick.tick().await;
        let broadcasts: Vec<(ChannelId, Broadcast)> = state
            .live
            .lock()
            .expect("ingest lock")
            .iter()
            .map(|(c, b)| (c.clone(), b.clone()))
            .collect();
        for (channel, broadcast) in broadcasts {
            let newest = newest_segment(&state.dirs.hls.join(channel.as_str()));
            let age = newest
                .as_ref()
                .and_then(|(_, modified)| modified.elapsed().ok());
            let health = match age {
                Some(age) if age <= STARVING_AFTER => StreamHealth::Healthy,
                Some(_) => StreamHealth::Starving,
                None => StreamHealth::Unknown,
            };
            let mut version = broadcast.thumbnail_version;
            let due = broadcast
                .last_thumbnail
                .is_none_or(|t| t.elapsed().unwrap_or_default() >= THUMBNAIL_EVERY);
            if due && let Some((segment, _)) = &newest {
                let target = state.dirs.thumbnails.join(format!("{channel}.jpg"));
                if snapshot(segment, &target, 0.0).await.is_ok() {
                    version += 1;
                    if let Some(b) = state.live.lock().expect("ingest lock").get_mut(&channel) {
                        b.thumbnail_version = version;
                        b.last_thumbnail = Some(SystemTime::now());
                    }
                }
            }
            let thumbnail = (version > 0).then(|| format!("/hls/{channel}/thumb.jpg?v={version}"));
            // The stream may have ended while we looked.
            if state
                .live
                .lock()
                .expect("ingest lock")
                .contains_key(&channel)
            {
                state.video.set_status(
                    &channel,
                    Some(status(
                        &state,
                        &channel,
                        &broadcast.stream_id,
                        broadcast.started_at,
                        health,
                        thumbnail,
                    )),
                );
            }
        }
    }
}

fn newest_segment(dir: &Path) -> Option<(PathBuf, SystemTime)> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "ts"))
        .filter_map(|e| Some((e.path(), e.metadata().ok()?.modified().ok()?)))
        .max_by_key(|(_, modified)| *modified)
}

fn ffmpeg() -> Command {
    let mut command =
        Command::new(std::env::var_os("CLOUMER_FFMPEG").unwrap_or_else(|| "ffmpeg".into()));
    command
        .args(["-hide_banner", "-loglevel", "error", "-nostdin", "-y"])
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    command
}

async fn run(mut command: Command, what: &str) -> Result<()> {
    let output = command
        .output()
        .await
        .with_context(|| format!("cannot run ffmpeg to {what}"))?;
    if !output.status.success() {
        anyhow::bail!(
            "ffmpeg could not {what}: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

/// One frame of `input` (at `at_seconds`), 480 wide, written atomically to `target`.
async fn snapshot(input: &Path, target: &Path, at_seconds: f64) -> Result<()> {
    let partial = target.with_extension("part.jpg");
    let mut command = ffmpeg();
    command
        .args(["-ss", &format!("{at_seconds:.3}"), "-i"])
        .arg(input)
        .args(["-frames:v", "1", "-vf", "scale=480:-2", "-q:v", "4"])
        .arg(&partial);
    run(command, "take a thumbnail").await?;
    std::fs::rename(&partial, target)?;
    Ok(())
}

/// nginx finished writing a broadcast's FLV: keep it as a VOD (HLS + thumbnail) if the channel
/// records, and tell the domain; drop it otherwise.
async fn finish_recording(state: &IngestState, channel: ChannelId, flv: PathBuf) {
    let Some((recording_id, stream_id, started_at)) = state
        .recording
        .lock()
        .expect("ingest lock")
        .remove(&channel)
    else {
        let _ = std::fs::remove_file(&flv);
        return;
    };
    let dir = state
        .dirs
        .recordings
        .join(channel.as_str())
        .join(recording_id.as_str());
    let outcome = convert(&flv, &dir).await;
    let _ = std::fs::remove_file(&flv);
    let ended_at = OffsetDateTime::now_utc();
    let base = format!("/recordings/{channel}/{recording_id}");
    let event = match outcome {
        Ok(duration_ms) => RecordingEvent {
            channel_id: channel.clone(),
            recording_id: recording_id.clone(),
            stream_id: Some(stream_id),
            kind: RecordingEventKind::Ended,
            at: ended_at,
            duration_ms: Some(duration_ms),
            playlist_url: Some(format!("{base}/index.m3u8")),
            thumbnail_url: dir
                .join("thumb.jpg")
                .exists()
                .then(|| format!("{base}/thumb.jpg")),
            live_thumbnail_url: None,
        },
        Err(error) => {
            tracing::error!(%error, %channel, "recording failed");
            let _ = std::fs::remove_dir_all(&dir);
            RecordingEvent {
                channel_id: channel.clone(),
                recording_id: recording_id.clone(),
                stream_id: Some(stream_id),
                kind: RecordingEventKind::Failed,
                at: ended_at,
                duration_ms: Some(
                    u64::try_from((ended_at - started_at).whole_milliseconds()).unwrap_or(0),
                ),
                playlist_url: None,
                thumbnail_url: None,
                live_thumbnail_url: None,
            }
        }
    };
    if let Err(error) = state.platform.handle_recording_event(&event).await {
        tracing::error!(%error, "could not record the recording end");
    }
    tracing::info!(%channel, recording = %recording_id, "recording finished");
}

/// FLV → HLS VOD (stream copy, no re-encoding) + a thumbnail. Returns the duration.
async fn convert(flv: &Path, dir: &Path) -> Result<u64> {
    std::fs::create_dir_all(dir)?;
    let mut command = ffmpeg();
    command
        .arg("-i")
        .arg(flv)
        .args([
            "-c",
            "copy",
            "-f",
            "hls",
            "-hls_time",
            "4",
            "-hls_playlist_type",
            "vod",
            "-hls_segment_filename",
        ])
        .arg(dir.join("seg_%05d.ts"))
        .arg(dir.join("index.m3u8"));
    run(command, "convert a recording to HLS").await?;
    let duration = playlist_duration(&std::fs::read_to_string(dir.join("index.m3u8"))?);
    let at = (duration as f64 / 1000.0 / 2.0).min(5.0);
    if let Err(error) = snapshot(flv, &dir.join("thumb.jpg"), at).await {
        tracing::warn!(%error, "recording without a thumbnail");
    }
    Ok(duration)
}

/// The sum of a playlist's `#EXTINF` durations, in milliseconds.
fn playlist_duration(playlist: &str) -> u64 {
    playlist
        .lines()
        .filter_map(|l| l.strip_prefix("#EXTINF:"))
        .filter_map(|l| l.split(',').next()?.parse::<f64>().ok())
        .map(|seconds| (seconds * 1000.0).round() as u64)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vod_duration_is_the_sum_of_its_segments() {
        let playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.000000,\nseg_00000.ts\n#EXTINF:2.500,\nseg_00001.ts\n#EXT-X-ENDLIST\n";
        assert_eq!(playlist_duration(playlist), 6500);
    }
}
