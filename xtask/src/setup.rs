//! `cargo xtask setup`: installs everything the project needs, idempotently.
//!
//! Sources are only the package registries: Debian's apt, crates.io, npm and PyPI. Built tools
//! (trunk, wasm-bindgen-cli) and the Python tools go to a per-user cache outside the checkout, so a
//! fresh clone on the same machine reuses them instead of compiling them again.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::paths;
use crate::util::{self, note, output, run, run_with_timeout, step, which};

/// The trunk release we install. 0.21 needs only Rust 1.81, so the machine's ordinary toolchain
/// builds it; 0.22 declares Rust 1.96.1. Built without default features: we never let trunk
/// download tools (no TLS stack needed) and never ask crates.io for updates.
pub const TRUNK_VERSION: &str = "0.21.14";

/// What the caller is about to do, which decides what must be installed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Purpose {
    /// Build the browser app and run the local stack.
    Dev,
    /// Everything `Dev` needs plus what the tests drive: Chromium, ChromeDriver, the Python tools.
    Test,
}

/// How the browser app's wasm32 code gets compiled on this machine.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum WasmToolchain {
    /// rustup's toolchain with the wasm32-unknown-unknown target installed; with its `rust-src`
    /// component std is rebuilt for the app as on the Debian path (smaller wasm, see web.rs).
    Rustup { std_sources: bool },
    /// Debian's rustc-web + rust-web-src, building std from source (`-Zbuild-std`), for machines
    /// where rustup cannot download the target.
    Debian,
}

impl WasmToolchain {
    /// Whether the browser build compiles std from source (`-Zbuild-std`).
    pub fn builds_std(self) -> bool {
        matches!(
            self,
            WasmToolchain::Debian | WasmToolchain::Rustup { std_sources: true }
        )
    }
}

/// Everything the build and test commands need to find, as resolved by [`setup`].
#[derive(Clone, Debug)]
pub struct Tools {
    pub wasm: WasmToolchain,
    pub trunk: PathBuf,
    /// wasm-bindgen-cli at the version Cargo.lock pins, and npm binaryen's wasm-opt.
    pub wasm_bindgen: PathBuf,
    pub wasm_opt: PathBuf,
    /// Directories holding wasm-bindgen and wasm-opt, to put in front of PATH for trunk.
    pub wasm_tool_dirs: Vec<PathBuf>,
    /// The Python virtual environment with moto, checkov and cargo-lambda (test purpose only).
    pub python_bin: Option<PathBuf>,
}

pub fn setup(purpose: Purpose) -> Result<Tools> {
    let root = paths::repo_root();
    let system = system_packages(purpose)?;
    let wasm = wasm_toolchain(system.debian)?;
    node_packages(&root)?;
    let wasm_bindgen_dir = wasm_bindgen_cli(&root)?;
    let trunk = trunk()?;
    fetch_crates(&root, wasm)?;
    let python_bin = if purpose == Purpose::Test {
        Some(crate::python::python_tools(&root)?)
    } else {
        None
    };
    Ok(Tools {
        wasm,
        trunk,
        wasm_bindgen: wasm_bindgen_dir.join("wasm-bindgen"),
        wasm_opt: root.join("node_modules/.bin/wasm-opt"),
        wasm_tool_dirs: vec![wasm_bindgen_dir, root.join("node_modules/.bin")],
        python_bin,
    })
}

struct SystemPackages {
    debian: bool,
}

