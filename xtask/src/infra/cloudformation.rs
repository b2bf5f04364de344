//! The `awscc` (Cloud Control) provider's schema, from CloudFormation's resource schemas.
//!
//! awscc is generated from the CloudFormation registry's resource type schemas: a type
//! `AWS::IVS::RecordingConfiguration` becomes `awscc_ivs_recording_configuration`, properties
//! become snake_case arguments, nested objects become nested attributes (`name = { ... }`). No
//! package registry carries awscc's own schema (there are no prebuilt cdktf bindings for it), but
//! PyPI's cfn-lint ships those CloudFormation schemas, enumerations included; we read them from
//! the Python tools the set-up installs.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, ensure};
use serde_json::{Map, Value};

use super::cdktf::snake_case;
use super::schema::{Argument, Block, Nested, ProviderSchema};

/// The awscc release `infra/` pins; its schemas are CloudFormation's of the same season.
pub const AWSCC_VERSION: &str = "1.55.0";

/// cfn-lint's resource schemas inside the Python tools' virtual environment, and cfn-lint's
/// version (which names the snapshot).
pub fn locate(venv_bin: &Path) -> Result<(PathBuf, String)> {
    let lib = venv_bin.parent().context("venv has a parent")?.join("lib");
    for python in fs::read_dir(&lib).with_context(|| format!("reading {}", lib.display()))? {
        let site = python?.path().join("site-packages");
        let schemas = site.join("cfnlint/data/schemas");
        if !schemas.is_dir() {
            continue;
        }
        for entry in fs::read_dir(&site)? {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if let Some(version) = name
                .strip_prefix("cfn_lint-")
                .and_then(|rest| rest.strip_suffix(".dist-info"))
            {
                return Ok((schemas, version.to_string()));
            }
        }
    }
    anyhow::bail!("cfn-lint is not installed in {}", lib.display())
}

pub fn condense(schemas: &Path, cfn_lint_version: &str) -> Result<ProviderSchema> {
    let index: BTreeMap<String, String> =
        serde_json::from_slice(&fs::read(schemas.join("providers/us-east-1.json"))?)
            .context("cfn-lint's us-east-1 resource index")?;
    let mut resources = BTreeMap::new();
    for (type_name, file) in index {
        let Some(name) = resource_name(&type_name) else {
            continue;
        };
        let path = schemas.join("resources").join(format!("{file}.json"));
        let schema: Value = serde_json::from_slice(&fs::read(&path)?)
            .with_context(|| format!("{type_name}: {}", path.display()))?;
        resources.insert(name, resource(&schema));
    }
    ensure!(!resources.is_empty(), "cfn-lint lists no resource types");
    let mut provider = Block::default();
    for name in ["region", "role_arn", "profile", "shared_config_files"] {
        provider
            .arguments
            .insert(name.to_string(), Argument::value(false));
    }
    Ok(ProviderSchema {
        source: "hashicorp/awscc".to_string(),
        version: format!("{AWSCC_VERSION} (CloudFormation schemas of cfn-lint {cfn_lint_version})"),
        provider,
        resources,
        data_sources: BTreeMap::new(),
    })
}

/// `AWS::IVS::RecordingConfiguration` → `awscc_ivs_recording_configuration`.
fn resource_name(type_name: &str) -> Option<String> {
    let mut parts = type_name.split("::");
    let (Some("AWS"), Some(service), Some(resource), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    Some(format!(
        "awscc_{}_{}",
        service.to_ascii_lowercase(),
        snake_case(resource)
    ))
}

fn resource(schema: &Value) -> Block {
    let read_only: Vec<&str> = schema["readOnlyProperties"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter_map(|p| p.strip_prefix("/properties/"))
        .filter(|p| !p.contains('/'))
        .collect();
    let definitions = schema["definitions"].as_object();
    let mut block = object(schema, definitions, &mut Vec::new());
    for name in read_only {
        let key = snake_case(name);
        // awscc keeps a read-only property settable only when it is also an input (rare);
        // an argument we would reject is one terraform rejects too.
        if block.arguments.get(&key).is_some_and(|a| !a.required) {
            block.arguments.remove(&key);
        }
    }
    block
}

/// `expanding` holds the definitions being expanded above this object: a definition that contains
/// itself (WAF statements, budget expressions) is checked down to where it recurs, not beyond.
fn object<'a>(
    schema: &'a Value,
    definitions: Option<&'a Map<String, Value>>,
    expanding: &mut Vec<&'a str>,
) -> Block {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut arguments = BTreeMap::new();
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        let (property, mut refs) = resolve(property, definitions);
        let mut argument = Argument::value(required.contains(&name.as_str()));
        let element = if property["type"] == "array" {
            let (items, item_refs) = resolve(&property["items"], definitions);
            refs.extend(item_refs);
            items
        } else {
            property
        };
        let recurs = refs.iter().any(|r| expanding.contains(r));
        // Where a definition recurs the value is left unchecked, as an expression would be.
        if element["type"] == "object" && element["properties"].is_object() && !recurs {
            let depth = expanding.len();
            expanding.extend(refs);
            argument.nested = Some(Nested::Object(object(element, definitions, expanding)));
            expanding.truncate(depth);
        }
        argument.values = element["enum"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        arguments.insert(snake_case(name), argument);
    }
    Block { arguments }
}

/// Follows `{"$ref": "#/definitions/Name"}` chains; returns the target and the names followed.
fn resolve<'a>(
    value: &'a Value,
    definitions: Option<&'a Map<String, Value>>,
) -> (&'a Value, Vec<&'a str>) {
    let mut value = value;
    let mut followed = Vec::new();
    while let Some(name) = value["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/definitions/"))
    {
        match definitions.and_then(|d| d.get(name)) {
            Some(target) if !followed.contains(&name) => {
                followed.push(name);
                value = target;
            }
            _ => break,
        }
    }
    (value, followed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_become_awscc_resource_types() {
        assert_eq!(
            resource_name("AWS::IVS::RecordingConfiguration").as_deref(),
            Some("awscc_ivs_recording_configuration")
        );
        assert_eq!(
            resource_name("AWS::ApiGatewayV2::Api").as_deref(),
            Some("awscc_apigatewayv2_api")
        );
        assert_eq!(resource_name("Custom::Thing"), None);
    }

    #[test]
    fn nested_objects_required_properties_and_enumerations_come_through() {
        let schema = serde_json::json!({
            "definitions": {
                "Thumbnails": {"type": "object", "properties": {
                    "Storage": {"type": "array", "items": {"type": "string", "enum": ["SEQUENTIAL", "LATEST"]}}
                }}
            },
            "properties": {
                "Arn": {"type": "string"},
                "Name": {"type": "string"},
                "ThumbnailConfiguration": {"$ref": "#/definitions/Thumbnails"}
            },
            "required": ["Name"],
            "readOnlyProperties": ["/properties/Arn"]
        });
        let block = resource(&schema);
        assert!(!block.arguments.contains_key("arn"));
        assert!(block.arguments["name"].required);
        let Some(Nested::Object(thumbnails)) = &block.arguments["thumbnail_configuration"].nested
        else {
            panic!("thumbnail_configuration should be a nested object");
        };
        assert_eq!(
            thumbnails.arguments["storage"].values,
            ["SEQUENTIAL", "LATEST"]
        );
    }
}
