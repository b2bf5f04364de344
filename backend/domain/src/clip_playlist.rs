//! A clip's playlists, cut from its recording's: the same segment files (no copy, no re-encode),
//! only those that overlap the clip's stretch. A recording's main playlist is either one media
//! playlist (the local recorder's) or a multivariant playlist naming one media playlist per
//! quality (IVS's `master.m3u8`); a clip gets the same shape, each of its playlists written
//! beside the one it cuts under the clip's own file name, so every relative address in it
//! still names the recording's files.

/// A media playlist cut to a stretch: its text, and the stretch its whole segments cover.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cut {
    pub text: String,
    pub start_ms: u64,
    pub duration_ms: u64,
}

/// A media segment with the tags that came before its address.
struct Segment<'a> {
    tags: Vec<&'a str>,
    duration_ms: u64,
    uri: &'a str,
}

/// Tags that describe the whole playlist rather than the segment after them.
const PLAYLIST_TAGS: [&str; 4] = [
    "#EXT-X-VERSION:",
    "#EXT-X-TARGETDURATION:",
    "#EXT-X-INDEPENDENT-SEGMENTS",
    "#EXT-X-START:",
];
/// Tags a cut replaces with its own.
const REPLACED_TAGS: [&str; 4] = [
    "#EXT-X-MEDIA-SEQUENCE:",
    "#EXT-X-PLAYLIST-TYPE:",
    "#EXT-X-ENDLIST",
    "#EXT-X-DISCONTINUITY-SEQUENCE:",
];

/// Whether `text` is a multivariant playlist (it names other playlists rather than segments).
pub fn is_multivariant(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("#EXT-X-STREAM-INF:"))
}

/// The segments of `media` that overlap `start_ms..end_ms`, as a finished (VOD) playlist; `None`
/// when none does or the text is not a media playlist.
pub fn cut_media(media: &str, start_ms: u64, end_ms: u64) -> Option<Cut> {
    let mut lines = media.lines().map(str::trim).filter(|l| !l.is_empty());
    if lines.next()? != "#EXTM3U" {
        return None;
    }
    let mut header = Vec::new();
    let mut segments = Vec::new();
    let mut first_sequence = 0u64;
    let mut pending: Vec<&str> = Vec::new();
    let mut duration_ms = None;
    for line in lines {
        if let Some(sequence) = line.strip_prefix("#EXT-X-MEDIA-SEQUENCE:") {
            first_sequence = sequence.parse().unwrap_or(0);
        } else if segments.is_empty()
            && duration_ms.is_none()
            && PLAYLIST_TAGS.iter().any(|t| line.starts_with(t))
        {
            header.push(line);
        } else if REPLACED_TAGS.iter().any(|t| line.starts_with(t)) {
            // The cut writes its own.
        } else if let Some(info) = line.strip_prefix("#EXTINF:") {
            let seconds: f64 = info.split(',').next()?.trim().parse().ok()?;
            if !seconds.is_finite() || seconds < 0.0 {
                return None;
            }
            duration_ms = Some((seconds * 1000.0).round() as u64);
        } else if line.starts_with('#') {
            pending.push(line);
        } else {
            segments.push(Segment {
                tags: std::mem::take(&mut pending),
                duration_ms: duration_ms.take()?,
                uri: line,
            });
        }
    }
    let mut at = 0u64;
    let mut kept = String::new();
    let mut first: Option<(usize, u64)> = None;
    let mut covered = 0u64;
    // The initialization section in force (fMP4): a cut starting after it must repeat it.
    let mut map: Option<&str> = None;
    for (index, segment) in segments.iter().enumerate() {
        let own_map = segment
            .tags
            .iter()
            .rev()
            .find(|t| t.starts_with("#EXT-X-MAP:"));
        let end = at + segment.duration_ms;
        if at < end_ms && end > start_ms {
            if first.is_none() {
                first = Some((index, at));
                if let (None, Some(map)) = (own_map, map) {
                    push_line(&mut kept, map);
                }
            }
            for tag in &segment.tags {
                push_line(&mut kept, tag);
            }
            push_line(
                &mut kept,
                &format!("#EXTINF:{:.3},", segment.duration_ms as f64 / 1000.0),
            );
            push_line(&mut kept, segment.uri);
            covered += segment.duration_ms;
        }
        map = own_map.copied().or(map);
        at = end;
    }
    let (first_index, start) = first?;
    let mut text = String::from("#EXTM3U\n");
    for line in &header {
        push_line(&mut text, line);
    }
    push_line(&mut text, "#EXT-X-PLAYLIST-TYPE:VOD");
    push_line(
        &mut text,
        &format!(
            "#EXT-X-MEDIA-SEQUENCE:{}",
            first_sequence + first_index as u64
        ),
    );
    text.push_str(&kept);
    push_line(&mut text, "#EXT-X-ENDLIST");
    Some(Cut {
        text,
        start_ms: start,
        duration_ms: covered,
    })
}

