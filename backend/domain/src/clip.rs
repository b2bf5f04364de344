//! Clips: a titled stretch of a past broadcast (up to a minute), or of the last half-minute of a
//! live one, made by a signed-in viewer. A clip copies no video: its playlists list the
//! recording's own segments ([`crate::clip_playlist`]) and sit next to the recording's, so the
//! recording's storage, privacy and deletion rules cover them.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::error::DomainError;
use crate::ids::{ChannelId, ClipId, RecordingId, UserId};
use crate::page::{ChannelListed, Listed};
use crate::text;

/// The longest clip of a past broadcast.
pub const MAX_CLIP: Duration = Duration::seconds(60);
/// The shortest clip: anything shorter is a still.
pub const MIN_CLIP: Duration = Duration::seconds(5);
/// What a clip of a live broadcast takes: the last this-long of it.
pub const LIVE_CLIP: Duration = Duration::seconds(30);
/// How long after a broadcast's start its recording may still be about to begin: IVS announces
/// a recording's start a few seconds after the stream's, and the local stack a moment after.
pub const RECORDING_START: Duration = Duration::seconds(30);
pub const MAX_TITLE_CHARS: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClipTitle(String);

impl ClipTitle {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        text::clean(
            input,
            "invalid_clip_title",
            "a clip's title",
            1,
            MAX_TITLE_CHARS,
        )
        .map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ClipTitle {
    type Error = DomainError;
    fn try_from(stored: String) -> Result<Self, DomainError> {
        Self::parse(&stored).or_else(|_| Ok(Self(text::salvage(&stored, MAX_TITLE_CHARS))))
    }
}

impl From<ClipTitle> for String {
    fn from(value: ClipTitle) -> Self {
        value.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ClipStatus {
    /// Its broadcast is still being recorded: the clip's playlists are cut once the recording
    /// has ended (the video service advises against reading a recording before that).
    Pending,
    /// Its playlists are written: it plays.
    Ready,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clip {
    pub id: ClipId,
    pub channel_id: ChannelId,
    pub recording_id: RecordingId,
    pub title: ClipTitle,
    pub clipper: UserId,
    /// The clipper's handle ("clipped by"): as it was when they clipped, as stored; as it is
    /// now when read through the platform, and `None` once their account is deleted (the
    /// handle may be someone else's by then).
    pub clipper_handle: Option<String>,
    /// As its recording: private clips are for the channel's allowed viewers only.
    pub private: bool,
    pub status: ClipStatus,
    /// Where in the recording it starts, and how long it lasts: what was asked while pending,
    /// then exactly the whole segments its playlists list.
    pub start_ms: u64,
    pub duration_ms: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The clip's own playlist, once ready (next to the recording's).
    pub playlist_url: Option<String>,
    /// The recording's picture.
    pub thumbnail_url: Option<String>,
    /// The playlists written for it, relative to the recording's main playlist: what deleting
    /// the clip removes.
    #[serde(default)]
    pub files: Vec<String>,
}

impl Clip {
    /// The file name of each of the clip's playlists, beside the recording's playlist it cuts.
    pub fn playlist_file(&self) -> String {
        format!("{}.m3u8", self.file_stem())
    }

    /// The name its other files (its picture) share.
    pub fn file_stem(&self) -> String {
        format!("clip-{}", self.id)
    }

    pub fn end_ms(&self) -> u64 {
        self.start_ms + self.duration_ms
    }
}

/// A position in a channel's clips, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClipCursor {
    pub at: OffsetDateTime,
    pub id: ClipId,
}

impl ChannelListed for Clip {
    fn key(&self) -> &str {
        self.id.as_str()
    }
    fn channel(&self) -> &ChannelId {
        &self.channel_id
    }
    fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }
}

impl Listed for Clip {
    type Cursor = ClipCursor;
    fn cursor(&self) -> ClipCursor {
        ClipCursor {
            at: self.created_at,
            id: self.id.clone(),
        }
    }
}

/// A stretch of a recording asked for by a clipper, checked: `start_ms < end_ms`, between
/// [`MIN_CLIP`] and [`MAX_CLIP`] long, and inside the recording's `duration_ms`.
pub fn check_range(start_ms: u64, end_ms: u64, duration_ms: u64) -> Result<(), DomainError> {
    let invalid = |message: String| DomainError::invalid("invalid_clip_range", message);
    let (min, max) = (millis(MIN_CLIP), millis(MAX_CLIP));
    if end_ms <= start_ms {
        return Err(invalid("a clip must end after it starts".into()));
    }
    let length = end_ms - start_ms;
    if !(min..=max).contains(&length) {
        return Err(invalid(format!(
            "a clip lasts {}–{} seconds",
            min / 1000,
            max / 1000
        )));
    }
    if end_ms > duration_ms {
        return Err(invalid(format!(
            "the broadcast lasts {} seconds; the clip must end inside it",
            duration_ms / 1000
        )));
    }
    Ok(())
}

pub fn millis(d: Duration) -> u64 {
    u64::try_from(d.whole_milliseconds()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_must_be_inside_the_broadcast_and_between_the_limits() {
        assert!(check_range(10_000, 40_000, 60_000).is_ok());
        assert!(check_range(0, 5_000, 5_000).is_ok());
        assert!(check_range(0, 60_000, 90_000).is_ok());
        for (start, end) in [
            (40_000, 10_000),
            (10_000, 10_000),
            (0, 4_999),
            (0, 60_001),
            (50_000, 61_000),
        ] {
            let error = check_range(start, end, 60_000).unwrap_err();
            assert!(
                matches!(
                    error,
                    DomainError::Invalid {
                        code: "invalid_clip_range",
                        ..
                    }
                ),
                "{start}..{end}: {error:?}"
            );
        }
    }

    #[test]
    fn a_stored_title_always_reads() {
        let long: String = "가".repeat(300);
        let title: ClipTitle = serde_json::from_value(serde_json::json!(long)).unwrap();
        assert!(title.as_str().chars().count() <= MAX_TITLE_CHARS);
        assert!(ClipTitle::parse("  ").is_err());
    }
}
