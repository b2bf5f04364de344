//! Python tools (moto, checkov, cargo-lambda) in a virtual environment outside the checkout.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use crate::paths;
use crate::util::{self, note, run, step};

/// Creates or reuses the virtual environment for `xtask/requirements-test.txt`; returns its `bin/`.
pub fn python_tools(root: &Path) -> Result<PathBuf> {
    let _step = step("Python tools");
    let requirements = root.join("xtask/requirements-test.txt");
    let wanted = util::fingerprint(&fs::read(&requirements).context("requirements file")?);
    let venv = paths::cache_dir().join("venv");
    let bin = venv.join("bin");
    let stamp = venv.join(".cloumer-stamp");
    if fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        note(format!("found {}", venv.display()));
        return Ok(bin);
    }
    if !bin.join("pip").exists() {
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    }
    run(Command::new(bin.join("pip"))
        .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
        .arg(&requirements))?;
    fs::write(&stamp, wanted)?;
    Ok(bin)
}
