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

#[cfg(test)]
mod tests {
    use super::*;

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
