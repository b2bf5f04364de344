//! The page a shared link opens, with the card it makes: the browser app's entry page, with the
//! preview of what the link names (a channel, a clip, a video) in its head as Open Graph and
//! Twitter tags. The crawlers that draw link cards in chat apps and social sites run no
//! JavaScript, so without these every link to the site showed the same card. A visitor gets
//! the same page, and the app then runs as from `index.html`.
//!
//! Both worlds serve it for every app route: the local stack in place of `dist/index.html`, the
//! cloud through CloudFront, which sends those paths to the API function.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cloumer_domain::Platform;
use cloumer_domain::ports::AppEntryPage;
use cloumer_domain::use_cases::link_previews::{CardPicture, LinkPreview, SharedPage};
use html_escape::{encode_double_quoted_attribute as attribute, encode_text as text};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

pub(crate) const SITE_NAME: &str = "Cloumer";
/// Cards show two or three lines: a long video description is cut to about this many characters.
const MAX_DESCRIPTION_CHARS: usize = 200;
/// Browsers check again on every load (the page names the build's files), CloudFront keeps a
/// page a minute: a popular channel's link costs the function one call a minute per edge
/// location, and a changed title shows within that.
const CACHE_CONTROL: &str = "public, max-age=0, s-maxage=60";

#[derive(Clone)]
pub struct LinkPreviews {
    platform: Platform,
    entry: Arc<dyn AppEntryPage>,
    /// `https://…`, with no trailing slash: cards need whole URLs.
    site_origin: Arc<str>,
    /// The API's public origin, where the page's oEmbed answer is (`routes::oembed`), when
    /// known; the page then names it for the services that discover it.
    api_origin: Option<Arc<str>>,
}

impl LinkPreviews {
    pub fn new(
        platform: Platform,
        entry: Arc<dyn AppEntryPage>,
        site_origin: &str,
        api_origin: Option<&str>,
    ) -> Self {
        Self {
            platform,
            entry,
            site_origin: site_origin.trim_end_matches('/').into(),
            api_origin: api_origin.map(|origin| origin.trim_end_matches('/').into()),
        }
    }

    /// The entry page for `path` (as the request gave it, still percent-encoded), with the
    /// preview of what it names when a signed-out visitor may see that. Any other path, or a
    /// preview that fails, gets the entry page as it is: the app must load whatever a card says.
    pub async fn page(&self, path: &str) -> Response {
        if let Some(page) = self.previewed_page(path).await {
            return page;
        }
        match self.entry_page().await {
            Some(entry) => html(entry.to_string()),
            None => (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CACHE_CONTROL, "no-store")],
                "The site is unavailable for a moment; try again shortly.",
            )
                .into_response(),
        }
    }

    /// The entry page with `path`'s preview, or `None` when there is none to give: the caller
    /// serves the entry page as it is (the local stack, from its compressed copies).
    pub async fn previewed_page(&self, path: &str) -> Option<Response> {
        let (preview, address) = self.preview(path).await?;
        let entry = self.entry_page().await?;
        Some(html(self.with_preview(&entry, &preview, &address)))
    }

    async fn entry_page(&self) -> Option<Arc<str>> {
        self.entry
            .entry_page()
            .await
            .inspect_err(|error| {
                tracing::error!(error = %error, "the app's entry page could not be read");
            })
            .ok()
    }

    /// The preview of what `path` names, and that page's own address.
    async fn preview(&self, path: &str) -> Option<(LinkPreview, String)> {
        let (page_of, segment) = shared_page(path)?;
        let page = page_of(&segment);
        match self.platform.link_preview(page).await {
            Ok(preview) => preview.map(|preview| (preview, address(page))),
            Err(error) => {
                tracing::warn!(error = %error, path, "no preview for a shared link");
                None
            }
        }
    }

    fn with_preview(&self, entry: &str, preview: &LinkPreview, address: &str) -> String {
        let url = format!("{}{address}", self.site_origin);
        let oembed = self.api_origin.as_deref().map(|api| {
            format!(
                "{api}/api/v1/oembed?format=json&url={}",
                utf8_percent_encode(&url, UNRESERVED)
            )
        });
        with_preview(entry, preview, &url, &self.site_origin, oembed.as_deref())
    }
}

fn html(page: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE_CONTROL),
        ],
        page,
    )
        .into_response()
}

/// Every path as a page of the app (the cloud's API function gets only the app's routes).
pub fn router(previews: LinkPreviews) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/{*path}", get(page))
        .with_state(previews)
}

async fn page(State(previews): State<LinkPreviews>, request: Request) -> Response {
    previews.page(request.uri().path()).await
}

/// What a URL component keeps unencoded (an id in a page's address, the page's address in the
/// oEmbed link's query): letters, digits and `-_.~`, RFC 3986's unreserved characters.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The page's own address, however the link spelled it: handles are matched in any case and
/// kept in lower case, so `/Mina` and `/mina` are one page to a search engine.
pub(crate) fn address(page: SharedPage<'_>) -> String {
    match page {
        SharedPage::Channel(handle) => format!("/{}", handle.to_lowercase()),
        SharedPage::Clip(id) => format!("/clips/{}", utf8_percent_encode(id, UNRESERVED)),
        SharedPage::Video(id) => format!("/videos/{}", utf8_percent_encode(id, UNRESERVED)),
    }
}