/// Debian packages for the local stack and the tests. Elsewhere (a Mac, another distribution) we
/// only check that the commands exist and say what is missing.
fn system_packages(purpose: Purpose) -> Result<SystemPackages> {
    let _step = step("System packages");
    // gzip and brotli compress the app's files once at build time (`web_precompressed.rs`).
    let mut wanted = vec!["nginx", "libnginx-mod-rtmp", "ffmpeg", "gzip", "brotli"];
    if which("npm").is_none() {
        wanted.extend(["nodejs", "npm"]);
    }
    if purpose == Purpose::Test {
        // Korean text and the chat's emoji in screenshots need a Korean and an emoji font.
        wanted.extend([
            "chromium",
            "chromium-driver",
            "fonts-nanum",
            "fonts-noto-color-emoji",
        ]);
    }
    if which("dpkg-query").is_none() {
        let mut commands = vec!["nginx", "ffmpeg", "ffprobe", "npm", "gzip", "brotli"];
        if purpose == Purpose::Test {
            commands.extend(["chromium", "chromedriver"]);
        }
        let missing: Vec<_> = commands
            .into_iter()
            .filter(|c| which(c).is_none())
            .collect();
        if !missing.is_empty() {
            bail!(
                "not a Debian system and these commands are missing: {}. Install them with your \
                 package manager (nginx needs the RTMP module: nginx-mod-rtmp), then run again.",
                missing.join(", ")
            );
        }
        note("not Debian; the commands the project needs are present");
        return Ok(SystemPackages { debian: false });
    }
    apt_install(&wanted)?;
    Ok(SystemPackages { debian: true })
}

fn apt_missing(packages: &[&str]) -> Vec<String> {
    packages
        .iter()
        .filter(|package| {
            let status = output(Command::new("dpkg-query").args(["-W", "-f=${Status}", package]));
            status.as_deref() != Some("install ok installed")
        })
        .map(|p| (*p).to_owned())
        .collect()
}

/// Installs the Debian packages that are not installed yet (none: no apt call at all).
pub fn apt_install(packages: &[&str]) -> Result<()> {
    let missing = apt_missing(packages);
    if missing.is_empty() {
        note(format!("present: {}", packages.join(" ")));
        return Ok(());
    }
    note(format!("installing: {}", missing.join(" ")));
    let privileged = |program: &str| {
        // Root installs directly; anyone else goes through sudo (which may ask for a password).
        if is_root() {
            Command::new(program)
        } else {
            let mut cmd = Command::new("sudo");
            cmd.arg(program);
            cmd
        }
    };
    run(privileged("apt-get").arg("update").arg("-q"))?;
    run(privileged("apt-get")
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["install", "-y", "-q", "--no-install-recommends"])
        .args(&missing))?;
    Ok(())
}

fn is_root() -> bool {
    output(Command::new("id").arg("-u")).as_deref() == Some("0")
}

/// rustup's wasm32 target when it can be had quickly, otherwise Debian's Rust with std sources.
fn wasm_toolchain(debian: bool) -> Result<WasmToolchain> {
    let _step = step("WebAssembly toolchain");
    let has_rustup_target = || {
        output(Command::new("rustup").args(["target", "list", "--installed"]))
            .is_some_and(|targets| targets.lines().any(|t| t == "wasm32-unknown-unknown"))
    };
    if has_rustup_target() {
        note("rustup has wasm32-unknown-unknown");
        return Ok(WasmToolchain::Rustup {
            std_sources: rustup_std_sources()?,
        });
    }
    if debian && debian_wasm_ready() {
        note("using Debian's rustc-web with build-std (rustup has no wasm32 target)");
        return Ok(WasmToolchain::Debian);
    }
    if which("rustup").is_some() {
        // rustup blocks for minutes when its server is unreachable: give it a short window.
        let added = run_with_timeout(
            Command::new("rustup")
                .args(["target", "add", "wasm32-unknown-unknown"])
                .env("RUST_BACKTRACE", "0"),
            Duration::from_secs(45),
        )?;
        if added && has_rustup_target() {
            return Ok(WasmToolchain::Rustup {
                std_sources: rustup_std_sources()?,
            });
        }
        note("rustup could not add the target; falling back to Debian's Rust");
    }
    if !debian {
        bail!(
            "cannot get the wasm32-unknown-unknown target: run `rustup target add \
             wasm32-unknown-unknown` when online"
        );
    }
    apt_install(DEBIAN_WASM_PACKAGES)?;
    if !debian_wasm_ready() {
        bail!("Debian's rustc-web is installed but its std sources or wasm linker are missing");
    }
    Ok(WasmToolchain::Debian)
}

