//! Holds every resource, data source and provider block in `.tf` files against the schemas.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use hcl::{Body, Expression, ObjectKey};

use super::schema::{Argument, Block, Nested, ProviderSchema};

/// Schemas by the provider's local name (`aws`, `awscc`, `tls`), which prefixes resource types.
pub type Providers = BTreeMap<String, ProviderSchema>;

/// One thing terraform would refuse (or, for enumerations, AWS would).
#[derive(Debug, PartialEq)]
pub struct Finding {
    pub file: PathBuf,
    /// `aws_s3_bucket.site`, then nested block names: `… › rule › expiration`.
    pub place: String,
    pub problem: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.file.display(),
            self.place,
            self.problem
        )
    }
}

/// Meta-arguments terraform handles itself on every resource and data source.
const META_ARGUMENTS: &[&str] = &["count", "for_each", "depends_on", "provider"];
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

/// Checks every `.tf` file under `dir`.
pub fn check_tree(dir: &Path, providers: &Providers) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    let mut files = Vec::new();
    collect_tf_files(dir, &mut files)?;
    for file in files {
        let text = fs::read_to_string(&file)?;
        findings.extend(check_file(&file, &text, providers)?);
    }
    Ok(findings)
}

fn collect_tf_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            // Provider plug-ins and modules terraform downloaded are not ours to check.
            if name != ".terraform" {
                collect_tf_files(&path, out)?;
            }
        } else if path.extension().is_some_and(|e| e == "tf") {
            out.push(path);
        }
    }
    Ok(())
}

pub fn check_file(file: &Path, text: &str, providers: &Providers) -> Result<Vec<Finding>> {
    let body: Body = hcl::parse(text).with_context(|| format!("parsing {}", file.display()))?;
    let mut checker = Checker {
        file,
        findings: Vec::new(),
    };
    for block in body.blocks() {
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        match (block.identifier.as_str(), labels.as_slice()) {
            ("resource", [kind, name]) | ("data", [kind, name]) => {
                let data = block.identifier.as_str() == "data";
                let place = if data {
                    format!("data.{kind}.{name}")
                } else {
                    format!("{kind}.{name}")
                };
                let provider = kind.split('_').next().unwrap_or_default();
                let Some(schema) = providers.get(provider) else {
                    checker.find(&place, format!("no schema for provider `{provider}`"));
                    continue;
                };
                let types = if data {
                    &schema.data_sources
                } else {
                    &schema.resources
                };
                match types.get(*kind) {
                    Some(expected) => checker.body(&place, &block.body, expected, true),
                    None => checker.find(
                        &place,
                        format!(
                            "{} {} has no {} `{kind}`",
                            schema.source,
                            schema.version,
                            if data { "data source" } else { "resource type" }
                        ),
                    ),
                }
            }
            ("module", [name]) => checker.module_call(name, &block.body),
            ("provider", [name]) => match providers.get(*name) {
                Some(schema) => checker.body(
                    &format!("provider.{name}"),
                    &block.body,
                    &schema.provider,
                    true,
                ),
                None => checker.find(&format!("provider.{name}"), "no schema for this provider"),
            },
            _ => {}
        }
    }
    Ok(checker.findings)
}

struct Checker<'a> {
    file: &'a Path,
    findings: Vec<Finding>,
}

/// Arguments terraform takes on every module call.
const MODULE_META_ARGUMENTS: &[&str] = &[
    "source",
    "version",
    "providers",
    "count",
    "for_each",
    "depends_on",
];

