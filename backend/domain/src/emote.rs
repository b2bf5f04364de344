//! Custom emotes: small images a streamer uploads for their chat, which messages show where
//! `:code:` appears. Uploads are hostile: only a whole, small PNG, GIF or WebP image is kept.

use std::io::Cursor;

use image::codecs::gif::GifDecoder;
use image::codecs::png::PngDecoder;
use image::codecs::webp::WebPDecoder;
use image::{AnimationDecoder, ImageDecoder, ImageFormat, Limits};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::error::DomainError;
use crate::ids::{ChannelId, EmoteId};

/// A channel has at most this many emotes.
pub const MAX_EMOTES: usize = 50;
/// Largest file accepted (an emote is shown at 28 pixels high; 112×112 at most is plenty).
pub const MAX_EMOTE_BYTES: usize = 256 * 1024;
/// Smallest and largest width and height, in pixels.
pub const MIN_EMOTE_SIDE: u32 = 16;
pub const MAX_EMOTE_SIDE: u32 = 512;
/// The longer side is at most this many times the shorter (chat lines stay readable).
pub const MAX_EMOTE_ASPECT: u32 = 3;
/// An animated emote has at most this many frames.
pub const MAX_EMOTE_FRAMES: usize = 200;
/// What decoding one upload may allocate at once: a frame of the largest size is 1 MiB.
const MAX_DECODE_BYTES: u64 = 8 * 1024 * 1024;

/// What a message writes between colons: 2–24 letters, digits or `_`, at least one letter.
/// Case matters (`Hype` and `hype` are two emotes), as users of other platforms expect.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmoteCode(String);

