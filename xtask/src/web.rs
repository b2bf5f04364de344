//! Building the browser app with Trunk.

use std::path::PathBuf;
use std::process::Command;

use anyhow::Result;

use crate::paths;
use crate::setup::{Tools, WasmToolchain, debian_wasm_linker};
use crate::util::{path_with, run, step};

/// Builds the browser app into `dist/` with the release profile (`wasm-release`, wasm-opt -Oz).
pub fn build(tools: &Tools) -> Result<()> {
    let _step = step("Building the browser app (trunk build --release)");
    let root = paths::repo_root();
    let mut cmd = Command::new(&tools.trunk);
    cmd.current_dir(&root).args(["build", "--release"]);
    let mut path = tools.wasm_tool_dirs.clone();
    if tools.wasm == WasmToolchain::Debian {
        // Trunk runs the `cargo` first on PATH and passes its environment on: put Debian's Rust
        // first and let it build std for wasm32. Scoped to this command so host builds are untouched.
        path.push(PathBuf::from("/usr/bin"));
        cmd.env_remove("RUSTUP_TOOLCHAIN")
            .env_remove("CARGO")
            .env("RUSTC", "/usr/bin/rustc")
            .env("RUSTC_BOOTSTRAP", "1")
            .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
            // Building std also allows aborting on panic without any panic formatting code:
            // ~20 KB less gzipped wasm. (Replaces the target flags of .cargo/config.toml, so
            // those are repeated here.)
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
                "--cfg erase_components -Zunstable-options -Cpanic=immediate-abort",
            );
        if let Some(linker) = debian_wasm_linker() {
            cmd.env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", linker);
        }
    }
    cmd.env("PATH", path_with(&path)?);
    run(&mut cmd)
}
