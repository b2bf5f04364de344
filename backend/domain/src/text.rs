//! Shared rules for text users type and others read: nicknames, titles, categories, reasons,
//! filtered words.
//!
//! Text is stored composed (Unicode NFC), so what looks the same compares the same. Characters
//! that change how the text around them is shown without being seen themselves are refused:
//! direction controls (a nickname ending in "\u{202E}resu" reads as someone else's) and invisible
//! characters (zero-width spaces, fillers that make a blank name). The zero-width joiner is kept
//! between emoji, where it is how a family or a profession emoji is written.

use unicode_normalization::UnicodeNormalization;

use crate::error::DomainError;

/// Bidirectional controls: marks, embeddings, overrides and isolates.
fn is_direction_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Characters that show as nothing: zero-width spaces and joiners, invisible operators, the
/// byte-order mark, soft hyphens, fillers.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'..='\u{2064}'
            | '\u{206A}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
    )
}

/// Emoji and other pictographs, between which a zero-width joiner builds one symbol.
fn is_pictograph(c: char) -> bool {
    matches!(
        c,
        '\u{2600}'..='\u{27BF}' | '\u{1F000}'..='\u{1FAFF}' | '\u{FE0F}'
    )
}

/// The first character of `text` that may not appear in it.
fn hidden_character(text: &str) -> Option<char> {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().find_map(|(i, &c)| {
        let joining_emoji = c == '\u{200D}'
            && i > 0
            && chars.get(i + 1).is_some_and(|&next| is_pictograph(next))
            && is_pictograph(chars[i - 1]);
        let refused =
            c.is_control() || is_direction_control(c) || (is_invisible(c) && !joining_emoji);
        refused.then_some(c)
    })
}

/// Composes `input` (NFC), refuses control, direction and invisible characters, trims it, and
/// checks its length in Unicode code points (the unit IVS Chat counts in), as sent and as kept.
pub fn clean(
    input: &str,
    code: &'static str,
    what: &str,
    min_chars: usize,
    max_chars: usize,
) -> Result<String, DomainError> {
    let composed: String = input.nfc().collect();
    // Checked before trimming: a control character is refused wherever it is, not quietly
    // dropped from the ends (the API documents the characters a text may hold, not where).
    if let Some(c) = hidden_character(&composed) {
        let why = if c.is_control() {
            "control characters"
        } else if is_direction_control(c) {
            "characters that change the text's direction"
        } else {
            "invisible characters"
        };
        return Err(DomainError::invalid(
            code,
            format!("{what} must not contain {why}"),
        ));
    }
    let trimmed = composed.trim();
    // The limit holds for the text as sent, too: what a client may send is what it may store.
    let count = trimmed.chars().count();
    if count < min_chars || count > max_chars || input.chars().count() > max_chars {
        let message = if min_chars == 0 {
            format!("{what} must be at most {max_chars} characters")
        } else {
            format!("{what} must be {min_chars}–{max_chars} characters")
        };
        return Err(DomainError::invalid(code, message));
    }
    Ok(trimmed.to_owned())
}

/// Stored text that an older version accepted but [`clean`] now refuses: the refused characters
/// dropped, composed, trimmed, cut to `max_chars`. For reading old records, never for input.
pub fn salvage(stored: &str, max_chars: usize) -> String {
    let kept: String = stored
        .nfc()
        .filter(|&c| !c.is_control() && !is_direction_control(c) && !is_invisible(c))
        .collect();
    kept.trim().chars().take(max_chars).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_code_points_not_bytes() {
        // 10 Hangul syllables are 30 bytes but 10 characters.
        assert_eq!(
            clean("안녕하세요반갑습니다", "c", "x", 1, 10)
                .unwrap()
                .chars()
                .count(),
            10
        );
        assert!(clean("안녕하세요반갑습니다!", "c", "x", 1, 10).is_err());
    }

    #[test]
    fn surrounding_whitespace_is_trimmed_and_control_characters_refused() {
        assert_eq!(clean("  hi  ", "c", "x", 1, 6).unwrap(), "hi");
        assert!(clean("  hi  ", "c", "x", 1, 5).is_err(), "too long as sent");
        assert!(
            clean("hi\n", "c", "x", 1, 5).is_err(),
            "a control character at the end"
        );
        assert!(clean("a\u{0007}b", "c", "x", 1, 5).is_err());
        assert!(clean("   ", "c", "x", 1, 5).is_err());
        assert_eq!(clean("   ", "c", "x", 0, 5).unwrap(), "");
    }

    #[test]
    fn direction_controls_and_invisible_characters_are_refused() {
        for bad in [
            "owner\u{202E}resu",
            "a\u{200B}b",
            "\u{2067}x\u{2069}",
            "\u{3164}",
            "a\u{00AD}b",
            "a\u{FEFF}",
            "a\u{200D}b",
        ] {
            assert!(clean(bad, "c", "x", 1, 25).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn emoji_joiners_korean_jamo_and_decomposed_accents_are_welcome() {
        assert_eq!(clean("👩\u{200D}💻", "c", "x", 1, 25).unwrap(), "👩‍💻");
        assert_eq!(clean("ㅋㅋㅋ", "c", "x", 1, 25).unwrap(), "ㅋㅋㅋ");
        assert_eq!(clean("Cafe\u{0301}", "c", "x", 1, 25).unwrap(), "Café");
    }

    #[test]
    fn old_records_are_salvaged_not_refused() {
        assert_eq!(salvage("ad\u{200B}min\u{202E}", 25), "admin");
        assert_eq!(salvage("\u{3164}", 25), "");
        assert_eq!(salvage("abcdef", 3), "abc");
    }
}