impl EmoteCode {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let ok = (2..=24).contains(&input.len())
            && input
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && input.bytes().any(|b| b.is_ascii_alphabetic());
        if ok {
            Ok(Self(input.to_owned()))
        } else {
            Err(DomainError::invalid(
                "invalid_emote_code",
                "an emote code is 2–24 letters, digits or _, with at least one letter",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EmoteCode {
    type Error = DomainError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EmoteCode> for String {
    fn from(value: EmoteCode) -> Self {
        value.0
    }
}

/// The image formats an emote may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EmoteFormat {
    Png,
    Gif,
    Webp,
}

impl EmoteFormat {
    pub const ALL: [Self; 3] = [Self::Png, Self::Gif, Self::Webp];

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Gif => "gif",
            Self::Webp => "webp",
        }
    }
}

/// What an accepted upload turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EmoteImage {
    pub format: EmoteFormat,
    pub width: u32,
    pub height: u32,
    pub animated: bool,
}

fn refused(code: &'static str, message: impl Into<String>) -> DomainError {
    DomainError::invalid(code, message)
}

fn not_an_image(why: impl std::fmt::Display) -> DomainError {
    refused(
        "invalid_image",
        format!("the file is not a whole PNG, GIF or WebP image ({why})"),
    )
}

impl EmoteImage {
    /// Reads an upload. The bytes say what it is (whatever its name or declared type claim),
    /// and it is decoded to its last frame, so a file that merely starts like an image, a
    /// truncated one or a decompression bomb is refused before anything is kept.
    pub fn inspect(bytes: &[u8]) -> Result<Self, DomainError> {
        if bytes.len() > MAX_EMOTE_BYTES {
            return Err(refused(
                "image_too_large",
                format!("an emote file is at most {} KiB", MAX_EMOTE_BYTES / 1024),
            ));
        }
        let format = match image::guess_format(bytes) {
            Ok(ImageFormat::Png) => EmoteFormat::Png,
            Ok(ImageFormat::Gif) => EmoteFormat::Gif,
            Ok(ImageFormat::WebP) => EmoteFormat::Webp,
            _ => {
                return Err(refused(
                    "unsupported_image",
                    "an emote is a PNG, GIF or WebP image",
                ));
            }
        };
        let (width, height, frames) = match format {
            EmoteFormat::Png => {
                let mut decoder = PngDecoder::new(Cursor::new(bytes)).map_err(not_an_image)?;
                let (width, height) = checked_size(decoder.dimensions())?;
                decoder.set_limits(limits()).map_err(not_an_image)?;
                let frames = if decoder.is_apng().map_err(not_an_image)? {
                    count_frames(decoder.apng().map_err(not_an_image)?)?
                } else {
                    decode_one(decoder)?
                };
                (width, height, frames)
            }
            EmoteFormat::Gif => {
                let mut decoder = GifDecoder::new(Cursor::new(bytes)).map_err(not_an_image)?;
                let (width, height) = checked_size(decoder.dimensions())?;
                decoder.set_limits(limits()).map_err(not_an_image)?;
                (width, height, count_frames(decoder)?)
            }
            EmoteFormat::Webp => {
                let mut decoder = WebPDecoder::new(Cursor::new(bytes)).map_err(not_an_image)?;
                let (width, height) = checked_size(decoder.dimensions())?;
                decoder.set_limits(limits()).map_err(not_an_image)?;
                let frames = if decoder.has_animation() {
                    count_frames(decoder)?
                } else {
                    decode_one(decoder)?
                };
                (width, height, frames)
            }
        };
        Ok(Self {
            format,
            width,
            height,
            animated: frames > 1,
        })
    }
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_EMOTE_SIDE);
    limits.max_image_height = Some(MAX_EMOTE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    limits
}

/// Checked before any pixel is decoded.
fn checked_size((width, height): (u32, u32)) -> Result<(u32, u32), DomainError> {
    let sides = MIN_EMOTE_SIDE..=MAX_EMOTE_SIDE;
    if !sides.contains(&width) || !sides.contains(&height) {
        return Err(refused(
            "invalid_image_size",
            format!(
                "an emote is {MIN_EMOTE_SIDE}–{MAX_EMOTE_SIDE} pixels wide and high; this one is {width}×{height}"
            ),
        ));
    }
    if width.max(height) > width.min(height) * MAX_EMOTE_ASPECT {
        return Err(refused(
            "invalid_image_size",
            format!(
                "an emote's longer side is at most {MAX_EMOTE_ASPECT} times its shorter; this one is {width}×{height}"
            ),
        ));
    }
    Ok((width, height))
}

fn decode_one(decoder: impl ImageDecoder) -> Result<usize, DomainError> {
    let mut pixels = vec![0; usize::try_from(decoder.total_bytes()).map_err(not_an_image)?];
    decoder.read_image(&mut pixels).map_err(not_an_image)?;
    Ok(1)
}

fn count_frames<'a>(decoder: impl AnimationDecoder<'a>) -> Result<usize, DomainError> {
    let mut frames = 0;
    for frame in decoder.into_frames() {
        frame.map_err(not_an_image)?;
        frames += 1;
        if frames > MAX_EMOTE_FRAMES {
            return Err(refused(
                "too_many_frames",
                format!("an animated emote has at most {MAX_EMOTE_FRAMES} frames"),
            ));
        }
    }
    if frames == 0 {
        return Err(not_an_image("it has no frames"));
    }
    Ok(frames)
}

/// One of a channel's emotes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Emote {
    pub code: EmoteCode,
    pub id: EmoteId,
    pub format: EmoteFormat,
    pub width: u32,
    pub height: u32,
    pub animated: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub added_at: OffsetDateTime,
}

impl Emote {
    pub fn new(code: EmoteCode, image: EmoteImage, now: OffsetDateTime) -> Self {
        Self {
            code,
            id: EmoteId::generate(),
            format: image.format,
            width: image.width,
            height: image.height,
            animated: image.animated,
            added_at: now,
        }
    }

    /// Where its file is kept among the site's public files, which the site serves at `/<key>`.
    /// Made of ids we generated only: nothing a user typed reaches a path.
    pub fn file_key(&self, channel: &ChannelId) -> String {
        format!(
            "emotes/{}/{}.{}",
            channel.as_str(),
            self.id.as_str(),
            self.format.extension()
        )
    }
}
