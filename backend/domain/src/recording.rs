//! Past broadcasts, built from recording-state events (IVS auto-record to S3 in the cloud, the
//! local ingest's recorder locally). Like stream events, these may repeat or arrive out of order.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::audience::Audience;
use crate::channel::{Category, Channel, StreamTitle};
use crate::error::DomainError;
use crate::ids::{ChannelId, RecordingId, StreamId};
use crate::page::Listed;
use crate::text;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RecordingStatus {
    /// Being recorded now.
    Recording,
    /// Finished; the playlist is complete.
    Ended,
    /// The recorder failed; what was written may be incomplete.
    Failed,
    /// Deleted by its channel's owner: kept as a marker (with where its files were, until they
    /// are gone) so a late or repeated event from the recorder cannot bring it back.
    Deleted,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recording {
    pub id: RecordingId,
    pub channel_id: ChannelId,
    pub stream_id: Option<StreamId>,
    /// The channel's title and category when the recording started.
    pub title: StreamTitle,
    pub category: Category,
    /// Whether the channel was private when it was recorded: kept for good, whatever the channel
    /// becomes. Private recordings are listed only to the channel's allowed viewers.
    pub private: bool,
    pub status: RecordingStatus,
    #[serde(with = "time::serde::rfc3339::option")]
    pub started_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub ended_at: Option<OffsetDateTime>,
    pub duration_ms: Option<u64>,
    /// The VOD playlist (`.../media/hls/master.m3u8` in S3 behind CloudFront).
    pub playlist_url: Option<String>,
    pub thumbnail_url: Option<String>,
    /// Moments its streamer marked while live, in order; recordings kept before markers have
    /// none.
    #[serde(default)]
    pub markers: Vec<StreamMarker>,
    /// Who watched it, sampled while live; recordings kept before summaries have none.
    #[serde(default, skip_serializing_if = "Audience::is_unsampled")]
    pub audience: Audience,
}

/// Markers one broadcast may have: a chapter every few minutes of a long stream.
pub const MAX_MARKERS: usize = 50;
/// A marker's note, in characters (optional).
pub const MAX_MARKER_NOTE_CHARS: usize = 60;

/// A moment of a broadcast its streamer marked ("boss fight", "giveaway"), which its past
/// broadcast lists as a chapter to jump to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamMarker {
    /// Where it is, from the recording's start.
    pub at_ms: u64,
    pub note: String,
}

impl StreamMarker {
    /// A marker at `at_ms` saying `note` (checked as shown text; may be empty).
    pub fn new(at_ms: u64, note: &str) -> Result<Self, DomainError> {
        let note = text::clean(
            note,
            "invalid_marker",
            "a marker's note",
            0,
            MAX_MARKER_NOTE_CHARS,
        )?;
        Ok(Self { at_ms, note })
    }
}

impl Recording {
    /// Whether there is something to play: viewers are shown only these.
    pub fn playable(&self) -> bool {
        self.playlist_url.is_some() && !self.deleted()
    }

    pub fn deleted(&self) -> bool {
        self.status == RecordingStatus::Deleted
    }

    /// The moment it is listed by: its start, else its end.
    pub fn listed_at(&self) -> OffsetDateTime {
        self.started_at
            .or(self.ended_at)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }
}

/// A position in a list of recordings ordered by [`Recording::listed_at`], newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordingCursor {
    pub at: OffsetDateTime,
    pub id: RecordingId,
}

