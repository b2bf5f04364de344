//! PNG copies of the built-in avatars (`dist/avatars/<name>.png` beside each `<name>.svg`), drawn
//! at build time. The app shows the SVGs; the PNGs are for what draws no SVG: the crawlers that
//! draw a shared link's card (a channel's card shows its streamer's avatar while it is offline)
//! and the media controls of systems that may not decode SVG artwork.

use std::path::Path;

use anyhow::{Context, Result, ensure};
use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{Options, Tree};

/// The copies' width and height in pixels: above the 200 × 200 that Facebook's cards ask for,
/// and what a square card shows at twice its size on a high-density screen.
pub const PNG_SIDE: u32 = 256;

/// Writes `<name>.png` beside every `<name>.svg` in `dir` (replacing older copies). Returns how
/// many it wrote.
pub fn write_png_copies(dir: &Path) -> Result<usize> {
    let mut written = 0;
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("svg") {
            continue;
        }
        let svg = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let png = draw_png(&svg).with_context(|| format!("drawing {}", path.display()))?;
        std::fs::write(path.with_extension("png"), png)?;
        written += 1;
    }
    Ok(written)
}

/// The picture `svg` describes, scaled to [`PNG_SIDE`] square, as a PNG.
fn draw_png(svg: &[u8]) -> Result<Vec<u8>> {
    let tree = Tree::from_data(svg, &Options::default())?;
    let size = tree.size();
    ensure!(
        size.width() > 0.0 && size.height() > 0.0,
        "the picture has no size"
    );
    let mut pixmap = Pixmap::new(PNG_SIDE, PNG_SIDE).context("allocating the picture")?;
    let side = PNG_SIDE as f32;
    resvg::render(
        &tree,
        Transform::from_scale(side / size.width(), side / size.height()),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap.encode_png()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rgba(png: &[u8], x: u32, y: u32) -> [u8; 4] {
        let pixel = Pixmap::decode_png(png).unwrap().pixel(x, y).unwrap();
        [pixel.red(), pixel.green(), pixel.blue(), pixel.alpha()]
    }

    #[test]
    fn a_drawing_becomes_a_png_of_its_colours_at_the_card_size() {
        let dir = tempfile::tempdir().unwrap();
        // Left half red, right half see-through, drawn in a 64-unit box as the avatars are.
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="32" height="64" fill="#ff0000"/></svg>"##;
        std::fs::write(dir.path().join("red.svg"), svg).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a picture").unwrap();

        assert_eq!(write_png_copies(dir.path()).unwrap(), 1);
        let png = std::fs::read(dir.path().join("red.png")).unwrap();
        let decoded = Pixmap::decode_png(&png).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (PNG_SIDE, PNG_SIDE));
        assert_eq!(rgba(&png, 10, 128), [255, 0, 0, 255]);
        assert_eq!(rgba(&png, PNG_SIDE - 10, 128)[3], 0);
        assert!(!dir.path().join("notes.png").exists());
    }

    #[test]
    fn a_file_that_is_no_picture_fails_the_build_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("broken.svg"), "<svg").unwrap();
        let error = format!("{:#}", write_png_copies(dir.path()).unwrap_err());
        assert!(error.contains("broken.svg"), "{error}");
    }

    /// Every avatar the app ships draws: an opaque face in the middle, see-through corners
    /// (they are round).
    #[test]
    fn every_built_in_avatar_draws() {
        let assets = crate::paths::repo_root().join("assets/avatars");
        let dir = tempfile::tempdir().unwrap();
        let mut names = Vec::new();
        for entry in std::fs::read_dir(&assets).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
            names.push(path.file_stem().unwrap().to_str().unwrap().to_owned());
        }
        assert_eq!(write_png_copies(dir.path()).unwrap(), names.len());
        assert!(names.len() >= 8, "{names:?}");
        for name in names {
            let png = std::fs::read(dir.path().join(format!("{name}.png"))).unwrap();
            assert_eq!(rgba(&png, PNG_SIDE / 2, PNG_SIDE / 2)[3], 255, "{name}");
            assert_eq!(rgba(&png, 1, 1)[3], 0, "{name}");
        }
    }
}
