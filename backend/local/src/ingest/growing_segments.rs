//! Live segments served while they are written (low-latency HLS as Twitch and IVS do it).
//!
//! A live playlist names the segment being written and the next one as coming
//! (`#EXT-X-PREFETCH`, see `playlists.rs`). The IVS player asks for them at once and plays their
//! frames as they arrive over one chunked response, instead of waiting for each segment to be
//! cut and listed, which costs a segment's duration of latency.
//!
//! Each is given the timed metadata IVS's segments carry as it is read (`timed_metadata.rs`).
//!
//! One task per coming segment reads its file as it grows (nginx-rtmp writes the source's and the
//! rungs' in place) and shares what it read with every request for that segment, so a thousand
//! players cost one reader. It ends when the
//! playlist lists the segment (after the file's last bytes), or gives up when the segment does
//! not start or stops growing (the broadcast ended, or its writer died).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::body::{Body, Bytes};
use tokio::fs::File;
use tokio::io::AsyncReadExt;
use tokio::sync::watch;
use tokio::time::{Instant, MissedTickBehavior};

use super::playlists;
use super::timed_metadata::Stamping;

/// How often a coming segment's file is looked at: the latency it adds, at worst.
const POLL: Duration = Duration::from_millis(20);
/// How long a coming segment may take to start: the one after the segment being written starts
/// a segment's duration later, and a segment is as long as the encoder's keyframe interval.
const START_WAIT: Duration = Duration::from_secs(10);
/// How long a segment being written may go without growing before it is given up on.
const STALL: Duration = Duration::from_secs(5);

/// The coming segments being read, by path, each with what has been read of it so far.
#[derive(Clone, Default)]
pub struct GrowingSegments {
    reading: Arc<Mutex<HashMap<PathBuf, watch::Receiver<Written>>>>,
    /// The newest segment each live quality's playlist (by directory) was last seen to list: one
    /// at or below it is complete and served from its file, without reading the playlist again
    /// (players ask for every segment, and a thousand of them for the same few). The last seen,
    /// not the highest: the ladder's encoder numbers each broadcast from 0 in the same place.
    newest_listed: Arc<Mutex<HashMap<PathBuf, u64>>>,
}

/// What has been read of a coming segment.
#[derive(Default)]
struct Written {
    chunks: Vec<Bytes>,
    end: Option<End>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum End {
    /// The playlist lists the segment, and every byte of it was read.
    Complete,
    /// The segment did not start, or stopped growing before it was listed.
    Abandoned,
}

impl GrowingSegments {
    /// Notes what the playlist of the live quality in `dir` lists, as it is served.
    pub fn saw_playlist(&self, dir: &Path, media: &str) {
        let Some(newest) = playlists::newest_number(media) else {
            return;
        };
        let mut listed = self.newest_listed.lock().expect("listed segments lock");
        match listed.get_mut(dir) {
            Some(known) => *known = newest,
            None => {
                listed.insert(dir.to_path_buf(), newest);
            }
        }
    }

    /// Whether segment `file` of the live quality in `dir` was listed by a playlist served
    /// before (so it is complete); `false` when that is not known.
    pub fn surely_listed(&self, dir: &Path, file: &str) -> bool {
        let Some(number) = playlists::segment_number(file) else {
            return false;
        };
        let listed = self.newest_listed.lock().expect("listed segments lock");
        listed.get(dir).is_some_and(|&newest| number <= newest)
    }

    /// The coming segment `file` of the live quality written in `dir`, as a body that carries its
    /// bytes as they are written; `None` if it never starts. The caller checked that the
    /// quality's playlist names `file` as coming.
    pub async fn body(&self, dir: &Path, file: &str) -> Option<Body> {
        let mut written = self.reader(dir, file);
        // Wait for the first bytes before answering, so a segment that never comes is a 404
        // rather than an empty success.
        let started = written
            .wait_for(|w| !w.chunks.is_empty() || w.end.is_some())
            .await
            .ok()
            .is_some_and(|w| !w.chunks.is_empty());
        started.then(|| Body::from_stream(chunks(written)))
    }

