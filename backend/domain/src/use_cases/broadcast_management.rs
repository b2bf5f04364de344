//! The streamer's own past broadcasts: renaming one, and deleting one with its files. Only the
//! channel's owner may. A recording still being made cannot be deleted: the recorder has not
//! finished writing it.

use crate::channel::StreamTitle;
use crate::error::{DomainError, DomainResult, WriteError};
use crate::identity::Identity;
use crate::ids::RecordingId;
use crate::platform::{MAX_RETRIES, Platform};
use crate::recording::{Recording, RecordingStatus};

impl Platform {
    /// Gives the past broadcast a new title (what its channel was called when it started is
    /// only where it begins).
    pub async fn rename_recording(
        &self,
        who: &Identity,
        id: &RecordingId,
        title: &str,
    ) -> DomainResult<Recording> {
        let title = StreamTitle::parse(title)?;
        for _ in 0..MAX_RETRIES {
            let recording = self.owned_recording(who, id).await?;
            if recording.deleted() {
                return Err(DomainError::NotFound("recording"));
            }
            let renamed = Recording {
                title: title.clone(),
                ..recording.clone()
            };
            match self.store_recording(&renamed, &recording).await? {
                true => return Ok(renamed),
                false => continue,
            }
        }
        Err(busy())
    }

    /// Deletes the past broadcast for everyone, then its files. If removing the files fails,
    /// the broadcast is already gone from every list and page, and asking again removes them.
    pub async fn delete_recording(&self, who: &Identity, id: &RecordingId) -> DomainResult<()> {
        self.owned_recording(who, id).await?;
        self.remove_recording(id).await
    }

    /// Deletes the past broadcast and its files, whoever asked (callers decide who may).
    pub(crate) async fn remove_recording(&self, id: &RecordingId) -> DomainResult<()> {
        for _ in 0..MAX_RETRIES {
            let (recording, _) = self.recording_and_channel(id).await?;
            if recording.status == RecordingStatus::Recording {
                return Err(DomainError::conflict(
                    "still_recording",
                    "this broadcast is still being recorded; delete it once the stream has ended",
                ));
            }
            let deleted = Recording {
                status: RecordingStatus::Deleted,
                ..recording.clone()
            };
            if !recording.deleted() && !self.store_recording(&deleted, &recording).await? {
                continue;
            }
            self.ports.recording_files.delete(&deleted).await?;
            return Ok(());
        }
        Err(busy())
    }

    /// The recording, if `who` owns its channel (deleted ones too); anyone else is told there
    /// is no such recording.
    pub(crate) async fn owned_recording(
        &self,
        who: &Identity,
        id: &RecordingId,
    ) -> DomainResult<Recording> {
        let (recording, channel) = self.recording_and_channel(id).await?;
        if !channel.is_owned_by(&who.user_id) {
            return Err(DomainError::NotFound("recording"));
        }
        Ok(recording)
    }

    /// Writes `next` over `read`; false if the record changed in between (read it again).
    pub(crate) async fn store_recording(
        &self,
        next: &Recording,
        read: &Recording,
    ) -> DomainResult<bool> {
        match self.ports.recordings.put_recording(next, Some(read)).await {
            Ok(()) => Ok(true),
            Err(WriteError::VersionMismatch) => Ok(false),
            Err(WriteError::Port(e)) => Err(e.into()),
            Err(other) => Err(DomainError::conflict("recording", other.to_string())),
        }
    }
}

pub(crate) fn busy() -> DomainError {
    DomainError::conflict("recording_busy", "the broadcast kept changing; try again")
}
