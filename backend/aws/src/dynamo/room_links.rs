//! Which channel each chat room belongs to, as a running process has read it. A room's ARN names
//! one channel for good (IVS never hands out an ARN twice, and a channel given a new room gets a
//! new link), so the chat review — run on every message — reads the channel alone once it knows
//! the room: one round trip to DynamoDB instead of two. The channel itself is read every time:
//! its rules, moderators and owner change.

use std::collections::HashMap;
use std::sync::Mutex;

use cloumer_domain::ids::ChannelId;

/// How many rooms a process remembers; past that it starts again (a review Lambda sees a few
/// rooms, and a wrong guess only costs the read the link saves).
const MOST: usize = 4096;

#[derive(Debug, Default)]
pub(super) struct RoomLinks {
    known: Mutex<HashMap<String, ChannelId>>,
}

impl RoomLinks {
    pub(super) fn channel_of(&self, room_arn: &str) -> Option<ChannelId> {
        self.lock().get(room_arn).cloned()
    }

    pub(super) fn remember(&self, room_arn: &str, channel: ChannelId) {
        let mut known = self.lock();
        if known.len() >= MOST && !known.contains_key(room_arn) {
            known.clear();
        }
        known.insert(room_arn.to_owned(), channel);
    }

    /// The channel is gone: the next review of the room reads its link again.
    pub(super) fn forget(&self, room_arn: &str) {
        self.lock().remove(room_arn);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, ChannelId>> {
        // The map is whole after any panic (each change is one call), so a poisoned lock is used.
        self.known
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(id: &str) -> ChannelId {
        ChannelId::parse(id).unwrap()
    }

    #[test]
    fn a_room_is_remembered_until_forgotten() {
        let links = RoomLinks::default();
        assert_eq!(links.channel_of("arn:room-1"), None);
        links.remember("arn:room-1", channel("ch-1"));
        assert_eq!(links.channel_of("arn:room-1"), Some(channel("ch-1")));
        links.forget("arn:room-1");
        assert_eq!(links.channel_of("arn:room-1"), None);
    }

    #[test]
    fn memory_is_bounded() {
        let links = RoomLinks::default();
        for n in 0..MOST {
            links.remember(&format!("arn:room-{n}"), channel("ch-1"));
        }
        // Remembering a known room again forgets nothing.
        links.remember("arn:room-0", channel("ch-1"));
        assert_eq!(links.lock().len(), MOST);
        links.remember("arn:one-more", channel("ch-2"));
        assert_eq!(links.lock().len(), 1);
        assert_eq!(links.channel_of("arn:one-more"), Some(channel("ch-2")));
    }
}
