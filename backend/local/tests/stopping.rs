//! The local stack stopping while a past broadcast is being kept (converted to its VOD): the stop
//! lets go of the store at once, and the next start keeps the recording. Its own test binary,
//! since it points `CLOUMER_FFMPEG` at a slow ffmpeg for the whole process.

#[allow(dead_code)]
#[path = "support/streaming.rs"]
mod streaming;

use std::time::Duration;

use streaming::{App, executable, spawn_app, spawn_app_in};

#[tokio::test]
async fn a_recording_being_kept_as_the_stack_stops_is_kept_at_its_next_start() {
    let tools = tempfile::tempdir().unwrap();
    let keeping = tools.path().join("keeping");
    let slow = tools.path().join("ffmpeg");
    // Converting a recording takes a few seconds (a long broadcast, a busy disk); it notes that
    // it started. Every other use of ffmpeg (the ladder, thumbnails) runs at once.
    executable(
        &slow,
        &format!(
            "#!/bin/sh\ncase \"$*\" in *'-hls_playlist_type vod'*) echo >> '{}'; sleep 4;; esac\n\
             exec ffmpeg \"$@\"\n",
            keeping.display()
        ),
    );
    // SAFETY: the only test in this binary sets it before it starts anything that reads the
    // environment from another thread.
    unsafe { std::env::set_var("CLOUMER_FFMPEG", &slow) };

    let app = spawn_app().await;
    let (_, key) = app.streamer("recorder").await;
    let mut ffmpeg = app.go_live("recorder", &key, 4).await;
    assert!(ffmpeg.wait().await.unwrap().success());
    app.wait_for(
        "the recording to be kept",
        Duration::from_secs(20),
        async || keeping.exists(),
    )
    .await;

    // Stopped (Ctrl-C on `cargo xtask dev`) and started again on the same data at once.
    let App { stack, data, .. } = app;
    stack.shutdown().await.unwrap();
    let app = spawn_app_in(data, |_| {}).await;
    let page = app.recordings("recorder", None).await;
    let recording = &page["items"][0];
    assert_eq!(recording["status"], "ENDED", "{page}");
    let vod = recording["playlistUrl"].as_str().unwrap();
    let vod_playlist = app.get(vod).await.text().await.unwrap();
    assert!(vod_playlist.contains("#EXT-X-ENDLIST"), "{vod_playlist}");
    assert_eq!(page["items"].as_array().map(Vec::len), Some(1), "{page}");
    app.stack.shutdown().await.unwrap();
}
