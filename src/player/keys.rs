//! The player's keyboard shortcuts, as on the sites viewers already know.

/// What a key asks of the player.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum KeyAction {
    TogglePlay,
    ToggleMute,
    ToggleFullscreen,
    /// Seconds, backwards when negative.
    SeekBy(f64),
    /// A fraction of full volume, down when negative.
    VolumeBy(f64),
}

pub const SEEK_STEP_SECONDS: f64 = 5.0;
pub const VOLUME_STEP: f64 = 0.05;

/// Where the key was pressed, which decides whether the player or the control takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyTarget {
    /// The player itself, the video or the seek bar (whose arrows seek by our step).
    Player,
    /// A button: space and Enter press it.
    Button,
    /// The volume slider: its arrows move it.
    VolumeSlider,
}

/// The action for `key` (a `KeyboardEvent.key`), or `None` to leave the key to the browser.
pub fn key_action(key: &str, target: KeyTarget) -> Option<KeyAction> {
    let action = match key {
        " " | "Spacebar" if target == KeyTarget::Button => return None,
        " " | "Spacebar" | "k" | "K" => KeyAction::TogglePlay,
        "m" | "M" => KeyAction::ToggleMute,
        "f" | "F" => KeyAction::ToggleFullscreen,
        _ if target == KeyTarget::VolumeSlider => return None,
        "ArrowLeft" => KeyAction::SeekBy(-SEEK_STEP_SECONDS),
        "ArrowRight" => KeyAction::SeekBy(SEEK_STEP_SECONDS),
        "ArrowUp" => KeyAction::VolumeBy(VOLUME_STEP),
        "ArrowDown" => KeyAction::VolumeBy(-VOLUME_STEP),
        _ => return None,
    };
    Some(action)
}

/// Where a seek by `delta` lands: inside the recording, never past its end.
pub fn seek_target(position: f64, duration: f64, delta: f64) -> f64 {
    let end = if duration.is_finite() {
        duration.max(0.0)
    } else {
        0.0
    };
    (position + delta).clamp(0.0, end)
}

/// How long a seek may take before the position the player reports is believed again.
pub const SEEK_PATIENCE_MS: f64 = 3000.0;

/// How near the reported position must come to a seek's target for the seek to count as made.
const SEEK_ARRIVED_SECONDS: f64 = 0.5;

/// The position to show while a seek to `pending` (its target, and when it was asked for) may
/// still be under way: the target, until the player reports arriving near it or
/// [`SEEK_PATIENCE_MS`] pass. The player goes on reporting where it was until the seek is made
/// (longer on a busy machine), and quick presses of → must add up from where the previous one
/// was going, not from there. Also says whether the seek is still pending.
pub fn shown_position(reported: f64, pending: Option<(f64, f64)>, now_ms: f64) -> (f64, bool) {
    match pending {
        Some((target, asked_at))
            if (reported - target).abs() > SEEK_ARRIVED_SECONDS
                && now_ms - asked_at < SEEK_PATIENCE_MS =>
        {
            (target, true)
        }
        _ => (reported, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seek_under_way_shows_its_target_until_the_player_gets_there() {
        let asked = Some((25.0, 1_000.0));
        assert_eq!(
            shown_position(10.0, asked, 1_200.0),
            (25.0, true),
            "not there yet"
        );
        assert_eq!(
            shown_position(24.8, asked, 1_400.0),
            (24.8, false),
            "arrived"
        );
        assert_eq!(
            shown_position(10.0, asked, 1_000.0 + SEEK_PATIENCE_MS),
            (10.0, false),
            "a seek that never happens is given up"
        );
        assert_eq!(shown_position(12.0, None, 5_000.0), (12.0, false));
    }

    #[test]
    fn keys_map_to_the_usual_actions() {
        use KeyAction::*;
        let on_player = |key| key_action(key, KeyTarget::Player);
        assert_eq!(on_player(" "), Some(TogglePlay));
        assert_eq!(on_player("k"), Some(TogglePlay));
        assert_eq!(on_player("K"), Some(TogglePlay));
        assert_eq!(on_player("m"), Some(ToggleMute));
        assert_eq!(on_player("f"), Some(ToggleFullscreen));
        assert_eq!(on_player("ArrowLeft"), Some(SeekBy(-5.0)));
        assert_eq!(on_player("ArrowRight"), Some(SeekBy(5.0)));
        assert_eq!(on_player("ArrowUp"), Some(VolumeBy(0.05)));
        assert_eq!(on_player("ArrowDown"), Some(VolumeBy(-0.05)));
        assert_eq!(on_player("Tab"), None);
        assert_eq!(on_player("a"), None);
    }

    #[test]
    fn controls_keep_their_own_keys() {
        // Space presses a focused button rather than toggling playback behind it.
        assert_eq!(key_action(" ", KeyTarget::Button), None);
        assert_eq!(
            key_action("k", KeyTarget::Button),
            Some(KeyAction::TogglePlay)
        );
        // The volume slider's arrows move the slider; letters still work there.
        assert_eq!(key_action("ArrowUp", KeyTarget::VolumeSlider), None);
        assert_eq!(key_action("ArrowLeft", KeyTarget::VolumeSlider), None);
        assert_eq!(
            key_action("m", KeyTarget::VolumeSlider),
            Some(KeyAction::ToggleMute)
        );
    }

    #[test]
    fn seeking_stays_inside_the_recording() {
        assert_eq!(seek_target(10.0, 60.0, 5.0), 15.0);
        assert_eq!(seek_target(2.0, 60.0, -5.0), 0.0);
        assert_eq!(seek_target(58.0, 60.0, 5.0), 60.0);
        // A live stream has no timeline to seek in.
        assert_eq!(seek_target(30.0, f64::INFINITY, 5.0), 0.0);
        assert_eq!(seek_target(30.0, f64::NAN, 5.0), 0.0);
    }
}
