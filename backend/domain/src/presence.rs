//! Who is in a channel's chat: the signed-in users present (with their role there) and how many
//! signed-out readers. Locally the chat server knows its connections; IVS Chat has no member
//! list, so in the cloud clients say they are here (heartbeats) and the store forgets those who
//! stop.

use time::{Duration, OffsetDateTime};

use crate::error::DomainError;
use crate::ids::UserId;

/// How often clients say they are here.
pub const HEARTBEAT: Duration = Duration::seconds(10);
/// A visitor who has not said so for this long has left (three missed heartbeats, plus slack).
pub const PRESENCE_LIFETIME: Duration = Duration::seconds(35);
/// The most signed-in users a presence list names (the count covers everyone).
pub const MAX_LISTED: usize = 100;

/// A signed-in user in the room, as the list shows them.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PresentUser {
    pub user_id: UserId,
    /// Their own channel's handle: how others mention them (`@handle`).
    #[serde(default)]
    pub handle: String,
    pub nickname: String,
    pub avatar: String,
    /// `viewer`, `moderator` or `owner`.
    pub role: String,
}

/// Who says they are here: a signed-in user, or a signed-out reader's tab (a random id the
/// client keeps for the page's life).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Visitor {
    User(PresentUser),
    Reader(ReaderSession),
}

/// A signed-out reader's session id: 16–64 letters and digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReaderSession(String);

impl ReaderSession {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        if !(16..=64).contains(&input.len()) || !input.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(DomainError::invalid(
                "invalid_session",
                "a reader session is 16–64 letters and digits",
            ));
        }
        Ok(Self(input.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A room's presence at one moment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Presence {
    /// Signed-in users, the owner and moderators first, then by nickname; at most
    /// [`MAX_LISTED`].
    pub users: Vec<PresentUser>,
    /// Every signed-in user present (the list may hold fewer).
    pub user_count: u64,
    /// Signed-out readers.
    pub readers: u64,
}

impl Presence {
    /// Puts a store's findings in the order people read them and cuts the list to its length.
    pub fn from_found(mut users: Vec<PresentUser>, readers: u64) -> Self {
        let rank = |role: &str| match role {
            "owner" => 0,
            "moderator" => 1,
            _ => 2,
        };
        users.sort_by(|a, b| {
            (rank(&a.role), a.nickname.to_lowercase(), a.user_id.as_str()).cmp(&(
                rank(&b.role),
                b.nickname.to_lowercase(),
                b.user_id.as_str(),
            ))
        });
        users.dedup_by(|a, b| a.user_id == b.user_id);
        let user_count = users.len() as u64;
        users.truncate(MAX_LISTED);
        Self {
            users,
            user_count,
            readers,
        }
    }
}

/// When a heartbeat sent at `now` stops counting.
pub fn present_until(now: OffsetDateTime) -> OffsetDateTime {
    now + PRESENCE_LIFETIME
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str, nickname: &str, role: &str) -> PresentUser {
        PresentUser {
            user_id: UserId::parse(id).unwrap(),
            handle: id.into(),
            nickname: nickname.into(),
            avatar: String::new(),
            role: role.into(),
        }
    }

    #[test]
    fn the_owner_and_moderators_come_first_then_nicknames_and_each_user_once() {
        let presence = Presence::from_found(
            vec![
                user("u3", "zed", "viewer"),
                user("u2", "Mod", "moderator"),
                user("u1", "amy", "viewer"),
                user("u0", "host", "owner"),
                user("u1", "amy", "viewer"),
            ],
            7,
        );
        let order: Vec<&str> = presence.users.iter().map(|u| u.nickname.as_str()).collect();
        assert_eq!(order, ["host", "Mod", "amy", "zed"]);
        assert_eq!((presence.user_count, presence.readers), (4, 7));
    }

    #[test]
    fn a_long_list_is_cut_but_counted_in_full() {
        let users = (0..150)
            .map(|i| user(&format!("u{i}"), &format!("n{i:03}"), "viewer"))
            .collect();
        let presence = Presence::from_found(users, 0);
        assert_eq!(presence.users.len(), MAX_LISTED);
        assert_eq!(presence.user_count, 150);
    }

    #[test]
    fn reader_sessions_are_plain_tokens_of_sane_length() {
        assert!(ReaderSession::parse("abcDEF0123456789").is_ok());
        for bad in [
            "short",
            "abcDEF0123456789!",
            &"a".repeat(65),
            "abcDEF01234567 9",
        ] {
            assert!(ReaderSession::parse(bad).is_err(), "{bad}");
        }
    }
}
