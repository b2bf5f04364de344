//! Holding a live stream near its live edge when the IVS player does not: a little faster
//! playback while too much is buffered, instead of drifting further behind.
//!
//! In low-latency mode the IVS player owns the playback rate: it put back 1.0 within a quarter
//! of a second whenever the app set 1.1 (seen on a browser that played 0.95× the wall clock,
//! where the app and the player then flipped the rate back and forth four times a second), and
//! speeds up by itself (1.03×) only once far behind: a player that started with two seconds
//! buffered stays two seconds behind, at rate 1.0, for as long as it plays (measured with the
//! local stack, whose segments carry the timed metadata the player reads its latency from).
//! There the app leaves the rate alone and, while the player reads itself behind with more
//! than it needs buffered, skips ahead within what is buffered ([`SkipAhead`]), as hls.js
//! does past its `liveMaxLatencyDuration`.

/// Buffered seconds above which playback goes 10% faster (25% past [`FAR_BEHIND`]), and below
/// which it goes back to normal speed. With one-second segments the buffer swings by a second
/// as each segment arrives.
const CATCH_UP_ABOVE: f64 = 1.6;
const FAR_BEHIND: f64 = 3.0;
const SETTLE_BELOW: f64 = 1.1;

/// The playback rate to set for `buffered` seconds ahead, or `None` to leave it as it is (in
/// the band between catching up and settling, or when the player sets the rate itself).
pub fn catch_up_rate(buffered: f64, player_sets_rate: bool) -> Option<f64> {
    if player_sets_rate {
        None
    } else if buffered > FAR_BEHIND {
        Some(1.25)
    } else if buffered > CATCH_UP_ABOVE {
        Some(1.1)
    } else if buffered < SETTLE_BELOW {
        Some(1.0)
    } else {
        None
    }
}

/// The player's reading of its latency (seconds) above which a low-latency player skips
/// ahead: glass to glass is about a third of a second more (the publisher's encoding and
/// sending, which the reading does not see), so this is near the 2 s the platform aims for.
const SKIP_ABOVE: f64 = 1.6;
/// Seconds kept buffered after a skip: a low-latency player has played for minutes with 1.2 s
/// ahead without stopping to buffer, fed as each segment is written.
const KEEP_BUFFERED: f64 = 1.0;
/// A skip shorter than this is not worth the jump in the picture.
const SHORTEST_SKIP: f64 = 0.3;
/// How long the player must be behind before a skip (ms): a reading or a buffer that swings as
/// a segment arrives is not a player that stays behind.
const BEHIND_FOR_MS: f64 = 3_000.0;
/// How long after a skip before another (ms): one jump settles a start too far behind; a
/// player that falls behind again and again is short of bandwidth or CPU, and jumping would
/// only make it stop to buffer.
const COOL_DOWN_MS: f64 = 30_000.0;

/// Whether a live player in low-latency mode should skip ahead, and how far.
#[derive(Debug, Default)]
pub struct SkipAhead {
    /// Since when (ms) the player has been behind with more than it needs buffered.
    behind_since: Option<f64>,
    last_skip: Option<f64>,
}

