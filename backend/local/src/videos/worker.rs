//! The local transcoding worker: one job at a time (a second would only halve the speed of
//! both on a small machine). ffprobe says what an upload is and ffmpeg makes the HLS ladder and
//! a picture, reading the upload alone: only the `file` protocol and the MP4/QuickTime and
//! Matroska/WebM demuxers are allowed, so a file posing as a playlist or a concat script cannot
//! make them read anything else. Jobs are files in the jobs directory until they end, so a
//! restart starts the unfinished ones again (from the beginning).

use std::path::Path;
use std::process::Stdio;

use cloumer_domain::Platform;
use cloumer_domain::ids::VideoId;
use cloumer_domain::media::{Container, MediaInfo, Refusal};
use cloumer_domain::video::Transcoded;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;
use tokio::sync::{mpsc, oneshot};

use super::{LocalVideoPipeline, Work, remove_dir, remove_file};
use crate::ingest::ffmpeg;
use crate::ingest::playlists::{Variant, multivariant, peak_bandwidth};

/// The demuxers an upload may be read with.
const DEMUXERS: &str = "mov,matroska,webm";

/// What a queued job needs to know about its upload.
#[derive(Debug, Serialize, Deserialize)]
pub struct Job {
    pub width: u32,
    pub height: u32,
    pub has_audio: bool,
    pub duration_ms: u64,
}

impl Job {
    pub fn for_media(media: &MediaInfo) -> Self {
        Self {
            width: media.width,
            height: media.height,
            has_audio: media.audio_codec.is_some(),
            duration_ms: media.duration_ms,
        }
    }

    /// The ladder's rungs (height, video bitrate): 720p only from sources at least that tall.
    fn rungs(&self) -> Vec<Rung> {
        let mut rungs = Vec::new();
        if self.height >= 720 {
            rungs.push(Rung {
                name: "720p",
                height: 720,
                bitrate: "2800k",
            });
        }
        rungs.push(Rung {
            name: "360p",
            height: 360,
            bitrate: "800k",
        });
        rungs
    }

    /// The picture size of a rung `height` tall (ffmpeg's `scale=-2:<height>`: even width).
    fn size_at(&self, height: u32) -> (u32, u32) {
        let width = u64::from(self.width) * u64::from(height) / u64::from(self.height.max(1));
        ((width as u32 / 2 * 2).max(2), height)
    }
}

/// One quality of the ladder.
struct Rung {
    /// As players show it, and its directory.
    name: &'static str,
    height: u32,
    bitrate: &'static str,
}

/// What ffprobe finds in `file`; the reason when it finds no media it may read.
pub async fn probe(file: &Path) -> Result<MediaInfo, Refusal> {
    let output =
        Command::new(std::env::var_os("CLOUMER_FFPROBE").unwrap_or_else(|| "ffprobe".into()))
            .args(["-v", "error", "-protocol_whitelist", "file"])
            .args(["-format_whitelist", DEMUXERS])
            .args(["-show_format", "-show_streams", "-of", "json"])
            .arg(format!("file:{}", file.display()))
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .output()
            .await
            .map_err(|error| {
                tracing::error!(%error, "ffprobe could not be run");
                Refusal::Unreadable
            })?;
    if !output.status.success() {
        return Err(Refusal::Unreadable);
    }
    let found: Probed = serde_json::from_slice(&output.stdout).map_err(|_| Refusal::Unreadable)?;
    let video = found.streams.iter().find(|s| s.codec_type == "video");
    let audio = found.streams.iter().find(|s| s.codec_type == "audio");
    let seconds: f64 = found
        .format
        .duration
        .as_deref()
        .and_then(|d| d.parse().ok())
        .filter(|d: &f64| d.is_finite() && *d >= 0.0)
        .unwrap_or(0.0);
    Ok(MediaInfo {
        container: Container::from_format_name(&found.format.format_name),
        video_codec: video.map(|s| s.codec_name.clone()),
        audio_codec: audio.map(|s| s.codec_name.clone()),
        width: video.and_then(|s| s.width).unwrap_or(0),
        height: video.and_then(|s| s.height).unwrap_or(0),
        duration_ms: (seconds * 1000.0) as u64,
    })
}

