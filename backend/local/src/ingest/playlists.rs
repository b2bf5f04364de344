//! Playlists as the player gets them: the multivariant playlist viewers load (one variant per
//! quality, as IVS's), a live playlist with the time each segment began and the segments still
//! being written, and a private channel's URIs carrying its playback session. Text in, text out:
//! the serving is in `hls.rs`.

use std::borrow::Cow;
use std::time::SystemTime;

use time::OffsetDateTime;

/// One quality in a multivariant playlist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    /// The quality's name as the player shows it (`source`, `160p`), and its directory.
    pub name: &'static str,
    /// Peak bits per second (required by HLS): see [`peak_bandwidth`].
    pub bandwidth: u64,
    /// Width and height, once known: players name qualities by it (`360p`).
    pub size: Option<(u32, u32)>,
}

/// The multivariant playlist: each variant as IVS lists them (best first, each in its own
/// `VIDEO` group whose `NAME` the player shows), its media playlist `<name>/index.m3u8`, with
/// the playback session of a private channel.
///
/// A live one gives the server's clock (`server_time`), as IVS does (`SERVER-TIME` in
/// `#EXT-X-TWITCH-INFO`, seconds since the epoch): the IVS player sets its clock against it to
/// tell, from the time each segment's first frame arrived (`timed_metadata.rs`), how far behind
/// live it plays.
pub fn multivariant(
    variants: &[Variant],
    session: Option<&str>,
    server_time: Option<SystemTime>,
) -> String {
    let mut out = String::from("#EXTM3U\n");
    if let Some(now) = server_time {
        let seconds = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0.0, |since| since.as_secs_f64());
        out.push_str(&format!(
            "#EXT-X-TWITCH-INFO:SERVER-TIME=\"{seconds:.2}\"\n"
        ));
    }
    out.push_str("#EXT-X-INDEPENDENT-SEGMENTS\n");
    for variant in variants {
        let name = variant.name;
        out.push_str(&format!(
            "#EXT-X-MEDIA:TYPE=VIDEO,GROUP-ID=\"{name}\",NAME=\"{name}\",AUTOSELECT=YES,DEFAULT=YES\n"
        ));
        out.push_str(&format!(
            "#EXT-X-STREAM-INF:BANDWIDTH={}",
            variant.bandwidth
        ));
        if let Some((width, height)) = variant.size {
            out.push_str(&format!(",RESOLUTION={width}x{height}"));
        }
        out.push_str(&format!(",VIDEO=\"{name}\"\n{name}/index.m3u8"));
        if let Some(session) = session {
            out.push_str(&format!("?session={session}"));
        }
        out.push('\n');
    }
    out
}

/// The peak rate of the segments a media playlist lists (bits per second), from their sizes
/// (`size_of`) and durations; `None` before there are any.
pub fn peak_bandwidth(media: &str, size_of: impl Fn(&str) -> Option<u64>) -> Option<u64> {
    segment_entries(media)
        .filter_map(|(duration, uri)| {
            let bits = size_of(uri)? * 8;
            (duration > 0.0).then(|| (bits as f64 / duration) as u64)
        })
        .max()
}

/// `(duration, uri)` of each segment of a media playlist.
fn segment_entries(media: &str) -> impl Iterator<Item = (f64, &str)> {
    let mut duration = None;
    media.lines().filter_map(move |line| {
        if let Some(info) = line.strip_prefix("#EXTINF:") {
            duration = info.split(',').next().and_then(|d| d.trim().parse().ok());
            return None;
        }
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        Some((duration.take()?, line))
    })
}

/// How many segments past the last one listed a live playlist names as coming: the one being
/// written and the next, as Twitch's low-latency playlists (and IVS's) do.
const COMING: u64 = 2;

/// The number of a live segment: nginx-rtmp names the source's and the rungs' `N.ts`.
pub fn segment_number(uri: &str) -> Option<u64> {
    let digits = uri.strip_suffix(".ts")?;
    let number: u64 = digits.parse().ok()?;
    // Written as they write it: no sign, no leading zeros.
    (number.to_string() == digits).then_some(number)
}

