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
pub mod snapshot;

use check::Unread;
pub use link::link_identifiers;
pub use model::*;
pub use serialize::{to_value, to_yaml};

use std::path::PathBuf;

use crate::input::diagnostic::{Problem, merge_repeats};
use crate::input::limits::{Limit, Limits};
use crate::input::schema::{self, SchemaKind};
use rayon::prelude::*;

use crate::input::source::{FileId, SourceFile, SourceMap, read_file_into};
use crate::input::yaml::{self, Node};
use crate::value::count;

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
    load_checked(paths, sources, limits, snapshot::Check::default())
}

/// [`load`], where `paths` may also be one snapshot ([`snapshot`]), whose inputs are checked as
/// `check` says.
pub fn load_checked(
    paths: &[PathBuf],
    sources: &mut SourceMap,
    limits: &Limits,
    check: snapshot::Check,
) -> Result<Registry, Vec<Problem>> {
    if let Some(path) = snapshot::among(paths)? {
        return snapshot::load(path, sources, limits, check);
    }
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

/// What one registry file gave: the items that could be read, every problem found in it, and
/// what it may declare that could not be read.
struct FilePart {
    registry: Registry,
    problems: Vec<Problem>,
    unread: Unread,
}

impl FilePart {
    /// A file that could not be read at all (a syntax error, a limit): it may declare anything.
    fn unreadable(problems: Vec<Problem>) -> FilePart {
        FilePart {
            registry: Registry::default(),
            problems,
            unread: Unread {
                ids_lost: true,
                ..Unread::default()
            },
        }
    }
}

/// Parses, validates and reads one registry file: the items that pass the schema are read
/// (and checked) even when others do not, so that one run reports the schema problems and the
/// problems of what could be read together.
///
/// The items of the top-level lists are validated and read one by one as the parser reaches
/// them, and dropped: a file's tree is never held whole, which is most of the memory a large
/// registry would otherwise take.
fn load_document(id: FileId, sources: &SourceMap, limits: &Limits) -> FilePart {
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
    match document {
        Ok(document) => sink.finish(&document, &streamed),
        // The items read before the parser failed belong to a document that is invalid.
        Err(problem) => FilePart::unreadable(vec![problem]),
    }
}

/// Validates each item of a registry file and reads those that pass the schema into the
/// file's part. An item that breaks the schema is not read; the ids it declares are noted, so
/// that references to them are not taken for unknown.
#[derive(Default)]
struct ItemReader {
    part: Registry,
    found: Vec<Problem>,
    schema_problems: Vec<Problem>,
    unread: Unread,
}

impl ItemReader {
    fn read(&mut self, list: &str, index: usize, item: &yaml::Node) {
        let problems = schema::validate_item(SchemaKind::Registry, list, index, item);
        if problems.is_empty() {
            parse::parse_item(list, item, &mut self.part, &mut self.found);
            return;
        }
        let declared = item.get("id").and_then(Node::as_str).map(str::to_string);
        match (list, declared) {
            ("organisations", Some(id)) => {
                self.unread.organisations.insert(id);
            }
            ("sources", Some(id)) => {
                self.unread.sources.insert(id);
            }
            _ => {}
        }
        self.schema_problems.extend(problems);
    }

    /// Validates the document itself (its lists already read item by item, and left out of
    /// `document` or listed in `read`) and reads its own fields and any other list.
    fn finish(mut self, document: &Node, read: &[&str]) -> FilePart {
        let top = schema::validate_top(SchemaKind::Registry, document);
        // A document whose own shape is wrong (a misspelt list name, a list that is not a
        // list) may declare anything under it.
        self.unread.ids_lost |= !top.is_empty();
        parse::parse_top(document, &mut self.part, &mut self.found);
        if top.is_empty() {
            for list in parse::LISTS.iter().filter(|l| !read.contains(l)) {
                for node in parse::items(document, list) {
                    parse::parse_item(list, node, &mut self.part, &mut self.found);
                }
            }
        }
        let mut problems = self.schema_problems;
        problems.extend(top);
        problems.extend(self.found);
        FilePart {
            registry: self.part,
            problems,
            unread: self.unread,
        }
    }

    /// Reads a document parsed whole: each item of its lists, then the document itself.
    fn read_whole(mut self, document: &Node) -> FilePart {
        let itemised: Vec<&str> = parse::LISTS
            .iter()
            .copied()
            .filter(|list| schema::is_item_list(SchemaKind::Registry, list))
            .collect();
        for list in &itemised {
            for (index, item) in parse::items(document, list).iter().enumerate() {
                self.read(list, index, item);
            }
        }
        self.finish(document, &itemised)
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
    source_map: &mut SourceMap,
    limits: &Limits,
) -> Result<Registry, Vec<Problem>> {
    let mut registry = Registry::default();
    let mut bods = bods::Pool::default();
    let mut problems = Vec::new();
    // What could not be read, so that the checks do not report an id declared there as unknown.
    let mut unread = Unread::default();
    let ids: Vec<FileId> = files.into_iter().map(|file| source_map.add(file)).collect();
    let sources: &SourceMap = source_map;
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
                .collect::<Vec<Option<FilePart>>>()
        },
        || read_bods_files(&bods_files, sources, limits, &mut bods, &mut problems),
    );
    unread.ids_lost |= !bods_read_cleanly;
    // The text of a file of statements is not needed once they are read (every position is a
    // byte offset): a register of gigabytes is not kept in memory for the rest of the run.
    for &id in &bods_files {
        if !json_documents.iter().any(|(document, _)| *document == id) {
            source_map.detach_text(id);
        }
    }
    for (id, document) in json_documents {
        if let Some(index) = ids.iter().position(|&i| i == id) {
            parts[index] = Some(ItemReader::default().read_whole(&document));
        }
    }
    for FilePart {
        registry: part,
        problems: found,
        unread: part_unread,
    } in parts.into_iter().flatten()
    {
        problems.extend(found);
        unread.extend(part_unread);
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
    if within_limits {
        let mut found = check::check(&registry, &unread);
        tolerate_register_overlaps(&mut found, &bods_files);
        problems.extend(found);
    }
    // Report in reading order, file by file, whatever check found them.
    let problems = merge_repeats(problems);
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

/// Loads a registry from a document that is already parsed, such as the inline registry of a
/// policy test case, so that every diagnostic points into the file the document came from.
pub fn load_node(document: &Node) -> Result<Registry, Vec<Problem>> {
    let FilePart {
        registry: part,
        mut problems,
        unread,
    } = ItemReader::default().read_whole(document);
    let mut registry = Registry::default();
    registry.merge(part);
    problems.extend(check::check(&registry, &unread));
    let problems = merge_repeats(problems);
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
                "the registry has {}",
                count(registry.organisations.len(), "organisation")
            ),
            org.loc,
        ));
    }
    if let Some(stake) = registry.stakes.get(limits.max_stakes) {
        problems.push(Limit::Stakes.exceeded(
            limits,
            format!("the registry has {}", count(registry.stakes.len(), "stake")),
            stake.loc,
        ));
    }
    problems
}
