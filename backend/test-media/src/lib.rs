//! The test publisher every test that streams uses: ffmpeg sending a generated test pattern
//! (H.264 + AAC, a keyframe every second, like OBS set up for low latency) to an RTMP URL.
//!
//! The top rows of the picture carry the frame's own time as [`CLOCK_BITS`] black/white bars
//! (bit i of hundredths of a second), so a viewer can read which moment of the stream it is
//! showing: glass-to-glass latency.

pub mod images;

use std::process::Stdio;

use tokio::process::{Child, Command};

/// Height of the clock bars at the top of the picture.
pub const CLOCK_BAR_HEIGHT: u32 = 24;
/// Bits of the clock: the frame's time in hundredths of a second, one bar per bit.
pub const CLOCK_BITS: u32 = 24;

/// Starts ffmpeg publishing `seconds` of the pattern to `url` (`rtmp://host:port/app/<key>`).
/// The process is killed when the returned child is dropped.
pub fn publish(url: &str, seconds: u32) -> std::io::Result<Child> {
    let bar = 640.0 / f64::from(CLOCK_BITS);
    let clock = format!(
        "[0:v]format=yuv420p,split[pattern][strip];\
         [strip]crop=640:{CLOCK_BAR_HEIGHT}:0:0,\
         geq=lum='255*mod(floor(T*100/pow(2,floor(X/{bar}))),2)':cb=128:cr=128[bars];\
         [pattern][bars]overlay=0:0[video]"
    );
    Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-nostdin", "-re"])
        .args(["-f", "lavfi", "-i", "testsrc=size=640x360:rate=30"])
        .args(["-f", "lavfi", "-i", "sine=frequency=440"])
        .args(["-filter_complex", &clock, "-map", "[video]", "-map", "1:a"])
        .args(["-t", &seconds.to_string()])
        .args([
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-tune",
            "zerolatency",
        ])
        .args([
            "-g",
            "30",
            "-keyint_min",
            "30",
            "-sc_threshold",
            "0",
            "-pix_fmt",
            "yuv420p",
        ])
        .args(["-c:a", "aac", "-b:a", "96k", "-f", "flv", url])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
}

/// Writes `seconds` of a 1280×720 test pattern with a tone, H.264 + AAC in MP4, at a steady
/// 10 Mbit/s: a video file as a phone or an editor makes one, large enough (about 1.25 MB a
/// second) that an upload of 20 seconds takes more than one 16 MiB part.
pub async fn write_mp4(path: &std::path::Path, seconds: u32) -> std::io::Result<()> {
    let status = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-nostdin", "-y"])
        .args(["-f", "lavfi", "-i"])
        .arg(format!("testsrc2=size=1280x720:rate=30:duration={seconds}"))
        .args(["-f", "lavfi", "-i"])
        .arg(format!("sine=frequency=440:duration={seconds}"))
        .args([
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
        ])
        .args([
            "-b:v", "10M", "-minrate", "10M", "-maxrate", "10M", "-bufsize", "2M",
        ])
        .args(["-x264-params", "nal-hrd=cbr", "-c:a", "aac", "-shortest"])
        .arg(path)
        .stdin(Stdio::null())
        .status()
        .await?;
    if status.success() {
        Ok(())
    } else {
        Err(std::io::Error::other(format!(
            "ffmpeg exited with {status}"
        )))
    }
}
