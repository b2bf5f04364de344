//! Emote upload inspection (`cargo xtask bench emotes`): what the API spends deciding whether an
//! upload is an acceptable image, for the costliest files the limits still let through, against
//! the reference of decoding one ordinary emote (a 112×112 PNG) in the same run.
//!
//! - the largest still picture: a 512×512 PNG (one 1 MiB frame);
//! - the largest animation: a 512×512 GIF of 200 frames, each changing one pixel, so the file is
//!   small but the decoder composes 200 full frames;
//! - a file past the frame limit (201 frames), refused after decoding what it may;
//!
//! with the median time of each, its multiple of the reference, and the process's peak memory
//! after each (`VmHWM`). The API function has 512 MB and 10 s.

mod support;

use std::time::{Duration, Instant};

use cloumer_domain::emote::{EmoteImage, MAX_EMOTE_BYTES};
use cloumer_test_media::images;
use image::codecs::gif::{GifEncoder, Repeat};
use image::{Delay, Frame, Rgba, RgbaImage};
use support::{env_number, memory_kib};

/// A `side`×`side` GIF of `frames` frames: the first the whole picture, each next one pixel.
fn sparse_gif(side: u32, frames: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut bytes);
        encoder.set_repeat(Repeat::Infinite).unwrap();
        let delay = Delay::from_numer_denom_ms(50, 1);
        encoder
            .encode_frame(Frame::from_parts(images::picture(side, side), 0, 0, delay))
            .unwrap();
        for n in 1..frames {
            let dot = RgbaImage::from_pixel(1, 1, Rgba([255, 255, 255, 255]));
            encoder
                .encode_frame(Frame::from_parts(dot, n % side, n / side, delay))
                .unwrap();
        }
    }
    bytes
}

fn median(runs: u64, bytes: &[u8]) -> (Duration, bool) {
    let mut times = Vec::new();
    let mut accepted = false;
    for _ in 0..runs {
        let started = Instant::now();
        accepted = EmoteImage::inspect(bytes).is_ok();
        times.push(started.elapsed());
    }
    times.sort();
    (times[times.len() / 2], accepted)
}

fn main() {
    let runs = env_number("BENCH_RUNS", 15);
    let peak = || memory_kib(std::process::id(), "VmHWM:") / 1024.0;
    let reference = images::png(112, 112);
    let cases = [
        ("PNG 512×512", images::png(512, 512)),
        ("GIF 512×512, 200 frames", sparse_gif(512, 200)),
        ("GIF 512×512, 201 frames (refused)", sparse_gif(512, 201)),
    ];
    for (name, bytes) in &cases {
        assert!(
            bytes.len() <= MAX_EMOTE_BYTES,
            "{name} is {} bytes",
            bytes.len()
        );
    }
    println!("emote inspection, median of {runs} runs");
    let (base, accepted) = median(runs, &reference);
    assert!(accepted);
    println!(
        "{:<36} {:>7} B {:>9.2} ms   reference   peak {:.1} MiB",
        "reference: PNG 112×112",
        reference.len(),
        base.as_secs_f64() * 1000.0,
        peak()
    );
    for (name, bytes) in &cases {
        let (took, accepted) = median(runs, bytes);
        println!(
            "{name:<36} {:>7} B {:>9.2} ms {:>7.1}×   {}   peak {:.1} MiB",
            bytes.len(),
            took.as_secs_f64() * 1000.0,
            took.as_secs_f64() / base.as_secs_f64(),
            if accepted { "kept   " } else { "refused" },
            peak()
        );
    }
}
