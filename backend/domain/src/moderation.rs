//! Moderation: bans, the word filter and the one review function every chat message passes,
//! in the cloud (the IVS Chat message-review Lambda) and locally (the chat server).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::channel::ChatRules;
use crate::error::DomainError;
use crate::ids::{ChannelId, UserId};
use crate::text;

/// What happens to a message containing a filtered word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum FilterMode {
    /// The message is refused (the sender gets IVS Chat error 406).
    #[default]
    Block,
    /// The message goes out with each filtered word replaced by asterisks.
    Mask,
}

pub const MAX_FILTER_WORDS: usize = 200;
pub const MAX_FILTER_WORD_CHARS: usize = 50;

/// A channel's filtered words, matched case-insensitively anywhere in a message (so it works for
/// Korean, which has no spaces between a word and its particles), ignoring zero-width characters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordFilter {
    words: Vec<String>,
    pub mode: FilterMode,
}

impl WordFilter {
    pub fn new(words: &[String], mode: FilterMode) -> Result<Self, DomainError> {
        let mut cleaned: Vec<String> = Vec::with_capacity(words.len());
        for word in words {
            let word = text::clean(
                word,
                "invalid_word_filter",
                "a filtered word",
                1,
                MAX_FILTER_WORD_CHARS,
            )?
            .to_lowercase();
            if !cleaned.contains(&word) {
                cleaned.push(word);
            }
        }
        if cleaned.len() > MAX_FILTER_WORDS {
            return Err(DomainError::invalid(
                "invalid_word_filter",
                format!("at most {MAX_FILTER_WORDS} filtered words"),
            ));
        }
        Ok(Self {
            words: cleaned,
            mode,
        })
    }

    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// Indices (in chars of `content`) covered by a filtered word.
    fn matched_chars(&self, content: &str) -> Vec<bool> {
        let original: Vec<char> = content.chars().collect();
        let mut hits = vec![false; original.len()];
        if self.words.is_empty() {
            return hits;
        }
        // The searchable text: lower-cased, zero-width characters dropped, each char remembering
        // which original char it came from.
        let mut folded: Vec<(char, usize)> = Vec::with_capacity(original.len());
        for (index, c) in original.iter().enumerate() {
            if matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}') {
                continue;
            }
            folded.extend(c.to_lowercase().map(|lower| (lower, index)));
        }
        for word in &self.words {
            let needle: Vec<char> = word.chars().collect();
            if needle.len() > folded.len() {
                continue;
            }
            for start in 0..=folded.len() - needle.len() {
                let window = &folded[start..start + needle.len()];
                if window.iter().map(|(c, _)| *c).eq(needle.iter().copied()) {
                    let first = window[0].1;
                    let last = window[window.len() - 1].1;
                    hits[first..=last].iter_mut().for_each(|h| *h = true);
                }
            }
        }
        hits
    }

    pub fn matches(&self, content: &str) -> bool {
        self.matched_chars(content).contains(&true)
    }

    /// `content` with every filtered character replaced by `*`.
    pub fn mask(&self, content: &str) -> String {
        let hits = self.matched_chars(content);
        content
            .chars()
            .zip(hits)
            .map(|(c, hit)| if hit { '*' } else { c })
            .collect()
    }
}

/// A reason a moderator gave: 1–256 characters (the IVS Chat limit for `Reason`).
pub fn parse_reason(input: &str) -> Result<String, DomainError> {
    text::clean(input, "invalid_reason", "a reason", 1, 256)
}

/// A user banned from one channel's chat, for a while or for good.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ban {
    pub channel_id: ChannelId,
    pub user_id: UserId,
    /// The nickname when banned, so the moderator's list is readable.
    pub nickname: String,
    pub reason: Option<String>,
    pub banned_by: UserId,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
}

impl Ban {
    pub fn is_active(&self, now: OffsetDateTime) -> bool {
        self.expires_at.is_none_or(|expiry| expiry > now)
    }
}

/// Why a message was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DenyReason {
    Banned,
    Empty,
    TooLong,
    Filtered,
}

impl DenyReason {
    pub fn message(self) -> &'static str {
        match self {
            Self::Banned => "you are banned from this chat",
            Self::Empty => "the message is empty",
            Self::TooLong => "the message is too long",
            Self::Filtered => "the message contains a word this channel filters",
        }
    }
}

/// The verdict on one message: ALLOW (maybe with rewritten content) or DENY.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReviewOutcome {
    Allow { content: String },
    Deny(DenyReason),
}

