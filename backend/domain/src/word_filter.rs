//! A channel's filtered words, and how a message is searched for them. Whoever wants a filtered
//! word through disguises it, so the message and the words are both folded to one plain form
//! before they are compared: letters that only look different (full-width `ｓ`, Cyrillic `ѕ`,
//! mathematical `𝐬`, circled `ⓢ`), accents and marks stacked on a letter, invisible characters,
//! digits and symbols standing for letters inside a word (`5p4m`, `$p@m`), single letters
//! spaced out (`s p a m`, `s.p.a.m`), and letters stretched (three or more in a row are read as
//! one or two: `spaaam`, `gooood`). What it does not do is just as deliberate: words stay apart
//! (`is pam` is not `spam`), a doubled letter is the word's own (`good` is not `god`), Hangul
//! syllables stay whole (`바봄` does not hold `바보`), and a mark that makes another letter in
//! its own script stays (`が` is not `か`).

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::error::DomainError;
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

/// A channel's filtered words, each found anywhere in a message (so it works for Korean, which
/// has no spaces between a word and its particles), however it is disguised (the module's
/// documentation says how far that goes).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordFilter {
    words: Vec<String>,
    pub mode: FilterMode,
}

impl WordFilter {
    pub fn new(words: &[String], mode: FilterMode) -> Result<Self, DomainError> {
        // Counted as given, duplicates included: the limit is on what a client may send.
        if words.len() > MAX_FILTER_WORDS {
            return Err(DomainError::invalid(
                "invalid_word_filter",
                format!("at most {MAX_FILTER_WORDS} filtered words"),
            ));
        }
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
        Ok(Self {
            words: cleaned,
            mode,
        })
    }

    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// Indices (in chars of `content`) covered by a filtered word: from its first character to
    /// its last as written, with the spaces of a spaced-out word and the marks stacked on its
    /// last letter.
    fn matched_chars(&self, content: &str) -> Vec<bool> {
        let original: Vec<char> = content.chars().collect();
        let mut hits = vec![false; original.len()];
        if self.words.is_empty() {
            return hits;
        }
        let folded: Vec<Letter> = fold(&original)
            .into_iter()
            .map(|(c, index)| (c, index, index))
            .collect();
        // As written, and with each letter stretched three times or more taken once and twice.
        let mut forms = vec![folded];
        for kept in [1, 2] {
            if let Some(squeezed) = unstretched(&forms[0], kept) {
                forms.push(squeezed);
            }
        }
        for word in &self.words {
            let needle: Vec<char> = fold(&word.chars().collect::<Vec<_>>())
                .into_iter()
                .map(|(c, _)| c)
                .collect();
            for form in &forms {
                if needle.is_empty() || needle.len() > form.len() {
                    continue;
                }
                for window in form.windows(needle.len()) {
                    if window.iter().map(|(c, ..)| *c).eq(needle.iter().copied()) {
                        hits[window[0].1..=window[window.len() - 1].2].fill(true);
                    }
                }
            }
        }
        for index in 1..original.len() {
            if hits[index - 1] && vanishes(original[index]) {
                hits[index] = true;
            }
        }
        hits
    }

    pub fn matches(&self, content: &str) -> bool {
        self.matched_chars(content).contains(&true)
    }

    /// `content` with every filtered character replaced by `*`.
    pub fn mask(&self, content: &str) -> String {
        self.masked(content).unwrap_or_else(|| content.to_owned())
    }

    /// `content` masked, if it holds a filtered word (`None`: it holds none): whether and what
    /// to mask from one search, as the review needs both.
    pub fn masked(&self, content: &str) -> Option<String> {
        let hits = self.matched_chars(content);
        hits.contains(&true).then(|| {
            content
                .chars()
                .zip(hits)
                .map(|(c, hit)| if hit { '*' } else { c })
                .collect()
        })
    }
}

/// A letter of a message's plain form and the first and last index of the characters it came
/// from.
type Letter = (char, usize, usize);

