//! The local transcoding ladder. IVS STANDARD channels are transcoded into several qualities
//! that viewers (or their player's Auto) choose from; BASIC channels pass the source through.
//! Locally, while a STANDARD channel is live, ffmpeg plays its stream back from nginx's `live`
//! application (loopback only, with the per-run secret: see `nginx.rs`) and encodes each rung
//! of [`RUNGS`] as low-latency HLS beside the source, with a keyframe every second so the
//! player can switch at any segment; an encoder that dies is started again, numbering on. Sized
//! for a small machine: one small rung.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use cloumer_domain::ids::ChannelId;

use super::{IngestState, ffmpeg};

/// One quality below the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rung {
    /// Its name in the quality menu, and its directory.
    pub name: &'static str,
    pub height: u32,
    pub video_kbps: u32,
    pub audio_kbps: u32,
}

/// The rungs a STANDARD channel gets. One 160p rung keeps a broadcast within one core of a
/// two-core machine (IVS's own ladder goes 160p to 720p on its hardware).
pub const RUNGS: &[Rung] = &[Rung {
    name: "160p",
    height: 160,
    video_kbps: 250,
    audio_kbps: 64,
}];

/// What the player's quality menu calls the stream as the encoder sent it.
pub const SOURCE: &str = "source";

impl Rung {
    /// The rung's picture for a source of `width`×`height`, as ffmpeg scales it (the height
    /// fixed, the width keeping the aspect ratio, rounded to an even number).
    pub fn size_for(&self, (width, height): (u32, u32)) -> (u32, u32) {
        let scaled = f64::from(width) * f64::from(self.height) / f64::from(height.max(1));
        ((scaled / 2.0).round() as u32 * 2, self.height)
    }
}

/// The rung named `name`.
pub fn rung(name: &str) -> Option<&'static Rung> {
    RUNGS.iter().find(|r| r.name == name)
}

/// Where a channel's rungs are written: `<renditions>/<channel>/<rung>/`.
pub fn channel_dir(renditions: &Path, channel: &ChannelId) -> PathBuf {
    renditions.join(channel.as_str())
}

/// A running transcode; dropping it stops ffmpeg (and stops starting it again).
pub(super) struct Transcode {
    supervisor: tokio::task::JoinHandle<()>,
}

impl Drop for Transcode {
    fn drop(&mut self) {
        // The task owns the child, which is killed when dropped.
        self.supervisor.abort();
    }
}

/// How long the encoder waits before it is started again after dying, at first ...
const RESTART_AFTER: Duration = Duration::from_millis(500);
/// ... doubling each time it dies soon after starting, up to this.
const RESTART_AFTER_AT_MOST: Duration = Duration::from_secs(8);
/// An encoder that ran this long was healthy: its next restart waits [`RESTART_AFTER`] again.
const HEALTHY_RUN: Duration = Duration::from_secs(30);

/// Starts transcoding `channel`'s broadcast into every rung, and starts the encoder again
/// whenever it dies while the broadcast goes on: the multivariant playlist still offers the
/// rungs, and a player on a frozen rung would stall.
pub(super) fn start(state: &IngestState, channel: &ChannelId) -> Result<Transcode> {
    let dir = channel_dir(&state.dirs.renditions, channel);
    let _ = std::fs::remove_dir_all(&dir);
    let source = format!("{}/{channel}?secret={}", state.relay_target, state.secret);
    for rung in RUNGS {
        let out = dir.join(rung.name);
        std::fs::create_dir_all(&out)
            .with_context(|| format!("cannot create {}", out.display()))?;
    }
    let mut encoder = encoder_command(&source, &dir, false)
        .spawn()
        .context("cannot start ffmpeg to transcode a broadcast")?;
    let channel = channel.clone();
    let supervisor = tokio::spawn(async move {
        let mut wait = RESTART_AFTER;
        loop {
            let started = Instant::now();
            let status = encoder.wait().await;
            tracing::warn!(?status, %channel, "a transcoding ladder's ffmpeg ended; starting it again");
            wait = if started.elapsed() >= HEALTHY_RUN {
                RESTART_AFTER
            } else {
                (wait * 2).min(RESTART_AFTER_AT_MOST)
            };
            tokio::time::sleep(wait).await;
            encoder = match encoder_command(&source, &dir, true).spawn() {
                Ok(child) => child,
                Err(error) => {
                    tracing::error!(%error, %channel, "cannot start ffmpeg again; the rungs stop");
                    return;
                }
            };
        }
    });
    Ok(Transcode { supervisor })
}

/// ffmpeg encoding `source` into every rung under `dir`; `again` when an earlier encoder wrote
/// there already.
fn encoder_command(source: &str, dir: &Path, again: bool) -> tokio::process::Command {
    // Started again, it numbers its segments on from the playlist it finds (a player must never
    // see the media sequence go back) and marks the break in timestamps as a discontinuity.
    let flags = if again {
        "delete_segments+independent_segments+temp_file+append_list+discont_start"
    } else {
        "delete_segments+independent_segments+temp_file"
    };
    // A new broadcast numbers its first segment by the second it started (its segments are a
    // second long, so the numbers run with the clock): not from 0, which the last broadcast's
    // segments had under the same URLs, where browsers may still hold them for 30 s.
    let first_number = if again { "generic" } else { "epoch" };
    let mut command = ffmpeg::command();
    // The stream arrives as it is sent: no probing delay beyond the first keyframe.
    command.args(["-fflags", "nobuffer", "-i", source]);
    for rung in RUNGS {
        let out = dir.join(rung.name);
        command
            .args(["-map", "0:v:0", "-map", "0:a:0?"])
            .args([
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-tune",
                "zerolatency",
            ])
            .args(["-vf", &format!("scale=-2:{}", rung.height)])
            .args(["-b:v", &format!("{}k", rung.video_kbps)])
            .args(["-maxrate", &format!("{}k", rung.video_kbps)])
            .args(["-bufsize", &format!("{}k", rung.video_kbps * 2)])
            // A keyframe every second, as the source has: segments line up across qualities.
            .args([
                "-force_key_frames",
                "expr:gte(t,n_forced*1)",
                "-sc_threshold",
                "0",
            ])
            .args(["-c:a", "aac", "-ac", "2"])
            .args(["-b:a", &format!("{}k", rung.audio_kbps)])
            .args(["-f", "hls", "-hls_time", "1", "-hls_list_size", "3"])
            .args(["-hls_flags", flags])
            .args(["-hls_start_number_source", first_number])
            .arg("-hls_segment_filename")
            .arg(out.join("%d.ts"))
            .arg(out.join("index.m3u8"));
    }
    command.stderr(Stdio::null()).stdout(Stdio::null());
    command
}

/// The broadcast ended: its rungs go with it, as the source's live files do.
pub(super) fn remove(state: &IngestState, channel: &ChannelId) {
    let _ = std::fs::remove_dir_all(channel_dir(&state.dirs.renditions, channel));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rung_keeps_the_sources_aspect_ratio_with_an_even_width() {
        assert_eq!(RUNGS[0].size_for((640, 360)), (284, 160));
        assert_eq!(RUNGS[0].size_for((1920, 1080)), (284, 160));
        assert_eq!(
            RUNGS[0].size_for((720, 1280)),
            (90, 160),
            "a phone held upright"
        );
    }
}
