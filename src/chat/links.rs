//! Links in chat text: web addresses, found as the review finds them (the same crate, set the
//! same way as `cloumer_domain::chat_rules::has_link`), so what shows as a link is what a room
//! with links off refuses. Pure text functions, tested on the host.

use linkify::{LinkFinder, LinkKind};

/// A piece of a message's text as the panel shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    /// A web address as written, and where it leads.
    Link {
        text: &'a str,
        href: String,
    },
}

fn finder() -> LinkFinder {
    let mut finder = LinkFinder::new();
    finder.url_must_have_scheme(false).kinds(&[LinkKind::Url]);
    finder
}

/// Whether `text` holds a link (what a room with links off refuses from a viewer).
pub fn has_link(text: &str) -> bool {
    finder().links(text).next().is_some()
}

/// Splits `text` into plain text and links. Only web addresses become links: one written
/// without a scheme (`example.com/x`) opens over https, and any other scheme (`ftp://`, or a
/// `javascript://` dressed as an address) stays text.
pub fn split(text: &str) -> Vec<Piece<'_>> {
    finder()
        .spans(text)
        .map(|span| {
            let found = span.as_str();
            match span.kind().and_then(|_| href(found)) {
                Some(href) => Piece::Link { text: found, href },
                None => Piece::Text(found),
            }
        })
        .collect()
}

/// Where a found address leads, if it is one the page may link to.
fn href(found: &str) -> Option<String> {
    let scheme = found.find("://").map(|end| &found[..end]).filter(|scheme| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    match scheme {
        None => Some(format!("https://{found}")),
        Some(scheme)
            if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http") =>
        {
            Some(found.to_owned())
        }
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link<'a>(text: &'a str, href: &str) -> Piece<'a> {
        Piece::Link {
            text,
            href: href.to_owned(),
        }
    }

    #[test]
    fn web_addresses_become_links_and_the_words_around_them_stay() {
        assert_eq!(
            split("see https://example.com/a?b=1, then bit.ly/x."),
            vec![
                Piece::Text("see "),
                link("https://example.com/a?b=1", "https://example.com/a?b=1"),
                Piece::Text(", then "),
                link("bit.ly/x", "https://bit.ly/x"),
                Piece::Text("."),
            ]
        );
        assert_eq!(
            split("(HTTP://EXAMPLE.COM)"),
            vec![
                Piece::Text("("),
                link("HTTP://EXAMPLE.COM", "HTTP://EXAMPLE.COM"),
                Piece::Text(")"),
            ]
        );
        assert_eq!(
            split("example.com/go?to=http://elsewhere.org"),
            vec![link(
                "example.com/go?to=http://elsewhere.org",
                "https://example.com/go?to=http://elsewhere.org"
            )]
        );
        assert_eq!(split("gg v1.2.3"), vec![Piece::Text("gg v1.2.3")]);
        assert_eq!(split(""), Vec::<Piece>::new());
    }

    #[test]
    fn only_web_addresses_are_followed() {
        for text in [
            "javascript://example.com/%0Aalert(1)",
            "ftp://files.example.org/a",
            "data://example.com/x",
        ] {
            assert!(
                split(text).iter().all(|p| matches!(p, Piece::Text(_))),
                "{text}: {:?}",
                split(text)
            );
        }
        assert!(!has_link("javascript:alert(1)"));
    }

    #[test]
    fn a_link_here_is_a_link_to_the_review() {
        // The same cases as the domain's `has_link` test: the two must agree.
        for text in [
            "free followers at bit.ly/abc",
            "https://example.com/win",
            "visit WWW.EXAMPLE.COM now",
            "example.com",
        ] {
            assert!(has_link(text), "{text}");
        }
        for text in [
            "gg",
            "v1.2.3 is out",
            "e.g. this one",
            "mail me@example.com",
        ] {
            assert!(!has_link(text), "{text}");
        }
    }
}
