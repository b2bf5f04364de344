//! Compressed copies of the browser app's files, written beside them in `dist/`: gzip
//! (`app.wasm.gz`) and brotli (`app.wasm.br`), for the local stack to send to browsers that
//! accept either (`backend/local/src/site.rs`), as CloudFront sends the same files in the cloud
//! (it compresses them itself, so the site upload leaves the copies out). Compressing once here,
//! at the highest level, beats compressing per request. `gzip -9` (flate2's best level came out
//! 1.4% larger on the first page's wasm) and `brotli -q 11`, the Debian tools the set-up installs;
//! the size report then reads these copies ([`sent_size`]), so it reports the very bytes the local
//! stack sends (gzip to every browser; brotli to those on localhost and over HTTPS).

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, ensure};

/// Kinds of file that compress: text and wasm. Images other than SVG are compressed already.
const COMPRESSIBLE: &[&str] = &["css", "html", "js", "json", "svg", "txt", "wasm"];

/// Smaller files gain too little to be worth a second copy (CloudFront's own lower bound).
const MIN_BYTES: u64 = 1_000;

/// How a browser takes the app's files: the copy it is sent, by its suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Gzip,
    Brotli,
}

impl Encoding {
    fn suffix(self) -> &'static str {
        match self {
            Encoding::Gzip => ".gz",
            Encoding::Brotli => ".br",
        }
    }
}

/// The compressed copies, each a command that writes `<file><suffix>` beside `<file>`, keeping
/// it and replacing an older copy. gzip leaves the file's name and time out of its header;
/// brotli's header has neither, and its copy takes the file's mode (with `-n` it would be
/// readable by its owner only).
const COPIES: &[(Encoding, &str, &[&str])] = &[
    (Encoding::Gzip, "gzip", &["-9", "-k", "-f", "-n", "--"]),
    (Encoding::Brotli, "brotli", &["-q", "11", "-k", "-f", "--"]),
];

/// Writes `<file>.gz` and `<file>.br` for every compressible file under `dist` (replacing older
/// copies). Returns how many files it compressed.
pub fn write_copies(dist: &Path) -> Result<usize> {
    let mut written = 0;
    for entry in std::fs::read_dir(dist).with_context(|| format!("reading {}", dist.display()))? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            written += write_copies(&path)?;
            continue;
        }
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COMPRESSIBLE.contains(&e));
        if !kind.is_file() || !compressible || entry.metadata()?.len() < MIN_BYTES {
            continue;
        }
        for (_, tool, args) in COPIES {
            let status = Command::new(tool)
                .args(*args)
                .arg(&path)
                .status()
                .with_context(|| format!("running {tool}"))?;
            ensure!(status.success(), "{tool} failed on {}", path.display());
        }
        written += 1;
    }
    Ok(written)
}

/// What a browser that takes `encoding` downloads for `path`: that copy's size, or the file's
/// own when it has no copy (sent as it is). The size report reads these rather than compressing
/// every file again (a chunk several pages share once per page).
pub fn sent_size(path: &Path, encoding: Encoding) -> Result<u64> {
    let mut copy = path.as_os_str().to_owned();
    copy.push(encoding.suffix());
    let copy = Path::new(&copy);
    let measured = if copy.is_file() { copy } else { path };
    Ok(std::fs::metadata(measured)
        .with_context(|| format!("reading {}", measured.display()))?
        .len())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn text_and_wasm_get_gzip_and_brotli_copies_and_small_or_compressed_files_do_not() {
        let dist = tempfile::tempdir().unwrap();
        let dir = dist.path();
        std::fs::create_dir(dir.join("avatars")).unwrap();
        let wasm: Vec<u8> = (0..10_000u32)
            .flat_map(|i| (i % 97).to_le_bytes())
            .collect();
        std::fs::write(dir.join("app-0123456789abcdef_bg.wasm"), &wasm).unwrap();
        std::fs::write(dir.join("avatars/cat.svg"), "<svg>".repeat(400)).unwrap();
        std::fs::write(dir.join("sw.js"), "tiny").unwrap();
        std::fs::write(dir.join("photo.png"), vec![7u8; 5_000]).unwrap();

        assert_eq!(write_copies(dir).unwrap(), 2);
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(
            std::fs::read(dir.join("app-0123456789abcdef_bg.wasm.gz"))
                .unwrap()
                .as_slice(),
        )
        .read_to_end(&mut plain)
        .unwrap();
        assert_eq!(plain, wasm);
        let brotli = Command::new("brotli")
            .args(["-d", "-c", "--"])
            .arg(dir.join("app-0123456789abcdef_bg.wasm.br"))
            .output()
            .unwrap();
        assert!(brotli.status.success());
        assert_eq!(brotli.stdout, wasm);
        use std::os::unix::fs::PermissionsExt;
        let mode = |name: &str| {
            std::fs::metadata(dir.join(name))
                .unwrap()
                .permissions()
                .mode()
                & 0o777
        };
        for copy in ["wasm.gz", "wasm.br"] {
            assert_eq!(
                mode(&format!("app-0123456789abcdef_bg.{copy}")),
                mode("app-0123456789abcdef_bg.wasm"),
                "{copy}"
            );
        }
        for (encoding, _, _) in COPIES {
            let suffix = encoding.suffix();
            assert!(dir.join(format!("avatars/cat.svg{suffix}")).is_file());
            assert!(!dir.join(format!("sw.js{suffix}")).exists());
            assert!(!dir.join(format!("photo.png{suffix}")).exists());
        }
        for (encoding, _, _) in COPIES {
            let copy = dir.join(format!("app-0123456789abcdef_bg.wasm{}", encoding.suffix()));
            assert_eq!(
                sent_size(&dir.join("app-0123456789abcdef_bg.wasm"), *encoding).unwrap(),
                std::fs::metadata(copy).unwrap().len()
            );
            assert_eq!(sent_size(&dir.join("sw.js"), *encoding).unwrap(), 4);
        }
        // A second build replaces the copies, and never compresses a copy.
        assert_eq!(write_copies(dir).unwrap(), 2);
        for name in ["wasm.gz.gz", "wasm.gz.br", "wasm.br.gz", "wasm.br.br"] {
            assert!(!dir.join(format!("app-0123456789abcdef_bg.{name}")).exists());
        }
    }
}
