//! What a channel says about itself: a short bio and the streamer's links elsewhere (their
//! YouTube, Discord server, shop), shown on the channel page under the player.
//!
//! Both are typed by the streamer and read by everyone, so they follow the rules every shown
//! text follows ([`crate::text`]), and a link is a web address only: `https` or `http` to a host
//! name, no credentials, so a page never carries a `javascript:` or `data:` link, nor one that
//! shows one site's name and logs in to another. We never fetch these addresses ourselves (a
//! viewer's browser follows them), so unlike a webhook's they need no public-address check.

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::text;

/// The bio's length, in characters (line breaks count).
pub const MAX_BIO_CHARS: usize = 300;
/// Links a channel may show.
pub const MAX_LINKS: usize = 5;
/// A link's label, in characters (optional: the page then shows the address's host).
pub const MAX_LINK_LABEL_CHARS: usize = 25;
/// A link's address, in bytes.
pub const MAX_LINK_URL: usize = 300;

const INVALID: &str = "invalid_about";

/// One of the streamer's links.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AboutLink {
    /// What the link says ("YouTube", "My shop"); may be empty.
    pub label: String,
    /// The address, as the URL standard writes it (`https://example.com/`).
    pub url: String,
}

/// A channel's bio and links, as kept: the bio's lines trimmed with at most one empty line
/// between paragraphs, each label trimmed, each address in its standard form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelAbout {
    pub bio: String,
    pub links: Vec<AboutLink>,
}

