//! Channel handles: the unique, user-chosen name in a channel's URL (`/<handle>`).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::DomainError;

/// A handle validated like a Twitch login: 3–25 lower-case ASCII letters, digits and underscores,
/// not starting with an underscore, and not one of the app's own route names.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ChannelHandle(String);

/// Paths the browser app or the servers use at the top level, so no channel can shadow them.
const RESERVED: &[&str] = &[
    "about",
    "admin",
    "api",
    "assets",
    "auth",
    "broadcast",
    "browse",
    "categories",
    "chat",
    "clips",
    "cognito",
    "config",
    "confirm",
    "dashboard",
    "directory",
    "help",
    "hls",
    "home",
    "internal",
    "live",
    "login",
    "logout",
    "me",
    "notifications",
    "profile",
    "recordings",
    "reports",
    "search",
    "settings",
    "signin",
    "signout",
    "signup",
    "staff",
    "static",
    "support",
    "unsubscribe",
    "videos",
    "vod",
];

pub const MIN_LEN: usize = 3;
pub const MAX_LEN: usize = 25;

impl ChannelHandle {
    /// Accepts any letter case (`Alice_99` becomes `alice_99`), like logins on Twitch; nothing
    /// else is changed (surrounding spaces make it invalid, as the API documents).
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let handle = input.to_ascii_lowercase();
        let invalid = |why: &str| {
            Err(DomainError::invalid(
                "invalid_handle",
                format!("a handle {why}"),
            ))
        };
        if handle.len() < MIN_LEN || handle.len() > MAX_LEN {
            return invalid(&format!("must be {MIN_LEN}–{MAX_LEN} characters"));
        }
        if !handle
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return invalid("may only contain letters a–z, digits and underscores");
        }
        if handle.starts_with('_') {
            return invalid("must not start with an underscore");
        }
        if RESERVED.contains(&handle.as_str()) {
            return Err(DomainError::conflict(
                "handle_reserved",
                format!("“{handle}” is reserved; choose another handle"),
            ));
        }
        Ok(Self(handle))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A handle derived from something that may not be a valid handle (a Cognito username or an
    /// email address), for users who never chose one. Always valid.
    pub fn derive_from(raw: &str) -> Self {
        let local = raw.split('@').next().unwrap_or(raw);
        let mut handle: String = local
            .chars()
            .map(|c| c.to_ascii_lowercase())
            .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
            .take(MAX_LEN - 5)
            .collect();
        let trimmed = handle.trim_start_matches('_').len();
        handle = handle[handle.len() - trimmed..].to_owned();
        if handle.len() < MIN_LEN || RESERVED.contains(&handle.as_str()) {
            handle = format!("user{handle}");
        }
        Self(handle)
    }

    /// The `n`th alternative when this handle is taken: `name_2`, `name_3`, … (still ≤ 25 chars).
    pub fn with_suffix(&self, n: u32) -> Self {
        let suffix = format!("_{n}");
        let keep = MAX_LEN - suffix.len();
        let base: String = self.0.chars().take(keep).collect();
        Self(format!("{base}{suffix}"))
    }
}

impl TryFrom<String> for ChannelHandle {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ChannelHandle> for String {
    fn from(handle: ChannelHandle) -> Self {
        handle.0
    }
}

impl fmt::Display for ChannelHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ChannelHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "@{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handle_is_lower_cased() {
        assert_eq!(
            ChannelHandle::parse("Alice_99").unwrap().as_str(),
            "alice_99"
        );
    }

    #[test]
    fn a_handle_shorter_than_3_or_longer_than_25_is_rejected() {
        assert!(ChannelHandle::parse("ab").is_err());
        assert!(ChannelHandle::parse("abc").is_ok());
        assert!(ChannelHandle::parse(&"a".repeat(25)).is_ok());
        assert!(ChannelHandle::parse(&"a".repeat(26)).is_err());
    }

    #[test]
    fn a_handle_with_punctuation_spaces_or_hangul_is_rejected() {
        for bad in ["al-ice", "al ice", "alice!", "앨리스님", "al.ice"] {
            assert!(ChannelHandle::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_handle_starting_with_an_underscore_is_rejected() {
        assert!(ChannelHandle::parse("_alice").is_err());
        assert!(ChannelHandle::parse("alice_").is_ok());
    }

    #[test]
    fn route_names_are_reserved() {
        for page in ["Dashboard", "browse", "Categories", "clips"] {
            let err = ChannelHandle::parse(page).unwrap_err();
            assert!(
                matches!(
                    err,
                    DomainError::Conflict {
                        code: "handle_reserved",
                        ..
                    }
                ),
                "{page}"
            );
        }
    }

    #[test]
    fn a_derived_handle_is_always_valid() {
        for raw in [
            "Alice.Smith@example.com",
            "x",
            "___",
            "api",
            "김철수",
            "a-b-c-d-e-f-g-h-i-j-k-l-m-n",
        ] {
            let derived = ChannelHandle::derive_from(raw);
            assert!(
                ChannelHandle::parse(derived.as_str()).is_ok(),
                "{raw} -> {derived}"
            );
        }
        assert_eq!(
            ChannelHandle::derive_from("Alice.Smith@example.com").as_str(),
            "alicesmith"
        );
    }

    #[test]
    fn suffixed_alternatives_stay_within_25_characters() {
        let long = ChannelHandle::parse(&"a".repeat(25)).unwrap();
        let alt = long.with_suffix(12);
        assert_eq!(alt.as_str().len(), 25);
        assert!(alt.as_str().ends_with("_12"));
        assert!(ChannelHandle::parse(alt.as_str()).is_ok());
    }
}
