//! The document's title names the page: the browser's tab, history, bookmarks and the system's
//! window list show it. The app changes pages without loading a document, so without this every
//! page was "Cloumer", and a screen reader said nothing when a link led to another page: after
//! a move within the app, the new page's title is also read out through a live region (what a
//! screen reader does by itself when a document loads). A signed-in visitor's unread
//! notifications come first ("(2) …"), so a tab in the background says that news arrived.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;

const BRAND: &str = "Cloumer";
/// The live region that reads a page's title out after a move within the app.
const ANNOUNCER_ID: &str = "page-announcer";

thread_local! {
    /// The latest component to name the page. Only it sets the title, so a part drawn inside a
    /// page (a channel's "page not found") outranks the page around it, and a page going away
    /// after the next one arrived leaves the next one's title.
    static LATEST: Cell<u64> = const { Cell::new(0) };
    /// The page's title, without the count of unread notifications.
    static NAMED: RefCell<String> = const { RefCell::new(String::new()) };
    static UNREAD: Cell<u64> = const { Cell::new(0) };
    /// The router's move whose page was last read out: each move is announced once, however
    /// often its page is drawn again (a pending clip's page, asked about every few seconds).
    static ANNOUNCED_MOVE: Cell<u32> = const { Cell::new(0) };
}

/// Puts the count of unread notifications (the bell's) before the page's title; 0 takes it away.
pub fn show_unread(count: u64) {
    UNREAD.with(|unread| unread.set(count));
    show();
}

/// Titles the document "<name> · Cloumer" while the calling component lives, following `name`
/// as it changes (the language, the page's data). `None` means not known yet (a page whose data
/// is still loading: the title is "Cloumer" meanwhile); an empty name titles it "Cloumer" (the
/// home page). A page reached within the app is announced once, when its name is known; not
/// again when it is drawn anew without a move (a refreshed page), nor on a language switch.
pub fn name_page(name: impl Fn() -> Option<String> + 'static) {
    // One copy of what follows for every page, not one per page's closure (the first page's
    // size is budgeted).
    name_page_with(Box::new(name));
}

fn name_page_with(name: Box<dyn Fn() -> Option<String>>) {
    let id = LATEST.with(|latest| {
        latest.set(latest.get() + 1);
        latest.get()
    });
    // Present before anything is announced: a screen reader ignores a region that arrives with
    // its text.
    let announcer = announcer();
    let location = crate::router::use_location();
    Effect::new(move |_| {
        let name = name();
        if LATEST.with(Cell::get) != id {
            return;
        }
        let known = name.is_some();
        let title = titled(name);
        set_title(&title);
        let arrived_by = location.moves();
        if known && ANNOUNCED_MOVE.with(Cell::get) < arrived_by {
            ANNOUNCED_MOVE.with(|announced| announced.set(arrived_by));
            if let Some(announcer) = &announcer {
                announcer.set_text_content(Some(&title));
            }
        }
    });
    on_cleanup(move || {
        if LATEST.with(Cell::get) == id {
            set_title(BRAND);
        }
    });
}

/// A video's name in the title: what it is, then who made it.
pub fn video_name(title: &str, untitled: &str, by: &str) -> String {
    format!("{} - {by}", or_untitled(title, untitled))
}

/// A video's title as pages show it: `untitled` ("Untitled stream") when it has none.
pub fn or_untitled<'a>(title: &'a str, untitled: &'a str) -> &'a str {
    if title.trim().is_empty() {
        untitled
    } else {
        title
    }
}

fn titled(name: Option<String>) -> String {
    match name {
        Some(name) if !name.is_empty() => format!("{name} · {BRAND}"),
        _ => BRAND.to_owned(),
    }
}

fn set_title(title: &str) {
    NAMED.with(|named| named.replace(title.to_owned()));
    show();
}

fn show() {
    let title = NAMED.with(|named| with_unread(&named.borrow(), UNREAD.with(Cell::get)));
    if let Some(document) = crate::browser::window().document()
        && document.title() != title
    {
        document.set_title(&title);
    }
}

fn with_unread(title: &str, unread: u64) -> String {
    match unread {
        0 => title.to_owned(),
        n => format!("({}) {title}", unread_count(n)),
    }
}

/// An unread count as the bell's badge and the title show it: "99+" past 98.
pub fn unread_count(unread: u64) -> String {
    if unread >= 99 {
        "99+".to_owned()
    } else {
        unread.to_string()
    }
}

/// The page's announcer, added to the document the first time a page is named.
fn announcer() -> Option<web_sys::Element> {
    let document = crate::browser::window().document()?;
    if let Some(found) = document.get_element_by_id(ANNOUNCER_ID) {
        return Some(found);
    }
    let region = document.create_element("p").ok()?;
    region.set_id(ANNOUNCER_ID);
    region.set_class_name("visually-hidden");
    let _ = region.set_attribute("aria-live", "assertive");
    let _ = region.set_attribute("aria-atomic", "true");
    document.body()?.append_child(&region).ok()?;
    Some(region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_page_is_titled_with_the_brand_after_it_and_an_unnamed_one_with_the_brand_alone() {
        assert_eq!(titled(Some("Browse".into())), "Browse · Cloumer");
        assert_eq!(
            titled(Some("방송 - 닉네임".into())),
            "방송 - 닉네임 · Cloumer"
        );
        assert_eq!(titled(Some(String::new())), "Cloumer");
        assert_eq!(titled(None), "Cloumer");
    }

    #[test]
    fn unread_notifications_are_counted_before_the_title_as_the_bell_counts_them() {
        assert_eq!(with_unread("Cloumer", 0), "Cloumer");
        assert_eq!(with_unread("Browse · Cloumer", 3), "(3) Browse · Cloumer");
        assert_eq!(with_unread("Cloumer", 98), "(98) Cloumer");
        assert_eq!(with_unread("Cloumer", 99), "(99+) Cloumer");
        assert_eq!(with_unread("Cloumer", 12_345), "(99+) Cloumer");
    }

    #[test]
    fn a_video_is_named_by_its_title_then_its_maker_and_an_untitled_one_says_so() {
        assert_eq!(video_name("Piano", "Untitled", "Mina"), "Piano - Mina");
        assert_eq!(video_name(" ", "Untitled", "Mina"), "Untitled - Mina");
        assert_eq!(or_untitled("", "Untitled"), "Untitled");
        assert_eq!(or_untitled("Piano", "Untitled"), "Piano");
    }
}
