//! Holding a live stream near its live edge when the IVS player does not: a little faster
//! playback while too much is buffered, instead of drifting further behind.
//!
//! In low-latency mode the IVS player owns the playback rate: it put back 1.0 within a quarter
//! of a second whenever the app set 1.1 (seen on a browser that played 0.95× the wall clock,
//! where the app and the player then flipped the rate back and forth four times a second), and
//! speeds up by itself (1.03×) once far enough behind. There the app leaves the rate alone.

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

#[cfg(test)]
mod tests {
    use super::*;

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
