//! A poll in a channel's chat: the owner or a moderator asks the room a question with two to five
//! answers, open for 15 seconds to 30 minutes; everyone signed in who may watch votes once, and
//! everyone sees the count. One poll at a time: the channel keeps the latest, so that viewers who
//! come later see the question, and for a while after it ends, its result.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use crate::error::DomainError;
use crate::ids::{PollId, UserId};
use crate::text;

pub const MIN_CHOICES: usize = 2;
pub const MAX_CHOICES: usize = 5;
/// A question fits one line above the chat; with five answers of [`MAX_CHOICE_CHARS`] it also
/// fits an IVS Chat event (1 KB of attributes), in any script.
pub const MAX_QUESTION_CHARS: usize = 60;
pub const MAX_CHOICE_CHARS: usize = 25;
pub const MIN_DURATION: Duration = Duration::seconds(15);
pub const MAX_DURATION: Duration = Duration::minutes(30);
/// How long an ended poll's result is still handed to viewers who join.
pub const RESULT_SHOWN: Duration = Duration::minutes(2);
/// How long after a poll ends its votes must be kept (the cloud's store may then forget them).
pub const VOTES_KEPT: Duration = Duration::days(1);

/// A poll as the channel keeps it; the votes are counted apart (see [`Ballot`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Poll {
    pub id: PollId,
    pub question: String,
    pub choices: Vec<String>,
    pub opened_by: UserId,
    pub opened_by_nickname: String,
    #[serde(with = "time::serde::rfc3339")]
    pub opened_at: OffsetDateTime,
    /// When it closes by itself.
    #[serde(with = "time::serde::rfc3339")]
    pub ends_at: OffsetDateTime,
    /// When the owner or a moderator ended it before then.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub ended_early_at: Option<OffsetDateTime>,
}

impl Poll {
    /// A new poll, its text checked as every text users type is (see [`text::clean`]): the
    /// question and each answer non-empty and short, no two answers the same (in any case), for
    /// `duration_seconds` from `now`.
    pub fn new(
        question: &str,
        choices: &[String],
        duration_seconds: u32,
        opened_by: &UserId,
        opened_by_nickname: &str,
        now: OffsetDateTime,
    ) -> Result<Self, DomainError> {
        let question = text::clean(
            question,
            "invalid_poll",
            "a poll's question",
            1,
            MAX_QUESTION_CHARS,
        )?;
        if !(MIN_CHOICES..=MAX_CHOICES).contains(&choices.len()) {
            return Err(DomainError::invalid(
                "invalid_poll",
                format!("a poll has {MIN_CHOICES}–{MAX_CHOICES} answers"),
            ));
        }
        let choices = choices
            .iter()
            .map(|choice| text::clean(choice, "invalid_poll", "each answer", 1, MAX_CHOICE_CHARS))
            .collect::<Result<Vec<_>, _>>()?;
        let mut seen: Vec<String> = Vec::with_capacity(choices.len());
        for choice in &choices {
            let folded = choice.to_lowercase();
            if seen.contains(&folded) {
                return Err(DomainError::invalid(
                    "invalid_poll",
                    format!("\"{choice}\" is there twice; each answer must differ"),
                ));
            }
            seen.push(folded);
        }
        let duration = Duration::seconds(i64::from(duration_seconds));
        if !(MIN_DURATION..=MAX_DURATION).contains(&duration) {
            return Err(DomainError::invalid(
                "invalid_poll",
                "a poll is open for 15 seconds to 30 minutes",
            ));
        }
        Ok(Self {
            id: PollId::generate(),
            question,
            choices,
            opened_by: opened_by.clone(),
            opened_by_nickname: opened_by_nickname.to_owned(),
            opened_at: now,
            ends_at: now + duration,
            ended_early_at: None,
        })
    }

    /// When voting stops (or stopped).
    pub fn closes_at(&self) -> OffsetDateTime {
        self.ended_early_at
            .map_or(self.ends_at, |early| early.min(self.ends_at))
    }

    pub fn is_open(&self, now: OffsetDateTime) -> bool {
        now < self.closes_at()
    }

    /// Open, or ended so lately that its result is still news to whoever joins.
    pub fn is_current(&self, now: OffsetDateTime) -> bool {
        now < self.closes_at() + RESULT_SHOWN
    }

    /// What the room hears when the poll opens (`app:POLL`): everything a client shows, so that
    /// no client has to ask for it (a whole room asking at once).
    pub fn announcement(&self) -> BTreeMap<String, String> {
        let mut attributes = BTreeMap::from([
            ("PollId".to_owned(), self.id.as_str().to_owned()),
            ("Question".to_owned(), self.question.clone()),
            ("EndsAt".to_owned(), rfc3339(self.ends_at)),
            ("By".to_owned(), self.opened_by_nickname.clone()),
        ]);
        for (i, choice) in self.choices.iter().enumerate() {
            attributes.insert(format!("Choice{}", i + 1), choice.clone());
        }
        attributes
    }

