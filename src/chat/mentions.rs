//! `@handle` mentions in chat text: finding them (to highlight a line for the user it names,
//! and to style the name), and completing the one being typed from who is in the room. Pure
//! text functions, tested on the host.

/// A piece of a message as the panel shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// `@handle`, without the `@`.
    Mention(String),
}

fn handle_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Splits `content` into text and `@handle` mentions (3–25 handle characters, not glued to a
/// word before the `@`: `me@example.com` mentions nobody).
pub fn pieces(content: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = content.char_indices().peekable();
    let mut previous: Option<char> = None;
    while let Some((at, c)) = chars.next() {
        if c == '@' && !previous.is_some_and(handle_char) {
            let rest = &content[at + 1..];
            let length = rest.chars().take_while(|c| handle_char(*c)).count();
            if (3..=25).contains(&length) && !rest.starts_with('_') {
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                pieces.push(Piece::Mention(rest[..length].to_owned()));
                for _ in 0..length {
                    previous = chars.next().map(|(_, c)| c);
                }
                continue;
            }
        }
        text.push(c);
        previous = Some(c);
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    pieces
}

/// Whether `content` mentions `handle` (handles match in any letter case).
pub fn mentions(content: &str, handle: &str) -> bool {
    !handle.is_empty()
        && pieces(content)
            .iter()
            .any(|p| matches!(p, Piece::Mention(h) if h.eq_ignore_ascii_case(handle)))
}

/// The handle being typed at the end of `draft` (after an `@`), if any: what to complete.
pub fn typing(draft: &str) -> Option<&str> {
    let at = draft.rfind('@')?;
    let before = draft[..at].chars().next_back();
    let partial = &draft[at + 1..];
    (!before.is_some_and(handle_char) && partial.len() <= 25 && partial.chars().all(handle_char))
        .then_some(partial)
}

/// `draft` with the handle being typed replaced by `handle` and a space.
pub fn complete(draft: &str, handle: &str) -> String {
    match draft.rfind('@') {
        Some(at) => format!("{}@{handle} ", &draft[..at]),
        None => format!("{draft}@{handle} "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_found_between_words_but_not_inside_addresses() {
        assert_eq!(
            pieces("hi @Alice_99, 안녕 @bob!"),
            vec![
                Piece::Text("hi ".into()),
                Piece::Mention("Alice_99".into()),
                Piece::Text(", 안녕 ".into()),
                Piece::Mention("bob".into()),
                Piece::Text("!".into()),
            ]
        );
        assert_eq!(
            pieces("me@example.com"),
            vec![Piece::Text("me@example.com".into())]
        );
        assert_eq!(
            pieces("@ab is short"),
            vec![Piece::Text("@ab is short".into())]
        );
        assert_eq!(pieces("@"), vec![Piece::Text("@".into())]);
        assert!(mentions("hey @ALICE_99", "alice_99"));
        assert!(!mentions("hey @alice_999", "alice_99"));
        assert!(!mentions("hey @alice", ""));
    }

    #[test]
    fn the_handle_being_typed_is_completed() {
        assert_eq!(typing("hello @al"), Some("al"));
        assert_eq!(typing("hello @"), Some(""));
        assert_eq!(typing("hello @al there"), None);
        assert_eq!(typing("mail me@ex"), None);
        assert_eq!(typing("no mention"), None);
        assert_eq!(complete("hello @al", "alice"), "hello @alice ");
    }
}