/// rustup's `rust-src`, which lets the browser build compile std with the app (as the Debian path
/// does): without it the build still works, with rustup's prebuilt std and ~13% more wasm.
fn rustup_std_sources() -> Result<bool> {
    if rustup_std_workspace().is_some() {
        return Ok(true);
    }
    // Same short window as for the target: rustup blocks for minutes when its server is away.
    let added = run_with_timeout(
        Command::new("rustup")
            .args(["component", "add", "rust-src"])
            .env("RUST_BACKTRACE", "0"),
        Duration::from_secs(45),
    )?;
    if added && rustup_std_workspace().is_some() {
        return Ok(true);
    }
    note("rustup could not add rust-src: the browser app is built with the prebuilt std (larger)");
    Ok(false)
}

/// The standard library's workspace in rustup's `rust-src`, when the component is installed.
fn rustup_std_workspace() -> Option<PathBuf> {
    let sysroot = output(Command::new("rustc").args(["--print", "sysroot"]))?;
    let workspace = Path::new(sysroot.trim()).join("lib/rustlib/src/rust/library/Cargo.toml");
    workspace.is_file().then_some(workspace)
}

/// Debian's Rust (1.96) with the std sources for `-Zbuild-std`, and lld for linking wasm.
const DEBIAN_WASM_PACKAGES: &[&str] = &["rustc-web", "cargo-web", "rust-web-src", "lld-22"];

fn debian_wasm_ready() -> bool {
    apt_missing(DEBIAN_WASM_PACKAGES).is_empty()
        && Path::new("/usr/lib/rustlib/src/rust/library/std").is_dir()
        && debian_wasm_linker().is_some()
}

/// rustc links wasm with `rust-lld`; Debian ships it only in rust-web-llvm (which pulls all of
/// LLVM), so we point cargo at lld's own wasm front end instead.
pub fn debian_wasm_linker() -> Option<PathBuf> {
    ["rust-lld", "wasm-ld-22", "wasm-ld"]
        .into_iter()
        .find_map(which)
}

/// npm packages from the committed lock file, and the IVS player bundled into one script.
fn node_packages(root: &Path) -> Result<()> {
    let _step = step("npm packages");
    let lock = fs::read(root.join("package-lock.json")).context("package-lock.json is missing")?;
    let stamp_path = root.join("node_modules/.cloumer-lock-stamp");
    let want = util::fingerprint(&lock);
    if fs::read_to_string(&stamp_path).ok().as_deref() == Some(want.as_str()) {
        note("node_modules matches package-lock.json");
    } else {
        run(Command::new("npm").current_dir(root).args([
            "ci",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ]))?;
        fs::write(&stamp_path, &want)?;
    }
    let bundle = root.join("vendor/ivs-player.js");
    let bundle_stamp = root.join("vendor/.stamp");
    if fs::read_to_string(&bundle_stamp).ok().as_deref() != Some(want.as_str()) || !bundle.exists()
    {
        fs::create_dir_all(root.join("vendor"))?;
        run(Command::new(root.join("node_modules/.bin/esbuild"))
            .current_dir(root)
            .args([
                "web/ivs-player-entry.js",
                "--bundle",
                "--format=iife",
                "--minify",
                "--platform=browser",
                "--log-level=warning",
                "--outfile=vendor/ivs-player.js",
            ]))?;
        fs::write(&bundle_stamp, &want)?;
    }
    Ok(())
}

/// The wasm-bindgen version locked in Cargo.lock; the CLI must match it exactly.
fn locked_wasm_bindgen_version(root: &Path) -> Result<String> {
    let lock = fs::read_to_string(root.join("Cargo.lock")).context("Cargo.lock is missing")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(version) = lines
                .next()
                .and_then(|l| l.strip_prefix("version = \""))
                .and_then(|l| l.strip_suffix('"'))
        {
            return Ok(version.to_owned());
        }
    }
    bail!("wasm-bindgen is not in Cargo.lock")
}

