//! Shared rules for user-written text.

use crate::error::DomainError;

/// Trims `input`, refuses control characters, and checks its length in Unicode code points
/// (the unit IVS Chat counts in).
pub fn clean(
    input: &str,
    code: &'static str,
    what: &str,
    min_chars: usize,
    max_chars: usize,
) -> Result<String, DomainError> {
    let trimmed = input.trim();
    if trimmed.chars().any(|c| c.is_control()) {
        return Err(DomainError::invalid(
            code,
            format!("{what} must not contain control characters"),
        ));
    }
    let count = trimmed.chars().count();
    if count < min_chars || count > max_chars {
        let message = if min_chars == 0 {
            format!("{what} must be at most {max_chars} characters")
        } else {
            format!("{what} must be {min_chars}–{max_chars} characters")
        };
        return Err(DomainError::invalid(code, message));
    }
    Ok(trimmed.to_owned())
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
        assert_eq!(clean("  hi  ", "c", "x", 1, 5).unwrap(), "hi");
        assert!(clean("a\u{0007}b", "c", "x", 1, 5).is_err());
        assert!(clean("   ", "c", "x", 1, 5).is_err());
        assert_eq!(clean("   ", "c", "x", 0, 5).unwrap(), "");
    }
}
