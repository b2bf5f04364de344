//! `cargo xtask bootstrap | deploy [--plan] | destroy`: the cloud side in a few commands.
//!
//! `deploy` checks `infra/` against the provider schemas, builds the Lambda zips and the browser
//! app, applies Terraform in `infra/environments/prod`, upgrades what an older version left in
//! the table, then uploads the app with a cache policy per file and invalidates what changed
//! (both `xtask/site-upload`). `--plan` stops at
//! `terraform plan` and prints what the upload would send. Terraform ≥ 1.6 and AWS credentials
//! (any standard source: profile, SSO, environment) are the deployer's.

use std::fs;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::setup::{Purpose, setup};
use crate::util::{note, run, step, which};
use crate::{infra, package, paths, python, web};

const ENVIRONMENT: &str = "prod";

fn environment_dir() -> PathBuf {
    paths::repo_root()
        .join("infra/environments")
        .join(ENVIRONMENT)
}

fn terraform(dir: &Path) -> Result<Command> {
    if which("terraform").is_none() {
        bail!(
            "Terraform ≥ 1.6 is needed to deploy (https://developer.hashicorp.com/terraform/install)"
        );
    }
    let mut command = Command::new("terraform");
    command.arg(format!("-chdir={}", dir.display()));
    Ok(command)
}

/// Once per AWS account: the state bucket and lock table, then `backend.hcl` from their names.
pub fn bootstrap() -> Result<()> {
    let bootstrap = paths::repo_root().join("infra/bootstrap");
    {
        let _step = step("Terraform state bucket and lock table (infra/bootstrap)");
        run(terraform(&bootstrap)?.args(["init", "-input=false"]))?;
        run(terraform(&bootstrap)?.args(["apply", "-input=false"]))?;
    }
    let outputs = outputs(&bootstrap)?;
    let backend = backend_hcl(&outputs)?;
    let path = environment_dir().join("backend.hcl");
    fs::write(&path, backend)?;
    note(format!(
        "wrote {}; next: cargo xtask deploy",
        path.display()
    ));
    Ok(())
}

fn backend_hcl(outputs: &Value) -> Result<String> {
    Ok(format!(
        "# Written by `cargo xtask bootstrap` from infra/bootstrap's outputs.\n\
         bucket         = \"{}\"\nkey            = \"cloumer/{ENVIRONMENT}/terraform.tfstate\"\n\
         region         = \"{}\"\ndynamodb_table = \"{}\"\n",
        output(outputs, "state_bucket")?,
        output(outputs, "region")?,
        output(outputs, "lock_table")?,
    ))
}

pub fn deploy(args: &[&str]) -> Result<()> {
    let (plan_only, approve) = match args {
        [] => (false, false),
        ["--plan"] => (true, false),
        ["--yes"] => (false, true),
        other => bail!("deploy takes --plan or --yes, not {other:?}"),
    };
    let root = paths::repo_root();
    let tools = setup(Purpose::Dev)?;
    let python_bin = python::python_tools(&root)?;
    infra::check_infra(&root.join("infra"), &python_bin)?;
    // arm64 (Graviton) costs about 20% less per GB-second than x86_64 and runs these binaries at
    // least as fast; x86_64 is the fallback where the aarch64 standard library is unavailable.
    let architecture = package::package(&python_bin, None)?.lambda;
    web::build(&tools)?;
    let dist = root.join("dist");
    {
        let _step = step("What the upload sends (cache policy per file)");
        run(site_upload().arg("plan").arg(&dist))?;
    }
    let environment = environment_dir();
    if !environment.join("backend.hcl").exists() {
        let advice = "no infra/environments/prod/backend.hcl: run `cargo xtask bootstrap` once per AWS account";
        if plan_only {
            note(format!("{advice}; stopping before terraform plan"));
            return Ok(());
        }
        bail!("{advice}");
    }
    let _step = step(format!("Terraform ({})", environment.display()));
    run(terraform(&environment)?.args(["init", "-input=false", "-backend-config=backend.hcl"]))?;
    let architecture_var = format!("-var=lambda_architecture={architecture}");
    if plan_only {
        return run(terraform(&environment)?.args(["plan", "-input=false", &architecture_var]));
    }
    let mut apply = terraform(&environment)?;
    apply.args(["apply", "-input=false", &architecture_var]);
    if approve {
        apply.arg("-auto-approve");
    }
    run(&mut apply)?;
    let outputs = outputs(&environment)?;
    {
        // After the apply: the new functions write what this reads from now on.
        let _step = step("Upgrade what an older version left in the table (once)");
        run(site_upload()
            .arg("upgrade-data")
            .arg(output(&outputs, "table_name")?))?;
    }
    {
        let _step = step("Upload the browser app and invalidate what changed");
        run(site_upload()
            .arg("upload")
            .arg(&dist)
            .arg(output(&outputs, "site_bucket")?)
            .arg(output(&outputs, "distribution_id")?))?;
    }
    note(format!("Cloumer is at {}", output(&outputs, "site_url")?));
    Ok(())
}

