//! The vendor registry: its typed model, loading from YAML files and BODS data, and semantic
//! checks.

pub mod bods;
mod check;
mod closed;
pub mod import;
mod link;
mod model;
mod order;
mod parse;
mod restated;
mod serialize;

pub use link::link_identifiers;
pub use model::*;
pub use serialize::{to_value, to_yaml};

use std::path::PathBuf;

use crate::input::diagnostic::Problem;
use crate::input::limits::{Limit, Limits};
use crate::input::schema::{self, SchemaKind};
use rayon::prelude::*;

use crate::input::source::{FileId, SourceFile, SourceMap, read_file_into};
use crate::input::yaml::{self, Node};

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
    let files =
        crate::input::files::expand(paths, INPUT_EXTENSIONS, "registry").map_err(|p| vec![p])?;
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

/// One file's items and the problems found reading them, or the problems that stopped it.
type Loaded = Result<(Registry, Vec<Problem>), Vec<Problem>>;

/// Parses, validates and reads one registry file: its items, and the problems found reading
/// them; or, when the file is not valid YAML or breaks the schema, those problems only.
///
/// The items of the top-level lists are validated and read one by one as the parser reaches
/// them, and dropped: a file's tree is never held whole, which is most of the memory a large
/// registry would otherwise take.
fn load_document(id: FileId, sources: &SourceMap, limits: &Limits) -> Loaded {
    let streamed: Vec<&str> = parse::LISTS
        .iter()
        .copied()
        .filter(|list| schema::is_item_list(SchemaKind::Registry, list))
        .collect();
    // The parser hands items over in batches to a second thread, which validates and reads
    // them in order while the parser goes on: on a large file the two overlap.
    let (document, sink) = std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Item>>(4);
        let reader = std::thread::Builder::new()
            .stack_size(crate::input::limits::STACK_BYTES)
            .spawn_scoped(scope, move || {
                let mut reader = ItemReader::default();
                for batch in receiver {
                    for (list, index, item) in batch {
                        reader.read(list, index, &item);
                    }
                }
                reader
            })
            // Only the operating system refusing a thread gets here: an internal error.
            .unwrap_or_else(|e| panic!("cannot start the registry reader thread: {e}"));
        let (document, mut batcher) = yaml::parse_streaming(
            id,
            sources.get(id),
            limits,
            &streamed,
            Batcher {
                batch: Vec::with_capacity(BATCH),
                sender,
            },
        );
        batcher.flush();
        drop(batcher);
        let reader = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (document, reader)
    });
    let document = document.map_err(|p| vec![p])?;
    let mut schema_problems = schema::validate(SchemaKind::Registry, &document);
    schema_problems.extend(sink.schema_problems);
    if !schema_problems.is_empty() {
        return Err(schema::sort_problems(schema_problems));
    }
    let ItemReader {
        mut part,
        mut found,
        ..
    } = sink;
    parse::parse_top(&document, &mut part, &mut found);
    for list in parse::LISTS.iter().filter(|l| !streamed.contains(l)) {
        for node in parse::items(&document, list) {
            parse::parse_item(list, node, &mut part, &mut found);
        }
    }
    Ok((part, found))
}

/// Validates each item of a registry file as it is parsed and reads it into the file's part.
/// After the first schema problem it only validates: a file that breaks the schema is not read.
#[derive(Default)]
struct ItemReader {
    part: Registry,
    found: Vec<Problem>,
    schema_problems: Vec<Problem>,
}

impl ItemReader {
    fn read(&mut self, list: &str, index: usize, item: &yaml::Node) {
        let problems = schema::validate_item(SchemaKind::Registry, list, index, item);
        if problems.is_empty() && self.schema_problems.is_empty() {
            parse::parse_item(list, item, &mut self.part, &mut self.found);
        }
        self.schema_problems.extend(problems);
    }
}

/// An item of a top-level list: the list's name (one of [`parse::LISTS`]), its index, its tree.
type Item = (&'static str, usize, yaml::Node);

/// Items per batch sent from the parser to the reader.
const BATCH: usize = 1024;

/// Collects parsed items into batches for the reader thread.
struct Batcher {
    batch: Vec<Item>,
    sender: std::sync::mpsc::SyncSender<Vec<Item>>,
}

impl Batcher {
    fn flush(&mut self) {
        if !self.batch.is_empty() {
            let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            // The reader only stops early by panicking, which `join` passes on.
            let _ = self.sender.send(batch);
        }
    }
}

impl yaml::ItemSink for Batcher {
    fn item(&mut self, list: &str, index: usize, item: yaml::Node) {
        let list = parse::LISTS
            .iter()
            .copied()
            .find(|l| *l == list)
            .unwrap_or_default();
        self.batch.push((list, index, item));
        if self.batch.len() >= BATCH {
            self.flush();
        }
    }
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
    let ids: Vec<FileId> = files.into_iter().map(|file| sources.add(file)).collect();
    let sources: &SourceMap = sources;
    let bods_files: Vec<FileId> = ids
        .iter()
        .copied()
        .filter(|&id| is_json(sources.get(id)))
        .collect();
    // YAML files are parsed, validated and read into parts in parallel; BODS files meanwhile
    // fill one pool of statements, in order, since a later statement of a record replaces an
    // earlier one whichever file it is in. Parts are merged in file order.
    let (mut parts, (json_documents, bods_read_cleanly)) = rayon::join(
        || {
            ids.par_iter()
                .map(|&id| (!bods_files.contains(&id)).then(|| load_document(id, sources, limits)))
                .collect::<Vec<Option<Loaded>>>()
        },
        || read_bods_files(&bods_files, sources, limits, &mut bods, &mut problems),
    );
    every_file_parsed &= bods_read_cleanly;
    for (id, document) in json_documents {
        if let Some(index) = ids.iter().position(|&i| i == id) {
            parts[index] = Some(load_parsed(&document));
        }
    }
    for part in parts.into_iter().flatten() {
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

/// Reads the BODS files of a run, in order, into `pool`. Returns the JSON files that turned out
/// to be registry documents, and whether every file was read without a problem.
fn read_bods_files(
    files: &[FileId],
    sources: &SourceMap,
    limits: &Limits,
    pool: &mut bods::Pool,
    problems: &mut Vec<Problem>,
) -> (Vec<(FileId, Node)>, bool) {
    let mut documents = Vec::new();
    let mut clean = true;
    for &id in files {
        let errors = problems.len();
        match bods::read(id, sources.get(id), limits, pool, problems) {
            bods::Read::Registry(node) => documents.push((id, node)),
            bods::Read::Statements => clean &= problems.len() == errors,
            bods::Read::Failed => clean = false,
        }
    }
    (documents, clean)
}

/// Validates and reads a registry document parsed whole (a registry written as JSON).
fn load_parsed(document: &Node) -> Loaded {
    let schema_problems = schema::validate(SchemaKind::Registry, document);
    if !schema_problems.is_empty() {
        return Err(schema_problems);
    }
    let mut found = Vec::new();
    let part = parse::parse_document(document, &mut found);
    Ok((part, found))
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
fn tolerate_register_overlaps(
    problems: &mut [Problem],
    bods_files: &[crate::input::source::FileId],
) {
    for problem in problems {
        let from_bods = problem
            .labels
            .iter()
            .any(|(loc, _)| bods_files.contains(&loc.file));
        if problem.code == "registry::owners-over-100" && from_bods {
            problem.level = crate::input::diagnostic::Level::Warning;
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