/// Makes the page a path names from its one variable segment.
pub(crate) type PageOf = fn(&str) -> SharedPage<'_>;

/// Which kind of page a path names, and its one variable segment decoded; the app's router
/// (`src/router.rs`) reads paths the same way.
pub(crate) fn shared_page(path: &str) -> Option<(PageOf, String)> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let (page_of, segment): (PageOf, &str) = match segments.as_slice() {
        [handle] => (|s| SharedPage::Channel(s), handle),
        ["clips", id] => (|s| SharedPage::Clip(s), id),
        ["videos", id] => (|s| SharedPage::Video(s), id),
        _ => return None,
    };
    let decoded = percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .ok()?;
    Some((page_of, decoded.into_owned()))
}

/// `entry` with `preview` in its head: its `<title>` and description replaced, the card's tags
/// after them. An entry page without a `<title>` (not the build's) is returned as it is.
/// `oembed`: the page's oEmbed answer's address, which its head names for discovery.
fn with_preview(
    entry: &str,
    preview: &LinkPreview,
    url: &str,
    site_origin: &str,
    oembed: Option<&str>,
) -> String {
    let Some((before, after)) = split_around(entry, "<title>", "</title>") else {
        return entry.to_owned();
    };
    let description = shortened(&preview.description);
    let mut head = format!("<title>{} · {SITE_NAME}</title>", text(&preview.title));
    let mut meta = |key: &str, name: &str, value: &str| {
        head.push_str(&format!(
            "\n    <meta {key}=\"{name}\" content=\"{}\" />",
            attribute(value)
        ));
    };
    if !description.is_empty() {
        meta("name", "description", &description);
    }
    meta("property", "og:site_name", SITE_NAME);
    meta(
        "property",
        "og:type",
        if preview.video {
            "video.other"
        } else {
            "website"
        },
    );
    meta("property", "og:title", &preview.title);
    if !description.is_empty() {
        meta("property", "og:description", &description);
    }
    meta("property", "og:url", url);
    let (picture, large) = match &preview.picture {
        CardPicture::Frame(url) => (url, true),
        CardPicture::Avatar(url) => (url, false),
    };
    let image = whole_url(picture, site_origin);
    if let Some(image) = &image {
        meta("property", "og:image", image);
    }
    let card = if image.is_some() && large {
        "summary_large_image"
    } else {
        "summary"
    };
    meta("name", "twitter:card", card);
    head.push_str(&format!(
        "\n    <link rel=\"canonical\" href=\"{}\" />",
        attribute(url)
    ));
    if let Some(oembed) = oembed {
        head.push_str(&format!(
            "\n    <link rel=\"alternate\" type=\"application/json+oembed\" href=\"{}\" title=\"{}\" />",
            attribute(oembed),
            attribute(&preview.title)
        ));
    }
    let before = if description.is_empty() {
        before.to_owned()
    } else {
        without_description(before)
    };
    format!("{before}{head}{after}")
}

/// The text before `open` and after `close` (which follows it), or `None`.
fn split_around<'a>(text: &'a str, open: &str, close: &str) -> Option<(&'a str, &'a str)> {
    let start = text.find(open)?;
    let end = start + text[start..].find(close)? + close.len();
    Some((&text[..start], &text[end..]))
}

/// `head` without the site's own `<meta name="description" …>`, which the preview replaces.
fn without_description(head: &str) -> String {
    let Some(start) = head.find("<meta name=\"description\"") else {
        return head.to_owned();
    };
    let Some(length) = head[start..].find('>') else {
        return head.to_owned();
    };
    let rest = head[start + length + 1..].trim_start_matches([' ', '\n']);
    format!("{}{rest}", &head[..start])
}

