//! Whole numbers as JSON writes them: `263` and `263.0` are the same integer to JSON (and to
//! JSON Schema's `integer`), so both are read; `263.5`, negatives and values past the type's
//! range are refused.

use serde::Deserialize;
use serde::de::{Deserializer, Error};

fn whole<'de, D: Deserializer<'de>>(deserializer: D, max: u32) -> Result<u32, D::Error> {
    let value = f64::deserialize(deserializer)?;
    if value.fract() != 0.0 || value < 0.0 || value > f64::from(max) {
        // The value is not echoed: printing a float would bring float formatting into the
        // browser app, which reads these types too. serde_json says where in the body it was.
        return Err(D::Error::custom(format!(
            "expected a whole number from 0 to {max}"
        )));
    }
    Ok(value as u32)
}

pub fn u8<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u8, D::Error> {
    whole(deserializer, u32::from(u8::MAX)).map(|v| v as u8)
}

pub fn u16<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u16, D::Error> {
    whole(deserializer, u32::from(u16::MAX)).map(|v| v as u16)
}

pub fn u32<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    whole(deserializer, u32::MAX)
}

/// Up to 2^53, the largest whole number a JSON double holds exactly (far past any file size).
pub fn u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    const MAX: f64 = 9_007_199_254_740_992.0;
    let value = f64::deserialize(deserializer)?;
    if value.fract() != 0.0 || !(0.0..=MAX).contains(&value) {
        return Err(D::Error::custom("expected a whole number from 0 to 2^53"));
    }
    Ok(value as u64)
}

pub fn vec_u32<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u32>, D::Error> {
    #[derive(Deserialize)]
    struct Whole(#[serde(deserialize_with = "whole_u32")] u32);
    fn whole_u32<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
        whole(deserializer, u32::MAX)
    }
    Ok(Vec::<Whole>::deserialize(deserializer)?
        .into_iter()
        .map(|Whole(v)| v)
        .collect())
}

pub fn option_u32<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    #[derive(Deserialize)]
    struct Whole(#[serde(deserialize_with = "whole_u32")] u32);
    fn whole_u32<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
        whole(deserializer, u32::MAX)
    }
    Ok(Option::<Whole>::deserialize(deserializer)?.map(|Whole(v)| v))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Sample {
        #[serde(deserialize_with = "super::u16")]
        small: u16,
        #[serde(default, deserialize_with = "super::option_u32")]
        large: Option<u32>,
    }

    #[test]
    fn whole_numbers_read_either_way_and_nothing_else() {
        let read = |json: &str| serde_json::from_str::<Sample>(json);
        assert_eq!(
            read(r#"{"small": 263.0, "large": 5256000}"#).unwrap(),
            Sample {
                small: 263,
                large: Some(5_256_000)
            }
        );
        assert_eq!(read(r#"{"small": 1}"#).unwrap().large, None);
        assert_eq!(read(r#"{"small": 1, "large": null}"#).unwrap().large, None);
        for bad in [
            r#"{"small": 1.5}"#,
            r#"{"small": -1}"#,
            r#"{"small": 65536}"#,
            r#"{"small": "1"}"#,
            r#"{"small": 1, "large": 4294967296}"#,
        ] {
            assert!(read(bad).is_err(), "{bad}");
        }
    }
}
