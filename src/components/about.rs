//! A channel's bio and its streamer's links elsewhere, under the player. Its words live here.

use cloumer_api_types::{AboutBody, AboutLinkBody};
use leptos::prelude::*;

use crate::chat::links;
use crate::i18n::use_i18n;

pub struct AboutTexts {
    /// `{0}` the streamer's nickname.
    pub heading: &'static str,
    pub links: &'static str,
}

pub const EN: AboutTexts = AboutTexts {
    heading: "About {0}",
    links: "Links",
};

pub const KO: AboutTexts = AboutTexts {
    heading: "{0} 소개",
    links: "링크",
};

/// What people follow links people wrote with: a new tab that learns nothing of this page, and
/// search engines told the link is the user's, not ours.
const REL: &str = "noopener noreferrer nofollow ugc";

/// `nickname`'s bio (addresses in it are links, as in chat) and links.
#[component]
pub fn About(nickname: String, about: AboutBody) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let heading = move || t().heading.replacen("{0}", &nickname, 1);
    let bio = (!about.bio.is_empty()).then(|| {
        let pieces = links::split(&about.bio)
            .into_iter()
            .map(|piece| match piece {
                links::Piece::Link { text, href } => {
                    view! { <a href=href target="_blank" rel=REL>{text.to_owned()}</a> }.into_any()
                }
                links::Piece::Text(text) => text.to_owned().into_any(),
            })
            .collect_view();
        view! { <p class="about-bio">{pieces}</p> }
    });
    let list = (!about.links.is_empty()).then(|| {
        view! {
            <ul class="about-links" aria-label=move || t().links>
                {about.links.into_iter().map(|link| {
                    let name = link_name(&link);
                    view! { <li><a href=link.url target="_blank" rel=REL>{name}</a></li> }
                }).collect_view()}
            </ul>
        }
    });
    view! {
        <section class="about" aria-labelledby="channel-about-heading">
            <h2 id="channel-about-heading">{heading}</h2>
            {bio}
            {list}
        </section>
    }
}

/// What a link says: its label, or else the site it leads to (`youtube.com`).
fn link_name(link: &AboutLinkBody) -> String {
    if !link.label.is_empty() {
        return link.label.clone();
    }
    let after_scheme = link
        .url
        .split_once("://")
        .map_or(&*link.url, |(_, rest)| rest);
    let host = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or(after_scheme);
    host.strip_prefix("www.").unwrap_or(host).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(label: &str, url: &str) -> String {
        link_name(&AboutLinkBody {
            label: label.to_owned(),
            url: url.to_owned(),
        })
    }

    #[test]
    fn a_link_says_its_label_or_else_its_site() {
        assert_eq!(named("My shop", "https://shop.example.com/"), "My shop");
        assert_eq!(named("", "https://www.youtube.com/@mina"), "youtube.com");
        assert_eq!(named("", "https://discord.gg/abc?x=1#top"), "discord.gg");
        assert_eq!(named("", "http://example.com:8080/"), "example.com:8080");
    }
}