/// The numbers of the segments a live media playlist names as coming (see [`COMING`]): after
/// its last one, unless the playlist has ended or its segments are not numbered.
fn coming_numbers(media: &str) -> Option<std::ops::RangeInclusive<u64>> {
    if has_ended(media) {
        return None;
    }
    let last = newest_number(media)?;
    Some(last + 1..=last + COMING)
}

/// Whether a media playlist says its broadcast ended (`#EXT-X-ENDLIST`): no segment comes after
/// its last.
pub fn has_ended(media: &str) -> bool {
    media
        .lines()
        .any(|line| line.trim_end() == "#EXT-X-ENDLIST")
}

/// `media` ended: what a live media playlist says once its broadcast is over.
pub fn ended(media: &str) -> String {
    if has_ended(media) {
        return media.to_owned();
    }
    let separator = if media.ends_with('\n') { "" } else { "\n" };
    format!("{media}{separator}#EXT-X-ENDLIST\n")
}

/// A live media playlist from its last discontinuity on: the segments of the stream being
/// written now. nginx-rtmp numbers a channel's next broadcast on from the last one's playlist,
/// and lists the last one's final segments before the first new one (behind a discontinuity)
/// until they slide out; the ladder marks an encoder started again the same way. A player
/// arriving then would play the end of the last broadcast first. The media sequence counts
/// what is left out, so a player that loaded it before sees the numbers go on.
pub fn since_last_break(media: &str) -> Cow<'_, str> {
    let is_uri = |line: &str| !line.is_empty() && !line.starts_with('#');
    let lines: Vec<&str> = media.lines().collect();
    let mut segments_before = 0;
    let mut cut = None;
    for (index, line) in lines.iter().enumerate() {
        if line.trim_end() == "#EXT-X-DISCONTINUITY" && segments_before > 0 {
            cut = Some((index, segments_before));
        } else if is_uri(line) {
            segments_before += 1;
        }
    }
    let Some((cut, dropped)) = cut else {
        return Cow::Borrowed(media);
    };
    // The playlist's own tags come before its first segment's.
    let header_end = lines
        .iter()
        .position(|line| {
            is_uri(line)
                || [
                    "#EXTINF:",
                    "#EXT-X-DISCONTINUITY",
                    "#EXT-X-PROGRAM-DATE-TIME:",
                ]
                .iter()
                .any(|tag| line.starts_with(tag))
        })
        .unwrap_or(0);
    let mut out = String::with_capacity(media.len());
    for line in lines[..header_end].iter().chain(&lines[cut..]) {
        match line.strip_prefix("#EXT-X-MEDIA-SEQUENCE:") {
            Some(first) => match first.trim().parse::<u64>() {
                Ok(first) => out.push_str(&format!("#EXT-X-MEDIA-SEQUENCE:{}", first + dropped)),
                Err(_) => out.push_str(line),
            },
            None => out.push_str(line),
        }
        out.push('\n');
    }
    Cow::Owned(out)
}

/// The number of the oldest segment a live media playlist lists.
pub fn oldest_number(media: &str) -> Option<u64> {
    let (_, first) = segment_entries(media).next()?;
    segment_number(first)
}

/// The number of the newest segment a live media playlist lists.
pub fn newest_number(media: &str) -> Option<u64> {
    let (_, last) = segment_entries(media).last()?;
    segment_number(last)
}

/// Whether `file` is a segment the live playlist `media` names as coming: not listed yet, being
/// written or about to be. Those are served as they are written (`growing_segments.rs`).
pub fn is_coming(media: &str, file: &str) -> bool {
    match (coming_numbers(media), segment_number(file)) {
        (Some(coming), Some(number)) => coming.contains(&number),
        _ => false,
    }
}

/// Whether the media playlist `media` lists `file` (so it is complete).
pub fn lists(media: &str, file: &str) -> bool {
    segment_entries(media).any(|(_, uri)| uri == file)
}

