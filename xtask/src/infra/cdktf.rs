//! Provider schemas from the prebuilt CDK for Terraform bindings on npm.
//!
//! Each `@cdktf/provider-*` release is generated from one exact provider version (its package
//! metadata says which) and ships a jsii assembly describing every resource's configuration:
//! argument names (in each property's registry link), required or optional, and which properties
//! are nested blocks. That is the provider's own schema, available from a package registry.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, ensure};
use base64::Engine;
use serde::Deserialize;
use sha2::{Digest, Sha512};

use super::schema::{Argument, Block, Nested, ProviderSchema};
use crate::util::run;

/// One prebuilt binding package, pinned with the registry's integrity hash.
pub struct Bindings {
    pub package: &'static str,
    pub package_version: &'static str,
    pub integrity: &'static str,
    /// What the package was generated from (`cdktf.provider` in its package metadata).
    pub source: &'static str,
    pub provider_version: &'static str,
}

pub const AWS: Bindings = Bindings {
    package: "@cdktf/provider-aws",
    package_version: "21.22.1",
    integrity: "sha512-BuSHeaQFUL9l33pBzIMRT7cTQ69AM2mLtijjteCPhVQRmvuhuj9Lvfymf7knAMhYqAT6+Lrls9jiGVW/Us3zrQ==",
    source: "hashicorp/aws",
    provider_version: "6.25.0",
};

pub const TLS: Bindings = Bindings {
    package: "@cdktf/provider-tls",
    package_version: "11.0.1",
    integrity: "sha512-8b7nKJUzLDxGEHOuXo5WcpFGg7g4rQqol6f1YjCJoQD5o3AA68hjMpfWJ6yy85DJekyjA0/idYbeINlOmrd4EQ==",
    source: "hashicorp/tls",
    provider_version: "4.1.0",
};

/// Downloads the package tarball with npm (into `work`), checks it against the pinned hash and
/// condenses its jsii assembly.
pub fn fetch(bindings: &Bindings, work: &Path) -> Result<ProviderSchema> {
    fs::create_dir_all(work)?;
    let spec = format!("{}@{}", bindings.package, bindings.package_version);
    run(Command::new("npm").current_dir(work).args([
        "pack",
        &spec,
        "--silent",
        "--pack-destination",
        ".",
    ]))?;
    let tarball = work.join(format!(
        "{}-{}.tgz",
        bindings.package.trim_start_matches('@').replace('/', "-"),
        bindings.package_version
    ));
    let bytes = fs::read(&tarball).with_context(|| format!("reading {}", tarball.display()))?;
    let integrity = format!(
        "sha512-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha512::digest(&bytes))
    );
    ensure!(
        integrity == bindings.integrity,
        "{spec} does not match its pinned hash (got {integrity})"
    );
    run(Command::new("tar")
        .current_dir(work)
        .arg("-xzf")
        .arg(&tarball)
        .arg("package/.jsii"))?;
    let assembly: Assembly = serde_json::from_slice(&fs::read(work.join("package/.jsii"))?)
        .with_context(|| format!("{spec}: reading its jsii assembly"))?;
    let schema = condense(bindings, &assembly)?;
    fs::remove_dir_all(work).ok();
    Ok(schema)
}

#[derive(Deserialize)]
struct Assembly {
    types: HashMap<String, JsiiType>,
}

#[derive(Deserialize)]
struct JsiiType {
    kind: String,
    #[serde(default)]
    interfaces: Vec<String>,
    #[serde(default)]
    properties: Vec<Property>,
}

#[derive(Deserialize)]
struct Property {
    name: String,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    docs: Docs,
    #[serde(rename = "type")]
    ty: serde_json::Value,
}

#[derive(Deserialize, Default)]
struct Docs {
    summary: Option<String>,
    remarks: Option<String>,
}

/// Where a property's registry link points: what it belongs to, and the argument's own name.
#[derive(PartialEq, Debug)]
enum Owner {
    Provider,
    Resource(String),
    DataSource(String),
}

fn condense(bindings: &Bindings, assembly: &Assembly) -> Result<ProviderSchema> {
    let prefix = bindings
        .source
        .rsplit('/')
        .next()
        .expect("source has a name");
    let mut schema = ProviderSchema {
        source: bindings.source.to_string(),
        version: bindings.provider_version.to_string(),
        ..ProviderSchema::default()
    };
    let mut provider_found = false;
    for (fqn, ty) in &assembly.types {
        if ty.kind != "interface" {
            continue;
        }
        let is_config = ty
            .interfaces
            .iter()
            .any(|i| i == "cdktf.TerraformMetaArguments");
        let is_provider = fqn.contains(".provider.") && fqn.ends_with("ProviderConfig");
        if !is_config && !is_provider {
            continue;
        }
        let Some(owner) = ty
            .properties
            .iter()
            .find_map(|p| link(bindings, p).map(|l| l.0))
        else {
            continue;
        };
        let block = block_of(bindings, assembly, ty, 0)?;
        match owner {
            Owner::Provider if is_provider => {
                schema.provider = block;
                provider_found = true;
            }
            Owner::Resource(name) if is_config => {
                schema.resources.insert(format!("{prefix}_{name}"), block);
            }
            Owner::DataSource(name) if is_config => {
                schema
                    .data_sources
                    .insert(format!("{prefix}_{name}"), block);
            }
            _ => {}
        }
    }
    ensure!(
        provider_found && !schema.resources.is_empty(),
        "{}: found no provider configuration or resources in its assembly",
        bindings.package
    );
    Ok(schema)
}

