//! `infra/` held against the Terraform providers' own schemas, offline.
//!
//! `terraform validate` needs the provider plug-ins, which only the Terraform registry serves.
//! The same schemas are published to package registries we can reach: the aws and tls providers
//! as prebuilt CDK for Terraform bindings on npm (`cdktf.rs`), awscc as CloudFormation's resource
//! schemas on PyPI (`cloudformation.rs`); enumerations come from botocore's API models
//! (`enumerations.rs`). `versions.tf` must pin exactly the versions those schemas describe.

mod cdktf;
mod check;
mod cloudformation;
mod enumerations;
mod schema;
#[cfg(test)]
mod tests;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

pub use check::{Finding, Providers, check_tree};

use crate::paths;
use crate::util::{note, step};

/// Loads (downloading and condensing once, then from the cache) every provider `infra/` uses.
pub fn providers(venv_bin: &Path) -> Result<Providers> {
    let cache = paths::cache_dir().join("provider-schemas");
    fs::create_dir_all(&cache)?;
    let mut providers = Providers::new();
    for bindings in [&cdktf::AWS, &cdktf::TLS] {
        let name = bindings
            .source
            .rsplit('/')
            .next()
            .expect("source has a name");
        let file = cache.join(format!("{name}-{}.json", bindings.provider_version));
        let schema = cached(&file, || {
            note(format!(
                "condensing {}@{} ({name} {})",
                bindings.package, bindings.package_version, bindings.provider_version
            ));
            cdktf::fetch(bindings, &cache.join(format!("{name}.work")))
        })?;
        providers.insert(name.to_string(), schema);
    }
    let (cfn_schemas, cfn_lint_version) = cloudformation::locate(venv_bin)?;
    let file = cache.join(format!("awscc-cfn-lint-{cfn_lint_version}.json"));
    let awscc = cached(&file, || {
        cloudformation::condense(&cfn_schemas, &cfn_lint_version)
    })?;
    providers.insert("awscc".to_string(), awscc);
    let botocore = cfn_schemas
        .ancestors()
        .nth(3)
        .context("site-packages above cfn-lint")?
        .join("botocore/data");
    enumerations::apply(providers.get_mut("aws").expect("aws loaded"), &botocore)?;
    Ok(providers)
}

fn cached(
    file: &Path,
    build: impl FnOnce() -> Result<schema::ProviderSchema>,
) -> Result<schema::ProviderSchema> {
    if let Ok(bytes) = fs::read(file)
        && let Ok(schema) = serde_json::from_slice(&bytes)
    {
        return Ok(schema);
    }
    let schema = build()?;
    let partial = file.with_extension("partial");
    fs::write(&partial, serde_json::to_vec(&schema)?)?;
    fs::rename(&partial, file)?;
    Ok(schema)
}

/// The versions `required_providers` pins in a root module's `.tf` files, by local name.
pub fn pinned_versions(root: &Path) -> Result<Vec<(String, String)>> {
    Ok(check::module_bodies(root)?
        .iter()
        .flat_map(required_providers)
        .collect())
}

fn required_providers(body: &hcl::Body) -> Vec<(String, String)> {
    let mut pins = Vec::new();
    for terraform in body
        .blocks()
        .filter(|b| b.identifier.as_str() == "terraform")
    {
        for required in terraform
            .body
            .blocks()
            .filter(|b| b.identifier.as_str() == "required_providers")
        {
            for attribute in required.body.attributes() {
                let hcl::Expression::Object(object) = &attribute.expr else {
                    continue;
                };
                let version = object.iter().find_map(|(key, value)| match (key, value) {
                    (hcl::ObjectKey::Identifier(k), hcl::Expression::String(v))
                        if k.as_str() == "version" =>
                    {
                        Some(v.clone())
                    }
                    _ => None,
                });
                pins.push((
                    attribute.key.to_string(),
                    version.unwrap_or_else(|| "(no version)".to_string()),
                ));
            }
        }
    }
    pins
}

/// Every root module pins each provider to the exact version its schema describes.
fn check_pins(infra: &Path, providers: &Providers) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for root in root_modules(infra)? {
        for (name, version) in pinned_versions(&root)? {
            let Some(schema) = providers.get(&name) else {
                problems.push(format!("{}: no schema for `{name}`", root.display()));
                continue;
            };
            let wanted = schema.version.split(' ').next().unwrap_or_default();
            if version.trim_start_matches('=').trim() != wanted {
                problems.push(format!(
                    "{}: `{name}` is pinned to {version:?}; the schemas checked are {wanted}",
                    root.display()
                ));
            }
        }
    }
    Ok(problems)
}

/// The roots terraform is run in: the state bootstrap and each environment.
pub fn root_modules(infra: &Path) -> Result<Vec<PathBuf>> {
    let mut roots = vec![infra.join("bootstrap")];
    for entry in fs::read_dir(infra.join("environments"))? {
        let path = entry?.path();
        if path.is_dir() {
            roots.push(path);
        }
    }
    roots.sort();
    Ok(roots)
}

/// The check `cargo xtask test` and `cargo xtask deploy --plan` run.
pub fn check_infra(infra: &Path, venv_bin: &Path) -> Result<()> {
    let _step = step("Terraform against the providers' schemas");
    let providers = providers(venv_bin)?;
    let mut problems = check_pins(infra, &providers)?;
    problems.extend(
        check_tree(infra, &providers)?
            .iter()
            .map(Finding::to_string),
    );
    if !problems.is_empty() {
        bail!(
            "infra/ does not match the provider schemas:\n  {}",
            problems.join("\n  ")
        );
    }
    let resources: usize = providers.values().map(|p| p.resources.len()).sum();
    note(format!(
        "infra/ matches {} ({resources} resource types known)",
        providers
            .values()
            .map(|p| format!("{} {}", p.source, p.version))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    Ok(())
}