/// Prepares a playlist for the player:
/// - live playlists get `#EXT-X-PROGRAM-DATE-TIME` per segment (when its first frame arrived:
///   the file's time minus its duration), so players can tell how far behind live they are, as
///   with IVS's own playlists;
/// - live playlists name the segments being written and the next (LHLS's `#EXT-X-PREFETCH`,
///   which the IVS player reads): the player asks for them before they are listed and plays
///   their frames as they are written, rather than a segment's duration later;
/// - a private channel's segment URIs carry the playback session, since segments need it too.
pub fn rewrite_playlist(
    text: &str,
    modified: impl Fn(&str) -> Option<SystemTime>,
    session: Option<&str>,
) -> String {
    let mut out = String::with_capacity(text.len() + 256);
    let mut pending_info: Option<&str> = None;
    for line in text.lines() {
        if line.starts_with("#EXTINF:") {
            pending_info = Some(line);
            continue;
        }
        if line.starts_with('#') || line.is_empty() {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let duration = pending_info
            .and_then(|info| info.strip_prefix("#EXTINF:"))
            .and_then(|info| info.split(',').next())
            .and_then(|d| d.trim().parse::<f64>().ok());
        if let (Some(written), Some(duration)) = (modified(line), duration) {
            let start = OffsetDateTime::from(written) - time::Duration::seconds_f64(duration);
            let format = time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
            );
            if let Ok(stamp) = start.format(format) {
                out.push_str("#EXT-X-PROGRAM-DATE-TIME:");
                out.push_str(&stamp);
                out.push('\n');
            }
        }
        if let Some(info) = pending_info.take() {
            out.push_str(info);
            out.push('\n');
        }
        push_uri(&mut out, line, session);
    }
    for number in coming_numbers(text).into_iter().flatten() {
        out.push_str("#EXT-X-PREFETCH:");
        push_uri(&mut out, &format!("{number}.ts"), session);
    }
    out
}