    /// What has been read of a coming segment: a reader already at it, or a new one.
    fn reader(&self, dir: &Path, file: &str) -> watch::Receiver<Written> {
        let path = dir.join(file);
        let mut reading = self.reading.lock().expect("growing segments lock");
        if let Some(written) = reading.get(&path) {
            return written.clone();
        }
        let (sender, written) = watch::channel(Written::default());
        reading.insert(path.clone(), written.clone());
        let segments = self.clone();
        let dir = dir.to_path_buf();
        let file = file.to_owned();
        tokio::spawn(async move {
            let end = read_as_written(&dir, &file, &sender).await;
            sender.send_modify(|w| w.end = Some(end));
            // A request after this finds the segment listed, and is served the file.
            let mut reading = segments.reading.lock().expect("growing segments lock");
            reading.remove(&path);
        });
        written
    }
}

/// Reads the coming segment `file` of `dir` as it is written, sending each new piece, until the
/// playlist lists it.
async fn read_as_written(dir: &Path, file: &str, sender: &watch::Sender<Written>) -> End {
    let playlist = dir.join("index.m3u8");
    let mut ticks = tokio::time::interval(POLL);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let asked = Instant::now();
    let mut segment = None;
    let mut stamping = Stamping::new(None);
    let mut looked_before_it_was_there = false;
    let mut grew = Instant::now();
    let send = |piece: Option<Bytes>| {
        if let Some(piece) = piece.filter(|piece| !piece.is_empty()) {
            sender.send_modify(|w| w.chunks.push(piece));
        }
    };
    loop {
        ticks.tick().await;
        let open = match &mut segment {
            Some(open) => open,
            None => match File::open(dir.join(file)).await.ok() {
                Some(opened) => {
                    grew = Instant::now();
                    let first_frame = first_frame_at(&opened, looked_before_it_was_there);
                    stamping = Stamping::new(first_frame.await);
                    segment.insert(opened)
                }
                None if asked.elapsed() > START_WAIT => return End::Abandoned,
                None => {
                    looked_before_it_was_there = true;
                    continue;
                }
            },
        };
        let Ok(piece) = read_more(open).await else {
            return End::Abandoned;
        };
        if !piece.is_empty() {
            grew = Instant::now();
            send(stamping.pass(piece));
            continue;
        }
        let listed = tokio::fs::read_to_string(&playlist)
            .await
            .is_ok_and(|media| playlists::lists(&media, file));
        if listed {
            // Listed once written in full: what was written after the last look is the rest.
            let Ok(rest) = read_more(open).await else {
                return End::Abandoned;
            };
            if !rest.is_empty() {
                send(stamping.pass(rest));
            }
            send(stamping.rest());
            return End::Complete;
        }
        if grew.elapsed() > STALL {
            return End::Abandoned;
        }
    }
}

/// When a segment's first frame arrived: when its file was created (nginx-rtmp creates it as
/// that frame comes), or, on a file system that does not keep that, when it was seen to appear
/// (`saw_it_appear`: it was looked for before it was there, one poll apart).
async fn first_frame_at(file: &File, saw_it_appear: bool) -> Option<SystemTime> {
    let created = file.metadata().await.ok().and_then(|m| m.created().ok());
    created.or_else(|| saw_it_appear.then(SystemTime::now))
}

/// What was written to `file` since the last read.
async fn read_more(file: &mut File) -> std::io::Result<Bytes> {
    let mut piece = Vec::new();
    file.read_to_end(&mut piece).await?;
    Ok(Bytes::from(piece))
}

/// The pieces of a coming segment as they are read; an error (which aborts the response, so the
/// player knows the segment is incomplete) if it is abandoned.
fn chunks(
    written: watch::Receiver<Written>,
) -> impl futures_util::Stream<Item = std::io::Result<Bytes>> {
    futures_util::stream::unfold(Some((written, 0)), |state| async move {
        let (mut written, sent) = state?;
        loop {
            let (next, end) = {
                let w = written.borrow_and_update();
                (w.chunks.get(sent).cloned(), w.end)
            };
            match (next, end) {
                (Some(piece), _) => return Some((Ok(piece), Some((written, sent + 1)))),
                (None, Some(End::Complete)) => return None,
                (None, Some(End::Abandoned)) => {
                    let error = std::io::Error::other("the segment stopped before it was complete");
                    return Some((Err(error), None));
                }
                (None, None) => {
                    if written.changed().await.is_err() {
                        return None;
                    }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_playlist_listed_is_known_until_a_new_broadcast_numbers_from_the_start() {
        let segments = GrowingSegments::default();
        let dir = Path::new("/hls/channel/160p");
        assert!(!segments.surely_listed(dir, "1.ts"), "nothing seen yet");
        segments.saw_playlist(dir, "#EXTM3U\n#EXTINF:1.0,\n119.ts\n#EXTINF:1.0,\n120.ts\n");
        assert!(segments.surely_listed(dir, "120.ts") && segments.surely_listed(dir, "7.ts"));
        assert!(!segments.surely_listed(dir, "121.ts"));
        assert!(!segments.surely_listed(Path::new("/hls/other/160p"), "7.ts"));
        // The ladder's encoder numbers a new broadcast from 0 in the same directory.
        segments.saw_playlist(dir, "#EXTM3U\n#EXTINF:1.0,\n0.ts\n#EXTINF:1.0,\n1.ts\n");
        assert!(segments.surely_listed(dir, "1.ts"));
        assert!(
            !segments.surely_listed(dir, "2.ts"),
            "being written in the new broadcast"
        );
    }
}
