//! A channel's chat rules: the room limits IVS Chat enforces and the word filter the review
//! applies. Channels own them; the review reads them.

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
pub use crate::word_filter::{FilterMode, WordFilter};

/// Limits of the channel's chat room, with IVS Chat's ranges and defaults.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatRules {
    /// 1–500 code points (IVS `maximumMessageLength`).
    pub max_message_length: u16,
    /// 1–100 messages per second across the room (IVS `maximumMessageRatePerSecond`).
    pub max_messages_per_second: u16,
    pub word_filter: WordFilter,
    /// Slow mode: a viewer may send one message per this many seconds (0: off; at most
    /// [`MAX_SLOW_MODE_SECONDS`]). The owner and moderators are not slowed.
    #[serde(default)]
    pub slow_mode_seconds: u16,
    /// Accounts younger than this many minutes cannot send (0: off; at most
    /// [`MAX_ACCOUNT_AGE_MINUTES`]): a fresh account made to get around a ban waits.
    #[serde(default)]
    pub min_account_age_minutes: u32,
    /// Followers-only chat: a viewer must have followed the channel for at least this many
    /// minutes to send (`Some(0)`: any follower; `None`: off; at most
    /// [`MAX_FOLLOWER_MINUTES`]). A raid's strangers, or accounts made to flood the room, wait.
    #[serde(default)]
    pub followers_only_minutes: Option<u32>,
    /// Emote-only chat: viewers send only the channel's emotes and emoji (a hype moment, or a
    /// room flooded with words). The owner and moderators write as they like.
    #[serde(default)]
    pub emote_only: bool,
    /// Links off: a viewer's message with a link in it is refused, `bit.ly/x` as much as
    /// `https://example.com` (a raid of spam bots, or a room that wants no self-promotion). The
    /// owner and moderators post links as they like.
    #[serde(default)]
    pub links_off: bool,
    /// Unique chat: a viewer's message of at least [`UNIQUE_MIN_CHARS`] characters that the room
    /// saw in the last [`UNIQUE_SECONDS`] seconds (the same words, in any case and spacing) is
    /// refused: a copy-paste flood says its piece once. Short reactions ("gg") still pile up.
    #[serde(default)]
    pub unique_chat: bool,
}

/// How long unique chat remembers what was said.
pub const UNIQUE_SECONDS: i64 = 30;
/// Shorter messages are not held to unique chat.
pub const UNIQUE_MIN_CHARS: usize = 10;

