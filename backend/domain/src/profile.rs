//! Users' public profiles: what other people see next to their chat messages.

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::ids::UserId;
use crate::text;

/// A display name: 1–25 characters of any script, trimmed, with nothing hidden in it (see
/// [`text::clean`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct Nickname(String);

pub const MAX_NICKNAME_CHARS: usize = 25;

impl Nickname {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        text::clean(
            input,
            "invalid_nickname",
            "a nickname",
            1,
            MAX_NICKNAME_CHARS,
        )
        .map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Reading a stored nickname never fails: one an older version accepted loses what is now
/// refused (or becomes "viewer" if nothing is left).
impl From<String> for Nickname {
    fn from(stored: String) -> Self {
        Self::parse(&stored).unwrap_or_else(|_| {
            let salvaged = text::salvage(&stored, MAX_NICKNAME_CHARS);
            Self(if salvaged.is_empty() {
                "viewer".to_owned()
            } else {
                salvaged
            })
        })
    }
}

impl From<Nickname> for String {
    fn from(value: Nickname) -> Self {
        value.0
    }
}

/// The built-in avatars the browser app ships (`/avatars/<name>.svg`, and a PNG copy of each
/// drawn at build time: `/avatars/<name>.png`).
pub const PRESET_AVATARS: &[&str] = &[
    "cat", "dog", "fox", "panda", "penguin", "rabbit", "tiger", "whale",
];

/// A picture: one of the built-in [`PRESET_AVATARS`] (`preset:fox`), served by us. Never a URL
/// of the user's choosing: every viewer's browser would fetch it (a tracking pixel in every
/// chat line).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct Avatar(String);

impl Avatar {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let value = input;
        match value.strip_prefix("preset:") {
            Some(name) if PRESET_AVATARS.contains(&name) => Ok(Self(value.to_owned())),
            _ => Err(DomainError::invalid(
                "invalid_avatar",
                format!(
                    "an avatar is one of the built-in pictures: preset:{}",
                    PRESET_AVATARS.join(", preset:")
                ),
            )),
        }
    }

    /// A preset picked from the user id, so new users differ without choosing.
    pub fn default_for(user: &UserId) -> Self {
        let sum: usize = user.as_str().bytes().map(usize::from).sum();
        Self(format!(
            "preset:{}",
            PRESET_AVATARS[sum % PRESET_AVATARS.len()]
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The site path of its PNG copy, for what draws no SVG (the crawlers behind link cards).
    pub fn png_path(&self) -> String {
        let name = self.0.strip_prefix("preset:").unwrap_or(PRESET_AVATARS[0]);
        format!("/avatars/{name}.png")
    }
}

/// Reading a stored avatar never fails: a URL an older version accepted becomes a preset.
impl From<String> for Avatar {
    fn from(stored: String) -> Self {
        Self::parse(&stored).unwrap_or_else(|_| Self(format!("preset:{}", PRESET_AVATARS[0])))
    }
}

impl From<Avatar> for String {
    fn from(value: Avatar) -> Self {
        value.0
    }
}

/// The interface language a user prefers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Ko,
}

impl Language {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        match input {
            "en" => Ok(Self::En),
            "ko" => Ok(Self::Ko),
            _ => Err(DomainError::invalid(
                "invalid_language",
                "language must be en or ko",
            )),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ko => "ko",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub user_id: UserId,
    /// The sign-in name (Cognito `username`), never shown to others.
    pub username: String,
    pub nickname: Nickname,
    pub avatar: Avatar,
    pub language: Language,
    /// Where email goes: the identity provider's verified address, kept in step at sign-in.
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub notifications: NotificationPreferences,
}

/// How a user wants to hear that a channel they follow went live, beyond the bell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationPreferences {
    /// An email to their verified address (on until they turn it off, or click "unsubscribe").
    #[serde(default = "on")]
    pub email: bool,
    /// The secret in their emails' unsubscribe links: whoever has one of their emails may turn
    /// email off with one click, nobody else. Set when the account is first used.
    #[serde(default)]
    pub unsubscribe_token: Option<String>,
}

fn on() -> bool {
    true
}

impl Default for NotificationPreferences {
    fn default() -> Self {
        Self {
            email: true,
            unsubscribe_token: None,
        }
    }
}

/// A change to a profile; `None` keeps the current value.
#[derive(Clone, Debug, Default)]
pub struct ProfileChange {
    pub nickname: Option<Nickname>,
    pub avatar: Option<Avatar>,
    pub language: Option<Language>,
    pub email_notifications: Option<bool>,
}

impl Profile {
    pub fn apply(&mut self, change: ProfileChange) {
        if let Some(nickname) = change.nickname {
            self.nickname = nickname;
        }
        if let Some(avatar) = change.avatar {
            self.avatar = avatar;
        }
        if let Some(language) = change.language {
            self.language = language;
        }
        if let Some(email) = change.email_notifications {
            self.notifications.email = email;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_korean_nickname_of_25_characters_is_accepted_and_26_is_not() {
        assert!(Nickname::parse(&"가".repeat(25)).is_ok());
        assert!(Nickname::parse(&"가".repeat(26)).is_err());
        assert!(Nickname::parse("   ").is_err());
    }

    #[test]
    fn avatars_are_built_in_pictures_only() {
        assert!(Avatar::parse("preset:fox").is_ok());
        assert!(Avatar::parse("preset:dragon").is_err());
        assert!(Avatar::parse("https://example.com/me.png").is_err());
        assert!(Avatar::parse("javascript:alert(1)").is_err());
        assert_eq!(
            Avatar::parse("preset:fox").unwrap().png_path(),
            "/avatars/fox.png"
        );
    }

    #[test]
    fn a_profile_stored_by_an_older_version_still_reads() {
        let stored = r#"{"user_id":"u1","username":"u1","nickname":"ad\u200bmin\u202e",
            "avatar":"https://tracker.example/p.gif","language":"ko"}"#;
        let profile: Profile = serde_json::from_str(stored).unwrap();
        assert_eq!(profile.nickname.as_str(), "admin");
        assert_eq!(profile.avatar.as_str(), "preset:cat");
        assert_eq!(profile.avatar.png_path(), "/avatars/cat.png");
    }

    #[test]
    fn the_default_avatar_is_a_preset_and_stable_per_user() {
        let user = UserId::parse("u-123").unwrap();
        assert_eq!(Avatar::default_for(&user), Avatar::default_for(&user));
        assert!(Avatar::parse(Avatar::default_for(&user).as_str()).is_ok());
    }
}
