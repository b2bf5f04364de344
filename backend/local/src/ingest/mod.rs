//! The local IVS ingest: RTMP in, low-latency HLS out, live state, thumbnails and recordings.
//!
//! nginx (with the RTMP module, driven by a generated configuration: [`nginx`]) receives and
//! segments the video. Its callbacks ([`callbacks`]) decide who may publish; a publish that
//! starts or stops becomes the same domain events the cloud gets from EventBridge
//! ([`broadcasts`]); while live, [`monitor`] keeps health, viewer counts (of the clients
//! [`hls`] sees playing: [`PlaybackViews`]) and a thumbnail per channel; each recorded broadcast
//! becomes a VOD (HLS playlist + thumbnail) with ffmpeg ([`vod`]), as IVS auto-record does. STANDARD channels are transcoded into a ladder of
//! qualities while live ([`ladder`]). [`hls`] serves the files with IVS's private-channel rule.

mod broadcasts;
mod callbacks;
pub(crate) mod ffmpeg;
mod growing_segments;
pub mod hls;
mod keeps;
pub mod ladder;
mod monitor;
mod nginx;
mod playback_sessions;
mod playback_views;
pub(crate) mod playlists;
pub mod private_recordings;
pub mod recording_files;
mod recovery;
mod timed_metadata;
mod vod;

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use axum::Router;
use cloumer_domain::Platform;
use cloumer_domain::ids::{ChannelId, RecordingId, StreamId, random_alphanumeric};
use cloumer_domain::ports::Clock;
use time::OffsetDateTime;
use tokio::process::Child;

use crate::chat::Rooms;
use crate::video::LocalVideo;
use broadcasts::Broadcast;
pub use playback_views::PlaybackViews;

/// Directories of the ingest, all under the data directory.
#[derive(Clone, Debug)]
pub struct IngestDirs {
    /// nginx's configuration, pid and log.
    pub runtime: PathBuf,
    /// Live HLS as the encoder sent it, one directory per channel id (nginx writes it).
    pub hls: PathBuf,
    /// Live HLS of the ladder's rungs: `<channel>/<rung>/` (ffmpeg writes it).
    pub renditions: PathBuf,
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
            renditions: ingest.join("renditions"),
            flv: ingest.join("flv"),
            thumbnails: ingest.join("thumbnails"),
            recordings: data_dir.join("recordings"),
        }
    }
}

/// What the ingest is handed when the stack is wired.
pub struct IngestSettings {
    pub platform: Platform,
    pub video: LocalVideo,
    pub rooms: Arc<Rooms>,
    /// The same [`PlaybackViews`] the HLS files' router counts players in.
    pub views: Arc<PlaybackViews>,
    pub clock: Arc<dyn Clock>,
    pub dirs: IngestDirs,
    pub rtmp_host: IpAddr,
    pub rtmp_port: u16,
    /// Our HTTP listener as nginx reaches it, e.g. `http://127.0.0.1:8080`.
    pub callback_base: String,
}

/// The ingest's state, shared by the callbacks, the monitor and the recorder.
struct IngestState {
    platform: Platform,
    video: LocalVideo,
    rooms: Arc<Rooms>,
    /// Who is playing each channel, for its viewer count.
    views: Arc<PlaybackViews>,
    clock: Arc<dyn Clock>,
    dirs: IngestDirs,
    /// Authenticates nginx's callbacks and the relay into the `live` application.
    secret: String,
    relay_target: String,
    /// Where the ladder publishes its rungs: nginx's `ladder` application.
    ladder_target: String,
    /// Channels being broadcast now.
    live: Mutex<HashMap<ChannelId, Broadcast>>,
    /// Recordings whose FLV is still being written or converted, by channel.
    recording: Mutex<HashMap<ChannelId, Recorder>>,
    /// Past broadcasts being kept (converted to their VOD): a stop stops them, and the next
    /// start keeps them again from their FLV.
    keeps: keeps::Keeps,
    /// The ladders of live STANDARD channels.
    transcodes: Mutex<HashMap<ChannelId, ladder::Transcode>>,
}

