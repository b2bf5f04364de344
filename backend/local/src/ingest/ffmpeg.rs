//! ffmpeg as the ingest uses it: one-frame thumbnails, stream-copied VODs, the ladder's
//! transcodes, and ffprobe for a picture's size.

use std::path::Path;

use anyhow::{Context, Result};
use tokio::process::Command;

/// ffmpeg, quiet and non-interactive; `CLOUMER_FFMPEG` names another binary.
pub(crate) fn command() -> Command {
    let mut command =
        Command::new(std::env::var_os("CLOUMER_FFMPEG").unwrap_or_else(|| "ffmpeg".into()));
    command
        .args(["-hide_banner", "-loglevel", "error", "-nostdin", "-y"])
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    command
}

/// Runs `command` to completion; its stderr is the error when it fails.
pub(crate) async fn run(mut command: Command, what: &str) -> Result<()> {
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
pub(super) async fn snapshot(input: &Path, target: &Path, at_seconds: f64) -> Result<()> {
    let partial = target.with_extension("part.jpg");
    let mut command = command();
    command
        .args(["-ss", &format!("{at_seconds:.3}"), "-i"])
        .arg(input)
        .args(["-frames:v", "1", "-vf", "scale=480:-2", "-q:v", "4"])
        .arg(&partial);
    run(command, "take a thumbnail").await?;
    std::fs::rename(&partial, target)?;
    Ok(())
}

/// The width and height of the first video stream of `file`; `CLOUMER_FFPROBE` names another
/// ffprobe.
pub async fn picture_size(file: &Path) -> Option<(u32, u32)> {
    let output =
        Command::new(std::env::var_os("CLOUMER_FFPROBE").unwrap_or_else(|| "ffprobe".into()))
            .args(["-v", "error", "-select_streams", "v:0", "-show_entries"])
            .args(["stream=width,height", "-of", "csv=p=0:s=x"])
            .arg(file)
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true)
            .output()
            .await
            .ok()?;
    // MPEG-TS lists its streams twice (once in its program): the first line is enough.
    let text = String::from_utf8_lossy(&output.stdout);
    let (width, height) = text
        .lines()
        .find(|l| !l.trim().is_empty())?
        .split_once('x')?;
    let size = (width.trim().parse().ok()?, height.trim().parse().ok()?);
    (size.0 > 0 && size.1 > 0).then_some(size)
}
