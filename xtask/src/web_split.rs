//! Code splitting of the browser app, after Trunk has built it.
//!
//! Trunk 0.21 cannot split a wasm module, so `cargo xtask build-web` builds with
//! `--cfg cloumer_split` (the lazily loaded pages in src/lib.rs become split points) and
//! `--emit-relocs` (the splitter needs the linker's relocations), lets Trunk produce `dist/` as
//! usual, and then replaces Trunk's single module with the split one:
//!
//! 1. `wasm_split_cli_support` cuts cargo's raw wasm into a main module, one module per split
//!    point, shared chunks, and a small JS module that loads them on demand;
//! 2. every chunk is run through `wasm-opt -Oz --converge` and named by a hash of its content, so a browser
//!    or CDN cache never pairs an old chunk with a new main module;
//! 3. wasm-bindgen (keeping the linker exports the chunks import) and `wasm-opt -Oz --converge` produce the
//!    main module under Trunk's file names, its imports from the JS glue get short names (see
//!    `web_imports`), and the `integrity` hashes Trunk wrote into `index.html` are recomputed
//!    for it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};
use base64::Engine as _;
use sha2::{Digest, Sha384};

use crate::setup::Tools;
use crate::util::run;
use crate::web_imports;
use crate::web_precompressed::{Encoding, sent_size};

/// The JS module that loads split chunks, before it is named by its content.
const LINK_MODULE: &str = "__wasm_split.js";

/// What went into `dist/`, for the size report.
pub struct SplitOutput {
    pub main_js: PathBuf,
    pub main_wasm: PathBuf,
    pub link_js: PathBuf,
    pub chunks: Vec<PathBuf>,
    /// Each split point (a lazily loaded page) and the chunk files it needs, sorted by name.
    pub pages: Vec<(String, Vec<PathBuf>)>,
}

