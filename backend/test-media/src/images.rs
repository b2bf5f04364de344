//! Images drawn for upload tests: real files of each format emotes may have, in any size, and
//! animations of any length.

use std::io::Cursor;

use image::codecs::gif::{GifEncoder, Repeat};
use image::{Delay, Frame, ImageFormat, Rgba, RgbaImage};

/// A picture that is not one flat colour (a diagonal gradient with a dot), so decoding it is
/// real work and a screenshot shows it.
pub fn picture(width: u32, height: u32) -> RgbaImage {
    RgbaImage::from_fn(width, height, |x, y| {
        let shade = u8::try_from((x + y) * 255 / (width + height).max(1)).unwrap_or(255);
        let (cx, cy) = (width / 2, height / 2);
        let dot = x.abs_diff(cx).pow(2) + y.abs_diff(cy).pow(2) < (width.min(height) / 4).pow(2);
        if dot {
            Rgba([255, 214, 0, 255])
        } else {
            Rgba([shade, 40, 255 - shade, 255])
        }
    })
}

fn encode(image: &RgbaImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, format)
        .expect("encoding in memory");
    bytes.into_inner()
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    encode(&picture(width, height), ImageFormat::Png)
}

pub fn webp(width: u32, height: u32) -> Vec<u8> {
    encode(&picture(width, height), ImageFormat::WebP)
}

/// An animated GIF of `frames` frames, a tenth of a second each.
pub fn gif(width: u32, height: u32, frames: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut bytes);
        encoder.set_repeat(Repeat::Infinite).expect("in memory");
        for n in 0..frames {
            let mut picture = picture(width, height);
            picture.put_pixel(n % width, 0, Rgba([255, 255, 255, 255]));
            encoder
                .encode_frame(Frame::from_parts(
                    picture,
                    0,
                    0,
                    Delay::from_numer_denom_ms(100, 1),
                ))
                .expect("in memory");
        }
    }
    bytes
}