impl SkipAhead {
    /// Seconds to skip forward now (`now_ms`), given the player's latency reading and what it
    /// holds buffered ahead; `None` to play on. Only while it plays in low-latency mode: a
    /// paused viewer chose to fall behind, and elsewhere the rate catches up.
    pub fn skip(
        &mut self,
        now_ms: f64,
        latency: Option<f64>,
        buffered: f64,
        playing_low_latency: bool,
    ) -> Option<f64> {
        let skip = buffered - KEEP_BUFFERED;
        let behind = playing_low_latency
            && latency.is_some_and(|latency| latency > SKIP_ABOVE)
            && skip >= SHORTEST_SKIP;
        if !behind {
            self.behind_since = None;
            return None;
        }
        let since = *self.behind_since.get_or_insert(now_ms);
        let cooled = self.last_skip.is_none_or(|at| now_ms - at >= COOL_DOWN_MS);
        if now_ms - since < BEHIND_FOR_MS || !cooled {
            return None;
        }
        self.behind_since = None;
        self.last_skip = Some(now_ms);
        Some(skip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `skip` asked four times a second from `from_ms` for `seconds`, with the same reading.
    fn ask(
        skip_ahead: &mut SkipAhead,
        from_ms: f64,
        seconds: f64,
        latency: f64,
        buffered: f64,
    ) -> Vec<(f64, f64)> {
        let ticks = (seconds * 4.0) as usize;
        (0..ticks)
            .filter_map(|tick| {
                let now = from_ms + tick as f64 * 250.0;
                let skip = skip_ahead.skip(now, Some(latency), buffered, true)?;
                Some((now - from_ms, skip))
            })
            .collect()
    }

    #[test]
    fn a_low_latency_player_that_stays_behind_skips_ahead_to_keep_what_it_needs() {
        let mut skip_ahead = SkipAhead::default();
        let skips = ask(&mut skip_ahead, 0.0, 5.0, 2.4, 2.2);
        assert_eq!(skips.len(), 1, "{skips:?}");
        let (after, seconds) = skips[0];
        assert_eq!(after, BEHIND_FOR_MS, "once behind for long enough");
        assert!(
            (seconds - 1.2).abs() < 1e-9,
            "keeps 1 s buffered: {seconds}"
        );
    }

    #[test]
    fn a_player_behind_only_for_a_moment_plays_on() {
        let mut skip_ahead = SkipAhead::default();
        for round in 0..10 {
            let from = f64::from(round) * 3_000.0;
            assert!(ask(&mut skip_ahead, from, 2.0, 2.4, 2.2).is_empty());
            assert!(ask(&mut skip_ahead, from + 2_000.0, 1.0, 1.2, 1.2).is_empty());
        }
    }

    #[test]
    fn after_a_skip_the_player_waits_before_another() {
        let mut skip_ahead = SkipAhead::default();
        assert_eq!(ask(&mut skip_ahead, 0.0, 4.0, 2.4, 2.2).len(), 1);
        assert!(
            ask(&mut skip_ahead, 4_000.0, 25.0, 2.4, 2.2).is_empty(),
            "cooling down"
        );
        let later = ask(&mut skip_ahead, 29_000.0, 5.0, 2.4, 2.2);
        assert_eq!(later.len(), 1, "{later:?}");
    }

    #[test]
    fn near_live_short_of_buffer_paused_or_not_low_latency_it_plays_on() {
        let mut skip_ahead = SkipAhead::default();
        assert!(
            ask(&mut skip_ahead, 0.0, 10.0, 1.55, 2.2).is_empty(),
            "near live"
        );
        assert!(
            ask(&mut skip_ahead, 0.0, 10.0, 3.0, 1.25).is_empty(),
            "behind, but skipping would leave too little buffered"
        );
        for now in (0..40).map(|tick| f64::from(tick) * 250.0) {
            assert_eq!(skip_ahead.skip(now, Some(3.0), 2.5, false), None);
            assert_eq!(skip_ahead.skip(now, None, 2.5, true), None, "no reading");
        }
    }

    #[test]
    fn a_growing_buffer_speeds_playback_up_until_it_is_back_near_live() {
        assert_eq!(catch_up_rate(3.5, false), Some(1.25));
        assert_eq!(catch_up_rate(2.0, false), Some(1.1));
        assert_eq!(catch_up_rate(1.3, false), None, "between the two: as it is");
        assert_eq!(catch_up_rate(0.8, false), Some(1.0));
    }

    #[test]
    fn a_player_in_low_latency_mode_keeps_its_own_rate() {
        for buffered in [0.5, 1.3, 2.0, 3.5, 10.0] {
            assert_eq!(catch_up_rate(buffered, true), None, "{buffered} s buffered");
        }
    }
}
