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
