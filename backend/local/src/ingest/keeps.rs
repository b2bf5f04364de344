//! Past broadcasts being kept (converted to their recording) in the background.
//!
//! A keep holds the store, and whatever holds the store must be gone when the stack's stop
//! returns, or a start on the same data right after cannot open it. So keeps run in one set the
//! ingest's stop closes: running keeps are aborted and awaited, and a keep that comes after (a
//! record-done callback racing the stop) is not started. Neither loses a recording: its FLV
//! stays, and the next start keeps it.

use std::future::Future;
use std::sync::Mutex;

use tokio::task::JoinSet;

#[derive(Default)]
pub(super) struct Keeps {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    running: JoinSet<()>,
    closed: bool,
}

impl Keeps {
    /// Runs `keep` in the background; false (and `keep` never runs) once the set is closed.
    pub(super) fn start(&self, keep: impl Future<Output = ()> + Send + 'static) -> bool {
        let mut inner = self.inner.lock().expect("keeps lock");
        if inner.closed {
            return false;
        }
        // Finished keeps leave their (empty) results until they are collected.
        while inner.running.try_join_next().is_some() {}
        inner.running.spawn(keep);
        true
    }

    /// Starts no more keeps, and stops the running ones; returns once they are gone.
    pub(super) async fn close(&self) {
        let mut running = {
            let mut inner = self.inner.lock().expect("keeps lock");
            inner.closed = true;
            std::mem::take(&mut inner.running)
        };
        while running.try_join_next().is_some() {}
        if !running.is_empty() {
            tracing::info!(
                recordings = running.len(),
                "stopping with past broadcasts still being kept; the next start keeps them"
            );
        }
        running.shutdown().await;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::*;

    /// Set when dropped: tells that a keep's future is gone (finished or aborted).
    struct Held(Arc<AtomicBool>);

    impl Drop for Held {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    #[tokio::test]
    async fn closing_stops_running_keeps_before_it_returns() {
        let keeps = Keeps::default();
        let gone = Arc::new(AtomicBool::new(false));
        let held = Held(gone.clone());
        assert!(keeps.start(async move {
            let _held = held;
            std::future::pending::<()>().await;
        }));
        tokio::task::yield_now().await;
        assert!(
            !gone.load(Ordering::SeqCst),
            "the keep runs until the close"
        );
        keeps.close().await;
        assert!(
            gone.load(Ordering::SeqCst),
            "the keep was still held after the close"
        );
    }

    #[tokio::test]
    async fn a_keep_after_the_close_never_runs() {
        let keeps = Keeps::default();
        keeps.close().await;
        let ran = Arc::new(AtomicBool::new(false));
        let flag = ran.clone();
        assert!(!keeps.start(async move { flag.store(true, Ordering::SeqCst) }));
        tokio::task::yield_now().await;
        assert!(!ran.load(Ordering::SeqCst));
    }
}