pub fn destroy() -> Result<()> {
    let environment = environment_dir();
    println!(
        "This deletes the {ENVIRONMENT} environment: site, API, functions, the DynamoDB table \
         (every account, channel and chat history), the Cognito user pool and the IVS resources.\n\
         Recordings buckets that still hold recordings are kept: Terraform refuses to delete \
         them, and says so; empty them yourself if you mean to.\n\
         Type the environment's name ({ENVIRONMENT}) to go on:"
    );
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if answer.trim() != ENVIRONMENT {
        bail!("not confirmed; nothing was deleted");
    }
    run(terraform(&environment)?.args(["init", "-input=false", "-backend-config=backend.hcl"]))?;
    let outputs = outputs(&environment)?;
    if let Ok(bucket) = output(&outputs, "site_bucket") {
        // The site bucket holds only what deploy uploads; terraform cannot delete it non-empty.
        run(site_upload().arg("empty").arg(bucket))?;
    }
    run(terraform(&environment)?.args(["destroy", "-input=false", "-auto-approve"]))
}

fn site_upload() -> Command {
    let mut command = Command::new("cargo");
    command.current_dir(paths::repo_root()).args([
        "run",
        "--quiet",
        "--locked",
        "--package",
        "cloumer-site-upload",
        "--",
    ]);
    command
}

fn outputs(dir: &Path) -> Result<Value> {
    let text = crate::util::output(terraform(dir)?.args(["output", "-json"]))
        .context("terraform output failed")?;
    Ok(serde_json::from_str(&text)?)
}

fn output<'a>(outputs: &'a Value, name: &str) -> Result<&'a str> {
    outputs[name]["value"]
        .as_str()
        .with_context(|| format!("terraform has no output {name:?} (was the apply completed?)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_configuration_comes_from_the_bootstrap_outputs() {
        let outputs = serde_json::json!({
            "state_bucket": {"value": "cloumer-tfstate-123456789012", "type": "string"},
            "lock_table": {"value": "cloumer-tflock", "type": "string"},
            "region": {"value": "ap-northeast-2", "type": "string"},
        });
        let hcl = backend_hcl(&outputs).unwrap();
        let body: hcl::Body = hcl::parse(&hcl).unwrap();
        let get = |key: &str| {
            body.attributes()
                .find(|a| a.key.as_str() == key)
                .map(|a| a.expr.to_string())
        };
        assert_eq!(
            get("bucket").as_deref(),
            Some("\"cloumer-tfstate-123456789012\"")
        );
        assert_eq!(get("dynamodb_table").as_deref(), Some("\"cloumer-tflock\""));
        assert_eq!(get("region").as_deref(), Some("\"ap-northeast-2\""));
        assert_eq!(
            get("key").as_deref(),
            Some("\"cloumer/prod/terraform.tfstate\"")
        );
        let missing = backend_hcl(&serde_json::json!({})).unwrap_err().to_string();
        assert!(missing.contains("state_bucket"), "{missing}");
    }
}
