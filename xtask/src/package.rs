//! `cargo xtask package`: the deployable zip of the Lambda functions binary for `provided.al2023`,
//! built by cargo-lambda (zig as the linker, so the binary links against an old glibc), then
//! checked: the zip holds a `bootstrap` for the right machine that needs no newer glibc than
//! Amazon Linux 2023 ships. Every function deploys this one zip; its handler picks the function.

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::paths;
use crate::util::{note, output, path_with, run, run_with_timeout, step, which};

/// Amazon Linux 2023 (the `provided.al2023` runtime) has glibc 2.34.
pub const MAX_GLIBC: (u32, u32) = (2, 34);

/// A Lambda architecture we can build for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Architecture {
    /// Lambda's name, also the directory under `target/lambda/`.
    pub lambda: &'static str,
    pub rust_target: &'static str,
    /// The ELF header's `e_machine`.
    pub elf_machine: u16,
}

pub const X86_64: Architecture = Architecture {
    lambda: "x86_64",
    rust_target: "x86_64-unknown-linux-gnu",
    elf_machine: goblin::elf::header::EM_X86_64,
};
pub const ARM64: Architecture = Architecture {
    lambda: "arm64",
    rust_target: "aarch64-unknown-linux-gnu",
    elf_machine: goblin::elf::header::EM_AARCH64,
};

/// The one Lambda binary (`backend/lambda/src/bin/functions/`): its zip is
/// `target/lambda/<architecture>/functions/bootstrap.zip`, which Terraform deploys.
pub const BINARY: &str = "functions";

/// Where `package` leaves the zip for `architecture` (Terraform's `local.lambda_zip`).
fn zip_path(root: &Path, architecture: Architecture) -> PathBuf {
    root.join("target/lambda")
        .join(architecture.lambda)
        .join(BINARY)
        .join("bootstrap.zip")
}

/// Builds and checks the zip for the architecture the functions run on; returns that
/// architecture.
///
/// arm64 (Graviton, about 20% cheaper per GB-second) when its Rust standard library is installed
/// or rustup can add it (`rustup target add aarch64-unknown-linux-gnu`, with a short timeout
/// because rustup blocks for minutes when its server is unreachable); x86_64 otherwise, or when
/// asked for. One architecture only: a cold release build of the functions takes minutes on 2
/// cores, and `deploy` tells Terraform which one it got.
pub fn package(python_bin: &Path, wanted: Option<Architecture>) -> Result<Architecture> {
    let root = paths::repo_root();
    let architecture = wanted.unwrap_or_else(lambda_architecture);
    let _step = step(format!("Lambda package ({})", architecture.lambda));
    run(&mut build_command(&root, python_bin, architecture, false)?)?;
    check_built(&root, architecture)?;
    Ok(architecture)
}

/// arm64 where its standard library can be had, else x86_64 (see `package`).
fn lambda_architecture() -> Architecture {
    if arm64_std_available() {
        return ARM64;
    }
    note(format!(
        "building x86_64: the {} standard library is not installed and rustup could not add it \
         (rustup target add {0})",
        ARM64.rust_target
    ));
    X86_64
}

/// The release build that leaves the zip in `target/lambda/<architecture>/`; at the lowest CPU
/// priority when `in_background`.
fn build_command(
    root: &Path,
    python_bin: &Path,
    architecture: Architecture,
    in_background: bool,
) -> Result<Command> {
    let mut command = if in_background {
        let mut nice = Command::new("nice");
        nice.args(["-n", "19", "cargo"]);
        nice
    } else {
        Command::new("cargo")
    };
    command
        .current_dir(root)
        .env("PATH", path_with(&[python_bin.to_path_buf()])?)
        .args(["lambda", "build", "--release", "--locked", "--target"])
        .arg(architecture.rust_target)
        .args([
            "--output-format",
            "zip",
            "--package",
            "cloumer-lambda",
            "--lambda-dir",
        ])
        .arg(root.join("target/lambda").join(architecture.lambda));
    Ok(command)
}

/// Checks the zip a build left (see `check_zip`) and reports its size and glibc needs.
fn check_built(root: &Path, architecture: Architecture) -> Result<()> {
    let zip = zip_path(root, architecture);
    let glibc =
        check_zip(&zip, architecture).with_context(|| format!("checking {}", zip.display()))?;
    let size = fs::metadata(&zip)?.len();
    note(format!(
        "{}: {:.1} MB, needs glibc {}.{} (≤ {}.{})",
        zip.strip_prefix(root).unwrap_or(&zip).display(),
        size as f64 / 1e6,
        glibc.0,
        glibc.1,
        MAX_GLIBC.0,
        MAX_GLIBC.1
    ));
    Ok(())
}

