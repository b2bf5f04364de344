//! Client-side routing: the URL decides the page. A deliberately small router (the app has eight
//! pages and two parameters) instead of leptos_router, which more than doubled the wasm size.
//!
//! Links are plain `<a href="/…">`: a document-level click listener turns same-origin clicks
//! into history navigation, so links stay links (open in new tab, copy address, keyboard).

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The pages, as the path names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    Home,
    Browse,
    SignIn,
    SignUp,
    Confirm,
    Profile,
    Notifications,
    Unsubscribe,
    Dashboard,
    /// The staff's queue of open reports.
    Reports,
    Recording(String),
    /// An uploaded video: `/videos/vd…`, beside past broadcasts (whose ids have a `-`).
    Video(String),
    Clip(String),
    Channel(String),
    /// `/embed/<page>`: the player of the page the rest of the path names (a channel, clip or
    /// video) alone, for other sites to put in an iframe.
    Embed(Box<Page>),
    NotFound,
}

pub use cloumer_api_types::EMBEDDED_PAGES;

/// Which page a path shows. Handles are matched case-insensitively (as stored: lower case).
pub fn route(path: &str) -> Page {
    let path = path.trim_end_matches('/');
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        // One level: `/embed/embed/…` names no player (and a path of a thousand of them is
        // not read a thousand levels deep).
        ["embed", page @ ..] if !page.is_empty() => Page::Embed(Box::new(page_at(page))),
        page => page_at(page),
    }
}

/// The page the segments name, outside `/embed/`.
fn page_at(segments: &[&str]) -> Page {
    match segments {
        [] => Page::Home,
        ["browse"] => Page::Browse,
        ["signin"] => Page::SignIn,
        ["signup"] => Page::SignUp,
        ["confirm"] => Page::Confirm,
        ["profile"] => Page::Profile,
        ["notifications"] => Page::Notifications,
        ["unsubscribe"] => Page::Unsubscribe,
        ["dashboard"] => Page::Dashboard,
        ["staff", "reports"] => Page::Reports,
        ["videos", id] if is_uploaded_video_id(id) => Page::Video((*id).to_owned()),
        ["videos", id] if !id.is_empty() => Page::Recording(decode(id)),
        ["clips", id] if !id.is_empty() => Page::Clip(decode(id)),
        [handle] if is_handle_like(handle) => Page::Channel(handle.to_ascii_lowercase()),
        _ => Page::NotFound,
    }
}

/// Uploaded videos' ids: `vd` and letters and digits only (recordings' ids have a `-`).
fn is_uploaded_video_id(segment: &str) -> bool {
    segment.starts_with("vd")
        && (3..=64).contains(&segment.len())
        && segment.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn is_handle_like(segment: &str) -> bool {
    (1..=25).contains(&segment.len())
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Percent-decoding (`%40` → `@`), keeping malformed escapes as they are.
fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, ..) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The value of `name` in a query string (`?a=1&b=2`), percent-decoded.
pub fn query_value(query: &str, name: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| decode(&value.replace('+', " ")))
}

/// The current location, shared by the app.
#[derive(Clone, Copy)]
pub struct Location {
    pub path: RwSignal<String>,
    pub query: RwSignal<String>,
}

thread_local! {
    /// How often the app moved to another path within itself (links, Back and Forward,
    /// redirects) since the document loaded; a new query on the same path (a search typed on
    /// the browse page) is not a move. A plain cell rather than a `StoredValue`: the first page
    /// carries the code of each stored type, for a number that one page's app keeps.
    static MOVES: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

impl Location {
    pub fn page(&self) -> Page {
        route(&self.path.get())
    }

    pub fn query(&self, name: &str) -> Option<String> {
        query_value(&self.query.get_untracked(), name)
    }

    /// How often the app has moved to another path within itself since the document loaded:
    /// 0 on the page the browser loaded (and announced) itself.
    pub fn moves(&self) -> u32 {
        MOVES.with(std::cell::Cell::get)
    }

    fn sync(&self) {
        let location = crate::browser::window().location();
        self.path
            .set(location.pathname().unwrap_or_else(|_| "/".into()));
        self.query.set(location.search().unwrap_or_default());
    }

    /// The browser's location changed under the app: follow it.
    fn moved(&self) {
        let from = self.path.get_untracked();
        self.sync();
        if self.path.with_untracked(|to| *to != from) {
            MOVES.with(|moves| moves.set(moves.get().saturating_add(1)));
            focus_the_content();
        }
    }

    /// Goes to `url` (path and query) within the app.
    pub fn navigate(&self, url: &str) {
        if let Ok(history) = crate::browser::window().history() {
            let _ = history.push_state_with_url(&JsValue::NULL, "", Some(url));
        }
        self.moved();
        crate::browser::window().scroll_to_with_x_and_y(0.0, 0.0);
    }

    /// Replaces the current entry (for redirects, so Back does not return to them).
    pub fn redirect(&self, url: &str) {
        if let Ok(history) = crate::browser::window().history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(url));
        }
        self.moved();
    }
}