fn wasm_bindgen_cli(root: &Path) -> Result<PathBuf> {
    let version = locked_wasm_bindgen_version(root)?;
    let _step = step(format!("wasm-bindgen-cli {version}"));
    let wanted = format!("wasm-bindgen {version}");
    let dir = paths::tools_dir().join(format!("wasm-bindgen-{version}"));
    let bin = dir.join("bin");
    let reports =
        |path: &Path| output(Command::new(path).arg("--version")).as_deref() == Some(&wanted);
    if reports(&bin.join("wasm-bindgen")) {
        note(format!("found in {}", bin.display()));
        return Ok(bin);
    }
    if let Some(on_path) = which("wasm-bindgen").filter(|p| reports(p)) {
        note(format!("found {}", on_path.display()));
        return Ok(on_path.parent().expect("a file has a parent").to_path_buf());
    }
    note("compiling it from crates.io (about 10 minutes on 2 cores)");
    // Not --locked: its lock file asks for a webpki-roots release the registry no longer serves.
    run(Command::new("cargo")
        .args(["install", "wasm-bindgen-cli", "--version"])
        .arg(format!("={version}"))
        .arg("--root")
        .arg(&dir)
        .env("CARGO_TARGET_DIR", paths::tools_dir().join("build"))
        .envs(quick_release_profile()))?;
    remove_build_dir();
    Ok(bin)
}

fn trunk() -> Result<PathBuf> {
    let _step = step(format!("trunk {TRUNK_VERSION}"));
    let wanted = format!("trunk {TRUNK_VERSION}");
    let installed = paths::tools_dir()
        .join(format!("trunk-{TRUNK_VERSION}"))
        .join("bin/trunk");
    let reports =
        |path: &Path| output(Command::new(path).arg("--version")).as_deref() == Some(&wanted);
    if reports(&installed) {
        note(format!("found {}", installed.display()));
        return Ok(installed);
    }
    if let Some(on_path) = which("trunk").filter(|p| reports(p)) {
        note(format!("found {}", on_path.display()));
        return Ok(on_path);
    }
    note("compiling it from crates.io (about 6 minutes on 2 cores)");
    run(Command::new("cargo")
        .args([
            "install",
            "trunk",
            "--locked",
            "--no-default-features",
            "--version",
        ])
        .arg(format!("={TRUNK_VERSION}"))
        .arg("--root")
        .arg(
            installed
                .parent()
                .and_then(Path::parent)
                .expect("tools layout"),
        )
        .env("CARGO_TARGET_DIR", paths::tools_dir().join("build"))
        .envs(quick_release_profile()))?;
    remove_build_dir();
    Ok(installed)
}

/// Build tools spend their time waiting for cargo and the browser, not computing: optimising them
/// hard is wasted. Measured for trunk on 2 cores: 6 min instead of ~20 with its own profile.
fn quick_release_profile() -> [(&'static str, &'static str); 4] {
    [
        ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1"),
        ("CARGO_PROFILE_RELEASE_LTO", "false"),
        ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"),
        ("CARGO_PROFILE_RELEASE_DEBUG", "0"),
    ]
}

/// The intermediate files of `cargo install` (~1 GB); the installed binary is all we keep.
fn remove_build_dir() {
    let _ = fs::remove_dir_all(paths::tools_dir().join("build"));
}

/// Where Debian's rust-web-src puts the standard library's workspace.
const DEBIAN_STD_WORKSPACE: &str = "/usr/lib/rustlib/src/rust/library/Cargo.toml";

/// Trunk builds with `--offline`, so the crates for every target must be in cargo's cache first;
/// with build-std that includes the standard library's own dependencies (dlmalloc, …).
fn fetch_crates(root: &Path, wasm: WasmToolchain) -> Result<()> {
    let _step = step("Crates");
    run(Command::new("cargo")
        .current_dir(root)
        .args(["fetch", "--quiet"]))?;
    if wasm == (WasmToolchain::Rustup { std_sources: true })
        && let Some(workspace) = rustup_std_workspace()
    {
        run(Command::new("cargo")
            .args(["fetch", "--quiet", "--manifest-path"])
            .arg(workspace)
            .env("RUSTC_BOOTSTRAP", "1"))?;
    }
    if wasm == WasmToolchain::Debian {
        run(Command::new("/usr/bin/cargo")
            .args(["fetch", "--quiet", "--manifest-path", DEBIAN_STD_WORKSPACE])
            .env_remove("RUSTUP_TOOLCHAIN")
            .env("RUSTC", "/usr/bin/rustc")
            .env("RUSTC_BOOTSTRAP", "1"))?;
    }
    Ok(())
}
