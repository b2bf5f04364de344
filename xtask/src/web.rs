//! Building the browser app with Trunk.

use std::path::PathBuf;
use std::process::Command;

use anyhow::Result;

use crate::paths;
use crate::setup::{Tools, WasmToolchain, debian_wasm_linker};
use crate::util::{note, path_with, run, step};
use crate::{web_avatars, web_csp, web_precompressed, web_split};

/// Rust flags of the browser build, whichever toolchain builds it: Leptos' erased view types
/// (also in .cargo/config.toml, for `trunk serve`), the split points and the relocations the
/// splitter needs (see web_split.rs).
const WASM_RUSTFLAGS: &str = "--cfg erase_components --cfg cloumer_split -Clink-args=--emit-relocs";

/// Builds the browser app into `dist/` with the release profile (`wasm-release`, wasm-opt -Oz),
/// split into a main module and lazily loaded pages.
pub fn build(tools: &Tools) -> Result<web_split::SizeReport> {
    trunk_build(tools)?;
    let _step = step("Splitting the browser app's wasm (lazily loaded pages)");
    let root = paths::repo_root();
    let target_dir = paths::target_dir();
    let output = web_split::split_into_dist(
        &root.join("dist"),
        &target_dir.join("wasm32-unknown-unknown/wasm-release/cloumer-web.wasm"),
        &target_dir.join("wasm-split"),
        tools,
    )?;
    let index = root.join("dist/index.html");
    std::fs::write(
        &index,
        web_csp::restrict_scripts(&std::fs::read_to_string(&index)?)?,
    )?;
    let avatars = web_avatars::write_png_copies(&root.join("dist/avatars"))?;
    // Last: the copies must be of the files as served (index.html has its policy now).
    let copies = web_precompressed::write_copies(&root.join("dist"))?;
    note(format!(
        "{avatars} avatars drawn as PNG too (for link cards)"
    ));
    note(format!(
        "{} lazily loaded wasm files; {copies} files compressed beside them (gzip, brotli) for the local stack",
        output.chunks.len()
    ));
    let report = web_split::SizeReport::measure(&output)?;
    for line in report.lines() {
        note(line);
    }
    Ok(report)
}

fn trunk_build(tools: &Tools) -> Result<()> {
    let _step = step("Building the browser app (trunk build --release)");
    let root = paths::repo_root();
    let mut cmd = Command::new(&tools.trunk);
    cmd.current_dir(&root).args(["build", "--release"]);
    cmd.env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
        WASM_RUSTFLAGS,
    );
    let mut path = tools.wasm_tool_dirs.clone();
    if tools.wasm == WasmToolchain::Debian {
        // Trunk runs the `cargo` first on PATH and passes its environment on: put Debian's Rust
        // first. Scoped to this command so host builds are untouched.
        path.push(PathBuf::from("/usr/bin"));
        cmd.env_remove("RUSTUP_TOOLCHAIN")
            .env_remove("CARGO")
            .env("RUSTC", "/usr/bin/rustc");
        if let Some(linker) = debian_wasm_linker() {
            cmd.env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", linker);
        }
    }
    if tools.wasm.builds_std() {
        // std compiled with the app (the same LTO and size settings as our code), which also
        // allows aborting on panic without any panic formatting code: ~12% less gzipped wasm
        // than rustup's prebuilt std (162.1 → 143.3 KB for the first page). RUSTC_BOOTSTRAP only for this command.
        // No `Debug` output and no panic locations either (with immediate-abort nothing prints
        // them): the first page lost its derived Debug code, type and field names and source
        // paths (with integer arithmetic in src/time.rs, 149.8 → 124.8 KB). Nothing the app
        // shows or tests read may come from `{:?}` (see `ChatState::name`).
        cmd.env("RUSTC_BOOTSTRAP", "1")
            .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
                format!(
                    "{WASM_RUSTFLAGS} -Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none"
                ),
            );
    }
    cmd.env("PATH", path_with(&path)?);
    run(&mut cmd)
}