/// Puts the keyboard's focus at the start of the page's content (`<main>`, focusable from
/// script only): after a move within the app, as a page load starts there (otherwise it stayed
/// on the link that was followed, the top bar's, or, when the old page took that link away, fell
/// back to the document, and the next Tab started over at the top bar), and from the top bar's
/// "skip to content" link. The scroll position is left alone (set to the top for a link,
/// restored by the browser for Back and Forward).
pub fn focus_the_content() {
    let main = crate::browser::window()
        .document()
        .and_then(|document| document.get_element_by_id("main"))
        .and_then(|main| main.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(main) = main {
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = main.focus_with_options(&options);
    }
}

pub fn provide_location() -> Location {
    let location = Location {
        path: RwSignal::new(String::new()),
        query: RwSignal::new(String::new()),
    };
    location.sync();
    let window = crate::browser::window();
    let on_pop = Closure::<dyn FnMut()>::new(move || location.moved());
    let _ = window.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    on_pop.forget();
    // Same-origin link clicks without modifier keys navigate within the app.
    let on_click =
        Closure::<dyn FnMut(web_sys::MouseEvent)>::new(move |event: web_sys::MouseEvent| {
            if event.default_prevented()
                || event.button() != 0
                || event.ctrl_key()
                || event.meta_key()
                || event.shift_key()
                || event.alt_key()
            {
                return;
            }
            let Some(anchor) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest("a[href]").ok().flatten())
            else {
                return;
            };
            if anchor.has_attribute("target") || anchor.has_attribute("download") {
                return;
            }
            let href = anchor.get_attribute("href").unwrap_or_default();
            if !href.starts_with('/') || href.starts_with("//") {
                return;
            }
            event.prevent_default();
            location.navigate(&href);
        });
    if let Some(document) = window.document() {
        let _ =
            document.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    }
    on_click.forget();
    provide_context(location);
    location
}

pub fn use_location() -> Location {
    expect_context::<Location>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_pages() {
        assert_eq!(route("/"), Page::Home);
        assert_eq!(route(""), Page::Home);
        assert_eq!(route("/signin"), Page::SignIn);
        assert_eq!(route("/browse"), Page::Browse);
        assert_eq!(route("/dashboard/"), Page::Dashboard);
        assert_eq!(route("/notifications"), Page::Notifications);
        assert_eq!(route("/unsubscribe"), Page::Unsubscribe);
        assert_eq!(route("/Alice_99"), Page::Channel("alice_99".into()));
        assert_eq!(route("/a/b/c"), Page::NotFound);
        let embed = |page| Page::Embed(Box::new(page));
        assert_eq!(
            route("/embed/Alice_99"),
            embed(Page::Channel("alice_99".into()))
        );
        assert_eq!(
            route("/embed/clips/cl%2D1"),
            embed(Page::Clip("cl-1".into()))
        );
        assert_eq!(
            route("/embed/videos/vdAb1/"),
            embed(Page::Video("vdAb1".into()))
        );
        assert_eq!(
            route("/embed/videos/rec-1"),
            embed(Page::Recording("rec-1".into()))
        );
        // The embed page shows no player for these.
        assert_eq!(route("/embed/bad-handle!"), embed(Page::NotFound));
        assert_eq!(route("/embed/dashboard"), embed(Page::Dashboard));
        assert_eq!(route("/embed/embed/mina"), embed(Page::NotFound));
        let deep = "/embed".repeat(100_000);
        assert_eq!(route(&deep), embed(Page::NotFound));
        assert_eq!(route("/embed"), Page::Channel("embed".into()));
        assert_eq!(route("/bad-handle!"), Page::NotFound);
        assert_eq!(route("/clips/clAbc"), Page::Clip("clAbc".into()));
        assert_eq!(route("/videos/vdAbc123"), Page::Video("vdAbc123".into()));
        assert_eq!(route("/videos/st-vd1"), Page::Recording("st-vd1".into()));
        assert_eq!(
            route("/videos/rec-a%2Fb"),
            Page::Recording("rec-a/b".into())
        );
    }

    #[test]
    fn query_values_are_found_and_decoded() {
        assert_eq!(
            query_value("?email=a%40b.c&x=1", "email").as_deref(),
            Some("a@b.c")
        );
        assert_eq!(query_value("x=1", "x").as_deref(), Some("1"));
        assert_eq!(query_value("?flag", "flag").as_deref(), Some(""));
        assert_eq!(query_value("?x=1", "y"), None);
        assert_eq!(
            query_value("?q=%ED%95%9C+%EA%B8%80%ZZ", "q").as_deref(),
            Some("한 글%ZZ")
        );
    }
}