#[derive(Deserialize)]
struct Probed {
    #[serde(default)]
    streams: Vec<Stream>,
    format: Format,
}

#[derive(Deserialize)]
struct Stream {
    #[serde(default)]
    codec_type: String,
    #[serde(default)]
    codec_name: String,
    width: Option<u32>,
    height: Option<u32>,
}

#[derive(Deserialize)]
struct Format {
    #[serde(default)]
    format_name: String,
    duration: Option<String>,
}

/// Runs the worker until the stack stops: first what a previous run left (uploads completed but
/// never probed, jobs never finished), then whatever arrives.
pub async fn run(
    platform: Platform,
    pipeline: LocalVideoPipeline,
    mut work: mpsc::UnboundedReceiver<Work>,
) {
    for id in names_in(&pipeline.dirs.uploads) {
        if pipeline.dirs.upload_file(&id).is_file() {
            pipeline.enqueue(Work::Arrived(id));
        }
    }
    for id in names_in(&pipeline.dirs.jobs) {
        pipeline.enqueue(Work::Transcode(id));
    }
    while let Some(next) = work.recv().await {
        match next {
            Work::Arrived(id) => {
                if let Err(error) = platform.process_upload(&id).await {
                    tracing::warn!(video = %id, %error, "could not start processing an upload");
                }
            }
            Work::Transcode(id) => transcode(&platform, &pipeline, &id).await,
        }
    }
}

/// The videos named by the entries of `dir` (anything else there is ignored).
fn names_in(dir: &Path) -> Vec<VideoId> {
    let mut found: Vec<(std::time::SystemTime, VideoId)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let id = VideoId::parse(entry.file_name().to_str()?).ok()?;
            let at = entry.metadata().and_then(|m| m.modified()).ok()?;
            Some((at, id))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, id)| id).collect()
}

async fn transcode(platform: &Platform, pipeline: &LocalVideoPipeline, id: &VideoId) {
    let job_file = pipeline.dirs.jobs.join(id.as_str());
    let Some(job) = std::fs::read(&job_file)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Job>(&bytes).ok())
    else {
        // Deleted meanwhile (or not ours): nothing to do.
        return;
    };
    let (stop, stopped) = oneshot::channel();
    *pipeline.running.lock().expect("not poisoned") = Some((id.clone(), stop));
    let outcome = tokio::select! {
        outcome = make_ladder(platform, pipeline, id, &job) => Some(outcome),
        _ = stopped => None,
    };
    pipeline.running.lock().expect("not poisoned").take();
    let reported = match outcome {
        // Stopped: the video was deleted, with its outputs.
        None => return,
        Some(Ok(())) => {
            let base = format!("{}/video-files/{id}", pipeline.base_url);
            platform
                .video_transcoded(
                    id,
                    Transcoded {
                        playlist_url: format!("{base}/index.m3u8"),
                        thumbnail_url: Some(format!("{base}/thumb.jpg")),
                    },
                )
                .await
        }
        Some(Err(why)) => {
            tracing::warn!(video = %id, %why, "transcoding failed");
            let _ = remove_dir(&pipeline.dirs.outputs.join(id.as_str()));
            platform.video_failed(id, Refusal::NotTranscoded).await
        }
    };
    match reported {
        Ok(()) => {
            let _ = remove_file(&job_file);
        }
        // The job file stays: the next start tries again.
        Err(error) => tracing::warn!(video = %id, %error, "could not record a job's end"),
    }
}