/// `letters` with every letter written three times or more in a row taken `kept` times (one or
/// two: `spaaam` is `spam`, `gooood` is `good`; a doubled letter is the word's own, so `good`
/// stays), or `None` when no letter is stretched so. Spaces and separators are left as they are.
fn unstretched(letters: &[Letter], kept: usize) -> Option<Vec<Letter>> {
    let runs: Vec<&[Letter]> = letters.chunk_by(|a, b| a.0 == b.0).collect();
    let stretched = |run: &[Letter]| run.len() >= 3 && run[0].0.is_alphabetic();
    if !runs.iter().any(|run| stretched(run)) {
        return None;
    }
    let mut squeezed = Vec::with_capacity(letters.len());
    for run in runs {
        if !stretched(run) {
            squeezed.extend_from_slice(run);
            continue;
        }
        let (first, last) = (run[0].1, run[run.len() - 1].2);
        if kept == 1 {
            squeezed.push((run[0].0, first, last));
        } else {
            squeezed.push((run[0].0, first, run[0].2));
            squeezed.push((run[0].0, run[1].1, last));
        }
    }
    Some(squeezed)
}

/// `text` in the plain form filtered words are compared in, each character naming the index in
/// `text` it came from.
fn fold(text: &[char]) -> Vec<(char, usize)> {
    let mut letters: Vec<(char, usize)> = Vec::with_capacity(text.len());
    for (index, &c) in text.iter().enumerate() {
        if c.is_ascii() {
            letters.push((c.to_ascii_lowercase(), index));
        } else if !vanishes(c) {
            letters.extend(plain(c).into_iter().map(|plain| (plain, index)));
        }
    }
    join_words(&letters)
}

/// A character that says nothing to a reader: invisible (Unicode's default-ignorable characters:
/// zero-width spaces and joiners, soft hyphens, variation selectors, Hangul fillers, …, which
/// UTS #39's skeleton drops) or a decoration stacked on the letter before it (accents and the
/// strokes and overlays of "zalgo" text), which no word needs to be read.
fn vanishes(c: char) -> bool {
    decoration(c)
        || (!c.is_ascii()
            && unicode_security::skeleton(c.encode_utf8(&mut [0; 4]))
                .next()
                .is_none())
}