/// Splits `raw_wasm` (cargo's output, linked with `--emit-relocs`) into `dist`, replacing the
/// unsplit module Trunk wrote there. `work` is scratch space, emptied first.
pub fn split_into_dist(
    dist: &Path,
    raw_wasm: &Path,
    work: &Path,
    tools: &Tools,
) -> Result<SplitOutput> {
    let index_path = dist.join("index.html");
    let mut index = fs::read_to_string(&index_path)
        .with_context(|| format!("reading {}", index_path.display()))?;
    let main_js_name = asset_name(&index, "cloumer-web-", ".js")?;
    let main_stem = main_js_name.trim_end_matches(".js").to_string();
    let main_wasm_name = format!("{main_stem}_bg.wasm");
    ensure!(
        index.contains(&format!("/{main_wasm_name}")),
        "index.html does not load {main_wasm_name}"
    );

    if work.exists() {
        fs::remove_dir_all(work).with_context(|| format!("emptying {}", work.display()))?;
    }
    let chunk_dir = work.join("chunks");
    let bindgen_dir = work.join("bindgen");
    fs::create_dir_all(&chunk_dir)?;
    fs::create_dir_all(&bindgen_dir)?;

    let input = fs::read(raw_wasm).with_context(|| format!("reading {}", raw_wasm.display()))?;
    let split_main = work.join("main.wasm");
    let main_module = format!("./{main_js_name}");
    let link_name = format!("./{LINK_MODULE}");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = &chunk_dir;
        options.main_out_path = &split_main;
        options.main_module = &main_module;
        options.link_name = &link_name;
        options
    })
    .map_err(|error| anyhow::anyhow!("splitting the wasm module: {error:?}"))?;
    ensure!(
        !split.split_modules.is_empty(),
        "no split points found: was the app built with --cfg cloumer_split and --emit-relocs?"
    );

    // Chunks: optimise (a Node program each, so two at a time), then name by content.
    let optimised: Vec<(String, PathBuf)> = split
        .split_modules
        .iter()
        .map(|chunk| {
            let name = file_name(chunk)?;
            Ok((name.clone(), work.join(format!("opt-{name}"))))
        })
        .collect::<Result<_>>()?;
    let jobs: Vec<(&PathBuf, &PathBuf)> = split
        .split_modules
        .iter()
        .zip(optimised.iter().map(|(_, path)| path))
        .collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = jobs
            .chunks(jobs.len().div_ceil(2))
            .map(|batch| {
                scope.spawn(move || {
                    batch
                        .iter()
                        .try_for_each(|(input, output)| wasm_opt(&tools.wasm_opt, input, output))
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|worker| worker.join().expect("wasm-opt worker panicked"))
    })?;
    let mut link_js = fs::read_to_string(chunk_dir.join(LINK_MODULE))
        .context("the splitter wrote no loader module")?;
    let mut chunks = Vec::new();
    let mut hashed_by_stem = std::collections::HashMap::new();
    for (file_name, optimised) in &optimised {
        let bytes = fs::read(optimised)?;
        let stem = file_name.trim_end_matches(".wasm");
        let hashed = format!("{stem}-{}.wasm", content_hash(&bytes));
        let quoted = format!("\"./{file_name}\"");
        ensure!(
            link_js.contains(&quoted),
            "the loader module does not mention {file_name}"
        );
        link_js = link_js.replace(&quoted, &format!("\"./{hashed}\""));
        let destination = dist.join(&hashed);
        fs::write(&destination, bytes)?;
        hashed_by_stem.insert(stem.to_string(), destination.clone());
        chunks.push(destination);
    }
    let link_js_name = format!(
        "{}-{}.js",
        LINK_MODULE.trim_end_matches(".js"),
        content_hash(link_js.as_bytes())
    );
    let link_js_path = dist.join(&link_js_name);
    fs::write(&link_js_path, &link_js)?;

    // The main module: bindings, optimisation, Trunk's names.
    run(Command::new(&tools.wasm_bindgen)
        .args(["--target", "web", "--keep-lld-exports", "--no-demangle"])
        .arg("--out-dir")
        .arg(&bindgen_dir)
        .args(["--out-name", &main_stem])
        .arg(&split_main))?;
    ensure!(
        !bindgen_dir.join("snippets").exists(),
        "wasm-bindgen produced JS snippets; copy them into dist/ here before relying on them"
    );
    let main_wasm_path = dist.join(&main_wasm_name);
    wasm_opt(
        &tools.wasm_opt,
        &bindgen_dir.join(&main_wasm_name),
        &main_wasm_path,
    )?;
    let glue_module = format!("./{main_stem}_bg.js");
    let (short, renamed) = web_imports::shorten(&fs::read(&main_wasm_path)?, &glue_module)?;
    fs::write(&main_wasm_path, short)?;
    let glue = fs::read_to_string(bindgen_dir.join(&main_js_name))?;
    let glue = web_imports::rename_in_glue(&glue, &glue_module, &renamed)?;
    let glue = replace_module_specifier(&glue, &link_name, &format!("./{link_js_name}"))?;
    let main_js_path = dist.join(&main_js_name);
    fs::write(&main_js_path, &glue)?;

    for (name, bytes) in [
        (&main_js_name, glue.into_bytes()),
        (&main_wasm_name, fs::read(&main_wasm_path)?),
    ] {
        index = set_integrity(&index, &format!("/{name}"), &bytes)?;
    }
    fs::write(&index_path, index)?;

    let mut pages = split
        .prefetch_map
        .iter()
        .map(|(page, stems)| {
            let files = stems
                .iter()
                .map(|stem| {
                    hashed_by_stem
                        .get(stem)
                        .cloned()
                        .with_context(|| format!("{page} needs {stem}, which was not written"))
                })
                .collect::<Result<Vec<_>>>()?;
            Ok((page.clone(), files))
        })
        .collect::<Result<Vec<_>>>()?;
    pages.sort();

    Ok(SplitOutput {
        main_js: main_js_path,
        main_wasm: main_wasm_path,
        link_js: link_js_path,
        chunks,
        pages,
    })
}