/// The HLS ladder (`index.m3u8` naming one playlist per rung) and the picture, in a fresh
/// directory; progress reported as ffmpeg goes.
async fn make_ladder(
    platform: &Platform,
    pipeline: &LocalVideoPipeline,
    id: &VideoId,
    job: &Job,
) -> Result<(), String> {
    let input = format!("file:{}", pipeline.dirs.upload_file(id).display());
    let out = pipeline.dirs.outputs.join(id.as_str());
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let rungs = job.rungs();
    let mut command = ffmpeg::command();
    command
        .args(["-protocol_whitelist", "file", "-format_whitelist", DEMUXERS])
        .args(["-i", &input]);
    let split: String = (0..rungs.len()).map(|i| format!("[s{i}]")).collect();
    let mut graph = format!("[0:v]split={}{split}", rungs.len());
    for (i, rung) in rungs.iter().enumerate() {
        graph.push_str(&format!(";[s{i}]scale=-2:{}[v{i}]", rung.height));
    }
    command.args(["-filter_complex", &graph]);
    let mut streams = Vec::new();
    for (i, rung) in rungs.iter().enumerate() {
        command.args(["-map", &format!("[v{i}]")]);
        command.args([format!("-b:v:{i}"), rung.bitrate.to_owned()]);
        let mut map = format!("v:{i}");
        if job.has_audio {
            command.args(["-map", "0:a:0"]);
            map.push_str(&format!(",a:{i}"));
        }
        streams.push(format!("{map},name:{}", rung.name));
    }
    command
        .args([
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-profile:v",
            "main",
        ])
        .args([
            "-pix_fmt",
            "yuv420p",
            "-g",
            "48",
            "-keyint_min",
            "48",
            "-sc_threshold",
            "0",
        ])
        .args(["-c:a", "aac", "-b:a", "128k", "-ac", "2"])
        .args(["-f", "hls", "-hls_time", "4", "-hls_playlist_type", "vod"])
        .args(["-hls_flags", "independent_segments"])
        .args(["-var_stream_map", &streams.join(" ")])
        .arg("-hls_segment_filename")
        .arg(out.join("%v").join("%d.ts"))
        .args(["-progress", "pipe:1", "-nostats"])
        .arg(out.join("%v").join("index.m3u8"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run ffmpeg: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    let mut lines = BufReader::new(stdout).lines();
    let mut reported = 0u8;
    while let Ok(Some(line)) = lines.next_line().await {
        let Some(micros) = line
            .strip_prefix("out_time_us=")
            .and_then(|v| v.parse::<u64>().ok())
        else {
            continue;
        };
        let percent = (micros / 1000 * 100 / job.duration_ms.max(1)).min(99) as u8;
        if percent >= reported.saturating_add(5) {
            reported = percent;
            let _ = platform.video_progress(id, percent).await;
        }
    }
    let output = child
        .wait_with_output()
        .await
        .map_err(|e| format!("ffmpeg: {e}"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_owned());
    }
    // The multivariant playlist as IVS writes its own (each quality named), for the same player.
    let variants: Vec<Variant> = rungs
        .iter()
        .map(|rung| {
            let dir = out.join(rung.name);
            let media = std::fs::read_to_string(dir.join("index.m3u8")).unwrap_or_default();
            let size_of = |uri: &str| std::fs::metadata(dir.join(uri)).ok().map(|m| m.len());
            Variant {
                name: rung.name,
                bandwidth: peak_bandwidth(&media, size_of).unwrap_or(1_000_000),
                size: Some(job.size_at(rung.height)),
            }
        })
        .collect();
    std::fs::write(out.join("index.m3u8"), multivariant(&variants, None, None))
        .map_err(|e| e.to_string())?;
    let at = (job.duration_ms as f64 / 2000.0).min(1.0);
    let mut picture = ffmpeg::command();
    picture
        .args(["-protocol_whitelist", "file", "-format_whitelist", DEMUXERS])
        .args(["-ss", &format!("{at:.3}"), "-i", &input])
        .args(["-frames:v", "1", "-vf", "scale=480:-2", "-q:v", "4"])
        .arg(out.join("thumb.jpg"));
    ffmpeg::run(picture, "take a video's picture")
        .await
        .map_err(|e| e.to_string())
}
