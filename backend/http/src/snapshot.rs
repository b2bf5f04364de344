//! The directory's first page, kept as the bytes of its answer.
//!
//! Every visitor of the home page asks for the same first page. Building it reads the store and
//! the video service and encodes JSON; sending a copy is writing bytes to a socket. A copy is
//! used while no channel was written through this process since it was built (so a streamer
//! sees their change at once) and while it is younger than [`MAX_AGE`]: viewer counts move,
//! and other processes (other Lambda instances) change channels without this one knowing.
//! A copy is kept gzipped too, so the browsers that ask for gzip (all of them) get bytes
//! compressed once per copy rather than once per request.

use std::collections::HashMap;
use std::io::Write;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::COMPRESS_FROM_BYTES;

/// How stale a copy may be about changes this process cannot see: viewer counts, and channels
/// changed elsewhere (IVS's own viewer counts trail playback by up to 15 s).
pub const MAX_AGE: Duration = Duration::from_secs(1);

/// Copies of the directory's first page by page size. Only first pages are kept, so the number
/// of copies is bounded by the page sizes the API accepts, whatever callers send.
#[derive(Default)]
pub struct DirectorySnapshots {
    pages: RwLock<HashMap<usize, Snapshot>>,
}

struct Snapshot {
    generation: u64,
    built: Instant,
    page: PageBytes,
}

/// A page's answer: its JSON, and the same gzipped when it is long enough to be worth it.
#[derive(Clone, Debug, PartialEq)]
pub struct PageBytes {
    pub json: Bytes,
    pub gzipped: Option<Bytes>,
}

impl PageBytes {
    pub fn new(json: Bytes) -> Self {
        let gzipped = (json.len() >= usize::from(COMPRESS_FROM_BYTES)).then(|| {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            // Writing to a Vec cannot fail.
            encoder.write_all(&json).expect("gzip into memory");
            Bytes::from(encoder.finish().expect("gzip into memory"))
        });
        Self { json, gzipped }
    }

    /// The answer for a client that does or does not accept gzip. Either way it varies with
    /// Accept-Encoding when a gzipped copy exists.
    pub fn answer(self, accepts_gzip: bool) -> Response {
        let json = HeaderValue::from_static("application/json");
        match self.gzipped {
            Some(gzipped) if accepts_gzip => (
                [
                    (header::CONTENT_TYPE, json),
                    (header::CONTENT_ENCODING, HeaderValue::from_static("gzip")),
                    (header::VARY, HeaderValue::from_static("accept-encoding")),
                ],
                gzipped,
            )
                .into_response(),
            Some(_) => (
                [
                    (header::CONTENT_TYPE, json),
                    (header::VARY, HeaderValue::from_static("accept-encoding")),
                ],
                self.json,
            )
                .into_response(),
            None => ([(header::CONTENT_TYPE, json)], self.json).into_response(),
        }
    }
}

impl DirectorySnapshots {
    /// The first page of `limit` channels, if a copy built at `generation` is fresh.
    pub fn fresh(&self, limit: usize, generation: u64) -> Option<PageBytes> {
        let pages = self.pages.read().unwrap_or_else(|e| e.into_inner());
        pages
            .get(&limit)
            .filter(|s| s.generation == generation && s.built.elapsed() < MAX_AGE)
            .map(|s| s.page.clone())
    }

    /// Keeps a first page built from what the store said at `generation` (read before building,
    /// so a write during the build makes the copy stale at once).
    pub fn keep(&self, limit: usize, generation: u64, built: Instant, page: PageBytes) {
        let mut pages = self.pages.write().unwrap_or_else(|e| e.into_inner());
        let newer = pages
            .get(&limit)
            .is_none_or(|s| (s.generation, s.built) <= (generation, built));
        if newer {
            pages.insert(
                limit,
                Snapshot {
                    generation,
                    built,
                    page,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(json: &'static [u8]) -> PageBytes {
        PageBytes::new(Bytes::from_static(json))
    }

    fn kept(snapshots: &DirectorySnapshots, limit: usize, generation: u64) -> Option<Bytes> {
        snapshots.fresh(limit, generation).map(|page| page.json)
    }

    #[test]
    fn a_copy_serves_until_a_channel_changes_or_it_ages() {
        let snapshots = DirectorySnapshots::default();
        let now = Instant::now();
        snapshots.keep(24, 7, now, page(b"page"));
        assert_eq!(kept(&snapshots, 24, 7).as_deref(), Some(&b"page"[..]));
        assert_eq!(kept(&snapshots, 24, 8), None, "a channel was written since");
        assert_eq!(kept(&snapshots, 12, 7), None, "another page size");
        let old = now - MAX_AGE;
        snapshots.keep(12, 7, old, page(b"old"));
        assert_eq!(kept(&snapshots, 12, 7), None, "too old");
    }

    #[test]
    fn a_slow_build_does_not_replace_a_newer_copy() {
        let snapshots = DirectorySnapshots::default();
        let now = Instant::now();
        snapshots.keep(24, 8, now, page(b"new"));
        snapshots.keep(24, 7, now, page(b"slow"));
        assert_eq!(kept(&snapshots, 24, 8).as_deref(), Some(&b"new"[..]));
    }

    #[test]
    fn a_long_page_is_kept_gzipped_too_and_a_short_one_is_not() {
        use std::io::Read;
        let long = Bytes::from(format!("[{}0]", "{\"handle\":\"hana_music\"},".repeat(100)));
        let kept = PageBytes::new(long.clone());
        let mut unpacked = Vec::new();
        flate2::read::GzDecoder::new(&kept.gzipped.unwrap()[..])
            .read_to_end(&mut unpacked)
            .unwrap();
        assert_eq!(unpacked, long);
        assert_eq!(page(b"[]").gzipped, None);
    }
}
