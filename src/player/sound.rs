//! The viewer's volume and mute, remembered in this browser for every video.

use crate::decimal::{fixed, parse_fixed};

const STORAGE_KEY: &str = "cloumer.sound";

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sound {
    /// 0 to 1.
    pub volume: f64,
    pub muted: bool,
}

impl Default for Sound {
    fn default() -> Self {
        Self {
            volume: 1.0,
            muted: true,
        }
    }
}

impl Sound {
    /// Read back from what [`Sound::encode`] wrote; anything else is the default.
    pub fn decode(text: &str) -> Self {
        let Some((volume, muted)) = text.split_once(';') else {
            return Self::default();
        };
        match (parse_fixed(volume), muted) {
            (Some(volume), "muted" | "unmuted") if (0.0..=1.0).contains(&volume) => Self {
                volume,
                muted: muted == "muted",
            },
            _ => Self::default(),
        }
    }

    pub fn encode(self) -> String {
        let muted = if self.muted { "muted" } else { "unmuted" };
        format!("{};{muted}", fixed(self.volume, 2))
    }

    /// The volume moved by `delta`; reaching 0 mutes and moving up from silence unmutes.
    pub fn stepped(self, delta: f64) -> Self {
        let from = if self.muted { 0.0 } else { self.volume };
        Self::at((from + delta).clamp(0.0, 1.0))
    }

    /// The sound a volume slider at `volume` means.
    pub fn at(volume: f64) -> Self {
        let volume = if volume.is_finite() {
            (volume.clamp(0.0, 1.0) * 100.0).round() / 100.0
        } else {
            1.0
        };
        Self {
            volume,
            muted: volume == 0.0,
        }
    }

    /// Unmuting at volume 0 would stay silent: it comes back at a quarter.
    pub fn toggled(self) -> Self {
        if self.muted {
            Self {
                volume: if self.volume > 0.0 { self.volume } else { 0.25 },
                muted: false,
            }
        } else {
            Self {
                muted: true,
                ..self
            }
        }
    }

    /// What the slider shows: 0 while muted.
    pub fn audible_volume(self) -> f64 {
        if self.muted { 0.0 } else { self.volume }
    }

    pub fn remembered() -> Self {
        crate::browser::local_storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .map(|text| Self::decode(&text))
            .unwrap_or_default()
    }

    pub fn remember(self) {
        if let Some(storage) = crate::browser::local_storage() {
            let _ = storage.set_item(STORAGE_KEY, &self.encode());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sound_is_remembered_and_garbage_is_ignored() {
        let sound = Sound {
            volume: 0.35,
            muted: false,
        };
        assert_eq!(Sound::decode(&sound.encode()), sound);
        for junk in [
            "",
            "1.5;unmuted",
            "-1;muted",
            "NaN;muted",
            "0.5;loud",
            "0.5",
        ] {
            assert_eq!(Sound::decode(junk), Sound::default(), "{junk:?}");
        }
    }

    #[test]
    fn stepping_and_toggling_behave_like_a_volume_knob() {
        let quiet = Sound {
            volume: 0.05,
            muted: false,
        };
        assert_eq!(quiet.stepped(-0.05), Sound::at(0.0));
        assert!(quiet.stepped(-0.05).muted, "turned all the way down mutes");
        let muted = Sound {
            volume: 0.6,
            muted: true,
        };
        // Up from mute starts from silence, not from the hidden level.
        assert_eq!(muted.stepped(0.05), Sound::at(0.05));
        assert_eq!(muted.toggled().volume, 0.6);
        assert!(!muted.toggled().muted);
        assert_eq!(Sound::at(0.0).toggled().volume, 0.25);
        assert_eq!(Sound::at(1.2).volume, 1.0);
        assert_eq!(Sound::at(f64::NAN).volume, 1.0);
        assert_eq!(muted.audible_volume(), 0.0);
    }
}
