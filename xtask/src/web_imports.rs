//! Short names for the main wasm module's imports from its wasm-bindgen JS glue.
//!
//! wasm-bindgen names each JS function the module imports after what it binds plus a 16-digit
//! hash (`__wbg_new_with_byte_offset_and_length_3cd32055a417f095`), from a module named after the
//! build (`./cloumer-web-56db86d2849d5f28_bg.js`). The main module carries ~270 of them: 19 KB
//! of names, whose hashes do not compress, in the first page's download. Both ends of each name
//! are ours (the import section, and the glue's object of import functions), so they are
//! renamed together to `a`, `b`, … from module `w`: 5.4 KB less gzipped wasm on the first page
//! (measured on this app), and a smaller glue too.
//!
//! Chunks import nothing from the glue (only the loader's memory and table), so only the main
//! module and its glue change.

use std::collections::HashMap;

use anyhow::{Context, Result, bail, ensure};
use wasm_encoder::{EntityType, ImportSection, Module, RawSection};
use wasmparser::{Imports, Parser, Payload};

/// The module name the renamed imports come from.
const SHORT_MODULE: &str = "w";

/// The `n`th short name: `a`…`z`, `A`…`Z`, then `ba`, `bb`, …
fn short_name(mut n: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = Vec::new();
    loop {
        name.push(LETTERS[n % LETTERS.len()]);
        n /= LETTERS.len();
        if n == 0 {
            break;
        }
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII letters")
}

/// `wasm` with its imports from `module` renamed (module and names), and each old name with its
/// new one. Every other byte of the module is kept as it was.
pub fn shorten(wasm: &[u8], module: &str) -> Result<(Vec<u8>, HashMap<String, String>)> {
    let mut out = Module::new();
    let mut renamed = HashMap::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.context("reading the main wasm module")?;
        match payload {
            Payload::Version { .. } | Payload::End(_) => {}
            Payload::ImportSection(reader) => {
                let mut imports = ImportSection::new();
                for group in reader {
                    let Imports::Single(_, import) = group.context("reading an import")? else {
                        bail!("compact imports are not expected from wasm-bindgen");
                    };
                    let ty = EntityType::try_from(import.ty)
                        .context("an import of a kind wasm-encoder cannot write")?;
                    if import.module == module {
                        let short = short_name(renamed.len());
                        imports.import(SHORT_MODULE, &short, ty);
                        renamed.insert(import.name.to_owned(), short);
                    } else {
                        imports.import(import.module, import.name, ty);
                    }
                }
                out.section(&imports);
            }
            other => {
                // Sections the code entries belong to come whole with their start.
                if let Some((id, range)) = other.as_section() {
                    out.section(&RawSection {
                        id,
                        data: &wasm[usize::try_from(range.start)?..usize::try_from(range.end)?],
                    });
                }
            }
        }
    }
    ensure!(
        !renamed.is_empty(),
        "the main module imports nothing from {module}"
    );
    Ok((out.finish(), renamed))
}

