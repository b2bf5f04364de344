//! A crowd arriving as a channel goes live (its followers told at once): the first requests for
//! the multivariant playlist share one probe of the source's picture size, and a probe that hangs
//! holds none of them. Its own test binary, since it points `CLOUMER_FFPROBE` at a counting
//! ffprobe for the whole process.

#[allow(dead_code)]
#[path = "support/streaming.rs"]
mod streaming;

use std::time::Duration;

use streaming::{executable, segments, spawn_app};

const CROWD: usize = 40;

#[tokio::test]
async fn a_crowd_at_a_broadcasts_start_shares_one_probe_of_its_picture() {
    let probes = tempfile::tempdir().unwrap();
    let log = probes.path().join("calls");
    let hang = probes.path().join("hang");
    let counting = probes.path().join("ffprobe");
    // A slow ffprobe (as on a busy machine) that notes each call, then does the real work, or
    // hangs while the `hang` file exists.
    executable(
        &counting,
        &format!(
            "#!/bin/sh\necho \"$@\" >> '{log}'\n[ -e '{hang}' ] && exec sleep 120\n\
             sleep 0.5\nexec ffprobe \"$@\"\n",
            log = log.display(),
            hang = hang.display(),
        ),
    );
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

    // While ffprobe hangs, players are served without sizes after a few seconds' wait.
    std::fs::write(&hang, "").unwrap();
    let held = (0..5).map(|_| async {
        let response = app.get(&playback).await;
        (response.status(), response.text().await.unwrap())
    });
    let answers = tokio::time::timeout(
        Duration::from_secs(30),
        futures_util::future::join_all(held),
    )
    .await
    .expect("players are not held by a hung probe");
    for (status, multivariant) in &answers {
        assert_eq!(*status, 200, "{multivariant}");
        assert!(!multivariant.contains("RESOLUTION="), "{multivariant}");
        assert!(multivariant.contains("\n160p/index.m3u8"), "{multivariant}");
    }
    std::fs::remove_file(&hang).unwrap();
    let hung = std::fs::read_to_string(&log).unwrap().lines().count();
    assert!(hung >= 1, "the held players asked ffprobe");

    let crowd = (0..CROWD).map(|_| async {
        let response = app.get(&playback).await;
        (response.status(), response.text().await.unwrap())
    });
    let answers = futures_util::future::join_all(crowd).await;
    let calls = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        calls.lines().count(),
        hung + 1,
        "one probe for {CROWD} players after {hung} hung:\n{calls}"
    );
    // The variants, without the server's time (which each answer gives as it is then).
    let variants = |multivariant: &str| -> Vec<String> {
        let lines = multivariant.lines();
        lines
            .filter(|line| !line.starts_with("#EXT-X-TWITCH-INFO:"))
            .map(str::to_owned)
            .collect()
    };
    for (status, multivariant) in &answers {
        assert_eq!(*status, 200, "{multivariant}");
        assert!(
            multivariant.contains("RESOLUTION=")
                && variants(multivariant) == variants(&answers[0].1),
            "every player is told the same sizes: {multivariant}"
        );
    }
    ffmpeg.kill().await.unwrap();
    app.stack.shutdown().await.unwrap();
}