/// The segment of `media` that plays at `at_ms`, and how far into it: `None` past the end (or
/// when the text is not a media playlist).
pub fn segment_at(media: &str, at_ms: u64) -> Option<(String, u64)> {
    let mut start = 0u64;
    let mut duration = None;
    for line in media.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(info) = line.strip_prefix("#EXTINF:") {
            let seconds: f64 = info.split(',').next()?.trim().parse().ok()?;
            if !seconds.is_finite() || seconds < 0.0 {
                return None;
            }
            duration = Some((seconds * 1000.0).round() as u64);
        } else if !line.starts_with('#') {
            let length = duration.take()?;
            if at_ms < start + length {
                return Some((line.to_owned(), at_ms - start));
            }
            start += length;
        }
    }
    None
}

fn push_line(text: &mut String, line: &str) {
    text.push_str(line);
    text.push('\n');
}

/// A multivariant playlist whose media playlists are the clip's: each variant's address gets
/// the clip's `file` name in the same directory. Returns the new text and the addresses of the
/// media playlists to cut (relative, as written); `None` if an address is not a plain relative
/// path (`dir/name.m3u8`), which no recording of ours has. I-frame playlists are left out.
pub fn clip_multivariant(text: &str, file: &str) -> Option<(String, Vec<String>)> {
    let mut out = String::new();
    let mut variants = Vec::new();
    let mut expect_uri = false;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.starts_with("#EXT-X-I-FRAME-STREAM-INF:") {
            continue;
        }
        if line.starts_with("#EXT-X-MEDIA:") && line.contains("URI=") {
            // Alternative renditions with their own playlists (separate audio): not in any
            // recording we make or IVS writes.
            return None;
        }
        if line.starts_with('#') {
            expect_uri = line.starts_with("#EXT-X-STREAM-INF:");
            push_line(&mut out, line);
            continue;
        }
        if !expect_uri || !plain_relative(line) {
            return None;
        }
        expect_uri = false;
        push_line(&mut out, &beside(line, file));
        variants.push(line.to_owned());
    }
    (!variants.is_empty()).then_some((out, variants))
}

/// A relative path of plain names (letters, digits, `-`, `_`, `.`; none starting with a dot),
/// at most two deep: nothing that could reach outside a recording's own files.
pub fn plain_relative(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    parts.len() <= 2
        && parts.iter().all(|part| {
            !part.is_empty()
                && !part.starts_with('.')
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        })
}

/// Where `path` (relative to the directory of a playlist) sits next to a file called `file`:
/// `720p30/playlist.m3u8` → `720p30/clip-x.m3u8`.
pub fn beside(path: &str, file: &str) -> String {
    match path.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{file}"),
        None => file.to_owned(),
    }
}

