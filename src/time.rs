//! Times as the API sends them (RFC 3339, UTC) and as people read them. Pure functions, so they
//! are unit-tested on the host; the browser's clock comes in as a number of milliseconds.

use crate::decimal::digits;

/// Milliseconds since the Unix epoch of an RFC 3339 UTC time such as
/// `2026-11-22T12:34:56.123456789Z` (offsets other than `Z`/`+00:00` are applied too).
pub fn parse_rfc3339_ms(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    if bytes.len() < 20
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || !matches!(bytes[10], b'T' | b't' | b' ')
    {
        return None;
    }
    let number = |range: std::ops::Range<usize>| digits(text.get(range)?);
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &text[19..];
    // Whole nanoseconds, read as an integer: parsing a decimal fraction as a float would bring
    // the float parser (~3 KB) into the first page's wasm for this alone. Digits past the ninth
    // are finer than a nanosecond and dropped.
    let mut nanoseconds = 0;
    if let Some(after_dot) = rest.strip_prefix('.') {
        let count = after_dot.bytes().take_while(u8::is_ascii_digit).count();
        let kept = count.min(9);
        nanoseconds = digits(&after_dot[..kept])? * 10_i64.pow(9 - kept as u32);
        rest = &after_dot[count..];
    }
    let offset_minutes = match rest.as_bytes() {
        b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let minutes = digits(&rest[1..3])? * 60 + digits(&rest[4..6])?;
            if *sign == b'-' { -minutes } else { minutes }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds as f64 * 1000.0 + nanoseconds as f64 / 1_000_000.0)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A running time as a clock: `42:07` or `1:02:03`.
pub fn clock(milliseconds: f64) -> String {
    let total = (milliseconds.max(0.0) / 1000.0).floor() as u64;
    let (hours, minutes, seconds) = (total / 3600, (total % 3600) / 60, total % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

/// How long ago, in the largest whole unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ago {
    JustNow,
    Minutes(u64),
    Hours(u64),
    Days(u64),
}

pub fn ago(then_ms: f64, now_ms: f64) -> Ago {
    let minutes = ((now_ms - then_ms).max(0.0) / 60_000.0) as u64;
    match minutes {
        0 => Ago::JustNow,
        m if m < 60 => Ago::Minutes(m),
        m if m < 60 * 24 => Ago::Hours(m / 60),
        m => Ago::Days(m / (60 * 24)),
    }
}

/// A compact viewer count: 999, 1.2K, 12K, 1.5M. Rounded down, as the big platforms do, so a
/// count never claims viewers not yet there (1,999 is 1.9K). Integer arithmetic: float
/// formatting would cost the first page's wasm ~2 KB.
pub fn compact_count(n: u64) -> String {
    let with_tenths = |unit: u64, suffix: char| match (n / unit, n / (unit / 10) % 10) {
        (whole, 0) => format!("{whole}{suffix}"),
        (whole, tenths) => format!("{whole}.{tenths}{suffix}"),
    };
    match n {
        0..=999 => n.to_string(),
        1_000..=9_999 => with_tenths(1_000, 'K'),
        10_000..=999_999 => format!("{}K", n / 1000),
        _ => with_tenths(1_000_000, 'M'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_times_with_nanoseconds_and_offsets_parse() {
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(
            parse_rfc3339_ms("2026-11-22T12:34:56Z"),
            Some(1_795_350_896_000.0)
        );
        let precise = parse_rfc3339_ms("2026-11-22T12:34:56.123456789Z").unwrap();
        assert!((precise - 1_795_350_896_123.456_8).abs() < 0.01);
        // Short fractions are tenths and hundredths; digits past the nanosecond are dropped.
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:01.5Z"), Some(1_500.0));
        assert_eq!(
            parse_rfc3339_ms("1970-01-01T00:00:00.25+00:00"),
            Some(250.0)
        );
        assert_eq!(
            parse_rfc3339_ms("1970-01-01T00:00:00.0000010009Z"),
            Some(0.001)
        );
        assert_eq!(
            parse_rfc3339_ms("2026-11-22T21:34:56+09:00"),
            Some(1_795_350_896_000.0)
        );
        for bad in [
            "",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2026-11-22T12:34:56",
            "2026-11-22T12:34:56.Z",
            "2026-11-22T12:34:56.5x",
            // Not a panic (which would end the whole app) on bytes that are not ASCII.
            "2026-11-22T12:34:56é1234",
            "2026-11-22T12:34:56.5é234",
            "2026-11-22T12:34:56+é:00",
            // Signs are not digits.
            "2026-+1-22T12:34:56Z",
            "2026-11-22T12:34:56++1:00",
        ] {
            assert_eq!(parse_rfc3339_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn running_times_read_like_a_clock() {
        assert_eq!(clock(0.0), "0:00");
        assert_eq!(clock(65_900.0), "1:05");
        assert_eq!(clock(3_723_000.0), "1:02:03");
        assert_eq!(clock(-5.0), "0:00");
    }

    #[test]
    fn ago_picks_the_largest_whole_unit() {
        assert_eq!(ago(0.0, 30_000.0), Ago::JustNow);
        assert_eq!(ago(0.0, 5.0 * 60_000.0), Ago::Minutes(5));
        assert_eq!(ago(0.0, 3.0 * 3_600_000.0), Ago::Hours(3));
        assert_eq!(ago(0.0, 50.0 * 3_600_000.0), Ago::Days(2));
    }

    #[test]
    fn viewer_counts_are_compact() {
        assert_eq!(compact_count(999), "999");
        assert_eq!(compact_count(1_000), "1K");
        assert_eq!(compact_count(1_250), "1.2K");
        assert_eq!(compact_count(12_345), "12K");
        assert_eq!(compact_count(1_500_000), "1.5M");
        // Rounded down, never up to a count not reached.
        assert_eq!(compact_count(1_999), "1.9K");
        assert_eq!(compact_count(999_999), "999K");
        assert_eq!(compact_count(1_000_000), "1M");
        assert_eq!(compact_count(12_987_654), "12.9M");
    }
}