/// A segment's URI on its own line, with the playback session of a private channel.
fn push_uri(out: &mut String, uri: &str, session: Option<&str>) {
    out.push_str(uri);
    if let Some(session) = session {
        out.push_str("?session=");
        out.push_str(session);
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_live_playlist_is_served_from_its_last_discontinuity() {
        // nginx-rtmp at a new broadcast's start: the last broadcast's end, then the new one.
        let restored = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-MEDIA-SEQUENCE:1\n\
            #EXT-X-TARGETDURATION:2\n#EXT-X-DISCONTINUITY\n#EXTINF:1.000,\n1.ts\n\
            #EXTINF:0.133,\n2.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:1.930,\n3.ts\n";
        assert_eq!(
            since_last_break(restored),
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-MEDIA-SEQUENCE:3\n#EXT-X-TARGETDURATION:2\n\
            #EXT-X-DISCONTINUITY\n#EXTINF:1.930,\n3.ts\n"
        );
        // A discontinuity before the first segment leaves nothing out.
        let fresh = "#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:3\n#EXT-X-DISCONTINUITY\n\
            #EXTINF:1.930,\n3.ts\n#EXTINF:1.000,\n4.ts\n";
        assert!(matches!(since_last_break(fresh), Cow::Borrowed(text) if text == fresh));
        assert!(matches!(since_last_break("#EXTM3U\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn live_playlists_get_program_date_times_and_private_ones_the_session() {
        let playlist =
            "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.000,\n7.ts\n#EXTINF:0.500,\n8.ts\n";
        let written = |segment: &str| {
            let seconds = if segment == "7.ts" { 100 } else { 101 };
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
        };
        let out = rewrite_playlist(playlist, written, Some("s3ss"));
        assert_eq!(
            out,
            "#EXTM3U\n#EXT-X-TARGETDURATION:1\n\
             #EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:01:39.000Z\n#EXTINF:1.000,\n7.ts?session=s3ss\n\
             #EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:01:40.500Z\n#EXTINF:0.500,\n8.ts?session=s3ss\n\
             #EXT-X-PREFETCH:9.ts?session=s3ss\n#EXT-X-PREFETCH:10.ts?session=s3ss\n"
        );
        // Public: no session; no times where the files are gone.
        assert_eq!(
            rewrite_playlist(playlist, |_| None, None),
            format!("{playlist}#EXT-X-PREFETCH:9.ts\n#EXT-X-PREFETCH:10.ts\n")
        );
        // An ended playlist, or one whose segments are not numbered, names nothing as coming.
        let ended = format!("{playlist}#EXT-X-ENDLIST\n");
        assert_eq!(rewrite_playlist(&ended, |_| None, None), ended);
        let named = "#EXTM3U\n#EXTINF:1.000,\nintro.ts\n";
        assert_eq!(rewrite_playlist(named, |_| None, None), named);
    }

    #[test]
    fn only_the_next_two_segments_of_a_live_playlist_are_coming() {
        let live = "#EXTM3U\n#EXTINF:1.000,\n7.ts\n#EXTINF:1.000,\n8.ts\n";
        assert!(lists(live, "8.ts") && !lists(live, "9.ts"));
        assert_eq!(
            (oldest_number(live), newest_number(live)),
            (Some(7), Some(8))
        );
        assert!(is_coming(live, "9.ts") && is_coming(live, "10.ts"));
        for not_coming in [
            "8.ts",
            "7.ts",
            "11.ts",
            "09.ts",
            "+9.ts",
            "9.ts.tmp",
            "9",
            "index.m3u8",
        ] {
            assert!(!is_coming(live, not_coming), "{not_coming}");
        }
        assert!(!is_coming(&format!("{live}#EXT-X-ENDLIST\n"), "9.ts"));
        assert!(
            !is_coming("#EXTM3U\n", "0.ts"),
            "nothing listed yet: nothing to count from"
        );
    }

    #[test]
    fn the_multivariant_playlist_names_each_quality_and_carries_the_session() {
        let variants = [
            Variant {
                name: "source",
                bandwidth: 3_200_000,
                size: None,
            },
            Variant {
                name: "160p",
                bandwidth: 300_000,
                size: Some((284, 160)),
            },
        ];
        assert_eq!(
            multivariant(&variants, Some("abc"), None),
            "#EXTM3U\n#EXT-X-INDEPENDENT-SEGMENTS\n\
             #EXT-X-MEDIA:TYPE=VIDEO,GROUP-ID=\"source\",NAME=\"source\",AUTOSELECT=YES,DEFAULT=YES\n\
             #EXT-X-STREAM-INF:BANDWIDTH=3200000,VIDEO=\"source\"\nsource/index.m3u8?session=abc\n\
             #EXT-X-MEDIA:TYPE=VIDEO,GROUP-ID=\"160p\",NAME=\"160p\",AUTOSELECT=YES,DEFAULT=YES\n\
             #EXT-X-STREAM-INF:BANDWIDTH=300000,RESOLUTION=284x160,VIDEO=\"160p\"\n160p/index.m3u8?session=abc\n"
        );
        assert!(multivariant(&variants[..1], None, None).ends_with("\nsource/index.m3u8\n"));
    }

    #[test]
    fn a_live_multivariant_playlist_says_the_servers_time_first() {
        let variants = [Variant {
            name: "source",
            bandwidth: 800_000,
            size: None,
        }];
        let now = SystemTime::UNIX_EPOCH + Duration::from_millis(1_796_333_153_456);
        let playlist = multivariant(&variants, None, Some(now));
        assert!(
            playlist.starts_with(
                "#EXTM3U\n#EXT-X-TWITCH-INFO:SERVER-TIME=\"1796333153.46\"\n\
                 #EXT-X-INDEPENDENT-SEGMENTS\n"
            ),
            "{playlist}"
        );
        assert!(playlist.ends_with("\nsource/index.m3u8\n"));
    }

    #[test]
    fn the_peak_rate_is_the_fastest_segment_listed() {
        let media = "#EXTM3U\n#EXTINF:2.000,\n1.ts\n#EXTINF:1.000,\n2.ts\n#EXTINF:1.0,\ngone.ts\n";
        let sizes = |segment: &str| match segment {
            "1.ts" => Some(500_000),
            "2.ts" => Some(400_000),
            _ => None,
        };
        assert_eq!(peak_bandwidth(media, sizes), Some(3_200_000));
        assert_eq!(peak_bandwidth("#EXTM3U\n", sizes), None);
    }
}
