//! The vendor registry: its typed model, loading from YAML files and BODS data, and semantic
//! checks.

pub mod bods;
mod check;
mod link;
mod model;
mod order;
mod parse;
mod serialize;

pub use link::link_identifiers;
pub use model::*;
pub use serialize::{to_value, to_yaml};

use std::path::PathBuf;

use crate::diagnostic::Problem;
use crate::limits::{Limit, Limits};
use crate::schema::{self, SchemaKind};
use crate::source::{SourceFile, SourceMap, read_file_into};
use crate::yaml::{self, Node};

/// Extensions of YAML documents (registry files and policies).
pub const EXTENSIONS: &[&str] = &["yaml", "yml"];

/// Extensions of the files a registry directory is searched for: YAML registry files, and BODS
/// data as JSON or JSON Lines.
pub const INPUT_EXTENSIONS: &[&str] = &["yaml", "yml", "json", "jsonl"];

/// Loads and merges every registry file under `paths`, then checks the whole. Returns all the
/// problems found (errors and warnings) when there is an error; warnings alone are kept in
/// [`Registry::warnings`].
pub fn load(
    paths: &[PathBuf],
    sources: &mut SourceMap,
    limits: &Limits,
) -> Result<Registry, Vec<Problem>> {
    let files = crate::inputs::expand(paths, INPUT_EXTENSIONS, "registry").map_err(|p| vec![p])?;
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

/// Loads registry files already in memory (the embedded default registry, tests). YAML files
/// are registry documents; JSON files are BODS data or registry documents written as JSON.
pub fn load_files(
    files: Vec<SourceFile>,
    sources: &mut SourceMap,
    limits: &Limits,
) -> Result<Registry, Vec<Problem>> {
    let mut registry = Registry::default();
    let mut bods = bods::Pool::default();
    let mut problems = Vec::new();
    // Cross-file checks are only meaningful when every file could be read as a whole: an id
    // declared in a file that failed to parse would otherwise be reported as unknown.
    let mut every_file_parsed = true;
    let mut bods_files = Vec::new();
    for file in files {
        let id = sources.add(file);
        let source = sources.get(id);
        let parsed = if is_json(source) {
            bods_files.push(id);
            let errors = problems.len();
            match bods::read(id, source, limits, &mut bods, &mut problems) {
                bods::Read::Registry(node) => Ok(node),
                bods::Read::Statements => {
                    every_file_parsed &= problems.len() == errors;
                    continue;
                }
                bods::Read::Failed => {
                    every_file_parsed = false;
                    continue;
                }
            }
        } else {
            yaml::parse(id, source, limits)
        };
        let document = match parsed {
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
    if !bods.is_empty() {
        // Built once every file is read: a relationship may name a record of another file.
        let mut part = bods::build(bods, &mut problems);
        problems.extend(link_identifiers(&registry, &mut part));
        registry.merge(part);
    }
    let over_limits = over_limits(&registry, limits);
    let within_limits = over_limits.is_empty();
    problems.extend(over_limits);
    if every_file_parsed && within_limits {
        let mut found = check::check(&registry);
        tolerate_register_overlaps(&mut found, &bods_files);
        problems.extend(found);
    }
    // Report in reading order, file by file, whatever check found them.
    problems.sort_by_key(|p| p.primary());
    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    registry.warnings.extend(problems);
    registry.canonicalize();
    Ok(registry)
}

/// Loads a registry from a document that is already parsed, such as the inline registry of a
/// policy test case, so that every diagnostic points into the file the document came from.
pub fn load_node(document: &Node) -> Result<Registry, Vec<Problem>> {
    let mut problems = schema::validate(SchemaKind::Registry, document);
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut registry = parse::parse_document(document, &mut problems);
    problems.extend(check::check(&registry));
    problems.sort_by_key(|p| p.primary());
    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    registry.canonicalize();
    Ok(registry)
}

/// Registers publish the end of an interest when it is filed, often days after the new owner's
/// interest started, so the stated shares of a company's owners may add up to over 100% for a
/// while. Where BODS data is involved that is the register's statement, not a typing error the
/// user can correct: it is reported as a warning and the data used as stated.
fn tolerate_register_overlaps(problems: &mut [Problem], bods_files: &[crate::source::FileId]) {
    for problem in problems {
        let from_bods = problem
            .labels
            .iter()
            .any(|(loc, _)| bods_files.contains(&loc.file));
        if problem.code == "registry::owners-over-100" && from_bods {
            problem.level = crate::diagnostic::Level::Warning;
            problem.help = Some(
                "the BODS data states interests whose periods overlap (registers often record \
                 the end of an interest late); vrisk uses the shares as stated"
                    .to_string(),
            );
        }
    }
}

/// JSON by its extension; a file with neither a JSON nor a YAML extension is JSON when it
/// starts like JSON data (`[` or `{`).
fn is_json(source: &SourceFile) -> bool {
    let name = source.name.to_ascii_lowercase();
    if name.ends_with(".json") || name.ends_with(".jsonl") {
        return true;
    }
    if EXTENSIONS.iter().any(|e| name.ends_with(&format!(".{e}"))) {
        return false;
    }
    source.text.trim_start().starts_with(['[', '{'])
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