    /// What the room hears of the count (`app:POLL_VOTES` while open, `app:POLL_END` when it
    /// ends early): the votes of each answer in order, `3,0,12`.
    pub fn count_attributes(&self, votes: &[u64]) -> BTreeMap<String, String> {
        let votes = votes
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        BTreeMap::from([
            ("PollId".to_owned(), self.id.as_str().to_owned()),
            ("Votes".to_owned(), votes),
        ])
    }
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

/// One viewer's vote in a channel's poll. Each viewer has one; it is kept at least until
/// `keep_until`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ballot {
    pub poll_id: PollId,
    pub voter: UserId,
    /// The answer's place in the poll's list, from 0.
    pub choice: u8,
    pub keep_until: OffsetDateTime,
}

/// What became of a ballot cast.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteOutcome {
    Counted,
    /// The voter had voted already, for this answer; nothing changed.
    AlreadyVoted(u8),
}

/// A poll as a viewer sees it: its votes so far and (signed in) their own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollView {
    pub poll: Poll,
    /// Whether it takes votes now.
    pub open: bool,
    pub votes: Vec<u64>,
    pub my_vote: Option<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(seconds: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_800_000_000 + seconds).unwrap()
    }

    fn answers(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| (*t).to_owned()).collect()
    }

    fn by() -> UserId {
        UserId::parse("u1").unwrap()
    }

    #[test]
    fn a_poll_needs_a_question_two_to_five_different_answers_and_a_sane_length() {
        let ok = Poll::new(
            " Which map? ",
            &answers(&["Dust", " Inferno"]),
            60,
            &by(),
            "M",
            t(0),
        )
        .unwrap();
        assert_eq!(ok.question, "Which map?");
        assert_eq!(ok.choices, ["Dust", "Inferno"]);
        assert_eq!(ok.ends_at, t(0) + Duration::seconds(60));
        let refused = |question: &str, choices: &[&str], seconds: u32| {
            Poll::new(question, &answers(choices), seconds, &by(), "M", t(0)).unwrap_err()
        };
        for error in [
            refused("", &["a", "b"], 60),
            refused(&"q".repeat(61), &["a", "b"], 60),
            refused("q", &["a"], 60),
            refused("q", &["a", "b", "c", "d", "e", "f"], 60),
            refused("q", &["a", " "], 60),
            refused("q", &["a", &"b".repeat(26)], 60),
            refused("q", &["Yes", "yes"], 60),
            refused("q", &["a", "b\u{202E}"], 60),
            refused("q", &["a", "b"], 14),
            refused("q", &["a", "b"], 1801),
        ] {
            assert!(
                matches!(
                    error,
                    DomainError::Invalid {
                        code: "invalid_poll",
                        ..
                    }
                ),
                "{error:?}"
            );
        }
    }

    #[test]
    fn a_poll_closes_at_its_end_or_when_ended_early_and_stays_news_for_a_while() {
        let mut poll = Poll::new("q", &answers(&["a", "b"]), 60, &by(), "M", t(0)).unwrap();
        assert!(poll.is_open(t(0) + Duration::seconds(59)));
        assert!(!poll.is_open(t(0) + Duration::seconds(60)));
        assert!(poll.is_current(t(0) + Duration::seconds(60) + RESULT_SHOWN - Duration::SECOND));
        assert!(!poll.is_current(t(0) + Duration::seconds(60) + RESULT_SHOWN));
        poll.ended_early_at = Some(t(0) + Duration::seconds(10));
        assert!(!poll.is_open(t(0) + Duration::seconds(10)));
        assert_eq!(poll.closes_at(), t(0) + Duration::seconds(10));
    }

    /// IVS Chat refuses an event whose attributes (keys and values) pass 1 KB: the longest poll
    /// in four-byte characters, by the longest nickname, still fits.
    #[test]
    fn the_largest_poll_fits_one_room_event() {
        let widest = '\u{1F600}';
        let question: String = std::iter::repeat_n(widest, MAX_QUESTION_CHARS).collect();
        let choices: Vec<String> = (0..MAX_CHOICES)
            .map(|i| {
                let mut choice: String =
                    std::iter::repeat_n(widest, MAX_CHOICE_CHARS - 1).collect();
                choice.push(char::from(b'a' + i as u8));
                choice
            })
            .collect();
        let nickname: String =
            std::iter::repeat_n(widest, crate::profile::MAX_NICKNAME_CHARS).collect();
        let poll = Poll::new(&question, &choices, 1800, &by(), &nickname, t(0)).unwrap();
        let size: usize = poll
            .announcement()
            .iter()
            .map(|(k, v)| k.len() + v.len())
            .sum();
        assert!(size <= 1024, "{size} bytes");
        assert_eq!(poll.announcement()["Choice5"], choices[4]);
        assert_eq!(poll.count_attributes(&[3, 0, 12])["Votes"], "3,0,12");
    }
}
