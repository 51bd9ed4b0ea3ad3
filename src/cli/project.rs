//! Where vrisk puts its own files in a user's repository: the JSON Schemas that the editor
//! modelines of generated files point at live in `.vrisk/` at the project's root (the current
//! directory), one `KIND.schema.json` per file kind. `vrisk init` writes them all; `vrisk new
//! policy` and `vrisk policies export` write the ones they need when missing; `vrisk import csv`
//! points at `.vrisk/registry.schema.json`.

use std::path::{Component, Path, PathBuf};

use crate::input::schema::SchemaKind;
use crate::testing::discover::normalize;

/// The directory of the schemas, relative to the project's root.
pub const SCHEMA_DIR: &str = ".vrisk";

/// The schema of one file kind, relative to the project's root.
pub fn schema_path(kind: SchemaKind) -> PathBuf {
    Path::new(SCHEMA_DIR).join(format!("{}.schema.json", kind.name()))
}

/// The path from the directory `from` to `target` (both relative to the current directory, or
/// absolute), `/`-separated as modelines want: `../schemas` from `policies` to `schemas`.
pub fn relative_path(from: &Path, target: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let target = normalize(&cwd.join(target));
    let from = normalize(&cwd.join(from));
    let target: Vec<Component> = target.components().collect();
    let from: Vec<Component> = from.components().collect();
    let common = target.iter().zip(&from).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        target[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().to_string()),
    );
    parts.join("/")
}

/// The modeline of a file written to `file` that points at the schema of `kind` in `.vrisk/`.
pub fn modeline_for(file: &Path, kind: SchemaKind) -> String {
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    format!(
        "# yaml-language-server: $schema={}",
        relative_path(dir, &schema_path(kind))
    )
}

/// `text` with its first line replaced by `modeline` when that line is a schema modeline.
pub fn replace_modeline(text: &str, modeline: &str) -> String {
    match text.split_once('\n') {
        Some((first, rest)) if first.starts_with("# yaml-language-server: $schema=") => {
            format!("{modeline}\n{rest}")
        }
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_between_directories() {
        assert_eq!(
            relative_path(Path::new("policies"), Path::new("schemas")),
            "../schemas"
        );
        assert_eq!(
            relative_path(Path::new("rules/security"), Path::new("schemas")),
            "../../schemas"
        );
        assert_eq!(
            relative_path(Path::new("."), Path::new("schemas")),
            "schemas"
        );
    }

    #[test]
    fn modelines_point_into_the_schema_directory() {
        assert_eq!(
            modeline_for(Path::new("registry/vendors.yaml"), SchemaKind::Registry),
            "# yaml-language-server: $schema=../.vrisk/registry.schema.json"
        );
        assert_eq!(
            modeline_for(Path::new("vrisk.yaml"), SchemaKind::Config),
            "# yaml-language-server: $schema=.vrisk/config.schema.json"
        );
        assert_eq!(
            replace_modeline(
                "# yaml-language-server: $schema=../schemas/policy.schema.json\nid: x\n",
                "# yaml-language-server: $schema=../.vrisk/policy.schema.json"
            ),
            "# yaml-language-server: $schema=../.vrisk/policy.schema.json\nid: x\n"
        );
    }
}