/// Download sizes of the browser app, gzipped: what the first page needs and what each lazily
/// loaded page adds. Measured after `web_precompressed::write_copies`, as the bytes sent
/// ([`web_precompressed::sent_size`]). The budgets are gzip's (every browser takes it); the
/// brotli figures are what browsers get on localhost and over HTTPS.
pub struct SizeReport {
    /// Main wasm, its JS glue and the chunk loader: every page needs these.
    pub initial_wasm: u64,
    pub initial_js: u64,
    /// All wasm (main + every chunk).
    pub total_wasm: u64,
    /// Per lazily loaded page: its name and the extra wasm it loads.
    pub pages: Vec<(String, u64)>,
    /// The main wasm and all wasm again, as brotli sends them.
    pub brotli: (u64, u64),
}

impl SizeReport {
    pub fn measure(output: &SplitOutput) -> Result<Self> {
        let all_wasm = |encoding| -> Result<u64> {
            let mut total = sent_size(&output.main_wasm, encoding)?;
            for chunk in &output.chunks {
                total += sent_size(chunk, encoding)?;
            }
            Ok(total)
        };
        let gzip = |file: &Path| sent_size(file, Encoding::Gzip);
        let initial_wasm = gzip(&output.main_wasm)?;
        let initial_js = gzip(&output.main_js)? + gzip(&output.link_js)?;
        let pages = output
            .pages
            .iter()
            .map(|(page, files)| {
                let extra = files.iter().map(|file| gzip(file)).sum::<Result<u64>>()?;
                // Split point names end in a hash of their source location.
                let name = page
                    .rsplit_once('_')
                    .map_or(page.as_str(), |(name, _)| name);
                Ok((name.to_string(), extra))
            })
            .collect::<Result<_>>()?;
        Ok(Self {
            initial_wasm,
            initial_js,
            total_wasm: all_wasm(Encoding::Gzip)?,
            pages,
            brotli: (
                sent_size(&output.main_wasm, Encoding::Brotli)?,
                all_wasm(Encoding::Brotli)?,
            ),
        })
    }

    pub fn lines(&self) -> Vec<String> {
        let kb = |bytes: u64| format!("{:.1} KB", bytes as f64 / 1000.0);
        let mut lines = vec![
            format!(
                "first page (home): wasm {} + JS {} gzipped (brotli: wasm {})",
                kb(self.initial_wasm),
                kb(self.initial_js),
                kb(self.brotli.0)
            ),
            format!(
                "all wasm, every page loaded: {} gzipped (brotli: {})",
                kb(self.total_wasm),
                kb(self.brotli.1)
            ),
        ];
        for (page, extra) in &self.pages {
            lines.push(format!(
                "  {page}: +{} (wasm on arrival {})",
                kb(*extra),
                kb(self.initial_wasm + extra)
            ));
        }
        lines
    }
}

/// `-Oz` until it changes nothing more (`--converge`): each pass finds what the previous one
/// made possible; measured 0.3% smaller gzipped on the first page, a few seconds longer.
fn wasm_opt(wasm_opt: &Path, input: &Path, output: &Path) -> Result<()> {
    run(Command::new(wasm_opt)
        .args(["-Oz", "--converge"])
        .arg(input)
        .arg("-o")
        .arg(output))
}

fn file_name(path: &Path) -> Result<String> {
    path.file_name()
        .and_then(|name| name.to_str())
        .map(str::to_string)
        .with_context(|| format!("odd file name {}", path.display()))
}

