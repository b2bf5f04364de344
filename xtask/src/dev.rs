//! `cargo xtask dev`: the whole platform on this machine, stopped with Ctrl-C.

use std::os::unix::process::CommandExt;
use std::process::Command;

use anyhow::{Context, Result};

use crate::setup::{Purpose, setup};
use crate::util::step;
use crate::{paths, web};

pub fn dev(extra_args: &[&str]) -> Result<()> {
    let tools = setup(Purpose::Dev)?;
    web::build(&tools)?;
    let root = paths::repo_root();
    let step = step("Starting the local stack (cargo run -p cloumer-local)");
    let mut server = Command::new("cargo");
    server
        .current_dir(&root)
        .args(["run", "--quiet", "--package", "cloumer-local", "--"])
        .args(["--dist", "dist", "--data-dir", ".cloumer/data"])
        .args(extra_args)
        // Its own process group: Ctrl-C reaches it once, forwarded by us below, so it can stop
        // what it started (nginx, ffmpeg) in order instead of racing the terminal's signal.
        .process_group(0);
    let mut child = server.spawn().context("cannot start the local stack")?;
    drop(step);
    let pid = child.id().to_string();
    ctrlc::set_handler(move || {
        let _ = Command::new("kill").args(["-INT", &pid]).status();
    })?;
    let status = child.wait()?;
    if !status.success() {
        anyhow::bail!("the local stack exited with {status}");
    }
    Ok(())
}
