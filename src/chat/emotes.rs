//! Emotes in chat text: `:code:` shown as the channel's image where the channel has that emote
//! (anything else stays text, as typed), and the emoji the picker offers. Pure text functions,
//! tested on the host.

/// A piece of a message's text as the panel shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part<'a> {
    Text(&'a str),
    /// A known emote's code, without the colons.
    Emote(&'a str),
}

fn code_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Splits `text` where `:code:` names an emote `known` knows. Codes are matched exactly (case
/// matters); `::`, `:not an emote:` and unknown codes stay text, and so do the colons around
/// them (`10:30:45` is a time, not an emote called `30`, unless the channel has one).
pub fn split<'a>(text: &'a str, known: impl Fn(&str) -> bool) -> Vec<Part<'a>> {
    let mut parts = Vec::new();
    let mut plain_from = 0;
    let mut at = 0;
    while let Some(offset) = text[at..].find(':') {
        let open = at + offset;
        let rest = &text[open + 1..];
        let length = rest.find(|c: char| !code_char(c)).unwrap_or(rest.len());
        let closes = rest[length..].starts_with(':');
        let code = &rest[..length];
        if closes && (2..=24).contains(&length) && known(code) {
            if plain_from < open {
                parts.push(Part::Text(&text[plain_from..open]));
            }
            parts.push(Part::Emote(code));
            at = open + 1 + length + 1;
            plain_from = at;
        } else {
            // The closing colon may open the next code (`a:b:c:` has `c` after `b`).
            at = open + 1 + length;
        }
    }
    if plain_from < text.len() {
        parts.push(Part::Text(&text[plain_from..]));
    }
    parts
}

/// Whether `text` plainly holds words, which an emote-only room refuses from a viewer: once the
/// channel's `:code:` emotes are set aside, a letter, a digit or ASCII punctuation that is not
/// part of an emoji (a keycap such as 1️⃣ is a digit, U+FE0F and U+20E3), or a letter of the
/// scripts most chat is written in (Latin, Greek, Cyrillic, Hangul, kana, CJK). The page holds
/// such a message back with the reason, as IVS's review cannot say why it refused; anything
/// else goes to the review, which checks every character against Unicode's list of emoji (the
/// browser app carries no such table).
pub fn plainly_words(text: &str, known: impl Fn(&str) -> bool) -> bool {
    split(text, known).into_iter().any(|part| match part {
        Part::Emote(_) => false,
        Part::Text(text) => {
            let chars: Vec<char> = text.chars().collect();
            chars.iter().enumerate().any(|(i, &c)| {
                let keycap = matches!(c, '0'..='9' | '#' | '*')
                    && matches!(chars.get(i + 1), Some('\u{FE0F}' | '\u{20E3}'));
                (c.is_ascii_graphic() && !keycap)
                    || matches!(
                        c,
                        '\u{00C0}'..='\u{024F}'
                            | '\u{0370}'..='\u{04FF}'
                            | '\u{1100}'..='\u{11FF}'
                            | '\u{3040}'..='\u{30FF}'
                            | '\u{3130}'..='\u{318F}'
                            | '\u{4E00}'..='\u{9FFF}'
                            | '\u{AC00}'..='\u{D7A3}'
                    )
            })
        }
    })
}

/// How high an emote is shown in chat (CSS says the same); its width keeps its proportions.
pub const EMOTE_HEIGHT: u32 = 28;

/// An emote's shown width at [`EMOTE_HEIGHT`], so lines do not move when images arrive.
pub fn emote_width(width: u32, height: u32) -> u32 {
    (width * EMOTE_HEIGHT).div_ceil(height.max(1))
}

/// `draft` with `insert` put at `caret` (the end when there is none), spaced from the words
/// around it; and where the caret goes after it. Carets count UTF-16 units, as the browser's
/// `selectionStart` does (an emoji is two).
pub fn insert_at(draft: &str, caret: Option<usize>, insert: &str) -> (String, usize) {
    let mut units = 0;
    let split_at = match caret {
        Some(caret) => draft
            .char_indices()
            .find(|(_, c)| {
                let before = units;
                units += c.len_utf16();
                before >= caret
            })
            .map_or(draft.len(), |(byte, _)| byte),
        None => draft.len(),
    };
    let (before, after) = draft.split_at(split_at);
    let lead = if before.is_empty() || before.ends_with(' ') {
        ""
    } else {
        " "
    };
    let trail = if after.starts_with(' ') { "" } else { " " };
    let head = format!("{before}{lead}{insert}{trail}");
    let caret = head.encode_utf16().count();
    (format!("{head}{after}"), caret)
}

