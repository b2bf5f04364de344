//! Numbers with a fixed count of decimals, written and read with integer arithmetic: Rust's
//! float formatting and parsing (`{:.2}`, `f64::to_string`, `str::parse::<f64>`) would bring
//! ~10 KB of the standard library's float code into the pages that show a volume, a position
//! or a size. Pure functions, unit-tested on the host.

/// `value` with `places` decimals (at most 6), rounded half away from zero: `fixed(0.755, 2)`
/// is "0.76" (what `{:.2}` would say up to float noise); not-a-number and infinities are "0".
pub fn fixed(value: f64, places: u32) -> String {
    let places = places.min(6);
    let scale = 10_u64.pow(places);
    let scaled = (value.abs() * scale as f64).round();
    if !scaled.is_finite() {
        return "0".to_owned();
    }
    // Saturates far beyond anything a page shows (u64::MAX in the last place).
    let scaled = scaled as u64;
    let sign = if value < 0.0 && scaled != 0 { "-" } else { "" };
    let whole = scaled / scale;
    if places == 0 {
        return format!("{sign}{whole}");
    }
    let fraction = scaled % scale;
    format!("{sign}{whole}.{fraction:0width$}", width = places as usize)
}

/// A number as [`fixed`] writes it ("0.75", "1", "-2.5"); `None` for anything else.
pub fn parse_fixed(text: &str) -> Option<f64> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) if fraction.len() <= 6 => (whole, Some(fraction)),
        Some(_) => return None,
        None => (unsigned, None),
    };
    if whole.len() > 15 {
        return None;
    }
    let mut value = digits(whole)? as f64;
    if let Some(fraction) = fraction {
        value += digits(fraction)? as f64 / 10_f64.powi(fraction.len() as i32);
    }
    Some(if negative { -value } else { value })
}

/// The value of a run of ASCII digits; `None` for anything else, an empty run or a sign (which
/// `str::parse` would accept).
pub fn digits(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_writes_what_float_formatting_would() {
        for (value, places) in [
            (0.0, 2),
            (1.0, 2),
            (0.75, 2),
            (0.05, 2),
            (12.345_6, 1),
            (99.999, 2),
            (33.333_333, 2),
            (1_234_567.891, 1),
            (0.4, 0),
            (57.0, 0),
            (-2.5, 1),
        ] {
            assert_eq!(
                fixed(value, places),
                format!("{value:.prec$}", prec = places as usize),
                "{value} to {places} places"
            );
        }
        // Halves round away from zero where `{:.N}` rounds to even.
        assert_eq!(fixed(0.5, 0), "1");
        assert_eq!(fixed(-0.001, 2), "0.00");
        assert_eq!(fixed(f64::NAN, 2), "0");
        assert_eq!(fixed(f64::INFINITY, 1), "0");
    }

    #[test]
    fn what_fixed_writes_reads_back_and_nothing_else_does() {
        for text in ["0.75", "1.00", "0", "1", "0.05", "-2.5", "12345.6"] {
            let value = parse_fixed(text).unwrap();
            assert_eq!(value, text.parse::<f64>().unwrap(), "{text}");
        }
        assert_eq!(
            parse_fixed("0.75").map(|v| fixed(v, 2)),
            Some("0.75".into())
        );
        for text in [
            "",
            "-",
            ".5",
            "1.",
            "1.2.3",
            "1e3",
            "NaN",
            "inf",
            " 1",
            "1 ",
            "+1",
            "0x1",
            "1,5",
            "0.1234567",
            "9999999999999999",
        ] {
            assert_eq!(parse_fixed(text), None, "{text:?}");
        }
    }
}