impl Checker<'_> {
    /// A call of one of our modules (a local `source`): every argument is one of its variables,
    /// and every variable without a default is set.
    fn module_call(&mut self, name: &str, body: &Body) {
        let place = format!("module.{name}");
        let source = body.attributes().find_map(|a| match (&a.key, &a.expr) {
            (key, Expression::String(source)) if key.as_str() == "source" => Some(source.clone()),
            _ => None,
        });
        let Some(source) = source.filter(|s| s.starts_with("./") || s.starts_with("../")) else {
            return; // registry modules are terraform's to check
        };
        let dir = self.file.parent().unwrap_or(Path::new(".")).join(&source);
        let variables = match module_variables(&dir) {
            Ok(variables) => variables,
            Err(error) => {
                self.find(
                    &place,
                    format!("cannot read the module at {source}: {error:#}"),
                );
                return;
            }
        };
        let mut present = Vec::new();
        for attribute in body.attributes() {
            let key = attribute.key.as_str();
            if MODULE_META_ARGUMENTS.contains(&key) {
                continue;
            }
            present.push(key.to_string());
            if !variables.arguments.contains_key(key) {
                self.find(&place, unknown("module argument", key, &variables));
            }
        }
        self.missing_required(&place, "module argument", &variables, &present);
    }

    fn find(&mut self, place: &str, problem: impl Into<String>) {
        self.findings.push(Finding {
            file: self.file.to_path_buf(),
            place: place.to_string(),
            problem: problem.into(),
        });
    }

    fn body(&mut self, place: &str, body: &Body, expected: &Block, top_level: bool) {
        let mut present = Vec::new();
        for attribute in body.attributes() {
            let key = attribute.key.as_str();
            if top_level && (META_ARGUMENTS.contains(&key) || key == "alias") {
                continue;
            }
            present.push(key.to_string());
            let Some(argument) = expected.arguments.get(key) else {
                self.find(place, unknown("argument", key, expected));
                continue;
            };
            match &argument.nested {
                Some(Nested::Block(_) | Nested::OpaqueBlock) => self.find(
                    place,
                    format!("`{key}` is a block: write `{key} {{ ... }}`, not `{key} = ...`"),
                ),
                Some(Nested::Object(inner)) => {
                    self.object(&format!("{place} › {key}"), &attribute.expr, inner)
                }
                None => self.values(place, key, &attribute.expr, argument),
            }
        }
        for block in body.blocks() {
            let identifier = block.identifier.as_str();
            if top_level && META_BLOCKS.contains(&identifier) {
                continue;
            }
            // `dynamic "rule" { for_each = ...; content { ... } }` writes `rule` blocks.
            let (name, content) = if identifier == "dynamic" {
                let Some(label) = block.labels.first() else {
                    self.find(
                        place,
                        "a `dynamic` block needs the name of the block it writes",
                    );
                    continue;
                };
                let content = block
                    .body
                    .blocks()
                    .find(|b| b.identifier.as_str() == "content");
                (label.as_str(), content.map(|c| &c.body))
            } else {
                (identifier, Some(&block.body))
            };
            present.push(name.to_string());
            let Some(argument) = expected.arguments.get(name) else {
                self.find(place, unknown("block", name, expected));
                continue;
            };
            match (&argument.nested, content) {
                (Some(Nested::Block(inner)), Some(content)) => {
                    self.body(&format!("{place} › {name}"), content, inner, false)
                }
                (Some(Nested::OpaqueBlock), _) => {}
                (Some(Nested::Block(_)), None) => self.find(
                    place,
                    format!("`dynamic \"{name}\"` has no `content` block"),
                ),
                (_, _) => self.find(
                    place,
                    format!("`{name}` is an argument: write `{name} = ...`, not a block"),
                ),
            }
        }
        self.missing_required(place, "argument", expected, &present);
    }

    /// Every required argument of `expected` that `present` lacks.
    fn missing_required(&mut self, place: &str, what: &str, expected: &Block, present: &[String]) {
        for (name, argument) in &expected.arguments {
            if argument.required && !present.contains(name) {
                self.find(place, format!("missing required {what} `{name}`"));
            }
        }
    }

    /// A nested attribute written as an object or a list of objects; anything computed is
    /// terraform's to check at plan time.
    fn object(&mut self, place: &str, expression: &Expression, expected: &Block) {
        match expression {
            Expression::Object(object) => {
                let mut present = Vec::new();
                for (key, value) in object.iter() {
                    let key = match key {
                        ObjectKey::Identifier(identifier) => identifier.as_str().to_string(),
                        ObjectKey::Expression(Expression::String(text)) => text.clone(),
                        _ => continue,
                    };
                    let Some(argument) = expected.arguments.get(&key) else {
                        self.find(place, unknown("attribute", &key, expected));
                        continue;
                    };
                    present.push(key.clone());
                    match &argument.nested {
                        Some(Nested::Object(inner) | Nested::Block(inner)) => {
                            self.object(&format!("{place} › {key}"), value, inner)
                        }
                        Some(Nested::OpaqueBlock) | None => {
                            self.values(place, &key, value, argument)
                        }
                    }
                }
                self.missing_required(place, "attribute", expected, &present);
            }
            Expression::Array(items) => {
                for item in items {
                    self.object(place, item, expected);
                }
            }
            _ => {}
        }
    }

    /// Literal strings (alone or in a list) against an enumeration.
    fn values(&mut self, place: &str, key: &str, expression: &Expression, argument: &Argument) {
        if argument.values.is_empty() {
            return;
        }
        let literals: Vec<&str> = match expression {
            Expression::String(text) => vec![text.as_str()],
            Expression::Array(items) => items
                .iter()
                .filter_map(|item| match item {
                    Expression::String(text) => Some(text.as_str()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for literal in literals {
            if !argument.values.iter().any(|v| v == literal) {
                self.find(
                    place,
                    format!(
                        "`{key}` = {literal:?} is not one of {}",
                        argument.values.join(", ")
                    ),
                );
            }
        }
    }
}

/// "unknown argument `x`", with the closest known name when there is a plausible one.
fn unknown(what: &str, name: &str, expected: &Block) -> String {
    let closest = expected
        .arguments
        .keys()
        .map(|known| (strsim::levenshtein(name, known), known))
        .min()
        .filter(|(distance, _)| *distance <= 3);
    match closest {
        Some((_, known)) => format!("unknown {what} `{name}` (did you mean `{known}`?)"),
        None => format!("unknown {what} `{name}`"),
    }
}

/// The `.tf` files directly in `dir` (one module), parsed.
pub fn module_bodies(dir: &Path) -> Result<Vec<Body>> {
    let mut bodies = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let file = entry?.path();
        if file.extension().is_some_and(|e| e == "tf") {
            let text = fs::read_to_string(&file)?;
            bodies.push(hcl::parse(&text).with_context(|| format!("parsing {}", file.display()))?);
        }
    }
    Ok(bodies)
}

/// A module's `variable` blocks as a schema: required when they have no default.
fn module_variables(dir: &Path) -> Result<Block> {
    let mut block = Block::default();
    for body in module_bodies(dir)? {
        for variable in body
            .blocks()
            .filter(|b| b.identifier.as_str() == "variable")
        {
            let Some(name) = variable.labels.first() else {
                continue;
            };
            let has_default = variable
                .body
                .attributes()
                .any(|a| a.key.as_str() == "default");
            block
                .arguments
                .insert(name.as_str().to_string(), Argument::value(!has_default));
        }
    }
    Ok(block)
}
