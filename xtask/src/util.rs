//! Running commands with visible progress.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// A named stage of work. Prints its name when it starts and, when it is dropped, its duration
/// and the disk space left beside the build, so a long set-up shows where the time goes and a
/// build that fills the disk says so (a CI run once died of it in the linker).
pub struct Step {
    name: String,
    started: Instant,
}

pub fn step(name: impl Into<String>) -> Step {
    let name = name.into();
    println!("==> {name}");
    Step {
        name,
        started: Instant::now(),
    }
}

impl Drop for Step {
    fn drop(&mut self) {
        let secs = self.started.elapsed().as_secs_f64();
        if secs >= 1.0 {
            let free = free_disk_bytes(&crate::paths::target_dir())
                .map(|bytes| format!("; {:.1} GB free on the build's disk", bytes as f64 / 1e9))
                .unwrap_or_default();
            println!("    {} took {secs:.1}s{free}", self.name);
        }
    }
}

/// The space left for an unprivileged writer on the file system that holds `path` (or would:
/// its nearest existing ancestor, as the build directory is made by the first build), as POSIX
/// `df` reports it (in 1,024-byte blocks). None when `df` is missing or prints something
/// unexpected: the figure is only a report.
fn free_disk_bytes(path: &Path) -> Option<u64> {
    let existing = path.ancestors().find(|ancestor| ancestor.exists())?;
    let output = Command::new("df").arg("-Pk").arg(existing).output().ok()?;
    if !output.status.success() {
        return None;
    }
    parse_df_available(&String::from_utf8_lossy(&output.stdout))
}

fn parse_df_available(df_output: &str) -> Option<u64> {
    let row = df_output.lines().nth(1)?;
    let available_kib: u64 = row.split_whitespace().nth(3)?.parse().ok()?;
    Some(available_kib * 1024)
}

pub fn note(message: impl AsRef<str>) {
    println!("    {}", message.as_ref());
}

fn describe(cmd: &Command) -> String {
    let mut line = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}

/// Runs a command with inherited output and fails unless it exits successfully.
pub fn run(cmd: &mut Command) -> Result<()> {
    println!("    $ {}", describe(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("cannot start `{}`", describe(cmd)))?;
    if !status.success() {
        bail!("`{}` failed with {status}", describe(cmd));
    }
    Ok(())
}

/// Runs a command quietly and returns its trimmed stdout, or `None` if it cannot start or fails.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Runs a command with inherited output, killing it after `limit`. Returns whether it succeeded
/// in time. Used for probes that may hang, such as rustup without network access.
pub fn run_with_timeout(cmd: &mut Command, limit: Duration) -> Result<bool> {
    println!(
        "    $ {}   (time limit {}s)",
        describe(cmd),
        limit.as_secs()
    );
    let mut child = cmd
        .spawn()
        .with_context(|| format!("cannot start `{}`", describe(cmd)))?;
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(status.success());
        }
        if Instant::now() >= deadline {
            note("gave up: no answer in time");
            let _ = child.kill();
            let _ = child.wait();
            return Ok(false);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Finds an executable on PATH.
pub fn which(program: impl AsRef<OsStr>) -> Option<PathBuf> {
    let program = program.as_ref();
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|candidate| is_executable(candidate))
    })
}

pub fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// A PATH with `dirs` in front of the current one.
pub fn path_with(dirs: &[PathBuf]) -> Result<std::ffi::OsString> {
    let current = std::env::var_os("PATH").unwrap_or_default();
    let all = dirs.iter().cloned().chain(std::env::split_paths(&current));
    Ok(std::env::join_paths(all)?)
}

/// A short, stable fingerprint of some bytes (FNV-1a), for "has this input changed" stamps.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_free_space_is_read_from_dfs_available_column() {
        let printed = "Filesystem     1024-blocks      Used Available Capacity Mounted on\n\
                       /dev/vda         263174212  86974000 176200212      34% /\n";
        assert_eq!(parse_df_available(printed), Some(176_200_212 * 1024));
        assert_eq!(parse_df_available("Filesystem 1024-blocks\n"), None);
        assert_eq!(parse_df_available(""), None);
    }

    #[test]
    fn the_builds_disk_reports_some_free_space() {
        let free =
            free_disk_bytes(&crate::paths::target_dir()).expect("df answers for the build's disk");
        assert!(
            free > 0,
            "a disk with the repository on it and no space left: {free}"
        );
    }
}
