//! The vendor registry: its typed model, loading from YAML files, and semantic checks.

mod check;
mod model;
mod parse;

pub use model::*;

use std::path::PathBuf;

use crate::diagnostic::Problem;
use crate::limits::Limits;
use crate::schema::{self, SchemaKind};
use rayon::prelude::*;

use crate::source::{FileId, SourceFile, SourceMap, read_file};
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
        match read_file(&path, &path.display().to_string(), limits) {
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
    let ids: Vec<FileId> = files.into_iter().map(|file| sources.add(file)).collect();
    // Files are parsed, validated and read into items in parallel; merged in order.
    let sources: &SourceMap = sources;
    let parts: Vec<Result<(Registry, Vec<Problem>), Vec<Problem>>> = ids
        .par_iter()
        .map(|&id| {
            let document = yaml::parse(id, sources.get(id), limits).map_err(|p| vec![p])?;
            let schema_problems = schema::validate(SchemaKind::Registry, &document);
            if !schema_problems.is_empty() {
                return Err(schema_problems);
            }
            let mut found = Vec::new();
            let part = parse::parse_document(&document, &mut found);
            Ok((part, found))
        })
        .collect();
    for part in parts {
        let part = match part {
            Ok((part, found)) => {
                problems.extend(found);
                part
            }
            Err(found) => {
                problems.extend(found);
                every_file_parsed = false;
                continue;
            }
        };
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
    if every_file_parsed {
        problems.extend(check::check(&registry));
    }
    // Report in reading order, file by file, whatever check found them.
    problems.sort_by_key(|p| p.primary());
    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    Ok(registry)
}
