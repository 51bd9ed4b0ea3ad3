//! The vendor registry: its typed model, loading from YAML files, and semantic checks.

mod check;
mod model;
mod order;
mod parse;
mod serialize;

pub use model::*;
pub use serialize::{to_value, to_yaml};

use std::path::PathBuf;

use crate::diagnostic::Problem;
use crate::limits::{Limit, Limits};
use crate::schema::{self, SchemaKind};
use crate::source::{SourceFile, SourceMap, read_file_into};
use crate::yaml;

pub const EXTENSIONS: &[&str] = &["yaml", "yml"];

/// Loads and merges every registry file under `paths`, then checks the whole. Returns all the
/// problems found (errors and warnings) alongside the registry when there is no error.
pub fn load(
    paths: &[PathBuf],
    sources: &mut SourceMap,
    limits: &Limits,
) -> Result<Registry, Vec<Problem>> {
    let files = crate::inputs::expand(paths, EXTENSIONS, "registry").map_err(|p| vec![p])?;
    let mut texts = Vec::new();
    let mut problems = Vec::new();
    for path in files {
        match read_file_into(&path, &path.display().to_string(), limits, sources) {
            Ok(file) => texts.push(file),
            Err(p) => problems.push(p),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    load_files(texts, sources, limits)
}

/// Loads registry files already in memory (the embedded default registry, tests).
pub fn load_files(
    files: Vec<SourceFile>,
    sources: &mut SourceMap,
    limits: &Limits,
) -> Result<Registry, Vec<Problem>> {
    let mut registry = Registry::default();
    let mut problems = Vec::new();
    // Cross-file checks are only meaningful when every file could be read as a whole: an id
    // declared in a file that failed to parse would otherwise be reported as unknown.
    let mut every_file_parsed = true;
    for file in files {
        let id = sources.add(file);
        let document = match yaml::parse(id, sources.get(id), limits) {
            Ok(document) => document,
            Err(problem) => {
                problems.push(problem);
                every_file_parsed = false;
                continue;
            }
        };
        let schema_problems = schema::validate(SchemaKind::Registry, &document);
        if !schema_problems.is_empty() {
            problems.extend(schema_problems);
            every_file_parsed = false;
            continue;
        }
        let part = parse::parse_document(&document, &mut problems);
        if let (Some(first), Some(again)) = (&registry.default_org, &part.default_org) {
            problems.push(
                Problem::new(
                    "registry::duplicate-default-org",
                    "`default_org` is set in more than one registry file",
                )
                .at(again.loc, format!("sets `{}`", again.id))
                .at(first.loc, format!("already set to `{}`", first.id))
                .with_help("set the default point of view once, in one file"),
            );
        }
        registry.merge(part);
    }
    let over_limits = over_limits(&registry, limits);
    let within_limits = over_limits.is_empty();
    problems.extend(over_limits);
    if every_file_parsed && within_limits {
        problems.extend(check::check(&registry));
    }
    // Report in reading order, file by file, whatever check found them.
    problems.sort_by_key(|p| p.primary());
    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    registry.canonicalize();
    Ok(registry)
}

/// The registry-wide count limits, each reported at the first item over it (in reading order).
fn over_limits(registry: &Registry, limits: &Limits) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Some(org) = registry.organisations.get(limits.max_organisations) {
        problems.push(Limit::Organisations.exceeded(
            limits,
            format!(
                "the registry has {} organisations",
                registry.organisations.len()
            ),
            org.loc,
        ));
    }
    if let Some(stake) = registry.stakes.get(limits.max_stakes) {
        problems.push(Limit::Stakes.exceeded(
            limits,
            format!("the registry has {} stakes", registry.stakes.len()),
            stake.loc,
        ));
    }
    problems
}
