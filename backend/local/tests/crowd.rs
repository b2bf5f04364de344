//! A crowd arriving as a channel goes live (its followers told at once): the first requests for
//! the multivariant playlist share one probe of the source's picture size. Its own test binary,
//! since it points `CLOUMER_FFPROBE` at a counting ffprobe for the whole process.

#[allow(dead_code)]
#[path = "support/streaming.rs"]
mod streaming;

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use streaming::{segments, spawn_app};

const CROWD: usize = 40;

#[tokio::test]
async fn a_crowd_at_a_broadcasts_start_shares_one_probe_of_its_picture() {
    let probes = tempfile::tempdir().unwrap();
    let log = probes.path().join("calls");
    let counting = probes.path().join("ffprobe");
    // A slow ffprobe (as on a busy machine) that notes each call, then does the real work.
    std::fs::write(
        &counting,
        format!(
            "#!/bin/sh\necho \"$@\" >> '{}'\nsleep 0.5\nexec ffprobe \"$@\"\n",
            log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&counting, std::fs::Permissions::from_mode(0o755)).unwrap();
    // SAFETY: the only test in this binary sets it before it starts anything that reads the
    // environment from another thread.
    unsafe { std::env::set_var("CLOUMER_FFPROBE", &counting) };

    let app = spawn_app().await;
    let (_, key) = app.streamer("awaited").await;
    let mut ffmpeg = app.go_live("awaited", &key, 40).await;
    let (playback, base) = app.playback("awaited").await;
    // Every quality has its first segment, so the multivariant playlist is complete (media
    // playlists do not probe).
    for quality in ["source", "160p"] {
        let media = format!("{base}/{quality}/index.m3u8");
        app.wait_for(
            &format!("{quality}'s first segment"),
            Duration::from_secs(20),
            async || {
                let response = app.get(&media).await;
                response.status() == 200 && !segments(&response.text().await.unwrap()).is_empty()
            },
        )
        .await;
    }
    assert!(!log.exists(), "nothing probed before the crowd came");

    let crowd = (0..CROWD).map(|_| async {
        let response = app.get(&playback).await;
        (response.status(), response.text().await.unwrap())
    });
    let answers = futures_util::future::join_all(crowd).await;
    let calls = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        calls.lines().count(),
        1,
        "one probe for {CROWD} players:\n{calls}"
    );
    for (status, multivariant) in &answers {
        assert_eq!(*status, 200, "{multivariant}");
        assert!(
            multivariant.contains("RESOLUTION=") && multivariant == &answers[0].1,
            "every player is told the same sizes: {multivariant}"
        );
    }
    ffmpeg.kill().await.unwrap();
    app.stack.shutdown().await.unwrap();
}
