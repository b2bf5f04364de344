//! Identifiers. Each is a newtype so a user id can never be passed where a channel id belongs.

use std::fmt;

use rand::Rng;
use rand::distributions::Alphanumeric;
use serde::{Deserialize, Serialize};

use crate::error::DomainError;

/// Random letters and digits, from the thread's cryptographically secure generator.
pub fn random_alphanumeric(len: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }
    };
}

string_id!(
    /// A user, as the identity provider names them (Cognito's `sub`). IVS Chat allows 1–128 chars.
    UserId
);
string_id!(
    /// A channel: `ch` + 16 letters and digits. Also the IVS channel name and chat room name.
    ChannelId
);
string_id!(
    /// A chat message: 12 letters and digits, like IVS Chat message ids.
    MessageId
);
string_id!(
    /// One broadcast (IVS `stream_id`, e.g. `st-1A2b3C...`).
    StreamId
);
string_id!(
    /// One recorded broadcast.
    RecordingId
);
string_id!(
    /// One uploaded emote image: `em` + 16 letters and digits. A new upload gets a new id, so
    /// its file's address never serves other bytes and may be cached for good.
    EmoteId
);
string_id!(
    /// A clip: `cl` + 16 letters and digits (also in its playlists' file names).
    ClipId
);
string_id!(
    /// An uploaded video: `vd` + 16 letters and digits (also in its files' names).
    VideoId
);
string_id!(
    /// One of a channel's webhooks: `wh` + 16 letters and digits.
    WebhookId
);
string_id!(
    /// A chat poll: `po` + 16 letters and digits.
    PollId
);
string_id!(
    /// A report to the platform's staff: `rp` + 16 letters and digits.
    ReportId
);

fn check_id(value: &str, what: &'static str, max: usize) -> Result<(), DomainError> {
    let ok = !value.is_empty()
        && value.len() <= max
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' || b == b':');
    if ok {
        Ok(())
    } else {
        Err(DomainError::invalid(
            "invalid_id",
            format!("{what} must be 1–{max} letters, digits or -_.:"),
        ))
    }
}

impl UserId {
    pub fn parse(value: &str) -> Result<Self, DomainError> {
        check_id(value, "a user id", 128)?;
        Ok(Self(value.to_owned()))
    }

    /// A user id for a signed-out viewer's read-only chat connection.
    pub fn anonymous() -> Self {
        Self(format!("anon-{}", random_alphanumeric(16)))
    }

    pub fn is_anonymous(&self) -> bool {
        self.0.starts_with("anon-")
    }
}

impl ChannelId {
    pub fn generate() -> Self {
        Self(format!("ch{}", random_alphanumeric(16)))
    }

    pub fn parse(value: &str) -> Result<Self, DomainError> {
        check_id(value, "a channel id", 64)?;
        Ok(Self(value.to_owned()))
    }
}

impl MessageId {
    pub fn generate() -> Self {
        Self(random_alphanumeric(12))
    }

    pub fn parse(value: &str) -> Result<Self, DomainError> {
        check_id(value, "a message id", 64)?;
        Ok(Self(value.to_owned()))
    }
}

impl StreamId {
    pub fn generate() -> Self {
        Self(format!("st-{}", random_alphanumeric(24)))
    }

    pub fn parse(value: &str) -> Result<Self, DomainError> {
        check_id(value, "a stream id", 128)?;
        Ok(Self(value.to_owned()))
    }
}

impl RecordingId {
    pub fn parse(value: &str) -> Result<Self, DomainError> {
        check_id(value, "a recording id", 128)?;
        Ok(Self(value.to_owned()))
    }
}

impl EmoteId {
    pub fn generate() -> Self {
        Self(format!("em{}", random_alphanumeric(16)))
    }
}

impl ClipId {
    pub fn generate() -> Self {
        Self(format!("cl{}", random_alphanumeric(16)))
    }

    /// Letters and digits only: the id names files.
    pub fn parse(value: &str) -> Result<Self, DomainError> {
        let ok =
            (2..=64).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric());
        if !ok {
            return Err(DomainError::invalid(
                "invalid_id",
                "a clip id must be 2–64 letters or digits",
            ));
        }
        Ok(Self(value.to_owned()))
    }
}

impl ReportId {
    pub fn generate() -> Self {
        Self(format!("rp{}", random_alphanumeric(16)))
    }

    pub fn parse(value: &str) -> Result<Self, DomainError> {
        check_id(value, "a report id", 64)?;
        Ok(Self(value.to_owned()))
    }
}

impl VideoId {
    pub fn generate() -> Self {
        Self(format!("vd{}", random_alphanumeric(16)))
    }

    /// Letters and digits only: the id names files and storage keys.
    pub fn parse(value: &str) -> Result<Self, DomainError> {
        let ok =
            (2..=64).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric());
        if !ok {
            return Err(DomainError::invalid(
                "invalid_id",
                "a video id must be 2–64 letters or digits",
            ));
        }
        Ok(Self(value.to_owned()))
    }
}

impl PollId {
    pub fn generate() -> Self {
        Self(format!("po{}", random_alphanumeric(16)))
    }

    pub fn parse(value: &str) -> Result<Self, DomainError> {
        check_id(value, "a poll id", 64)?;
        Ok(Self(value.to_owned()))
    }
}

impl WebhookId {
    pub fn generate() -> Self {
        Self(format!("wh{}", random_alphanumeric(16)))
    }

    pub fn parse(value: &str) -> Result<Self, DomainError> {
        check_id(value, "a webhook id", 64)?;
        Ok(Self(value.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_message_ids_look_like_ivs_chat_ids() {
        let id = MessageId::generate();
        assert_eq!(id.as_str().len(), 12);
        assert!(id.as_str().bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(id, MessageId::generate());
    }

    #[test]
    fn a_user_id_with_a_space_or_over_128_chars_is_rejected() {
        assert!(UserId::parse("a b").is_err());
        assert!(UserId::parse(&"a".repeat(129)).is_err());
        assert!(UserId::parse("").is_err());
        assert!(UserId::parse("0b5c2e4a-1f3e-4d6b-9a7c-2e8f1d3b5a7c").is_ok());
    }

    #[test]
    fn anonymous_ids_are_recognisable_and_distinct() {
        let a = UserId::anonymous();
        assert!(a.is_anonymous());
        assert_ne!(a, UserId::anonymous());
        assert!(!UserId::parse("someone").unwrap().is_anonymous());
    }
}