/// At most [`MAX_DESCRIPTION_CHARS`] characters on one line, "…" where it was cut.
fn shortened(description: &str) -> String {
    let line = description.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= MAX_DESCRIPTION_CHARS {
        return line;
    }
    let cut: String = line.chars().take(MAX_DESCRIPTION_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// A picture's whole URL: as it is when it has a scheme, on the site when it is a path (the
/// local stack's files), none otherwise.
pub(crate) fn whole_url(url: &str, site_origin: &str) -> Option<String> {
    if url.starts_with("https://") || url.starts_with("http://") {
        Some(url.to_owned())
    } else if url.starts_with('/') && !url.starts_with("//") {
        Some(format!("{site_origin}{url}"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cloumer_domain::use_cases::link_previews::Streamer;

    const ENTRY: &str = "<html><head>\n    <meta name=\"description\" content=\"Cloumer: live\" />\n    <title>Cloumer</title>\n    <link rel=\"icon\" href=\"/f.svg\"/>\n</head><body></body></html>";

    fn preview(title: &str, description: &str, frame: &str) -> LinkPreview {
        LinkPreview {
            title: title.to_owned(),
            description: description.to_owned(),
            picture: CardPicture::Frame(frame.to_owned()),
            video: true,
            streamer: Streamer {
                nickname: "Alice".into(),
                handle: "alice".into(),
            },
        }
    }

    #[test]
    fn the_preview_replaces_the_title_and_description_and_escapes_what_users_wrote() {
        let html = with_preview(
            ENTRY,
            &preview(
                "</title><script>alert(1)</script>",
                "\"><script>x</script> & more",
                "/hls/a/thumb.jpg",
            ),
            "https://cloumer.example/alice",
            "https://cloumer.example",
            Some(
                "https://api.example/api/v1/oembed?format=json&url=https%3A%2F%2Fcloumer.example%2Falice",
            ),
        );
        assert!(!html.contains("<script>"), "{html}");
        // Where services that discover oEmbed find the player's code.
        assert!(
            html.contains("<link rel=\"alternate\" type=\"application/json+oembed\" href=\"https://api.example/api/v1/oembed?format=json&amp;url=https%3A%2F%2Fcloumer.example%2Falice\" title=\"&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;\" />"),
            "{html}"
        );
        assert!(!html.contains("Cloumer: live"), "{html}");
        assert_eq!(html.matches("<title>").count(), 1, "{html}");
        assert!(
            html.contains(
                "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; · Cloumer</title>"
            ),
            "{html}"
        );
        assert!(
            html.contains("<meta property=\"og:description\" content=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt; &amp; more\" />"),
            "{html}"
        );
        assert!(
            html.contains("content=\"https://cloumer.example/hls/a/thumb.jpg\""),
            "{html}"
        );
        assert!(html.contains("summary_large_image"), "{html}");
        assert!(
            html.ends_with("<link rel=\"icon\" href=\"/f.svg\"/>\n</head><body></body></html>")
        );
    }

    #[test]
    fn a_preview_without_a_description_or_picture_keeps_the_sites_description() {
        let html = with_preview(
            ENTRY,
            &preview("alice", "", "javascript:alert(1)"),
            "https://cloumer.example/alice",
            "https://cloumer.example",
            None,
        );
        assert!(!html.contains("oembed"), "{html}");
        assert!(html.contains("Cloumer: live"), "{html}");
        assert!(!html.contains("og:description"), "{html}");
        assert!(!html.contains("og:image"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("content=\"summary\""), "{html}");
        assert_eq!(
            with_preview("<html></html>", &preview("a", "", "/a.jpg"), "u", "o", None),
            "<html></html>"
        );
    }

    #[test]
    fn an_avatar_is_shown_as_a_small_square_card() {
        let offline = LinkPreview {
            picture: CardPicture::Avatar("/avatars/fox.png".into()),
            video: false,
            ..preview("alice", "", "")
        };
        let html = with_preview(
            ENTRY,
            &offline,
            "https://cloumer.example/alice",
            "https://cloumer.example",
            None,
        );
        assert!(
            html.contains(
                "<meta property=\"og:image\" content=\"https://cloumer.example/avatars/fox.png\" />"
            ),
            "{html}"
        );
        assert!(
            html.contains("<meta name=\"twitter:card\" content=\"summary\" />"),
            "{html}"
        );
        assert!(html.contains("content=\"website\""), "{html}");
    }

    #[test]
    fn long_descriptions_are_cut_to_one_short_line() {
        let long = format!("{}\n\nsecond line", "가".repeat(300));
        let cut = shortened(&long);
        assert_eq!(cut.chars().count(), MAX_DESCRIPTION_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(shortened("two\n lines "), "two lines");
    }

    #[test]
    fn paths_name_the_apps_pages_as_its_router_reads_them() {
        let kind = |path: &str| shared_page(path).map(|(page, id)| format!("{:?}", page(&id)));
        assert_eq!(kind("/alice"), Some("Channel(\"alice\")".into()));
        assert_eq!(kind("/alice/"), Some("Channel(\"alice\")".into()));
        assert_eq!(kind("/clips/clAb"), Some("Clip(\"clAb\")".into()));
        assert_eq!(kind("/videos/rec-a%2Fb"), Some("Video(\"rec-a/b\")".into()));
        assert_eq!(kind("/"), None);
        assert_eq!(kind("/a/b/c"), None);
        assert_eq!(kind("/dashboard/stream"), None);
        assert_eq!(kind("/videos/%FF"), None);
        let address = |path: &str| shared_page(path).map(|(page, id)| address(page(&id)));
        assert_eq!(address("/Mina_99/").as_deref(), Some("/mina_99"));
        assert_eq!(address("/clips/clAb").as_deref(), Some("/clips/clAb"));
        assert_eq!(
            address("/videos/rec-a%2Fb%20c").as_deref(),
            Some("/videos/rec-a%2Fb%20c")
        );
    }
}