impl ChannelAbout {
    /// Checks and tidies what the streamer wrote: `links` as `(label, url)` pairs, in the order
    /// the page shows them.
    pub fn new(bio: &str, links: &[(String, String)]) -> Result<Self, DomainError> {
        if links.len() > MAX_LINKS {
            return Err(DomainError::invalid(
                INVALID,
                format!("a channel shows at most {MAX_LINKS} links"),
            ));
        }
        let bio = clean_bio(bio)?;
        let links = links
            .iter()
            .enumerate()
            .map(|(i, (label, url))| {
                let what = format!("link {}'s label", i + 1);
                Ok(AboutLink {
                    label: text::clean(label, INVALID, &what, 0, MAX_LINK_LABEL_CHARS)?,
                    url: link_url(url).map_err(|why| {
                        DomainError::invalid("invalid_link", format!("link {}: {why}", i + 1))
                    })?,
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        Ok(Self { bio, links })
    }

    /// Whether there is nothing to show (the channel then keeps no "about").
    pub fn is_empty(&self) -> bool {
        self.bio.is_empty() && self.links.is_empty()
    }
}

/// The bio as kept: line breaks of any system made `\n`, each line held to the rules of shown
/// text and trimmed, blank lines at either end dropped and runs of them made one.
fn clean_bio(bio: &str) -> Result<String, DomainError> {
    // The limit holds for the bio as sent too: what a client may send is what it may store.
    if bio.chars().count() > MAX_BIO_CHARS {
        return Err(DomainError::invalid(
            INVALID,
            format!("the bio must be at most {MAX_BIO_CHARS} characters"),
        ));
    }
    let unified = bio.replace("\r\n", "\n").replace('\r', "\n");
    let mut kept: Vec<String> = Vec::new();
    for line in unified.split('\n') {
        let line = text::clean(line, INVALID, "the bio", 0, MAX_BIO_CHARS)?;
        let after_blank = kept.last().is_none_or(|previous| previous.is_empty());
        if !(line.is_empty() && after_blank) {
            kept.push(line);
        }
    }
    if kept.last().is_some_and(|last| last.is_empty()) {
        kept.pop();
    }
    Ok(kept.join("\n"))
}

/// `raw` as a link a page may carry: `https` or `http`, a host name (not an address: a link on
/// a public page names the site it leads to), no user name or password.
fn link_url(raw: &str) -> Result<String, &'static str> {
    let raw = raw.trim();
    if raw.len() > MAX_LINK_URL {
        return Err("the address is too long");
    }
    let url = url::Url::parse(raw).map_err(|_| "that is not a web address")?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err("the address must start with https:// or http://");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("the address must not carry a user name or password");
    }
    if !matches!(url.host(), Some(url::Host::Domain(name)) if name.contains('.')) {
        return Err("the address must name a site (example.com)");
    }
    // The standard form may be longer than what was typed (a `/` for an empty path, `%22` for
    // a `"`): the limit holds for what is kept, too.
    let kept = url.to_string();
    if kept.len() > MAX_LINK_URL {
        return Err("the address is too long");
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn about(bio: &str, links: &[(&str, &str)]) -> Result<ChannelAbout, DomainError> {
        let links: Vec<(String, String)> = links
            .iter()
            .map(|(label, url)| ((*label).to_owned(), (*url).to_owned()))
            .collect();
        ChannelAbout::new(bio, &links)
    }

    fn code(result: Result<ChannelAbout, DomainError>) -> &'static str {
        match result {
            Err(DomainError::Invalid { code, .. }) => code,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_bio_keeps_its_paragraphs_and_loses_stray_space() {
        let kept = about(
            "\r\n  Speedruns every night.  \r\n\r\n\r\n\n 한국어도 해요 \n\n",
            &[],
        )
        .unwrap();
        assert_eq!(kept.bio, "Speedruns every night.\n\n한국어도 해요");
        assert_eq!(about(" \n \n", &[]).unwrap().bio, "");
        assert!(about("\n\n", &[]).unwrap().is_empty());
    }

    #[test]
    fn a_bio_is_held_to_its_length_and_the_rules_of_shown_text() {
        let longest = "가".repeat(MAX_BIO_CHARS);
        assert_eq!(about(&longest, &[]).unwrap().bio, longest);
        assert_eq!(code(about(&format!("{longest}!"), &[])), INVALID);
        // Line breaks count, as sent.
        let lines = "a\n".repeat(MAX_BIO_CHARS / 2 + 1);
        assert_eq!(code(about(&lines, &[])), INVALID);
        for hidden in [
            "tab\there",
            "bell\u{7}",
            "right\u{202E}left",
            "zero\u{200B}width",
        ] {
            assert_eq!(code(about(hidden, &[])), INVALID, "{hidden:?}");
        }
    }

    #[test]
    fn links_are_kept_in_order_with_their_labels_trimmed_and_addresses_standard() {
        let kept = about(
            "",
            &[
                ("  YouTube ", "https://www.YouTube.com/@mina"),
                ("", " http://example.com"),
                ("디스코드", "https://discord.gg/abc?x=1#top"),
            ],
        )
        .unwrap();
        assert_eq!(
            kept.links,
            [
                AboutLink {
                    label: "YouTube".into(),
                    url: "https://www.youtube.com/@mina".into()
                },
                AboutLink {
                    label: String::new(),
                    url: "http://example.com/".into()
                },
                AboutLink {
                    label: "디스코드".into(),
                    url: "https://discord.gg/abc?x=1#top".into()
                },
            ]
        );
    }

    #[test]
    fn only_web_addresses_of_named_sites_are_links() {
        for bad in [
            "javascript:alert(1)",
            "javascript://example.com/%0Aalert(1)",
            "data:text/html,<script>alert(1)</script>",
            "ftp://example.com/",
            "//example.com/",
            "example.com",
            "https://user:secret@example.com/",
            "https://bank.example@evil.example/",
            "https://127.0.0.1/",
            "https://[::1]/",
            "https://localhost/",
            "https://",
            "",
        ] {
            assert_eq!(code(about("", &[("x", bad)])), "invalid_link", "{bad:?}");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_LINK_URL));
        assert_eq!(code(about("", &[("x", &long)])), "invalid_link");
        // Short enough as typed, too long once written in its standard form.
        let quoted = format!("https://example.com/{}", "\"".repeat(MAX_LINK_URL - 30));
        assert_eq!(code(about("", &[("x", &quoted)])), "invalid_link");
        let pathless = format!("https://{}.com", "a".repeat(MAX_LINK_URL - 12));
        assert_eq!(pathless.len(), MAX_LINK_URL);
        assert_eq!(code(about("", &[("x", &pathless)])), "invalid_link");
    }

    #[test]
    fn at_most_five_links_with_short_clean_labels() {
        let link = ("x", "https://example.com/");
        assert_eq!(about("", &[link; MAX_LINKS]).unwrap().links.len(), 5);
        assert_eq!(code(about("", &[link; MAX_LINKS + 1])), INVALID);
        let long_label = "a".repeat(MAX_LINK_LABEL_CHARS + 1);
        assert_eq!(
            code(about("", &[(&long_label, "https://example.com/")])),
            INVALID
        );
        assert_eq!(
            code(about("", &[("new\nline", "https://example.com/")])),
            INVALID
        );
    }
}