/// Reviews a message against the channel's rules and the sender's ban, if any. Pure and fast: the
/// IVS Chat review hook must answer within 200 ms, and this is microseconds.
pub fn review(
    content: &str,
    rules: &ChatRules,
    ban: Option<&Ban>,
    now: OffsetDateTime,
) -> ReviewOutcome {
    if ban.is_some_and(|ban| ban.is_active(now)) {
        return ReviewOutcome::Deny(DenyReason::Banned);
    }
    if content.trim().is_empty() {
        return ReviewOutcome::Deny(DenyReason::Empty);
    }
    if content.chars().count() > usize::from(rules.max_message_length) {
        return ReviewOutcome::Deny(DenyReason::TooLong);
    }
    if rules.word_filter.matches(content) {
        return match rules.word_filter.mode {
            FilterMode::Block => ReviewOutcome::Deny(DenyReason::Filtered),
            FilterMode::Mask => ReviewOutcome::Allow {
                content: rules.word_filter.mask(content),
            },
        };
    }
    ReviewOutcome::Allow {
        content: content.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn rules(words: &[&str], mode: FilterMode) -> ChatRules {
        let words: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        ChatRules {
            word_filter: WordFilter::new(&words, mode).unwrap(),
            ..ChatRules::default()
        }
    }

    const NOW: OffsetDateTime = datetime!(2026-11-22 12:00 UTC);

    fn ban(expires_at: Option<OffsetDateTime>) -> Ban {
        Ban {
            channel_id: crate::ids::ChannelId::parse("ch1").unwrap(),
            user_id: UserId::parse("u1").unwrap(),
            nickname: "troll".into(),
            reason: None,
            banned_by: UserId::parse("owner").unwrap(),
            created_at: datetime!(2026-11-22 11:00 UTC),
            expires_at,
        }
    }

    #[test]
    fn a_clean_message_is_allowed_unchanged() {
        let outcome = review(
            "hello 안녕",
            &rules(&["spam"], FilterMode::Block),
            None,
            NOW,
        );
        assert_eq!(
            outcome,
            ReviewOutcome::Allow {
                content: "hello 안녕".into()
            }
        );
    }

    #[test]
    fn a_filtered_word_blocks_the_message_in_block_mode_whatever_its_case() {
        let outcome = review(
            "buy SpAm now",
            &rules(&["spam"], FilterMode::Block),
            None,
            NOW,
        );
        assert_eq!(outcome, ReviewOutcome::Deny(DenyReason::Filtered));
    }

    #[test]
    fn a_filtered_word_is_masked_in_mask_mode_even_when_glued_to_korean_particles() {
        let outcome = review(
            "바보야 spam!",
            &rules(&["바보", "spam"], FilterMode::Mask),
            None,
            NOW,
        );
        assert_eq!(
            outcome,
            ReviewOutcome::Allow {
                content: "**야 ****!".into()
            }
        );
    }

    #[test]
    fn zero_width_characters_do_not_hide_a_filtered_word() {
        let outcome = review(
            "sp\u{200B}am",
            &rules(&["spam"], FilterMode::Mask),
            None,
            NOW,
        );
        assert_eq!(
            outcome,
            ReviewOutcome::Allow {
                content: "*****".into()
            }
        );
    }

    #[test]
    fn an_active_ban_denies_and_an_expired_one_does_not() {
        let r = ChatRules::default();
        assert_eq!(
            review("hi", &r, Some(&ban(None)), NOW),
            ReviewOutcome::Deny(DenyReason::Banned)
        );
        let later = Some(datetime!(2026-11-22 13:00 UTC));
        assert_eq!(
            review("hi", &r, Some(&ban(later)), NOW),
            ReviewOutcome::Deny(DenyReason::Banned)
        );
        let earlier = Some(datetime!(2026-11-22 11:30 UTC));
        assert!(matches!(
            review("hi", &r, Some(&ban(earlier)), NOW),
            ReviewOutcome::Allow { .. }
        ));
    }

    #[test]
    fn a_message_over_the_room_limit_in_code_points_is_denied() {
        let r = ChatRules {
            max_message_length: 5,
            ..ChatRules::default()
        };
        assert!(matches!(
            review("가나다라마", &r, None, NOW),
            ReviewOutcome::Allow { .. }
        ));
        assert_eq!(
            review("가나다라마바", &r, None, NOW),
            ReviewOutcome::Deny(DenyReason::TooLong)
        );
        assert_eq!(
            review("   ", &r, None, NOW),
            ReviewOutcome::Deny(DenyReason::Empty)
        );
    }

    #[test]
    fn filter_words_are_trimmed_lowercased_deduplicated_and_limited() {
        let words = vec![" Spam ".to_owned(), "spam".to_owned(), "EGGS".to_owned()];
        let filter = WordFilter::new(&words, FilterMode::Block).unwrap();
        assert_eq!(filter.words(), ["spam", "eggs"]);
        let too_many: Vec<String> = (0..=MAX_FILTER_WORDS).map(|i| format!("w{i}")).collect();
        assert!(WordFilter::new(&too_many, FilterMode::Block).is_err());
        assert!(WordFilter::new(&["".to_owned()], FilterMode::Block).is_err());
    }
}
