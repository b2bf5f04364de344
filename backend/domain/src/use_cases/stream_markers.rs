//! The streamer marks moments of their live broadcast from the dashboard ("boss fight",
//! "giveaway"), renames one or takes off one marked by mistake; its past broadcast lists them
//! as chapters a viewer jumps to.

use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::ids::RecordingId;
use crate::limits;
use crate::platform::{MAX_RETRIES, Platform};
use crate::recording::{MAX_MARKERS, Recording, StreamMarker};
use crate::use_cases::broadcast_management::busy;

impl Platform {
    /// Marks the present moment of the caller's live broadcast, saying `note` (may be empty).
    /// The broadcast must be being recorded: the marker lives on its recording.
    pub async fn add_marker(&self, who: &Identity, note: &str) -> DomainResult<StreamMarker> {
        // Checked before anything is counted or read: a bad note costs nothing.
        StreamMarker::new(0, note)?;
        self.rate_limit(&format!("markers:{}", who.user_id), limits::MARKERS)
            .await?;
        let channel = self.ensure_account(who).await?.channel;
        if !channel.live.is_live() {
            return Err(DomainError::conflict("not_live", "the channel is not live"));
        }
        for _ in 0..MAX_RETRIES {
            let Some((recording, started)) = self.live_recording(&channel).await? else {
                return Err(DomainError::conflict(
                    "not_recording",
                    "this broadcast is not being recorded (or its recording has not started \
                     yet), so it cannot be marked",
                ));
            };
            if recording.markers.len() >= MAX_MARKERS {
                return Err(DomainError::conflict(
                    "too_many_markers",
                    format!("a broadcast has at most {MAX_MARKERS} markers"),
                ));
            }
            let at_ms = u64::try_from((self.now() - started).whole_milliseconds()).unwrap_or(0);
            // A marker is named by its moment: a second one there is the first.
            if let Some(same) = recording.markers.iter().find(|m| m.at_ms == at_ms) {
                return Ok(same.clone());
            }
            let marker = StreamMarker::new(at_ms, note)?;
            let mut markers = recording.markers.clone();
            markers.push(marker.clone());
            markers.sort_by_key(|m| m.at_ms);
            let marked = Recording {
                markers,
                ..recording.clone()
            };
            if self.store_recording(&marked, &recording).await? {
                return Ok(marker);
            }
        }
        Err(busy())
    }

    /// Takes the marker at `at_ms` off the caller's broadcast `id` (live or past): a moment
    /// marked by mistake. Only the channel's owner may; to anyone else there is no such
    /// broadcast.
    pub async fn remove_marker(
        &self,
        who: &Identity,
        id: &RecordingId,
        at_ms: u64,
    ) -> DomainResult<()> {
        self.change_marker(who, id, at_ms, |markers, at| {
            markers.remove(at);
        })
        .await
    }

    /// Renames the marker at `at_ms` of the caller's broadcast `id` (live or past): a chapter's
    /// name typed wrong. It stays at its moment; only the channel's owner may.
    pub async fn rename_marker(
        &self,
        who: &Identity,
        id: &RecordingId,
        at_ms: u64,
        note: &str,
    ) -> DomainResult<StreamMarker> {
        let renamed = StreamMarker::new(at_ms, note)?;
        self.change_marker(who, id, at_ms, |markers, at| {
            markers[at] = renamed.clone();
        })
        .await?;
        Ok(renamed)
    }

    /// Changes the markers of the caller's broadcast `id` where the one at `at_ms` is (`change`
    /// gets them and its place), written on the version read (retried when another write came
    /// first).
    async fn change_marker(
        &self,
        who: &Identity,
        id: &RecordingId,
        at_ms: u64,
        change: impl Fn(&mut Vec<StreamMarker>, usize),
    ) -> DomainResult<()> {
        for _ in 0..MAX_RETRIES {
            let recording = self.owned_recording(who, id).await?;
            if recording.deleted() {
                return Err(DomainError::NotFound("recording"));
            }
            let Some(at) = recording.markers.iter().position(|m| m.at_ms == at_ms) else {
                return Err(DomainError::NotFound("marker"));
            };
            let mut markers = recording.markers.clone();
            change(&mut markers, at);
            let changed = Recording {
                markers,
                ..recording.clone()
            };
            if self.store_recording(&changed, &recording).await? {
                return Ok(());
            }
        }
        Err(busy())
    }
}
