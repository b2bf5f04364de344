//! Loading again after a failure: when, whether the wait shows as loading or as an error, and
//! when a retry on its way is no longer wanted.
//!
//! A live playlist may not exist yet (the stream has just started) or a segment may fail: the
//! player loads again, backing off, for as long as the page shows the video. A live stream's
//! failures show as loading, retried every second, for their first seconds ([`QUIET_LIVE_MS`]);
//! unless the browser knows it is offline, which the viewer is told at once.
//!
//! A retry is made only if nothing has overtaken it: the IVS player often gets going again by
//! itself after an error (a rung's playlist that did not exist yet), and a viewer who pauses
//! after that must stay paused. (A paused live IVS player says Idle, which the app shows as
//! loading, so a retry that only looked at the state played the stream again a moment after the
//! viewer paused it; seen once in CI.)

/// How long (ms) a live stream's failed loads are retried every second, shown as loading, before
/// the viewer is told: a broadcast becomes playable some seconds after it goes live (the local
/// stack waits up to 8 s for its qualities' first segments; IVS takes a few seconds too), and a
/// viewer arriving with its go-live push must not be told it cannot be played meanwhile.
const QUIET_LIVE_MS: f64 = 15_000.0;
/// How often a live stream's load is retried within [`QUIET_LIVE_MS`]: it plays within a
/// second of becoming playable.
const QUIET_RETRY_MS: u32 = 1_000;
/// The longest wait between retries shown as errors: 1, 2, 4, 8, then 16 s.
const MAX_BACK_OFF_STEP: u32 = 4;

/// A retry to schedule: after `after_ms`, ask [`Retries::due`] with its `id`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Retry {
    pub id: u32,
    pub after_ms: u32,
    /// Whether the viewer is told of an error meanwhile (else it shows as loading).
    pub shown_as_error: bool,
}

#[derive(Debug, Default)]
pub struct Retries {
    /// Failures shown as errors since the player last played: the back-off's step.
    failures: u32,
    /// When (ms) the loads began failing, since the player last played.
    failing_since: Option<f64>,
    /// The retry on its way, if one is.
    pending: Option<u32>,
    last_id: u32,
}

impl Retries {
    /// A load failed at `now` (ms): the retry to schedule, or `None` when one is already on its
    /// way (another error of the same failed load).
    pub fn failed(&mut self, now: f64, live: bool, online: bool) -> Option<Retry> {
        if self.pending.is_some() {
            return None;
        }
        let since = *self.failing_since.get_or_insert(now);
        let quiet = live && online && now - since < QUIET_LIVE_MS;
        let after_ms = if quiet {
            QUIET_RETRY_MS
        } else {
            let step = self.failures.min(MAX_BACK_OFF_STEP);
            self.failures += 1;
            1_000 << step
        };
        self.last_id = self.last_id.wrapping_add(1);
        self.pending = Some(self.last_id);
        Some(Retry {
            id: self.last_id,
            after_ms,
            shown_as_error: !quiet,
        })
    }

    /// The player plays: its failures are over, and a retry on its way is no longer wanted.
    pub fn playing(&mut self) {
        self.failures = 0;
        self.failing_since = None;
        self.pending = None;
    }

    /// The viewer paused, or a load began (a retry, the viewer's, the connection coming back):
    /// a retry on its way is no longer wanted.
    pub fn overtaken(&mut self) {
        self.pending = None;
    }

    /// Retry `id`'s time has come: whether to load again (once, and only while it is wanted).
    pub fn due(&mut self, id: u32) -> bool {
        let due = self.pending == Some(id);
        if due {
            self.pending = None;
        }
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_stream_retries_every_second_as_loading_then_backs_off_as_errors() {
        let mut retries = Retries::default();
        let mut waits = Vec::new();
        let mut now = 0.0;
        while now < 60_000.0 {
            let retry = retries.failed(now, true, true).expect("none on its way");
            waits.push((retry.after_ms, retry.shown_as_error));
            assert!(retries.due(retry.id));
            now += f64::from(retry.after_ms);
        }
        assert!(
            waits[..15].iter().all(|wait| *wait == (1_000, false)),
            "{waits:?}"
        );
        let errors: Vec<u32> = waits[15..].iter().map(|(after, _)| *after).collect();
        assert_eq!(errors[..6], [1_000, 2_000, 4_000, 8_000, 16_000, 16_000]);
        assert!(waits[15..].iter().all(|(_, error)| *error));
    }

    #[test]
    fn offline_or_a_recording_is_an_error_at_once() {
        let mut offline = Retries::default();
        let retry = offline.failed(0.0, true, false).unwrap();
        assert_eq!((retry.after_ms, retry.shown_as_error), (1_000, true));
        let mut recording = Retries::default();
        assert!(recording.failed(0.0, false, true).unwrap().shown_as_error);
    }

    #[test]
    fn one_retry_per_failed_load() {
        let mut retries = Retries::default();
        let retry = retries.failed(0.0, true, true).unwrap();
        assert_eq!(
            retries.failed(10.0, true, true),
            None,
            "the same load's next error"
        );
        assert!(retries.due(retry.id));
        assert!(!retries.due(retry.id), "made once");
    }

    #[test]
    fn a_retry_overtaken_by_playing_or_by_the_viewer_is_not_made() {
        // The player got going by itself, then the viewer paused: the stream stays paused.
        let mut retries = Retries::default();
        let retry = retries.failed(0.0, true, true).unwrap();
        retries.playing();
        assert!(!retries.due(retry.id));
        // The viewer paused (or loaded again) while it was waiting.
        let retry = retries.failed(5_000.0, true, true).unwrap();
        retries.overtaken();
        assert!(!retries.due(retry.id));
        // A later failure's retry is not made early by an older one's timer.
        let old = retries.failed(6_000.0, true, true).unwrap();
        retries.overtaken();
        let new = retries.failed(6_500.0, true, true).unwrap();
        assert!(!retries.due(old.id), "the old timer");
        assert!(retries.due(new.id));
    }

    #[test]
    fn playing_again_starts_the_back_off_over() {
        let mut retries = Retries::default();
        for _ in 0..3 {
            let retry = retries.failed(0.0, false, true).unwrap();
            assert!(retries.due(retry.id));
        }
        retries.playing();
        assert_eq!(retries.failed(0.0, false, true).unwrap().after_ms, 1_000);
    }
}
