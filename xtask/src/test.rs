//! `cargo xtask test`: the one command CI runs.

use std::process::Command;

use anyhow::Result;

use crate::setup::{Purpose, setup};
use crate::util::{path_with, run, step, which};
use crate::{paths, web};

pub fn test(extra_args: &[&str]) -> Result<()> {
    let started = std::time::Instant::now();
    let tools = setup(Purpose::Test)?;
    let root = paths::repo_root();
    let python_bin = tools
        .python_bin
        .as_deref()
        .expect("test set-up has Python tools");
    let package = crate::package::start_in_background(python_bin)?;
    {
        let _step = step("Formatting (cargo fmt --check)");
        run(Command::new("cargo")
            .current_dir(&root)
            .args(["fmt", "--all", "--", "--check"]))?;
    }
    {
        let _step = step("Lints (cargo clippy -D warnings)");
        run(Command::new("cargo").current_dir(&root).args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]))?;
    }
    if which("terraform").is_some() && root.join("infra").is_dir() {
        let _step = step("Terraform formatting (terraform fmt -check)");
        run(Command::new("terraform").current_dir(&root).args([
            "fmt",
            "-check",
            "-recursive",
            "infra",
        ]))?;
    }
    {
        // Skips are written next to the resources (`#checkov:skip=<id>:<reason>`).
        let _step = step("Terraform security checks (checkov)");
        run(Command::new(python_bin.join("checkov"))
            .current_dir(&root)
            .args([
                "--directory",
                "infra",
                "--framework",
                "terraform",
                "--skip-download",
                "--quiet",
                "--compact",
            ]))?;
    }
    crate::infra::check_infra(&root.join("infra"), python_bin)?;
    web::build(&tools)?;
    let path = path_with(&[python_bin.to_path_buf()])?;
    let cargo_test = || {
        let mut command = Command::new("cargo");
        command
            .current_dir(&root)
            .args(["test", "--workspace", "--locked"])
            .env("CLOUMER_DIST", root.join("dist"))
            .env("PATH", &path);
        command
    };
    {
        let _step = step("Building the tests (cargo test --no-run)");
        let cargo_options = extra_args.iter().take_while(|arg| **arg != "--");
        run(cargo_test().arg("--no-run").args(cargo_options))?;
    }
    {
        // The tests publish streams with ffmpeg and play them in browsers, against the clock:
        // the package build waits while they run, so they have the machine to themselves.
        let _step = step("Tests (cargo test)");
        package.pause();
        let tests = run(cargo_test().args(extra_args));
        package.resume();
        tests?;
    }
    package.finish()?;
    println!(
        "All checks passed in {:.1} min.",
        started.elapsed().as_secs_f64() / 60.0
    );
    Ok(())
}
