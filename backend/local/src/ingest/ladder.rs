//! The local transcoding ladder. IVS STANDARD channels are transcoded into several qualities
//! that viewers (or their player's Auto) choose from; BASIC channels pass the source through.
//! Locally, while a STANDARD channel is live, ffmpeg plays its stream back from nginx's `live`
//! application (loopback only, with the per-run secret: see `nginx.rs`), encodes each rung of
//! [`RUNGS`] with a keyframe every second (so the player can switch at any segment), and
//! publishes it into nginx's `ladder` application, which cuts it into HLS as it does the
//! source: segments written in place as the frames come (served while written, see
//! `growing_segments.rs`), numbered on across broadcasts and encoder restarts, with a
//! discontinuity at each. An encoder that dies is started again. Sized for a small machine: one
//! small rung.

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

/// Where nginx writes a channel's rung: `<renditions>/<channel>_<rung>/` (the stream it is
/// published as, [`stream_name`]).
pub fn rung_dir(renditions: &Path, channel: &ChannelId, rung: &Rung) -> PathBuf {
    renditions.join(stream_name(channel, rung))
}

/// The name a channel's rung is published under in nginx's `ladder` application.
fn stream_name(channel: &ChannelId, rung: &Rung) -> String {
    format!("{channel}_{}", rung.name)
}

/// The channel and rung a stream published into the `ladder` application is, if it is one.
pub(super) fn parse_stream_name(name: &str) -> Option<(ChannelId, &'static Rung)> {
    let (channel, rung_name) = name.rsplit_once('_')?;
    Some((ChannelId::parse(channel).ok()?, rung(rung_name)?))
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
    for rung in RUNGS {
        let dir = rung_dir(&state.dirs.renditions, channel, rung);
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        // The directory's time says when its rung was last written, or started: the
        // multivariant playlist waits a while for a rung that is starting (`hls.rs`). nginx keeps
        // the last broadcast's playlist there, to number on from it.
        std::fs::File::open(&dir)
            .and_then(|d| d.set_modified(std::time::SystemTime::now()))
            .with_context(|| format!("cannot mark {} as starting", dir.display()))?;
    }
    let source = format!("{}/{channel}?secret={}", state.relay_target, state.secret);
    let targets: Vec<String> = RUNGS
        .iter()
        .map(|rung| {
            let name = stream_name(channel, rung);
            format!("{}/{name}?secret={}", state.ladder_target, state.secret)
        })
        .collect();
    let mut encoder = encoder_command(&source, &targets)
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
            encoder = match encoder_command(&source, &targets).spawn() {
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

/// ffmpeg encoding `source` into every rung, each published to its target in nginx's `ladder`
/// application (in [`RUNGS`]'s order).
fn encoder_command(source: &str, targets: &[String]) -> tokio::process::Command {
    let mut command = ffmpeg::command();
    // The stream arrives as it is sent: no probing delay beyond the first keyframe.
    command.args(["-fflags", "nobuffer", "-i", source]);
    for (rung, target) in RUNGS.iter().zip(targets) {
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
            // Each packet goes out as it is encoded: nginx writes the segment as it comes.
            .args([
                "-f",
                "flv",
                "-flvflags",
                "no_duration_filesize",
                "-flush_packets",
                "1",
            ])
            .arg(target);
    }
    command.stderr(Stdio::null()).stdout(Stdio::null());
    command
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
