//! Telling that a recording has played out when the player does not say so.
//!
//! Under load the IVS player sometimes stops on a recording's last frame without an Ended
//! event, and the video element's `ended` stays false: the viewer would look at a still
//! picture with a pause button. A position that stands still at the very end is the end.

/// How near the end (seconds) a still position counts as the end: the last segment's
/// timestamps may stop a little short of the duration the playlist adds up to.
const NEAR_END_SECONDS: f64 = 0.5;
/// How long the position must stand still there, so that a slow last segment is not cut off.
const STILL_FOR_MS: f64 = 1000.0;
/// Reported positions closer than this are the same frame.
const SAME_POSITION_SECONDS: f64 = 0.01;

/// Watches a recording's position, tick by tick.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct EndWatch {
    /// The position last seen near the end, and since when it has stood there.
    still_since: Option<(f64, f64)>,
}

impl EndWatch {
    /// Reads one tick: whether the recording has played out.
    pub fn played_out(&mut self, position: f64, duration: f64, now_ms: f64) -> bool {
        let near_end =
            duration.is_finite() && duration > 0.0 && duration - position <= NEAR_END_SECONDS;
        if !near_end {
            self.still_since = None;
            return false;
        }
        match self.still_since {
            Some((seen, since)) if (seen - position).abs() < SAME_POSITION_SECONDS => {
                now_ms - since >= STILL_FOR_MS
            }
            _ => {
                self.still_since = Some((position, now_ms));
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_standing_still_at_the_end_is_the_end() {
        let mut watch = EndWatch::default();
        assert!(!watch.played_out(33.9, 34.0, 0.0), "just got there");
        assert!(!watch.played_out(33.9, 34.0, 500.0), "not long enough");
        assert!(watch.played_out(33.9, 34.0, 1_000.0));
    }

    #[test]
    fn a_position_still_moving_near_the_end_is_not() {
        let mut watch = EndWatch::default();
        assert!(!watch.played_out(33.6, 34.0, 0.0));
        assert!(!watch.played_out(33.8, 34.0, 800.0));
        assert!(!watch.played_out(33.8, 34.0, 1_600.0), "still only 800 ms");
        assert!(watch.played_out(33.8, 34.0, 1_800.0));
    }

    #[test]
    fn standing_still_elsewhere_or_without_a_duration_is_not_the_end() {
        let mut watch = EndWatch::default();
        for now in [0.0, 2_000.0, 4_000.0] {
            assert!(!watch.played_out(20.0, 34.0, now), "paused mid-way");
            assert!(!watch.played_out(0.0, 0.0, now), "duration not known yet");
            assert!(!watch.played_out(5.0, f64::INFINITY, now), "live");
        }
    }

    #[test]
    fn leaving_the_end_starts_the_watch_again() {
        let mut watch = EndWatch::default();
        watch.played_out(34.0, 34.0, 0.0);
        assert!(
            !watch.played_out(0.0, 34.0, 900.0),
            "watched again from the start"
        );
        assert!(
            !watch.played_out(34.0, 34.0, 1_100.0),
            "back at the end only now"
        );
        assert!(watch.played_out(34.0, 34.0, 2_100.0));
    }
}