/// A broadcast being recorded: whose it is, and which nginx client writes it.
#[derive(Clone, Debug)]
struct Recorder {
    recording_id: RecordingId,
    /// The channel was private when the broadcast started: the recording stays private.
    private: bool,
    stream_id: StreamId,
    started_at: OffsetDateTime,
    /// nginx's id for the connection publishing into `live` (its callbacks name it).
    client: String,
}

/// The running ingest. Dropping it stops nginx.
pub struct Ingest {
    state: Arc<IngestState>,
    nginx: Child,
    monitor: tokio::task::JoinHandle<()>,
}

/// The ingest state before nginx runs.
pub struct Prepared {
    state: Arc<IngestState>,
}

impl Ingest {
    /// The callbacks nginx calls, to be served by the stack's HTTP listener. Build the state with
    /// [`Ingest::prepare`] first, then start nginx with [`Prepared::start`] once the listener is up.
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
        // Live HLS and thumbnails of a previous run are stale; the live playlists stay, ended,
        // so that segment names are never used twice.
        for dir in [&settings.dirs.hls, &settings.dirs.renditions] {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            broadcasts::clear_last_run(dir);
        }
        let thumbnails = &settings.dirs.thumbnails;
        let _ = std::fs::remove_dir_all(thumbnails);
        std::fs::create_dir_all(thumbnails)
            .with_context(|| format!("cannot create {}", thumbnails.display()))?;
        let loopback = if settings.rtmp_host.is_ipv6() {
            "[::1]"
        } else {
            "127.0.0.1"
        };
        let state = Arc::new(IngestState {
            platform: settings.platform.clone(),
            video: settings.video.clone(),
            rooms: settings.rooms.clone(),
            views: settings.views.clone(),
            clock: settings.clock.clone(),
            dirs: settings.dirs.clone(),
            relay_target: format!("rtmp://{loopback}:{}/live", settings.rtmp_port),
            ladder_target: format!("rtmp://{loopback}:{}/ladder", settings.rtmp_port),
            secret: random_alphanumeric(32),
            live: Mutex::default(),
            recording: Mutex::default(),
            keeps: keeps::Keeps::default(),
            transcodes: Mutex::default(),
        });
        let router = callbacks::router(state.clone());
        Ok((Prepared { state }, router))
    }

    /// Stops nginx (ending every broadcast as an encoder disconnect would).
    pub async fn stop(mut self) {
        self.monitor.abort();
        let _ = (&mut self.monitor).await;
        let _ = self.nginx.kill().await;
        // A recording is not waited for (converting a long broadcast takes minutes): its FLV
        // stays, and the next start keeps it.
        self.state.keeps.close().await;
        let channels: Vec<ChannelId> = self
            .state
            .live
            .lock()
            .expect("ingest lock")
            .keys()
            .cloned()
            .collect();
        for channel in channels {
            broadcasts::end(&self.state, &channel).await;
        }
    }
}

impl Prepared {
    /// Ends what a previous run left live, starts nginx and the health/thumbnail monitor.
    pub async fn start(self, settings: &IngestSettings) -> Result<Ingest> {
        let state = self.state;
        recovery::recover(&state).await;
        let nginx = nginx::start(&nginx::NginxSettings {
            runtime_dir: &state.dirs.runtime,
            hls_dir: &state.dirs.hls,
            renditions_dir: &state.dirs.renditions,
            flv_dir: &state.dirs.flv,
            rtmp_host: settings.rtmp_host,
            rtmp_port: settings.rtmp_port,
            callback_base: &settings.callback_base,
            secret: &state.secret,
        })
        .await?;
        let monitor = tokio::spawn(monitor::run(state.clone()));
        tracing::info!(port = settings.rtmp_port, "RTMP ingest ready");
        Ok(Ingest {
            state,
            nginx,
            monitor,
        })
    }
}
