//! What a Terraform provider accepts, condensed from the registry packages that describe it
//! (see `cdktf.rs` and `cloudformation.rs`) into one shape the checker walks.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One provider at one version: its own configuration block, resource types and data sources.
#[derive(Serialize, Deserialize, Default, Debug)]
pub struct ProviderSchema {
    /// Registry source address, e.g. `hashicorp/aws`.
    pub source: String,
    /// The exact provider version the schema describes; `versions.tf` must pin this one.
    pub version: String,
    pub provider: Block,
    pub resources: BTreeMap<String, Block>,
    pub data_sources: BTreeMap<String, Block>,
}

/// The arguments and nested blocks of a resource, data source, provider or nested block.
#[derive(Serialize, Deserialize, Default, Debug)]
pub struct Block {
    pub arguments: BTreeMap<String, Argument>,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct Argument {
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nested: Option<Nested>,
    /// The values an enumerated argument allows (for a list, each element); empty: any value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// How a structured argument is written in HCL.
#[derive(Serialize, Deserialize, Debug)]
pub enum Nested {
    /// `name { ... }`, repeatable (SDKv2-style nested blocks, and `dynamic "name"`).
    Block(Block),
    /// `name = { ... }` or `name = [{ ... }]` (framework and Cloud Control nested attributes).
    Object(Block),
    /// A block whose contents the source does not describe (cdktf gives up on a few deeply
    /// recursive ones, such as WAF rule statements); only its name is checked.
    OpaqueBlock,
}

impl Argument {
    pub fn value(required: bool) -> Self {
        Argument {
            required,
            nested: None,
            values: Vec::new(),
        }
    }
}
