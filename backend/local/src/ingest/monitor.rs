//! While channels are live: health from the age of the newest segment, viewer counts, and a
//! fresh thumbnail every ten seconds, as IVS reports them for its streams.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use cloumer_domain::ids::ChannelId;
use cloumer_domain::ports::StreamHealth;

use super::broadcasts::{self, Broadcast};
use super::ladder::{self, RUNGS};
use super::{IngestState, ffmpeg, playlists};

/// A segment newer than this means the encoder is sending: HEALTHY; older: STARVING.
const STARVING_AFTER: Duration = Duration::from_secs(3);
/// How often the live thumbnail is refreshed.
const THUMBNAIL_EVERY: Duration = Duration::from_secs(10);
/// Segments kept after they leave the playlist, for players that loaded it just before.
const KEPT_AFTER_THE_PLAYLIST: u64 = 10;

/// Every two seconds, for every live channel.
pub(super) async fn run(state: Arc<IngestState>) {
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
            check(&state, channel, broadcast).await;
        }
    }
}

async fn check(state: &IngestState, channel: ChannelId, broadcast: Broadcast) {
    let source = state.dirs.hls.join(channel.as_str());
    remove_old_segments(&source);
    for rung in RUNGS {
        remove_old_segments(&ladder::rung_dir(&state.dirs.renditions, &channel, rung));
    }
    let newest = newest_segment(&source);
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
        .is_none_or(|t| t.elapsed() >= THUMBNAIL_EVERY);
    if due && let Some((segment, _)) = &newest {
        let target = state.dirs.thumbnails.join(format!("{channel}.jpg"));
        if ffmpeg::snapshot(segment, &target, 0.0).await.is_ok() {
            version += 1;
            if let Some(b) = state.live.lock().expect("ingest lock").get_mut(&channel) {
                b.thumbnail_version = version;
                b.last_thumbnail = Some(Instant::now());
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
            Some(broadcasts::status(
                state,
                &channel,
                &broadcast.stream_id,
                broadcast.started_at,
                health,
                thumbnail,
            )),
        );
    }
}

/// Removes the segments of a live quality that left its playlist a while ago. nginx-rtmp's own
/// `hls_cleanup` is a path manager, which nginx runs in its cache-manager process, and our
/// one-process nginx (`master_process off`) starts none: a broadcast kept every segment.
fn remove_old_segments(dir: &Path) {
    let Some(oldest_listed) = std::fs::read_to_string(dir.join("index.m3u8"))
        .ok()
        .and_then(|media| playlists::oldest_number(&media))
    else {
        return;
    };
    let Some(keep_from) = oldest_listed.checked_sub(KEPT_AFTER_THE_PLAYLIST) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let old = entry
            .file_name()
            .to_str()
            .and_then(playlists::segment_number)
            .is_some_and(|number| number < keep_from);
        if old && let Err(error) = std::fs::remove_file(entry.path()) {
            tracing::warn!(%error, "cannot remove an old live segment");
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
