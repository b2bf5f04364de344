//! The code that puts one of the site's players on another site: the `<iframe>` the app offers
//! to copy and the API's oEmbed answers carry, so the two cannot differ.

use crate::EMBEDDED_PAGES;

/// The size the app's embed code gives the player: 16:9.
pub const WIDTH: u32 = 640;
pub const HEIGHT: u32 = 360;

/// The `<iframe>` that shows the player of `page` (the path of a channel, clip or video on the
/// site at `origin`): allowed to play with sound once the viewer unmutes, to go full screen and
/// picture-in-picture. `title` names it for screen readers. The code is pasted into other
/// sites' pages, and titles are whatever their authors typed: each part is escaped.
pub fn embed_code(origin: &str, page: &str, title: &str, width: u32, height: u32) -> String {
    format!(
        "<iframe src=\"{origin}{prefix}{page}\" width=\"{width}\" height=\"{height}\" allow=\"autoplay; fullscreen; picture-in-picture\" allowfullscreen title=\"{title} · Cloumer\"></iframe>",
        origin = attribute(origin),
        prefix = EMBEDDED_PAGES.trim_end_matches('/'),
        page = attribute(page),
        title = attribute(title),
    )
}

/// Where a link asks a recording to start, in seconds, from its `t` parameter as video sites
/// write it: `90`, `90s`, `1m30s`, `1h2m3s`. `None` for anything else, and past a day.
pub fn start_offset(t: &str) -> Option<u32> {
    const DAY: u32 = 86_400;
    if t.is_empty() || t.len() > 12 {
        return None;
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse().ok().filter(|seconds| *seconds <= DAY);
    }
    let mut total = 0u32;
    let mut number: Option<u32> = None;
    // Each unit at most once, hours before minutes before seconds.
    let mut smallest_so_far = u32::MAX;
    for c in t.chars() {
        if let Some(digit) = c.to_digit(10) {
            number = Some(number.unwrap_or(0).checked_mul(10)?.checked_add(digit)?);
            continue;
        }
        let unit = match c {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        if unit >= smallest_so_far {
            return None;
        }
        smallest_so_far = unit;
        total = total.checked_add(number.take()?.checked_mul(unit)?)?;
    }
    if number.is_some() {
        return None;
    }
    Some(total).filter(|seconds| *seconds <= DAY)
}

/// Text made safe inside a double-quoted HTML attribute. By hand rather than with the
/// `html-escape` crate the backend uses: in the browser app's wasm that crate cost 1.6 KB
/// gzipped (measured with `cargo xtask build-web`), for these four replacements.
fn attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_links_start_is_read_as_video_sites_write_it() {
        for (t, seconds) in [
            ("90", 90),
            ("0", 0),
            ("90s", 90),
            ("1m30s", 90),
            ("1h", 3600),
            ("1h2m3s", 3723),
            ("2m", 120),
            ("86400", 86_400),
        ] {
            assert_eq!(start_offset(t), Some(seconds), "{t}");
        }
        for t in [
            "",
            "-5",
            "1.5",
            "s",
            "1m30",
            "30s1m",
            "1m1m",
            "1x",
            "1 m",
            "86401",
            "25h",
            "99999999999999",
            "4294967296s",
            "１２",
        ] {
            assert_eq!(start_offset(t), None, "{t}");
        }
    }

    #[test]
    fn the_embed_code_frames_the_pages_player() {
        assert_eq!(
            embed_code(
                "https://cloumer.example",
                "/mina_99",
                "mina_99",
                WIDTH,
                HEIGHT
            ),
            "<iframe src=\"https://cloumer.example/embed/mina_99\" width=\"640\" height=\"360\" allow=\"autoplay; fullscreen; picture-in-picture\" allowfullscreen title=\"mina_99 · Cloumer\"></iframe>"
        );
        // A title is its author's words: nothing in it ends the attribute or opens a tag.
        assert_eq!(
            embed_code(
                "https://cloumer.example",
                "/clips/clAb1",
                "\"><script>alert(1)</script> & co",
                320,
                180
            ),
            "<iframe src=\"https://cloumer.example/embed/clips/clAb1\" width=\"320\" height=\"180\" allow=\"autoplay; fullscreen; picture-in-picture\" allowfullscreen title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; co · Cloumer\"></iframe>"
        );
    }
}
