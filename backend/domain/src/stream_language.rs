//! The language a channel streams in: the streamer says which, and viewers find streams they
//! understand by it (the directory filters by it). A new channel has none until its streamer
//! chooses: the site's interface language (English or Korean) says little about a stream's.

use serde::{Deserialize, Serialize};

use crate::error::DomainError;

/// The languages a stream may be marked with, as ISO 639-1 codes, in alphabetical order: the
/// languages most streams are in. The API types list each with its own name for the apps.
pub const STREAM_LANGUAGES: &[&str] = &[
    "ar", "de", "en", "es", "fr", "hi", "id", "it", "ja", "ko", "ms", "nl", "pl", "pt", "ru", "sv",
    "th", "tl", "tr", "uk", "vi", "zh",
];

/// One of [`STREAM_LANGUAGES`]. A stored code is read as it is (no check): a code dropped from
/// the list later must not make a channel unreadable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StreamLanguage(String);

impl StreamLanguage {
    pub fn parse(code: &str) -> Result<Self, DomainError> {
        STREAM_LANGUAGES
            .iter()
            .find(|known| **known == code)
            .map(|known| Self((*known).to_owned()))
            .ok_or_else(|| {
                DomainError::invalid(
                    "invalid_language",
                    format!(
                        "a stream language is one of {}",
                        STREAM_LANGUAGES.join(", ")
                    ),
                )
            })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_codes_are_stream_languages() {
        assert_eq!(StreamLanguage::parse("ko").unwrap().as_str(), "ko");
        for bad in ["", "KO", "kor", "xx", "en-US", " en", "ko\u{0}"] {
            let refused = StreamLanguage::parse(bad).unwrap_err();
            assert!(
                matches!(&refused, DomainError::Invalid { code, .. } if *code == "invalid_language"),
                "{bad:?}: {refused:?}"
            );
        }
        let mut sorted = STREAM_LANGUAGES.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, STREAM_LANGUAGES, "sorted, each once");
    }

    #[test]
    fn a_stored_code_is_read_back_whatever_it_is() {
        let read: StreamLanguage = serde_json::from_str("\"xx\"").unwrap();
        assert_eq!(read.as_str(), "xx");
        assert_eq!(serde_json::to_string(&read).unwrap(), "\"xx\"");
    }
}