/// The combining marks of the Latin, Greek and Cyrillic scripts' decorations (and the symbols'):
/// dropping them reads `spåm` as `spam`. Marks that make another letter (Japanese voicing,
/// Indic vowel signs) are in other blocks and stay.
fn decoration(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

/// One character's plain letters: its compatibility decomposition (`ｓ`, `𝐬` and `ⓢ` are `s`,
/// `ﬁ` is `fi`) without its decorations, composed again (so a Hangul syllable stays one), in
/// lower case, and letters that look like others as the letter they look like (UTS #39's
/// prototypes: Cyrillic `р` is `p`, Greek `α` is `a`). Hangul, kana and the CJK scripts keep
/// their own letters: the prototypes would take a syllable apart.
fn plain(c: char) -> Vec<char> {
    let composed: String = c
        .to_string()
        .nfkd()
        .filter(|d| !decoration(*d))
        .collect::<String>()
        .nfc()
        .collect();
    let mut letters = Vec::with_capacity(composed.len());
    for lower in composed.chars().flat_map(char::to_lowercase) {
        if lower.is_ascii() || matches!(lower, '\u{1100}'..='\u{11FF}' | '\u{2E80}'..) {
            letters.push(lower);
        } else {
            letters.extend(
                unicode_security::skeleton(lower.encode_utf8(&mut [0; 4]))
                    .flat_map(char::to_lowercase),
            );
        }
    }
    letters
}

/// What keeps words apart (a space, a full stop, a hyphen…), unless single letters are spaced
/// out by it. `@` and `$` are not: they stand for letters.
fn separates(c: char) -> bool {
    c.is_whitespace()
        || (c.is_ascii_punctuation() && !matches!(c, '@' | '$'))
        || matches!(c, '\u{00B7}' | '\u{2010}'..='\u{2027}' | '\u{3001}'..='\u{3003}' | '\u{30FB}')
}

/// `letters` with words put back together: single letters spaced out by up to three separators
/// (`s p a m`, `s.p.a.m`, `바 보`) are one word, digits and symbols in a word that has a letter
/// stand for the letters they look like (`5p4m`, `$p@m`; `1488` alone stays a number), and any
/// run of spaces is one.
fn join_words(letters: &[(char, usize)]) -> Vec<(char, usize)> {
    let runs: Vec<&[(char, usize)]> = letters
        .chunk_by(|a, b| separates(a.0) == separates(b.0))
        .collect();
    let single = |run: Option<&&[(char, usize)]>| {
        run.is_some_and(|run| run.len() == 1 && !separates(run[0].0))
    };
    let mut joined = Vec::with_capacity(letters.len());
    let mut word: Vec<(char, usize)> = Vec::new();
    for (at, run) in runs.iter().enumerate() {
        if !separates(run[0].0) {
            word.extend_from_slice(run);
            continue;
        }
        if run.len() <= 3 && at > 0 && single(runs.get(at - 1)) && single(runs.get(at + 1)) {
            continue;
        }
        joined.extend(as_letters(std::mem::take(&mut word)));
        let mut last_space = false;
        for &(c, index) in *run {
            let space = c.is_whitespace();
            if !(space && last_space) {
                joined.push((if space { ' ' } else { c }, index));
            }
            last_space = space;
        }
    }
    joined.extend(as_letters(word));
    joined
}

/// A word's digits and symbols as the letters they stand for, if it has a letter at all.
fn as_letters(mut word: Vec<(char, usize)>) -> Vec<(char, usize)> {
    if word.iter().any(|(c, _)| c.is_alphabetic()) {
        for (c, _) in &mut word {
            *c = match *c {
                '0' => 'o',
                '1' => 'i',
                '3' => 'e',
                '4' | '@' => 'a',
                '5' | '$' => 's',
                '7' => 't',
                other => other,
            };
        }
    }
    word
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(words: &[&str]) -> WordFilter {
        let words: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        WordFilter::new(&words, FilterMode::Block).unwrap()
    }

    #[test]
    fn a_filtered_word_is_found_however_it_is_disguised() {
        let filter = block(&["spam", "바보"]);
        for disguised in [
            "buy ＳＰＡＭ now",                         // full-width letters
            "buy \u{1D42C}\u{1D429}\u{1D41A}\u{1D426}", // mathematical bold
            "buy ѕраm",                                 // Cyrillic ѕ, р, а
            "buy ѕрαm",                                 // and a Greek alpha
            "buy spåm",                                 // an accent
            "buy s\u{0336}p\u{0336}a\u{0336}m\u{0336}", // struck through, letter by letter
            "buy sp\u{00AD}am",                         // a soft hyphen
            "buy sp\u{2062}am",                         // an invisible operator
            "buy s\u{FE0F}pam",                         // a variation selector
            "buy 5p4m",                                 // digits for letters
            "buy $p@m",
            "buy s p a m", // letters spaced out
            "buy s.p.a.m!",
            "buy s - p - a - m",
            "buy S_P_A_M",
            "ⓢⓟⓐⓜ",
            "buy spaaaam",     // a letter stretched
            "buy SSSPAMMMM!!", // two
            "buy s p a a a m", // stretched and spaced out
            "너 바 보",        // syllables spaced out
            "너 바\u{3164}보", // a Hangul filler between them
        ] {
            assert!(filter.matches(disguised), "{disguised}");
        }
    }

    #[test]
    fn the_filter_does_not_find_a_word_across_ordinary_words() {
        let filter = block(&["spam", "바보", "がす"]);
        for innocent in [
            "is pam here?",
            "it's pa mom",
            "s pa m",
            "sp am",
            "바봄",
            "바 보다",
            "かす",
            "안녕하세요",
            "5 apples",
        ] {
            assert!(!filter.matches(innocent), "{innocent}");
        }
        // A Japanese word keeps its voicing mark: か is not が.
        assert!(filter.matches("がす"));
        // A doubled letter is a word's own (`good` is not `god`, `boob` not `bob`); three or
        // more in a row are one stretched (or two: `gooood` is `good`).
        let short = block(&["god", "bob"]);
        assert!(!short.matches("good morning, boob tube"));
        assert!(short.matches("goood"));
        assert!(block(&["good"]).matches("gooooood"));
    }

    #[test]
    fn masking_covers_the_disguised_word_and_nothing_around_it() {
        let words = vec!["spam".to_owned()];
        let filter = WordFilter::new(&words, FilterMode::Mask).unwrap();
        assert_eq!(filter.mask("buy ＳＰＡＭ now"), "buy **** now");
        assert_eq!(filter.mask("buy ѕраm now"), "buy **** now");
        assert_eq!(filter.mask("buy s p a m now"), "buy ******* now");
        assert_eq!(
            filter.mask("buy s\u{0336}p\u{0336}a\u{0336}m\u{0336} now"),
            "buy ******** now"
        );
        assert_eq!(filter.mask("is pam here"), "is pam here");
        assert_eq!(filter.mask("buy spaaaam now"), "buy ******* now");
        assert_eq!(filter.mask("buy sssspammm!"), "buy *********!");
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