fn block_of(bindings: &Bindings, assembly: &Assembly, ty: &JsiiType, depth: u32) -> Result<Block> {
    ensure!(
        depth < 16,
        "{}: nested blocks run too deep",
        bindings.package
    );
    let mut arguments = BTreeMap::new();
    for property in &ty.properties {
        let name = link(bindings, property)
            .map(|(_, argument)| argument)
            .unwrap_or_else(|| snake_case(&property.name));
        let is_block = property
            .docs
            .summary
            .as_deref()
            .is_some_and(|s| s.ends_with(" block."));
        let nested = if is_block {
            match struct_fqn(&property.ty) {
                Some(inner) => {
                    let inner = assembly
                        .types
                        .get(&inner)
                        .with_context(|| format!("{}: no type {inner}", bindings.package))?;
                    Some(Nested::Block(block_of(
                        bindings,
                        assembly,
                        inner,
                        depth + 1,
                    )?))
                }
                None => Some(Nested::OpaqueBlock),
            }
        } else {
            None
        };
        arguments.insert(
            name,
            Argument {
                nested,
                ..Argument::value(!property.optional)
            },
        );
    }
    Ok(Block { arguments })
}

/// The first struct (not a cdktf runtime type) a jsii type reference mentions.
fn struct_fqn(ty: &serde_json::Value) -> Option<String> {
    match ty {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(fqn)) = map.get("fqn")
                && !fqn.starts_with("cdktf.")
            {
                return Some(fqn.clone());
            }
            map.values().find_map(struct_fqn)
        }
        serde_json::Value::Array(items) => items.iter().find_map(struct_fqn),
        _ => None,
    }
}

/// Reads `{@link https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/s3_bucket#acl ...}`.
fn link(bindings: &Bindings, property: &Property) -> Option<(Owner, String)> {
    let marker = format!(
        "registry.terraform.io/providers/{}/{}/docs",
        bindings.source, bindings.provider_version
    );
    [&property.docs.summary, &property.docs.remarks]
        .into_iter()
        .flatten()
        .find_map(|text| {
            let rest = &text[text.find(&marker)? + marker.len()..];
            let rest = &rest[..rest.find([' ', '}'])?];
            let (path, argument) = rest.split_once('#')?;
            let owner = match path.trim_start_matches('/').split_once('/') {
                None if path.is_empty() => Owner::Provider,
                Some(("resources", name)) => Owner::Resource(name.to_string()),
                Some(("data-sources", name)) => Owner::DataSource(name.to_string()),
                _ => return None,
            };
            Some((owner, argument.to_string()))
        })
}

/// `recordingReconnectWindowSeconds` → `recording_reconnect_window_seconds`; also used for
/// CloudFormation's `PascalCase` names, keeping acronyms together (`SSEType` → `sse_type`).
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let previous = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if previous.is_ascii_lowercase()
                || previous.is_ascii_digit()
                || (previous.is_ascii_uppercase() && next_is_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_terraform_arguments() {
        assert_eq!(
            snake_case("recordingReconnectWindowSeconds"),
            "recording_reconnect_window_seconds"
        );
        assert_eq!(snake_case("SSESpecification"), "sse_specification");
        assert_eq!(snake_case("S3"), "s3");
        assert_eq!(snake_case("BucketName"), "bucket_name");
    }

    #[test]
    fn a_registry_link_names_the_resource_and_the_argument() {
        let property = |text: &str| Property {
            name: "x".into(),
            optional: true,
            docs: Docs {
                summary: Some(text.into()),
                remarks: None,
            },
            ty: serde_json::Value::Null,
        };
        let aws = |text| link(&AWS, &property(text));
        assert_eq!(
            aws(
                "Docs at Terraform Registry: {@link https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/s3_bucket#acl S3Bucket#acl}."
            ),
            Some((Owner::Resource("s3_bucket".into()), "acl".into()))
        );
        assert_eq!(
            aws(
                "{@link https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/data-sources/region#name DataAwsRegion#name}"
            ),
            Some((Owner::DataSource("region".into()), "name".into()))
        );
        assert_eq!(
            aws(
                "{@link https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs#region AwsProvider#region}"
            ),
            Some((Owner::Provider, "region".into()))
        );
        // A link to another provider version is not this schema's.
        assert_eq!(
            aws(
                "{@link https://registry.terraform.io/providers/hashicorp/aws/6.24.0/docs/resources/s3_bucket#acl S3Bucket#acl}"
            ),
            None
        );
    }
}