impl Listed for Recording {
    type Cursor = RecordingCursor;
    fn cursor(&self) -> RecordingCursor {
        RecordingCursor {
            at: self.listed_at(),
            id: self.id.clone(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordingEventKind {
    Started,
    Ended,
    Failed,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordingEvent {
    pub channel_id: ChannelId,
    pub recording_id: RecordingId,
    pub stream_id: Option<StreamId>,
    pub kind: RecordingEventKind,
    pub at: OffsetDateTime,
    pub duration_ms: Option<u64>,
    pub playlist_url: Option<String>,
    pub thumbnail_url: Option<String>,
    /// Where the latest live frame is kept while recording (IVS `latest_thumbnail`).
    pub live_thumbnail_url: Option<String>,
    /// Whether the video service stored it privately (the private recordings bucket), when the
    /// event says. A recording is private if so, or if its channel is private when the record
    /// is made.
    pub private: Option<bool>,
}

/// The record after `event`, or `None` if it adds nothing. Order-independent: the status only moves
/// forward (RECORDING → ENDED → FAILED wins), times keep the earliest start and latest end, and
/// locations are filled in once known. A deleted recording stays deleted.
/// What an event says of a recording whose channel is gone (its account was deleted while the
/// recorder was still writing): enough to find its files, and nothing to show anyone.
pub fn orphaned(event: &RecordingEvent) -> Recording {
    Recording {
        id: event.recording_id.clone(),
        channel_id: event.channel_id.clone(),
        stream_id: event.stream_id.clone(),
        title: StreamTitle::default(),
        category: Category::default(),
        private: event.private == Some(true),
        status: RecordingStatus::Deleted,
        started_at: None,
        ended_at: None,
        duration_ms: event.duration_ms,
        playlist_url: event.playlist_url.clone(),
        thumbnail_url: event.thumbnail_url.clone(),
        markers: Vec::new(),
        audience: Audience::default(),
    }
}

pub fn merge(
    existing: Option<&Recording>,
    event: &RecordingEvent,
    channel: &Channel,
) -> Option<Recording> {
    if existing.is_some_and(Recording::deleted) {
        return None;
    }
    let mut next = existing.cloned().unwrap_or_else(|| Recording {
        id: event.recording_id.clone(),
        channel_id: event.channel_id.clone(),
        stream_id: None,
        title: channel.title.clone(),
        category: channel.category.clone(),
        // Private if stored privately, or if the channel is private as it starts (a channel made
        // before private recordings had their own bucket still records into the public one).
        private: event.private == Some(true) || channel.private,
        status: RecordingStatus::Recording,
        started_at: None,
        ended_at: None,
        duration_ms: None,
        playlist_url: None,
        thumbnail_url: None,
        markers: Vec::new(),
        audience: Audience::default(),
    });
    let status = match event.kind {
        RecordingEventKind::Started => RecordingStatus::Recording,
        RecordingEventKind::Ended => RecordingStatus::Ended,
        RecordingEventKind::Failed => RecordingStatus::Failed,
    };
    next.status = next.status.max(status);
    // Where the files are decides; once private, always private.
    next.private |= event.private == Some(true);
    match event.kind {
        RecordingEventKind::Started => {
            next.started_at = Some(next.started_at.map_or(event.at, |t| t.min(event.at)));
        }
        RecordingEventKind::Ended | RecordingEventKind::Failed => {
            next.ended_at = Some(next.ended_at.map_or(event.at, |t| t.max(event.at)));
        }
    }
    if next.stream_id.is_none() {
        next.stream_id = event.stream_id.clone();
    }
    if let Some(duration) = event.duration_ms {
        next.duration_ms = Some(next.duration_ms.map_or(duration, |d| d.max(duration)));
    }
    if next.playlist_url.is_none() {
        next.playlist_url = event.playlist_url.clone();
    }
    if next.thumbnail_url.is_none() {
        next.thumbnail_url = event.thumbnail_url.clone();
    }
    (existing != Some(&next)).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;

    fn channel() -> Channel {
        let mut c = crate::test_support::channel("u1", "alice");
        c.id = ChannelId::parse("chfixed").unwrap();
        c.title = StreamTitle::parse("Speedrun").unwrap();
        c
    }

    fn event(kind: RecordingEventKind, minute: i64, duration_ms: Option<u64>) -> RecordingEvent {
        RecordingEvent {
            channel_id: channel().id,
            recording_id: RecordingId::parse("rec1").unwrap(),
            stream_id: Some(StreamId::parse("st-1").unwrap()),
            kind,
            at: OffsetDateTime::UNIX_EPOCH + Duration::minutes(minute),
            duration_ms,
            playlist_url: Some("https://cdn/rec1/media/hls/master.m3u8".into()),
            thumbnail_url: Some("https://cdn/rec1/media/thumbnails/thumb0.jpg".into()),
            live_thumbnail_url: None,
            private: None,
        }
    }

    fn fold(events: &[RecordingEvent]) -> Recording {
        let c = channel();
        let mut current: Option<Recording> = None;
        for e in events {
            if let Some(next) = merge(current.as_ref(), e, &c) {
                current = Some(next);
            }
        }
        current.unwrap()
    }

    #[test]
    fn start_then_end_gives_an_ended_recording_with_the_title_at_start() {
        let r = fold(&[
            event(RecordingEventKind::Started, 1, None),
            event(RecordingEventKind::Ended, 61, Some(3_600_000)),
        ]);
        assert_eq!(r.status, RecordingStatus::Ended);
        assert_eq!(r.duration_ms, Some(3_600_000));
        assert_eq!(r.title.as_str(), "Speedrun");
        assert!(r.playlist_url.is_some());
    }

    #[test]
    fn end_before_start_gives_the_same_record_and_duplicates_change_nothing() {
        let start = event(RecordingEventKind::Started, 1, None);
        let end = event(RecordingEventKind::Ended, 61, Some(3_600_000));
        let in_order = fold(&[start.clone(), end.clone()]);
        assert_eq!(fold(&[end.clone(), start.clone()]), in_order);
        assert_eq!(merge(Some(&in_order), &end, &channel()), None);
        assert_eq!(merge(Some(&in_order), &start, &channel()), None);
    }
}