/// The URL of `file` in the same directory as `url` (whose query is left behind).
pub fn beside_url(url: &str, file: &str) -> String {
    beside(url.split(['?', '#']).next().unwrap_or(url), file)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORDED: &str = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:4.000000,\nseg_00000.ts\n#EXTINF:4.000000,\nseg_00001.ts\n#EXTINF:4.000000,\nseg_00002.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:2.500000,\nseg_00003.ts\n#EXT-X-ENDLIST\n";

    #[test]
    fn a_cut_lists_the_whole_segments_that_overlap_the_stretch() {
        let cut = cut_media(RECORDED, 5_000, 13_000).unwrap();
        assert_eq!(cut.start_ms, 4_000);
        assert_eq!(cut.duration_ms, 10_500);
        assert_eq!(
            cut.text,
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MEDIA-SEQUENCE:1\n#EXTINF:4.000,\nseg_00001.ts\n#EXTINF:4.000,\nseg_00002.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:2.500,\nseg_00003.ts\n#EXT-X-ENDLIST\n"
        );
        // A stretch inside one segment takes that segment.
        let one = cut_media(RECORDED, 8_100, 8_200).unwrap();
        assert_eq!((one.start_ms, one.duration_ms), (8_000, 4_000));
        assert!(one.text.contains("seg_00002.ts") && !one.text.contains("seg_00001.ts"));
    }

    #[test]
    fn the_segment_playing_at_a_moment_is_found() {
        assert_eq!(segment_at(RECORDED, 0), Some(("seg_00000.ts".into(), 0)));
        assert_eq!(
            segment_at(RECORDED, 9_500),
            Some(("seg_00002.ts".into(), 1_500))
        );
        assert_eq!(
            segment_at(RECORDED, 13_999),
            Some(("seg_00003.ts".into(), 1_999))
        );
        assert_eq!(segment_at(RECORDED, 14_500), None);
        assert_eq!(segment_at("#EXTM3U\nseg.ts\n", 0), None);
    }

    #[test]
    fn nothing_to_cut_is_none() {
        assert_eq!(cut_media(RECORDED, 20_000, 30_000), None);
        assert_eq!(cut_media("not a playlist", 0, 1_000), None);
        assert_eq!(cut_media("#EXTM3U\n#EXTINF:-1,\na.ts\n", 0, 1_000), None);
        assert_eq!(cut_media("#EXTM3U\n#EXTINF:NaN,\na.ts\n", 0, 1_000), None);
        assert_eq!(cut_media("#EXTM3U\na.ts\n", 0, 1_000), None);
    }

    #[test]
    fn an_fmp4_cut_repeats_the_initialization_section_in_force() {
        let media = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:2,\na.m4s\n#EXTINF:2,\nb.m4s\n";
        let cut = cut_media(media, 2_500, 3_000).unwrap();
        assert!(
            cut.text
                .contains("#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:2.000,\nb.m4s")
        );
        assert!(!cut.text.contains("a.m4s"));
    }

    #[test]
    fn a_multivariant_names_the_clips_playlists_beside_each_quality() {
        let master = "#EXTM3U\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360\n360p30/playlist.m3u8\n#EXT-X-I-FRAME-STREAM-INF:URI=\"iframes.m3u8\"\n#EXT-X-STREAM-INF:BANDWIDTH=300000\n160p30/playlist.m3u8\n";
        assert!(is_multivariant(master));
        assert!(!is_multivariant(RECORDED));
        let (text, variants) = clip_multivariant(master, "clip-x.m3u8").unwrap();
        assert_eq!(variants, ["360p30/playlist.m3u8", "160p30/playlist.m3u8"]);
        assert_eq!(
            text,
            "#EXTM3U\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360\n360p30/clip-x.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=300000\n160p30/clip-x.m3u8\n"
        );
        assert_eq!(
            beside("360p30/playlist.m3u8", "clip-x.m3u8"),
            "360p30/clip-x.m3u8"
        );
        assert_eq!(beside("index.m3u8", "clip-x.m3u8"), "clip-x.m3u8");
    }

    #[test]
    fn a_multivariant_reaching_outside_the_recording_is_refused() {
        for uri in [
            "../other/playlist.m3u8",
            "/abs.m3u8",
            "https://evil/x.m3u8",
            "a/b/c.m3u8",
            ".hidden/p.m3u8",
        ] {
            let master = format!("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n{uri}\n");
            assert_eq!(clip_multivariant(&master, "clip-x.m3u8"), None, "{uri}");
        }
    }
}