/// The first file name in `html` that starts with `prefix` and ends with `suffix`.
fn asset_name(html: &str, prefix: &str, suffix: &str) -> Result<String> {
    for (start, _) in html.match_indices(prefix) {
        let rest = &html[start..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
            .unwrap_or(rest.len());
        let name = &rest[..end];
        if name.ends_with(suffix) && name.len() > prefix.len() + suffix.len() {
            return Ok(name.to_string());
        }
    }
    bail!("index.html names no {prefix}*{suffix} file")
}

/// 16 hex digits of the content's SHA-384: a cache-busting file name suffix.
fn content_hash(bytes: &[u8]) -> String {
    Sha384::digest(bytes)[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Points the `import … from` statements for `from` in wasm-bindgen's glue at `to`. Only the
/// statements: the glue also keys the wasm imports object by the original module name.
fn replace_module_specifier(glue: &str, from: &str, to: &str) -> Result<String> {
    let mut replaced = glue.to_string();
    let mut found = false;
    for quote in ['\'', '"'] {
        let needle = format!("from {quote}{from}{quote}");
        if replaced.contains(&needle) {
            replaced = replaced.replace(&needle, &format!("from {quote}{to}{quote}"));
            found = true;
        }
    }
    ensure!(found, "wasm-bindgen's glue does not import {from}");
    Ok(replaced)
}

/// Rewrites the `integrity` attribute of every tag whose `href` is `href` to the SHA-384 of
/// `bytes` (Subresource Integrity, as Trunk writes it).
fn set_integrity(html: &str, href: &str, bytes: &[u8]) -> Result<String> {
    let digest = base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes));
    let attribute = format!("href=\"{href}\"");
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut tags = 0;
    while let Some(at) = rest.find(&attribute) {
        let tag_end = rest[at..]
            .find('>')
            .map(|end| at + end)
            .context("unterminated tag in index.html")?;
        let tag = &rest[at..tag_end];
        out.push_str(&rest[..at]);
        match tag.find("integrity=\"") {
            Some(value_at) => {
                let value_start = value_at + "integrity=\"".len();
                let value_end = tag[value_start..]
                    .find('"')
                    .map(|end| value_start + end)
                    .context("unterminated integrity attribute")?;
                out.push_str(&tag[..value_start]);
                out.push_str("sha384-");
                out.push_str(&digest);
                out.push_str(&tag[value_end..]);
                tags += 1;
            }
            None => out.push_str(tag),
        }
        rest = &rest[tag_end..];
    }
    out.push_str(rest);
    ensure!(tags > 0, "index.html has no integrity hash for {href}");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = r#"<script type="module">
import init, * as bindings from '/cloumer-web-ce01.js';
const wasm = await init({ module_or_path: '/cloumer-web-ce01_bg.wasm' });
</script>
<link rel="modulepreload" href="/cloumer-web-ce01.js" crossorigin="anonymous" integrity="sha384-OLD"><link rel="preload" href="/cloumer-web-ce01_bg.wasm" crossorigin="anonymous" integrity="sha384-OLDWASM" as="fetch" type="application/wasm"></head>"#;

    #[test]
    fn finds_trunks_hashed_names() {
        assert_eq!(
            asset_name(INDEX, "cloumer-web-", ".js").unwrap(),
            "cloumer-web-ce01.js"
        );
        assert!(asset_name(INDEX, "cloumer-web-", ".css").is_err());
    }

    #[test]
    fn integrity_is_recomputed_for_the_named_file_only() {
        let html = set_integrity(INDEX, "/cloumer-web-ce01.js", b"new glue").unwrap();
        let expected =
            base64::engine::general_purpose::STANDARD.encode(Sha384::digest(b"new glue"));
        assert!(html.contains(&format!(
            "href=\"/cloumer-web-ce01.js\" crossorigin=\"anonymous\" integrity=\"sha384-{expected}\">"
        )));
        assert!(html.contains("integrity=\"sha384-OLDWASM\""));
        assert!(!html.contains("sha384-OLD\""));
        assert!(set_integrity(INDEX, "/missing.js", b"").is_err());
    }

    #[test]
    fn the_loader_import_is_repointed() {
        let glue = "import * as import1 from \"./__wasm_split.js\"\nconst imports = { \"./__wasm_split.js\": import1 };";
        let out =
            replace_module_specifier(glue, "./__wasm_split.js", "./__wasm_split-ab.js").unwrap();
        assert_eq!(
            out,
            "import * as import1 from \"./__wasm_split-ab.js\"\nconst imports = { \"./__wasm_split.js\": import1 };"
        );
        assert!(replace_module_specifier(glue, "./other.js", "./x.js").is_err());
    }

    #[test]
    fn content_hashes_differ_by_content() {
        assert_eq!(content_hash(b"a").len(), 16);
        assert_ne!(content_hash(b"a"), content_hash(b"b"));
        assert_eq!(content_hash(b"a"), content_hash(b"a"));
    }
}
