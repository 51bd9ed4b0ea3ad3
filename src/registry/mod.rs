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
        let reader = scope.spawn(move || {
            let mut reader = ItemReader::default();
            for batch in receiver {
                for (list, index, item) in batch {
                    reader.read(list, index, &item);
                }
            }
            reader
        });
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
    let parts: Vec<Loaded> = ids
        .par_iter()
        .map(|&id| load_document(id, sources, limits))
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
