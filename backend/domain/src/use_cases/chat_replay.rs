//! A past broadcast's chat, replayed beside its video: the messages sent while it was recorded,
//! oldest first, each with its moment in the video. Whoever may watch the recording may read
//! its chat; a deleted message never comes back.

use time::Duration;

use crate::chat::{MessageCursor, StoredMessage};
use crate::error::DomainResult;
use crate::ids::{RecordingId, UserId};
use crate::page::Page;
use crate::platform::Platform;

/// A message of a past broadcast and when it appears in the video.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayedMessage {
    pub message: StoredMessage,
    /// Milliseconds from the start of the recording.
    pub offset_ms: u64,
}

impl Platform {
    /// The recording's chat from `from_ms` into the video (or after `after`, a previous page's
    /// `next`), at most `limit` messages.
    pub async fn chat_replay(
        &self,
        recording: &RecordingId,
        who: Option<&UserId>,
        from_ms: u64,
        after: Option<MessageCursor>,
        limit: usize,
    ) -> DomainResult<Page<ReplayedMessage, MessageCursor>> {
        let (recording, channel) = self.recording(recording, who).await?;
        let Some(start) = recording.started_at else {
            return Ok(Page::empty());
        };
        let later = |ms: u64| {
            i64::try_from(ms)
                .ok()
                .and_then(|ms| start.checked_add(Duration::milliseconds(ms)))
        };
        let end = recording
            .ended_at
            .or_else(|| recording.duration_ms.and_then(later))
            // Still being recorded: up to now.
            .unwrap_or_else(|| self.now());
        // Past the end (however far: the number is the caller's) there is nothing.
        let Some(from) = later(from_ms).filter(|from| *from <= end) else {
            return Ok(Page::empty());
        };
        let mut page = self
            .ports
            .chat
            .list_messages_between(&channel.id, from, end, after.as_ref(), limit)
            .await?;
        self.forget_erased_in_replies(&mut page.items).await?;
        let items = page
            .items
            .into_iter()
            .map(|message| ReplayedMessage {
                offset_ms: u64::try_from((message.sent_at - start).whole_milliseconds())
                    .unwrap_or(0),
                message,
            })
            .collect();
        Ok(Page {
            items,
            next: page.next,
        })
    }
}