/// The package build `cargo xtask test` starts before its lints and collects after its tests.
///
/// A cold release build of the functions is 13 minutes of two cores' work, and the steps before
/// it leave a core idle for stretches (the browser app's single-threaded link-time optimisation
/// and splitting, the tails of the lints' and tests' builds). At the lowest CPU priority the build
/// takes mostly that idle time; it is paused while the tests run (see `pause`). It
/// builds in its own profile directories (`target/release`, `target/<target>/release`), so it
/// never waits on the foreground's cargo lock, and in its own process group, which is stopped
/// whole if `xtask` stops first. Its output goes to a log, printed when the build fails.
pub struct BackgroundPackage {
    child: Option<Child>,
    architecture: Architecture,
    log: PathBuf,
    started: Instant,
}

pub fn start_in_background(python_bin: &Path) -> Result<BackgroundPackage> {
    let root = paths::repo_root();
    let architecture = lambda_architecture();
    let log = root
        .join("target/lambda")
        .join(format!("{}-build.log", architecture.lambda));
    fs::create_dir_all(log.parent().context("the log has a directory")?)?;
    let output = fs::File::create(&log).with_context(|| format!("creating {}", log.display()))?;
    let mut command = build_command(&root, python_bin, architecture, true)?;
    println!(
        "==> Lambda package ({}) building in the background: {}",
        architecture.lambda,
        log.strip_prefix(&root).unwrap_or(&log).display()
    );
    let child = command
        .stdin(Stdio::null())
        .stdout(output.try_clone()?)
        .stderr(output)
        .process_group(0)
        .spawn()
        .context("cannot start the Lambda package build")?;
    let group = child.id();
    // Ctrl-C (or SIGTERM) reaches xtask's process group, not the build's own.
    ctrlc::set_handler(move || {
        stop_group(group);
        std::process::exit(130);
    })?;
    Ok(BackgroundPackage {
        child: Some(child),
        architecture,
        log,
        started: Instant::now(),
    })
}

impl BackgroundPackage {
    /// Stops the build where it is (every process of its group), until `resume`.
    pub fn pause(&self) {
        if let Some(child) = &self.child {
            signal_group("-STOP", child.id());
        }
    }

    pub fn resume(&self) {
        if let Some(child) = &self.child {
            signal_group("-CONT", child.id());
        }
    }

    /// Waits for the build, then checks the zip as `package` does.
    pub fn finish(mut self) -> Result<Architecture> {
        let mut child = self.child.take().context("the build is waited for once")?;
        let waited = step(format!(
            "Lambda package ({}): the rest of its background build",
            self.architecture.lambda
        ));
        let status = child.wait()?;
        drop(waited);
        note(format!(
            "the build took {:.1}s from its start, beside the other steps",
            self.started.elapsed().as_secs_f64()
        ));
        if !status.success() {
            let log = fs::read_to_string(&self.log).unwrap_or_default();
            let lines: Vec<&str> = log.lines().collect();
            for line in &lines[lines.len().saturating_sub(80)..] {
                println!("    | {line}");
            }
            bail!(
                "the Lambda package build failed with {status} (whole output: {})",
                self.log.display()
            );
        }
        check_built(&paths::repo_root(), self.architecture)?;
        Ok(self.architecture)
    }
}

impl Drop for BackgroundPackage {
    /// A step before `finish` failed: the build's work is no longer wanted.
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take()
            && matches!(child.try_wait(), Ok(None))
        {
            stop_group(child.id());
            let _ = child.wait();
        }
    }
}

/// Stops every process of a process group (cargo-lambda, cargo and its compilers), paused or
/// not: a paused process acts on SIGTERM only once continued.
fn stop_group(group: u32) {
    signal_group("-TERM", group);
    signal_group("-CONT", group);
}

fn signal_group(signal: &str, group: u32) {
    let _ = Command::new("kill")
        .args([signal, "--", &format!("-{group}")])
        .status();
}

/// Packages the functions for this machine's architecture, as `package` does for Lambda's; the
/// path of the zip's `bootstrap`, which `check_zip` left unpacked. The Lambda benchmark runs it:
/// the build that ships, which `cargo bench` alone does not make.
pub fn host_bootstrap(python_bin: &Path) -> Result<PathBuf> {
    let host = if cfg!(target_arch = "aarch64") {
        ARM64
    } else {
        X86_64
    };
    package(python_bin, Some(host))?;
    Ok(unpacked_bootstrap(&zip_path(&paths::repo_root(), host)))
}

/// Where `check_zip` leaves the zip's `bootstrap`, executable: beside the zip, in `unpacked/`.
fn unpacked_bootstrap(zip: &Path) -> PathBuf {
    zip.with_file_name("unpacked").join("bootstrap")
}