/// What unique chat compares: the words in lower case with the spaces between them made one,
/// as a fixed-size key (hex SHA-256), or `None` for a message too short to be held to it.
pub fn unique_key(content: &str) -> Option<String> {
    use sha2::{Digest, Sha256};
    let words: Vec<String> = content.split_whitespace().map(str::to_lowercase).collect();
    let said = words.join(" ");
    if said.chars().count() < UNIQUE_MIN_CHARS {
        return None;
    }
    let digest = Sha256::digest(said.as_bytes());
    Some(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// Shield mode's rules, which a room under attack (a hate raid, a flood of fresh accounts) is held
/// to at once: a follow of ten minutes, a day-old account, a message every 30 seconds, no links
/// and no repeats.
pub const SHIELD_FOLLOW_MINUTES: u32 = 10;
pub const SHIELD_ACCOUNT_AGE_MINUTES: u32 = 1_440;
pub const SHIELD_SLOW_MODE_SECONDS: u16 = 30;

/// The longest slow mode: ten minutes between one viewer's messages.
pub const MAX_SLOW_MODE_SECONDS: u16 = 600;
/// The longest account age a room may ask for: thirty days.
pub const MAX_ACCOUNT_AGE_MINUTES: u32 = 43_200;
/// The longest follow a followers-only room may ask for: ninety days.
pub const MAX_FOLLOWER_MINUTES: u32 = 129_600;

impl Default for ChatRules {
    fn default() -> Self {
        Self {
            max_message_length: 500,
            max_messages_per_second: 10,
            word_filter: WordFilter::default(),
            slow_mode_seconds: 0,
            min_account_age_minutes: 0,
            followers_only_minutes: None,
            emote_only: false,
            links_off: false,
            unique_chat: false,
        }
    }
}

impl ChatRules {
    /// These rules raised to shield mode's, each kept where it is already stricter; the word
    /// filter, emote-only and the room's own limits stay as they are.
    pub fn shielded(&self) -> ChatRules {
        ChatRules {
            slow_mode_seconds: self.slow_mode_seconds.max(SHIELD_SLOW_MODE_SECONDS),
            min_account_age_minutes: self.min_account_age_minutes.max(SHIELD_ACCOUNT_AGE_MINUTES),
            followers_only_minutes: Some(
                self.followers_only_minutes
                    .unwrap_or(0)
                    .max(SHIELD_FOLLOW_MINUTES),
            ),
            links_off: true,
            unique_chat: true,
            ..self.clone()
        }
    }

    /// These rules with the viewers' rules shield mode raises (slow mode, account age,
    /// followers-only, links, unique chat) as they were in `before`: what lowering the shield
    /// returns to, keeping a word filter or room limits changed meanwhile.
    pub fn unshielded(&self, before: &ChatRules) -> ChatRules {
        ChatRules {
            slow_mode_seconds: before.slow_mode_seconds,
            min_account_age_minutes: before.min_account_age_minutes,
            followers_only_minutes: before.followers_only_minutes,
            links_off: before.links_off,
            unique_chat: before.unique_chat,
            ..self.clone()
        }
    }

    pub fn validate(&self) -> Result<(), DomainError> {
        if !(1..=500).contains(&self.max_message_length) {
            return Err(DomainError::invalid(
                "invalid_chat_rules",
                "the maximum message length must be 1–500 characters",
            ));
        }
        if !(1..=100).contains(&self.max_messages_per_second) {
            return Err(DomainError::invalid(
                "invalid_chat_rules",
                "the maximum message rate must be 1–100 per second",
            ));
        }
        if self.slow_mode_seconds > MAX_SLOW_MODE_SECONDS {
            return Err(DomainError::invalid(
                "invalid_chat_rules",
                format!("slow mode lasts 0–{MAX_SLOW_MODE_SECONDS} seconds"),
            ));
        }
        if self.min_account_age_minutes > MAX_ACCOUNT_AGE_MINUTES {
            return Err(DomainError::invalid(
                "invalid_chat_rules",
                format!("the account age asked for is 0–{MAX_ACCOUNT_AGE_MINUTES} minutes"),
            ));
        }
        if self
            .followers_only_minutes
            .is_some_and(|minutes| minutes > MAX_FOLLOWER_MINUTES)
        {
            return Err(DomainError::invalid(
                "invalid_chat_rules",
                format!(
                    "a followers-only chat asks for a follow of 0–{MAX_FOLLOWER_MINUTES} minutes"
                ),
            ));
        }
        Ok(())
    }
}

/// Whether `content` is only emotes and emoji, and spaces between them: each `:code:` must name
/// one of the channel's emotes (`is_emote`), and every other character, as a reader sees it (a
/// family or a flag is one of several code points), must be an emoji by Unicode's list.
pub fn only_emotes(content: &str, is_emote: impl Fn(&str) -> bool) -> bool {
    use unicode_segmentation::UnicodeSegmentation;
    let mut rest = content;
    let mut any = false;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix(':')
            && let Some(end) = after.find(':')
            && is_emote(&after[..end])
        {
            rest = &after[end + 1..];
            any = true;
            continue;
        }
        let Some(character) = rest.graphemes(true).next() else {
            break;
        };
        if !character.trim().is_empty() {
            // Unicode's list, which also takes "❤" typed without the selector that asks for
            // its picture.
            if emojis::get(character).is_none() {
                return false;
            }
            any = true;
        }
        rest = &rest[character.len()..];
    }
    any
}

/// Whether `content` holds a link as chat sees it: a web address with a scheme, or a bare domain
/// with or without a path (`bit.ly/x`, `example.com`; a version number such as `v1.2.3` is
/// not, and two words with no space after a full stop, `so.What`, are, as on other sites: no
/// list of top-level domains keeps up with them). The browser app finds links the same way (the same crate, set the same way), so what
/// it shows as a link is what a room with links off refuses.
pub fn has_link(content: &str) -> bool {
    let mut finder = linkify::LinkFinder::new();
    finder
        .url_must_have_scheme(false)
        .kinds(&[linkify::LinkKind::Url]);
    finder.links(content).next().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_chat_compares_the_words_not_their_case_or_spacing() {
        let key = unique_key("Raid spam, join now!").unwrap();
        for same in ["raid spam, join now!", "  RAID   spam,\tjoin now!  "] {
            assert_eq!(unique_key(same).as_deref(), Some(key.as_str()), "{same}");
        }
        assert_ne!(unique_key("Raid spam, join now?").unwrap(), key);
        assert_eq!(key.len(), 64);
        // Short reactions are not held to it, even spaced out.
        for short in ["gg", "ㅋㅋㅋㅋㅋㅋㅋㅋㅋ", "g   g   g", ""] {
            assert_eq!(unique_key(short), None, "{short}");
        }
        assert!(unique_key("ㅋㅋㅋㅋㅋㅋㅋㅋㅋㅋ").is_some());
    }

    #[test]
    fn a_link_is_a_web_address_with_or_without_its_scheme() {
        for link in [
            "see https://example.com",
            "http://127.0.0.1:8080/x",
            "free followers at bit.ly/abc",
            "example.com",
            "www.example.co.kr/경로",
            "(twitch.tv/someone)",
            "HTTPS://EXAMPLE.COM",
            "ftp://files.example.org/a",
            "1.0.0.0/login",
        ] {
            assert!(has_link(link), "{link}");
        }
        for not in [
            "",
            "gg",
            "v1.2.3 is out",
            "e.g. this",
            "score 3.5",
            "mail me: someone@example.com",
            ":Hype: 🎉",
            "오늘 방송 재밌다.ㅋㅋ",
        ] {
            assert!(!has_link(not), "{not}");
        }
    }

    #[test]
    fn emote_only_means_the_channels_emotes_and_emoji_and_nothing_else() {
        let ours = |code: &str| code == "Hype" || code == "wave_hi";
        for only in [
            "🎉",
            ":Hype:",
            ":Hype::Hype: 🔥🔥",
            "  👋🏽 :wave_hi:  ",
            // A family, a flag, a keycap, a heart with and without its picture selector.
            "👨‍👩‍👧 🇰🇷 1️⃣ ❤️ ❤",
        ] {
            assert!(only_emotes(only, ours), "{only}");
        }
        for not in [
            "",
            "   ",
            "gg",
            "🎉 gg",
            ":Kappa:",
            ":Hype",
            "::",
            "1",
            "ㅋㅋㅋ",
            "🎉\u{200B}",
            ":Hype:x",
        ] {
            assert!(!only_emotes(not, ours), "{not:?}");
        }
    }

    #[test]
    fn chat_rules_outside_the_ivs_ranges_are_rejected() {
        let mut rules = ChatRules::default();
        assert!(rules.validate().is_ok());
        rules.max_message_length = 501;
        assert!(rules.validate().is_err());
        rules.max_message_length = 500;
        rules.max_messages_per_second = 0;
        assert!(rules.validate().is_err());
        rules.max_messages_per_second = 10;
        rules.slow_mode_seconds = MAX_SLOW_MODE_SECONDS;
        rules.min_account_age_minutes = MAX_ACCOUNT_AGE_MINUTES;
        assert!(rules.validate().is_ok());
        rules.slow_mode_seconds = MAX_SLOW_MODE_SECONDS + 1;
        assert!(rules.validate().is_err());
        rules.slow_mode_seconds = 0;
        rules.min_account_age_minutes = MAX_ACCOUNT_AGE_MINUTES + 1;
        assert!(rules.validate().is_err());
        rules.min_account_age_minutes = 0;
        for allowed in [0, MAX_FOLLOWER_MINUTES] {
            rules.followers_only_minutes = Some(allowed);
            assert!(rules.validate().is_ok());
        }
        rules.followers_only_minutes = Some(MAX_FOLLOWER_MINUTES + 1);
        assert!(rules.validate().is_err());
    }

    #[test]
    fn shield_mode_raises_each_viewer_rule_and_lowering_it_returns_them() {
        let mut rules = ChatRules {
            slow_mode_seconds: 120,
            word_filter: WordFilter::new(&["spam".to_owned()], FilterMode::Mask).unwrap(),
            ..ChatRules::default()
        };
        let shielded = rules.shielded();
        assert_eq!(shielded.slow_mode_seconds, 120, "already stricter");
        assert_eq!(shielded.min_account_age_minutes, SHIELD_ACCOUNT_AGE_MINUTES);
        assert_eq!(shielded.followers_only_minutes, Some(SHIELD_FOLLOW_MINUTES));
        assert!(shielded.links_off && shielded.unique_chat);
        assert_eq!(shielded.word_filter, rules.word_filter);
        assert!(!shielded.emote_only);
        assert!(shielded.validate().is_ok());
        // A longer follow asked already stays; lowering returns the viewers' rules and keeps a
        // room limit changed meanwhile.
        rules.followers_only_minutes = Some(60);
        let mut shielded = rules.shielded();
        assert_eq!(shielded.followers_only_minutes, Some(60));
        shielded.max_messages_per_second = 3;
        let lowered = shielded.unshielded(&rules);
        assert_eq!(
            lowered,
            ChatRules {
                max_messages_per_second: 3,
                ..rules
            }
        );
    }

    #[test]
    fn rules_stored_before_followers_only_read_as_off() {
        let mut stored = serde_json::to_value(ChatRules::default()).unwrap();
        stored
            .as_object_mut()
            .unwrap()
            .remove("followers_only_minutes");
        let read: ChatRules = serde_json::from_value(stored).unwrap();
        assert_eq!(read.followers_only_minutes, None);
    }
}
