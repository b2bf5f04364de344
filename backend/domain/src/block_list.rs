//! A viewer's block list: the people whose chat messages they no longer want to see. Personal,
//! unlike a channel's ban: the blocked person is told nothing and may still chat, and only the
//! viewer who blocked them stops seeing what they say (live, in history and in replays).

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::ids::UserId;
use crate::limits::RateLimit;

/// The most people one viewer may block. The list is one record read with every chat token, so
/// it stays small (about 60 bytes each: 30 KB at most, far inside DynamoDB's 400 KB item), and
/// listing it with everyone's name stays one page.
pub const MAX_BLOCKED: usize = 500;

/// Blocks and unblocks one user may make a minute: enough to clear a raid's worth of trolls
/// from one's own chat, too few to hammer the store.
pub const BLOCK_CHANGES: RateLimit = RateLimit {
    max: 30,
    per: Duration::minutes(1),
};

/// One blocked person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blocked {
    pub user_id: UserId,
    #[serde(with = "time::serde::rfc3339")]
    pub blocked_at: OffsetDateTime,
}

/// Everyone one user blocked, most recent last. Written whole, on the condition that the stored
/// list is still the one read (two tabs blocking at once both land).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockList {
    pub blocked: Vec<Blocked>,
}

impl BlockList {
    pub fn contains(&self, user: &UserId) -> bool {
        self.blocked.iter().any(|b| b.user_id == *user)
    }

    /// Adds `user` unless already there. False (and no change) when the list is full.
    pub fn add(&mut self, user: &UserId, at: OffsetDateTime) -> bool {
        if self.contains(user) {
            return true;
        }
        if self.blocked.len() >= MAX_BLOCKED {
            return false;
        }
        self.blocked.push(Blocked {
            user_id: user.clone(),
            blocked_at: at,
        });
        true
    }

    /// Takes `user` off the list; whether they were on it.
    pub fn remove(&mut self, user: &UserId) -> bool {
        let before = self.blocked.len();
        self.blocked.retain(|b| b.user_id != *user);
        self.blocked.len() != before
    }

    pub fn user_ids(&self) -> impl Iterator<Item = &UserId> {
        self.blocked.iter().map(|b| &b.user_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(n: usize) -> UserId {
        UserId::parse(&format!("user-{n}")).unwrap()
    }

    #[test]
    fn adding_twice_keeps_one_entry_and_the_first_time() {
        let mut list = BlockList::default();
        let first = OffsetDateTime::UNIX_EPOCH;
        assert!(list.add(&user(1), first));
        assert!(list.add(&user(1), first + Duration::hours(1)));
        assert_eq!(list.blocked.len(), 1);
        assert_eq!(list.blocked[0].blocked_at, first);
    }

    #[test]
    fn a_full_list_takes_no_one_new_but_still_answers_for_those_on_it() {
        let mut list = BlockList::default();
        let at = OffsetDateTime::UNIX_EPOCH;
        for n in 0..MAX_BLOCKED {
            assert!(list.add(&user(n), at));
        }
        assert!(!list.add(&user(MAX_BLOCKED), at));
        assert!(list.add(&user(0), at), "already blocked: nothing to add");
        assert_eq!(list.blocked.len(), MAX_BLOCKED);
        assert!(list.remove(&user(0)));
        assert!(!list.remove(&user(0)));
        assert!(list.add(&user(MAX_BLOCKED), at));
    }
}