/// The glue with its import object following the renaming: each function under its new name
/// (wasm-bindgen writes them one a line, `        name: function(`), and the object under the
/// new module name.
pub fn rename_in_glue(
    glue: &str,
    module: &str,
    renamed: &HashMap<String, String>,
) -> Result<String> {
    let mut glue = glue.to_owned();
    for (old, new) in renamed {
        let key = format!("\n        {old}: function(");
        ensure!(
            glue.matches(&key).count() == 1,
            "the JS glue does not define the import {old} once"
        );
        glue = glue.replacen(&key, &format!("\n        {new}: function("), 1);
    }
    let module_key = format!("\"{module}\": import0,");
    ensure!(
        glue.matches(&module_key).count() == 1,
        "the JS glue does not name its import module {module} once"
    );
    Ok(glue.replacen(&module_key, &format!("\"{SHORT_MODULE}\": import0,"), 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_letters_and_never_repeat() {
        assert_eq!(short_name(0), "a");
        assert_eq!(short_name(51), "Z");
        assert_eq!(short_name(52), "ba");
        let names: std::collections::HashSet<String> = (0..3000).map(short_name).collect();
        assert_eq!(names.len(), 3000);
    }

    /// A module importing two functions from the glue and one from the chunk loader, with code
    /// calling them and a custom section.
    fn module() -> Vec<u8> {
        use wasm_encoder::{
            CodeSection, CustomSection, ExportKind, ExportSection, Function, FunctionSection,
            Instruction, TypeSection, ValType,
        };
        let mut module = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([ValType::I32], []);
        types.ty().function([], []);
        module.section(&types);
        let mut imports = ImportSection::new();
        imports.import(
            "./app_bg.js",
            "__wbg_log_0123456789abcdef",
            EntityType::Function(0),
        );
        imports.import(
            "./__wasm_split.js",
            "__wasm_split_load_watch",
            EntityType::Function(1),
        );
        imports.import(
            "./app_bg.js",
            "__wbg_now_fedcba9876543210",
            EntityType::Function(1),
        );
        module.section(&imports);
        let mut functions = FunctionSection::new();
        functions.function(1);
        module.section(&functions);
        let mut exports = ExportSection::new();
        exports.export("run", ExportKind::Func, 3);
        module.section(&exports);
        let mut code = CodeSection::new();
        let mut run = Function::new([]);
        run.instruction(&Instruction::I32Const(7))
            .instruction(&Instruction::Call(0))
            .instruction(&Instruction::Call(1))
            .instruction(&Instruction::End);
        code.function(&run);
        module.section(&code);
        module.section(&CustomSection {
            name: "kept".into(),
            data: b"kept bytes".as_slice().into(),
        });
        module.finish()
    }

    /// Each import's module and name, in order.
    fn imports_of(wasm: &[u8]) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            if let Payload::ImportSection(reader) = payload.unwrap() {
                for group in reader {
                    if let Imports::Single(_, import) = group.unwrap() {
                        found.push((import.module.to_owned(), import.name.to_owned()));
                    }
                }
            }
        }
        found
    }

    /// Every section but the imports, as bytes.
    fn other_sections(wasm: &[u8]) -> Vec<(u8, Vec<u8>)> {
        Parser::new(0)
            .parse_all(wasm)
            .filter_map(|payload| {
                let payload = payload.unwrap();
                if matches!(payload, Payload::ImportSection(_)) {
                    return None;
                }
                payload.as_section().map(|(id, range)| {
                    (id, wasm[range.start as usize..range.end as usize].to_vec())
                })
            })
            .collect()
    }

    #[test]
    fn imports_of_the_glue_are_renamed_and_the_rest_of_the_module_kept() {
        let wasm = module();
        let (short, renamed) = shorten(&wasm, "./app_bg.js").unwrap();
        assert_eq!(renamed["__wbg_log_0123456789abcdef"], "a");
        assert_eq!(renamed["__wbg_now_fedcba9876543210"], "b");
        assert_eq!(renamed.len(), 2);
        wasmparser::validate(&short).unwrap();
        assert_eq!(
            imports_of(&short),
            [
                ("w".to_owned(), "a".to_owned()),
                (
                    "./__wasm_split.js".to_owned(),
                    "__wasm_split_load_watch".to_owned()
                ),
                ("w".to_owned(), "b".to_owned()),
            ]
        );
        assert_eq!(other_sections(&short), other_sections(&wasm));
        assert!(short.len() < wasm.len());

        let glue = "function __wbg_get_imports() {\n    const import0 = {\n        __proto__: null,\n        __wbg_log_0123456789abcdef: function(arg0) {\n            console.log(arg0);\n        },\n        __wbg_now_fedcba9876543210: function() {\n            return Date.now();\n        },\n    };\n    return {\n        __proto__: null,\n        \"./app_bg.js\": import0,\n    };\n}";
        let renamed_glue = rename_in_glue(glue, "./app_bg.js", &renamed).unwrap();
        assert!(renamed_glue.contains("\n        a: function(arg0) {"));
        assert!(renamed_glue.contains("\n        b: function() {"));
        assert!(renamed_glue.contains("\"w\": import0,"));
        assert!(!renamed_glue.contains("0123456789abcdef"));
        // A glue that does not define an import it should is an error, not a broken page.
        let mut missing = renamed.clone();
        missing.insert("__wbg_gone_0000000000000000".into(), "c".into());
        assert!(rename_in_glue(glue, "./app_bg.js", &missing).is_err());
    }
}