/// Unpacks the zip and checks its `bootstrap`: machine, and the newest glibc symbol version it
/// needs. Read from the ELF itself (the host's objdump does not know foreign machines). The
/// `bootstrap` stays unpacked (`unpacked_bootstrap`) and executable, as Lambda runs it.
fn check_zip(zip: &Path, architecture: Architecture) -> Result<(u32, u32)> {
    let bootstrap = unpacked_bootstrap(zip);
    let unpacked = bootstrap
        .parent()
        .context("unpacked bootstrap has a directory")?;
    let _ = fs::remove_dir_all(unpacked);
    run(Command::new("python3")
        .args(["-m", "zipfile", "-e"])
        .arg(zip)
        .arg(unpacked))?;
    if !bootstrap.is_file() {
        bail!("the zip has no bootstrap at its root");
    }
    // zipfile does not restore the executable bit.
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&bootstrap, fs::Permissions::from_mode(0o755))?;
    let bytes = fs::read(&bootstrap)?;
    let elf = goblin::elf::Elf::parse(&bytes).context("bootstrap is not an ELF executable")?;
    if elf.header.e_machine != architecture.elf_machine {
        bail!(
            "bootstrap is not an {} binary (ELF machine {})",
            architecture.lambda,
            elf.header.e_machine
        );
    }
    // Version names the binary needs from its shared libraries (`GLIBC_2.28`, …).
    let needed: Vec<&str> = elf
        .verneed
        .iter()
        .flat_map(|section| section.iter())
        .flat_map(|need| need.iter().collect::<Vec<_>>())
        .filter_map(|aux| elf.dynstrtab.get_at(aux.vna_name))
        .collect();
    let newest = newest_glibc(&needed.join(" ")).context("bootstrap links no glibc symbols")?;
    if newest > MAX_GLIBC {
        bail!(
            "bootstrap needs glibc {}.{}, newer than Amazon Linux 2023's {}.{}",
            newest.0,
            newest.1,
            MAX_GLIBC.0,
            MAX_GLIBC.1
        );
    }
    Ok(newest)
}

/// The newest `GLIBC_x.y[.z]` version named in `text` (patch level ignored: glibc adds symbols
/// only in minor releases).
pub fn newest_glibc(text: &str) -> Option<(u32, u32)> {
    text.split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter_map(|word| word.strip_prefix("GLIBC_"))
        .filter_map(|version| {
            let mut parts = version.split('.').map(|p| p.parse::<u32>());
            match (parts.next(), parts.next()) {
                (Some(Ok(major)), Some(Ok(minor))) => Some((major, minor)),
                _ => None,
            }
        })
        .max()
}

/// Whether the aarch64 standard library is installed, after asking rustup for it once.
fn arm64_std_available() -> bool {
    let installed = || {
        output(Command::new("rustup").args(["target", "list", "--installed"]))
            .is_some_and(|targets| targets.lines().any(|l| l.trim() == ARM64.rust_target))
    };
    if installed() {
        return true;
    }
    which("rustup").is_some()
        && run_with_timeout(
            Command::new("rustup")
                .args(["target", "add", ARM64.rust_target])
                .env("RUST_BACKTRACE", "0"),
            std::time::Duration::from_secs(45),
        )
        .unwrap_or(false)
        && installed()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The zip check reads the machine and glibc needs from the ELF itself: this test binary
    /// (host machine, host glibc) in a zip as `bootstrap`.
    #[test]
    fn a_bootstrap_for_another_machine_is_refused_and_glibc_needs_are_read() {
        let dir = std::env::temp_dir().join(format!("cloumer-zip-check-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::copy(std::env::current_exe().unwrap(), dir.join("bootstrap")).unwrap();
        let zip = dir.join("bootstrap.zip");
        run(Command::new("python3")
            .current_dir(&dir)
            .args(["-m", "zipfile", "-c"])
            .arg(&zip)
            .arg("bootstrap"))
        .unwrap();
        let (host, other) = if cfg!(target_arch = "aarch64") {
            (ARM64, X86_64)
        } else {
            (X86_64, ARM64)
        };
        let refused = check_zip(&zip, other).unwrap_err().to_string();
        assert!(
            refused.contains(&format!("is not an {} binary", other.lambda)),
            "{refused}"
        );
        // The host's glibc may be newer than Amazon Linux 2023's: either way a version was read.
        match check_zip(&zip, host) {
            Ok((major, _)) => assert_eq!(major, 2),
            Err(error) => assert!(error.to_string().contains("needs glibc 2."), "{error}"),
        }
        // The bootstrap stays unpacked and runs (the bench starts it): this test binary lists
        // its tests.
        let listed = output(Command::new(unpacked_bootstrap(&zip)).args(["--list", "--exact"]))
            .expect("the unpacked bootstrap runs");
        assert!(listed.contains("package::tests::"), "{listed}");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_newest_glibc_version_is_found_numerically() {
        let symbols = "\
0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.2.5) write
0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.9)  pipe2
0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.28) statx
0000000000000000  w   D  *UND*  0000000000000000  GLIBC_PRIVATE __libc_single_threaded
0000000000000000      DF *UND*  0000000000000000  GLIBC_2.18  __cxa_thread_atexit_impl";
        assert_eq!(newest_glibc(symbols), Some((2, 28)));
        assert!(newest_glibc(symbols).unwrap() <= MAX_GLIBC);
        assert!(newest_glibc("(GLIBC_2.38) __isoc23_strtol").unwrap() > MAX_GLIBC);
        assert_eq!(newest_glibc("no versions here"), None);
    }
}
