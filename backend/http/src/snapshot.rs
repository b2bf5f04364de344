//! The directory's first page, kept as the bytes of its answer.
//!
//! Every visitor of the home page asks for the same first page. Building it reads the store and
//! the video service and encodes JSON; sending a copy is writing bytes to a socket. A copy is
//! used while no channel was written through this process since it was built (so a streamer
//! sees their change at once) and while it is younger than [`MAX_AGE`]: viewer counts move,
//! and other processes (other Lambda instances) change channels without this one knowing.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use axum::body::Bytes;

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
    body: Bytes,
}

impl DirectorySnapshots {
    /// The first page of `limit` channels, if a copy built at `generation` is fresh.
    pub fn fresh(&self, limit: usize, generation: u64) -> Option<Bytes> {
        let pages = self.pages.read().unwrap_or_else(|e| e.into_inner());
        pages
            .get(&limit)
            .filter(|s| s.generation == generation && s.built.elapsed() < MAX_AGE)
            .map(|s| s.body.clone())
    }

    /// Keeps a first page built from what the store said at `generation` (read before building,
    /// so a write during the build makes the copy stale at once).
    pub fn keep(&self, limit: usize, generation: u64, built: Instant, body: Bytes) {
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
                    body,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_serves_until_a_channel_changes_or_it_ages() {
        let snapshots = DirectorySnapshots::default();
        let now = Instant::now();
        snapshots.keep(24, 7, now, Bytes::from_static(b"page"));
        assert_eq!(snapshots.fresh(24, 7).as_deref(), Some(&b"page"[..]));
        assert_eq!(snapshots.fresh(24, 8), None, "a channel was written since");
        assert_eq!(snapshots.fresh(12, 7), None, "another page size");
        let old = now - MAX_AGE;
        snapshots.keep(12, 7, old, Bytes::from_static(b"old"));
        assert_eq!(snapshots.fresh(12, 7), None, "too old");
    }

    #[test]
    fn a_slow_build_does_not_replace_a_newer_copy() {
        let snapshots = DirectorySnapshots::default();
        let now = Instant::now();
        snapshots.keep(24, 8, now, Bytes::from_static(b"new"));
        snapshots.keep(24, 7, now, Bytes::from_static(b"slow"));
        assert_eq!(snapshots.fresh(24, 8).as_deref(), Some(&b"new"[..]));
    }
}
