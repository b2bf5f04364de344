//! Developer commands for Cloumer. Run `cargo xtask help`.

mod deploy;
mod dev;
mod infra;
mod package;
mod paths;
mod python;
mod setup;
mod test;
mod util;
mod web;
mod web_avatars;
mod web_csp;
mod web_imports;
mod web_precompressed;
mod web_split;

use anyhow::{Result, bail};

const HELP: &str = "\
cargo xtask <command>

  setup [--for dev|test]  install everything the project needs (idempotent; default: test)
  dev [options]           set up if needed, build the browser app, run the local stack (options
                          go to cloumer-local, e.g. --staff you@example.com: who settles reports)
  test                    set up if needed, check formatting and lints, build, run every test
  build-web               build the browser app into dist/
  bootstrap               once per AWS account: Terraform's state bucket and lock table, and
                          infra/environments/prod/backend.hcl naming them
  deploy [--plan|--yes]   check infra/, build the zips and the app, terraform apply, upload the
                          app with a cache policy per file, invalidate what changed, print the
                          URL (--plan: stop at terraform plan; --yes: apply without asking)
  destroy                 after you type the environment's name: empty the site bucket and
                          terraform destroy (buckets still holding recordings are kept)
  check-infra             hold infra/ against the Terraform providers' schemas (offline: the
                          schemas come from npm and PyPI packages, see xtask/src/infra/)
  package [--arch A]      build the Lambda zip (target/lambda/<arch>/functions/bootstrap.zip)
                          for provided.al2023 and check their glibc needs: arm64 where its
                          standard library can be had, else x86_64 (--arch arm64|x86_64 to choose)
  bench [api|chat|emotes|hls|lambda|latency|size]
                          run the benchmarks and print their numbers, each with its reference
                          from the same run where it has one (api: a bare axum handler; chat: a
                          bare WebSocket relay; hls: 1,000 players, none may fall behind;
                          lambda: the api and chat-review binaries' init, warm invokes, AWS calls
                          and memory against moto;
                          latency: glass to glass in the browser over a minute (Auto, then
                          160p), against the 2 s target with no stop to buffer; size: gzipped wasm per page,
                          against the 120 KB budget for the first page)
";

/// The browser app's budget: gzipped wasm a visitor downloads before the first page shows.
const WASM_BUDGET_BYTES: u64 = 120_000;

fn main() {
    if let Err(error) = dispatch() {
        // The cause chain, without a backtrace: these failures are about the machine, not xtask.
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}

/// Benchmarks are `harness = false` bench targets that print their own reports; `latency` is the
/// browser story test measuring glass-to-glass latency over a minute against the 2 s target, on
/// Auto and on the ladder's rung.
fn bench(which: &[&str]) -> Result<()> {
    let all = [
        "api",
        "chat",
        "emotes",
        "fanout",
        "hls",
        "lambda",
        "latency",
        "size",
        "transcode",
    ];
    let chosen: Vec<&str> = if which.is_empty() {
        all.to_vec()
    } else {
        which.to_vec()
    };
    for name in chosen {
        if !all.contains(&name) {
            bail!("unknown benchmark {name:?}; choose from {all:?}");
        }
        let _step = util::step(format!("Benchmark: {name}"));
        let root = paths::repo_root();
        if name == "size" {
            let report = web::build(&setup::setup(setup::Purpose::Dev)?)?;
            let first_page = report.initial_wasm;
            anyhow::ensure!(
                first_page <= WASM_BUDGET_BYTES,
                "the first page needs {first_page} bytes of gzipped wasm, over the {WASM_BUDGET_BYTES} budget"
            );
            continue;
        }
        if name == "latency" {
            let tools = setup::setup(setup::Purpose::Test)?;
            web::build(&tools)?;
            // Auto (the source, on loopback), then the ladder's rung.
            for quality in [None, Some("160p")] {
                let mut test = std::process::Command::new("cargo");
                test.current_dir(&root)
                    .args(["test", "--package", "cloumer-e2e", "--test", "browser"])
                    .args(["a_streamer_goes_live", "--", "--nocapture"])
                    .env("CLOUMER_DIST", root.join("dist"))
                    .env("CLOUMER_LATENCY_BUDGET_SECS", "2")
                    .env("CLOUMER_LATENCY_WINDOW_SECS", "60");
                if let Some(quality) = quality {
                    test.env("CLOUMER_LATENCY_QUALITY", quality);
                }
                util::run(&mut test)?;
            }
            continue;
        }
        if name == "lambda" || name == "fanout" {
            // moto, from the Python tools the set-up installs.
            let tools = setup::setup(setup::Purpose::Test)?;
            let python_bin = tools.python_bin.expect("the test set-up has Python tools");
            let mut bench = std::process::Command::new("cargo");
            bench
                .current_dir(&root)
                .args(["bench", "--package", "cloumer-lambda", "--bench", name])
                .env("PATH", util::path_with(std::slice::from_ref(&python_bin))?);
            if name == "lambda" {
                // The build that ships (LTO, panic=abort, stripped), for this machine.
                let bootstrap = package::host_bootstrap(&python_bin)?;
                bench.env("CLOUMER_LAMBDA_BOOTSTRAP", bootstrap);
            }
            util::run(&mut bench)?;
            continue;
        }
        util::run(
            std::process::Command::new("cargo")
                .current_dir(&root)
                .args(["bench", "--package", "cloumer-local", "--bench", name]),
        )?;
    }
    Ok(())
}

fn dispatch() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["setup"] | ["setup", "--for", "test"] => setup::setup(setup::Purpose::Test).map(drop),
        ["setup", "--for", "dev"] => setup::setup(setup::Purpose::Dev).map(drop),
        ["dev", rest @ ..] => dev::dev(rest),
        ["test", rest @ ..] => test::test(rest),
        ["build-web"] => web::build(&setup::setup(setup::Purpose::Dev)?).map(drop),
        ["bench", which @ ..] => bench(which),
        ["bootstrap"] => deploy::bootstrap(),
        ["deploy", rest @ ..] => deploy::deploy(rest),
        ["destroy"] => deploy::destroy(),
        ["check-infra"] => {
            let python_bin = python::python_tools(&paths::repo_root())?;
            infra::check_infra(&paths::repo_root().join("infra"), &python_bin)
        }
        ["package", rest @ ..] => {
            let wanted = match rest {
                [] => None,
                ["--arch", "arm64"] => Some(package::ARM64),
                ["--arch", "x86_64"] => Some(package::X86_64),
                other => bail!("package takes --arch arm64 or --arch x86_64, not {other:?}"),
            };
            let python_bin = python::python_tools(&paths::repo_root())?;
            package::package(&python_bin, wanted).map(drop)
        }
        [] | ["help" | "--help" | "-h"] => {
            print!("{HELP}");
            Ok(())
        }
        other => bail!("unknown command {other:?}\n\n{HELP}"),
    }
}
