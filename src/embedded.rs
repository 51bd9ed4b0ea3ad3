//! The seeded registry and the shipped policies, compiled into the binary so that `vrisk check`
//! works from any directory after `cargo install`.

use crate::source::SourceFile;

const REGISTRY: &[(&str, &str)] = &[];

/// The embedded registry files, named as in the repository.
pub fn registry_files() -> Vec<SourceFile> {
    REGISTRY
        .iter()
        .map(|(name, text)| SourceFile::new(format!("<embedded>/{name}"), None, *text))
        .collect()
}