/// The emoji the picker offers: faces, hands and reactions people use in live chat.
pub const EMOJI: [&str; 40] = [
    "😀", "😂", "🤣", "😊", "😍", "🥰", "😎", "🤔", "😮", "😢", "😭", "😡", "🥳", "😴", "🤯", "🙃",
    "👍", "👎", "👏", "🙌", "🙏", "💪", "👋", "🤝", "❤️", "💔", "🔥", "✨", "🎉", "💯", "⭐", "⚡",
    "🎮", "🎵", "🍕", "☕", "🐱", "🐶", "👀", "💀",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_told_apart_from_emotes_and_emoji_as_the_review_does() {
        let ours = |code: &str| code == "Hype" || code == "wave_hi";
        // What the review lets through (cloumer_domain::chat_rules' own cases) goes.
        for only in [
            "🎉",
            ":Hype:",
            ":Hype::Hype: 🔥🔥",
            "  👋🏽 :wave_hi:  ",
            "👨‍👩‍👧 🇰🇷 1️⃣ ❤️ ❤",
        ] {
            assert!(!plainly_words(only, ours), "{only}");
        }
        // Plain words are held back; what only the review can tell is left to it.
        for words in [
            "gg",
            "🎉 gg",
            ":Kappa:",
            ":Hype",
            "::",
            "1",
            "ㅋㅋㅋ",
            "안녕하세요",
            "ありがとう",
            "привет",
            "ça va",
            ":Hype:x",
        ] {
            assert!(plainly_words(words, ours), "{words:?}");
        }
        assert!(!plainly_words("🎉\u{200B}", ours), "the review's to refuse");
    }

    fn known(code: &str) -> bool {
        ["Hype", "cat_2", "30"].contains(&code)
    }

    #[test]
    fn known_codes_between_colons_become_emotes() {
        assert_eq!(
            split("so :Hype: right :cat_2::Hype:", known),
            vec![
                Part::Text("so "),
                Part::Emote("Hype"),
                Part::Text(" right "),
                Part::Emote("cat_2"),
                Part::Emote("Hype"),
            ]
        );
        assert_eq!(split(":Hype:", known), vec![Part::Emote("Hype")]);
    }

    #[test]
    fn everything_else_stays_as_typed() {
        for text in [
            ":hype:",
            ":Hype",
            "Hype:",
            "::",
            ": Hype :",
            ":unknown: :also:",
            ":하이프:",
            "",
            ":",
            ":Hype :",
        ] {
            let parts = split(text, known);
            let rebuilt: String = parts
                .iter()
                .map(|p| match p {
                    Part::Text(t) => t.to_string(),
                    Part::Emote(c) => format!(":{c}:"),
                })
                .collect();
            assert_eq!(rebuilt, text);
            assert!(parts.iter().all(|p| matches!(p, Part::Text(_))), "{text:?}");
        }
        // A time's digits are an emote only where the channel has one by that name.
        assert_eq!(
            split("at 10:30:45", known),
            vec![Part::Text("at 10"), Part::Emote("30"), Part::Text("45")]
        );
        assert_eq!(split("at 10:31:45", known), vec![Part::Text("at 10:31:45")]);
    }

    #[test]
    fn emotes_keep_their_proportions_at_chat_height() {
        assert_eq!(emote_width(112, 112), 28);
        assert_eq!(emote_width(64, 32), 56);
        assert_eq!(emote_width(32, 96), 10);
        assert_eq!(emote_width(16, 0), 448);
    }

    #[test]
    fn the_picker_inserts_at_the_caret_with_spaces_around() {
        let cases = [
            ("", None, ":Hype:", ":Hype: ", 7),
            ("hi", None, "🔥", "hi 🔥 ", 6),
            ("hi there", Some(2), "🔥", "hi 🔥 there", 5),
            ("안녕하세요", Some(2), "👋", "안녕 👋 하세요", 6),
            ("a", Some(99), "x", "a x ", 4),
            // After an emoji (two units) the caret is past both halves.
            ("🔥x", Some(2), ":Hype:", "🔥 :Hype: x", 10),
        ];
        for (draft, caret, insert, expected, after) in cases {
            assert_eq!(
                insert_at(draft, caret, insert),
                (expected.to_owned(), after),
                "{draft:?} at {caret:?}"
            );
        }
    }
}
