//! Past broadcasts: nginx finished writing a broadcast's FLV; keep it as a VOD (HLS playlist +
//! thumbnail) if the channel records, and tell the domain, as IVS's recording events do.

use std::path::{Path, PathBuf};

use anyhow::Result;
use cloumer_domain::ids::{ChannelId, RecordingId, StreamId};
use cloumer_domain::recording::{RecordingEvent, RecordingEventKind};
use time::OffsetDateTime;

use super::{IngestState, ffmpeg};

/// `path`, if it is a recording nginx writes for `channel`: a file directly in the FLV
/// directory named `<channel>-<time>.flv` (nginx's `record_unique`). Callbacks name files;
/// nothing else may be touched through them.
pub(super) fn recorded_file(
    state: &IngestState,
    channel: &ChannelId,
    path: &Path,
) -> Option<PathBuf> {
    let file = path.canonicalize().ok()?;
    let directory = state.dirs.flv.canonicalize().ok()?;
    let name = file.file_name()?.to_str()?;
    let ours = file.parent() == Some(directory.as_path())
        && name.strip_prefix(channel.as_str())?.starts_with('-')
        && name.ends_with(".flv")
        && file.is_file();
    ours.then_some(file)
}

/// Turns the FLV at `flv`, written by nginx's connection `client`, into the channel's past
/// broadcast, or drops it when the channel does not record.
pub(super) async fn finish(state: &IngestState, channel: ChannelId, client: String, flv: PathBuf) {
    let recorder = {
        let mut recording = state.recording.lock().expect("ingest lock");
        match recording.get(&channel) {
            Some(recorder) if recorder.client == client => recording.remove(&channel),
            Some(_) => {
                tracing::warn!(%channel, "record-done from a client that is not recording it");
                return;
            }
            None => None,
        }
    };
    let Some(recorder) = recorder else {
        let _ = std::fs::remove_file(&flv);
        return;
    };
    keep(
        state,
        &channel,
        &Recorded {
            recording_id: recorder.recording_id,
            stream_id: Some(recorder.stream_id),
            started_at: recorder.started_at,
            private: recorder.private,
        },
        &flv,
    )
    .await;
}

/// What is known of a recording whose FLV is to be kept: from the running recorder, or, after a
/// crash, from the store.
pub(super) struct Recorded {
    pub recording_id: RecordingId,
    pub stream_id: Option<StreamId>,
    pub started_at: OffsetDateTime,
    pub private: bool,
}

/// Converts `flv` into the recording's VOD and tells the domain it ended, or that it failed
/// (nothing playable came of it). The FLV is removed either way.
pub(super) async fn keep(
    state: &IngestState,
    channel: &ChannelId,
    recorded: &Recorded,
    flv: &Path,
) {
    let recording_id = &recorded.recording_id;
    let dir = state
        .dirs
        .recordings
        .join(channel.as_str())
        .join(recording_id.as_str());
    let outcome = convert(flv, &dir).await;
    let ended_at = state.clock.now();
    let base = format!("{}/{channel}/{recording_id}", url_root(recorded.private));
    let event = match outcome {
        Ok(duration_ms) => RecordingEvent {
            channel_id: channel.clone(),
            recording_id: recording_id.clone(),
            stream_id: recorded.stream_id.clone(),
            kind: RecordingEventKind::Ended,
            at: ended_at,
            duration_ms: Some(duration_ms),
            playlist_url: Some(format!("{base}/index.m3u8")),
            thumbnail_url: dir
                .join("thumb.jpg")
                .exists()
                .then(|| format!("{base}/thumb.jpg")),
            live_thumbnail_url: None,
            private: Some(recorded.private),
        },
        Err(error) => {
            tracing::error!(%error, %channel, "recording failed");
            let _ = std::fs::remove_dir_all(&dir);
            failed(channel, recorded, ended_at)
        }
    };
    // The FLV goes only once the end is recorded: stopped before (or failing), the recording
    // is still unfinished, and the next start keeps it again from its FLV.
    if let Err(error) = state.platform.handle_recording_event(&event).await {
        tracing::error!(%error, "could not record the recording end");
        return;
    }
    let _ = std::fs::remove_file(flv);
    tracing::info!(%channel, recording = %recording_id, "recording finished");
}

/// The event for a recording that left nothing to play.
pub(super) fn failed(
    channel: &ChannelId,
    recorded: &Recorded,
    at: OffsetDateTime,
) -> RecordingEvent {
    RecordingEvent {
        channel_id: channel.clone(),
        recording_id: recorded.recording_id.clone(),
        stream_id: recorded.stream_id.clone(),
        kind: RecordingEventKind::Failed,
        at,
        duration_ms: Some(
            u64::try_from((at - recorded.started_at).whole_milliseconds()).unwrap_or(0),
        ),
        playlist_url: None,
        thumbnail_url: None,
        live_thumbnail_url: None,
        private: Some(recorded.private),
    }
}

/// Where recordings are served: private ones under their own root, which only signed requests
/// may read (CloudFront's `/private-recordings/*` behaviour in the cloud).
pub fn url_root(private: bool) -> &'static str {
    if private {
        "/private-recordings"
    } else {
        "/recordings"
    }
}

/// FLV → HLS VOD (stream copy, no re-encoding) + a thumbnail. Returns the duration.
async fn convert(flv: &Path, dir: &Path) -> Result<u64> {
    std::fs::create_dir_all(dir)?;
    let mut command = ffmpeg::command();
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
    ffmpeg::run(command, "convert a recording to HLS").await?;
    let duration = playlist_duration(&std::fs::read_to_string(dir.join("index.m3u8"))?);
    if duration == 0 {
        anyhow::bail!("nothing was recorded");
    }
    let at = (duration as f64 / 1000.0 / 2.0).min(5.0);
    if let Err(error) = ffmpeg::snapshot(flv, &dir.join("thumb.jpg"), at).await {
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
