//! Finds the statements in one JSON file, whichever of the three BODS serialisations it uses: a
//! JSON array of statements, a single statement object, or JSON Lines (one statement per line;
//! any sequence of JSON values separated by whitespace is read the same way). Statements are
//! parsed from the file's text and handed to the [`Pool`] in reading order.
//!
//! One walk through the text decides what each statement is and in which order it counts, as
//! if statements were read one at a time. In a large file, other threads read ahead: reading a
//! value depends on nothing but the text and the offset it starts at, so they guess where the
//! statements of their part of the text start, read them from there, and the walk takes a
//! statement read ahead when it reaches its offset (and reads the value itself when no thread
//! did). A wrong guess costs time, never a different result: problems, their order and the
//! statement that wins in a record's history are those of a reading from start to end.

use std::collections::VecDeque;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::num::NonZero;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Mutex, PoisonError};

use crate::input::diagnostic::Problem;
use crate::input::json::{Json, Reader, Tape};
use crate::input::limits::Limits;
use crate::input::source::{FileId, Loc, SourceFile, Span};

use super::history::Pool;
use super::{Parsed, v03, v04};

/// Syntax errors reported per file before reading stops (a file of garbage would otherwise
/// give one per line).
const MAX_SYNTAX_ERRORS: usize = 20;

/// The keys a registry document may have at its top level.
const REGISTRY_KEYS: &[&str] = &[
    "version",
    "default_org",
    "sources",
    "organisations",
    "stakes",
    "competitors",
    "vendors",
    "roles",
    "moves",
];

/// How much text a thread reading ahead takes at a time: large enough that handing out parts
/// costs nothing next to reading them, small enough to share a file among threads evenly.
const CHUNK_BYTES: usize = 1 << 20;

/// Most threads that read ahead: past a few, the walk that adds their statements to the pool in
/// order is what takes the time.
const MAX_THREADS: usize = 8;

/// What a JSON file turned out to hold.
pub enum Read {
    /// BODS statements, now in the pool.
    Statements,
    /// A registry document written as JSON, to be read as such.
    Registry(crate::input::yaml::Node),
    /// Nothing usable; the problems say why.
    Failed,
}

pub fn read(
    file: FileId,
    source: &SourceFile,
    limits: &Limits,
    pool: &mut Pool,
    problems: &mut Vec<Problem>,
) -> Read {
    let threads = std::thread::available_parallelism().map_or(1, NonZero::get);
    let plan = Plan {
        chunk_bytes: CHUNK_BYTES,
        threads: threads.min(MAX_THREADS),
    };
    read_with(file, source, limits, plan, pool, problems)
}

/// How a file is shared among threads.
#[derive(Clone, Copy, Debug)]
struct Plan {
    chunk_bytes: usize,
    /// Threads that read ahead; with one, the walk reads every value itself.
    threads: usize,
}

fn read_with(
    file: FileId,
    source: &SourceFile,
    limits: &Limits,
    plan: Plan,
    pool: &mut Pool,
    problems: &mut Vec<Problem>,
) -> Read {
    if source.text.trim().is_empty() {
        let at_start = Loc {
            file,
            span: Span::new(0, 0),
        };
        problems.push(
            Problem::new("json::empty", format!("{} is empty", source.name))
                .at(at_start, "no content")
                .with_help("an empty file is not a valid document; delete it or give it content"),
        );
        return Read::Failed;
    }
    let errors_before = count_errors(problems);
    let shared = Shared::new(pool.hasher().clone());
    // Threads reading ahead borrow the text; the scope ends them before the text can go.
    let outcome = std::thread::scope(|scope| {
        let mut walk = Walk {
            reader: Reader::new(file, source, limits.max_depth),
            tape: Tape::default(),
            in_array: false,
            first_in_array: true,
        };
        let mut ahead: Option<ReadAhead> = None;
        let mut recognised = false;
        let mut syntax_errors = 0;
        while let Some(start) = walk.next_value(problems) {
            if let Some(item) = ahead.as_mut().and_then(|a| a.take(start)) {
                walk.reader.seek(item.end);
                add(item.statement, pool, problems);
                continue;
            }
            match walk.reader.read(&mut walk.tape) {
                Ok(node) => {
                    if !recognised {
                        if version(node).is_none() {
                            if !walk.in_array && is_registry(node) && walk.reader.peek().is_none() {
                                return Some(Read::Registry(node.to_node()));
                            }
                            problems.push(not_bods(source, node.loc()));
                            return Some(Read::Failed);
                        }
                        recognised = true;
                        ahead = ReadAhead::start(
                            scope,
                            &shared,
                            source,
                            file,
                            limits.max_depth,
                            plan,
                            walk.reader.offset(),
                        );
                    }
                    add(statement(node, &shared.hasher), pool, problems);
                }
                // Inside an array there is no telling where the next element starts.
                Err(problem) if walk.in_array => {
                    problems.push(problem);
                    break;
                }
                Err(problem) => {
                    problems.push(problem);
                    syntax_errors += 1;
                    if !recognised || syntax_errors >= MAX_SYNTAX_ERRORS {
                        break;
                    }
                    // JSON Lines: go on with the next line.
                    let next = walk.reader.next_line_start();
                    walk.reader.seek(next);
                }
            }
        }
        if walk.in_array && count_errors(problems) == errors_before {
            problems.push(walk.reader.error(
                "json::syntax",
                "the text ends inside the array of statements",
                "`]` expected",
            ));
        }
        recognised.then_some(Read::Statements)
    });
    if count_errors(problems) > errors_before {
        pool.incomplete = true;
    }
    outcome.unwrap_or(Read::Failed)
}

fn count_errors(problems: &[Problem]) -> usize {
    problems.iter().filter(|p| p.is_error()).count()
}

/// The walk through a file's text, in reading order.
struct Walk<'t> {
    reader: Reader<'t>,
    tape: Tape<'t>,
    /// Inside the top-level array of statements.
    in_array: bool,
    first_in_array: bool,
}

impl Walk<'_> {
    /// Moves to the start of the next value, past the whitespace before it and the brackets
    /// and commas of a top-level array, and returns its offset; `None` when there is nothing
    /// more to read (the end of the text, or an array that cannot go on, which is reported).
    fn next_value(&mut self, problems: &mut Vec<Problem>) -> Option<usize> {
        loop {
            if self.in_array {
                if self.reader.eat(b']') {
                    self.in_array = false;
                    continue;
                }
                if !self.first_in_array && !self.reader.eat(b',') {
                    problems.push(self.reader.error(
                        "json::syntax",
                        "expected `,` or `]` after a statement",
                        "here",
                    ));
                    return None;
                }
                self.first_in_array = false;
                self.reader.peek();
                return Some(self.reader.offset());
            }
            match self.reader.peek() {
                None => return None,
                Some(b'[') => {
                    self.reader.eat(b'[');
                    self.in_array = true;
                    self.first_in_array = true;
                }
                Some(_) => return Some(self.reader.offset()),
            }
        }
    }
}

/// What one value of the file gives: a statement for the pool, if it is a usable one, and the
/// problems found in it, in the order a reading finds them.
struct Statement {
    parsed: Option<Parsed>,
    /// The hash of the record id by the pool's hasher, computed where the statement was read.
    hash: u64,
    problems: Vec<Problem>,
}

fn statement(node: Json, hasher: &RandomState) -> Statement {
    let mut problems = Vec::new();
    let parsed = match version(node) {
        Some(Version::V04) => v04::statement(node, &mut problems),
        Some(Version::V03) => v03::statement(node, &mut problems),
        None => {
            problems.push(
                Problem::new(
                    "bods::not-a-statement",
                    format!("a {} where a BODS statement was expected", node.kind_name()),
                )
                .at(node.loc(), "not a statement")
                .with_help(
                    "a BODS statement is an object with `recordId` and `recordType` (0.4) or \
                     `statementID` and `statementType` (0.3)",
                ),
            );
            None
        }
    };
    let hash = parsed.as_ref().map_or(0, |p| hasher.hash_one(p.key()));
    Statement {
        parsed,
        hash,
        problems,
    }
}

fn add(statement: Statement, pool: &mut Pool, problems: &mut Vec<Problem>) {
    problems.extend(statement.problems);
    if let Some(parsed) = statement.parsed {
        pool.add_hashed(parsed, statement.hash);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Version {
    V03,
    V04,
}

/// The BODS version a statement is written in, or `None` if it is no statement.
fn version(node: Json) -> Option<Version> {
    if !node.is_object() {
        return None;
    }
    if node.get("statementType").is_some() {
        Some(Version::V03)
    } else if ["recordType", "recordId", "recordDetails"]
        .iter()
        .any(|k| node.get(k).is_some())
    {
        Some(Version::V04)
    } else if node.get("statementID").is_some() {
        Some(Version::V03)
    } else {
        None
    }
}

fn is_registry(node: Json) -> bool {
    node.members().any(|(name, _)| {
        name.as_str()
            .is_some_and(|name| REGISTRY_KEYS.contains(&name))
    })
}

fn not_bods(source: &SourceFile, loc: Loc) -> Problem {
    Problem::new(
        "bods::not-bods",
        format!(
            "{} is neither BODS data nor a registry document",
            source.name
        ),
    )
    .at(loc, "expected a BODS statement here")
    .with_help(
        "a .json or .jsonl registry input must hold BODS statements (a JSON array of them, one \
         statement object, or JSON Lines with one statement per line: objects with `recordId` \
         and `recordType` for BODS 0.4, `statementID` and `statementType` for 0.3), or be a \
         registry document with keys such as `organisations` and `stakes`",
    )
}

/// A value read ahead: where it starts and ends, and what it gives.
struct Item {
    start: usize,
    end: usize,
    statement: Statement,
}

/// One part of the text, read ahead by some thread: the values that start in it.
struct Chunk {
    from: usize,
    to: usize,
}

/// What the threads reading ahead share: the chunks no thread has taken yet, each with where
/// its result goes, whether the walk is over, and the pool's hasher of record ids.
struct Shared {
    jobs: Mutex<VecDeque<(Chunk, Sender<Vec<Item>>)>>,
    stop: AtomicBool,
    hasher: RandomState,
}

impl Shared {
    fn new(hasher: RandomState) -> Self {
        Shared {
            jobs: Mutex::default(),
            stop: AtomicBool::new(false),
            hasher,
        }
    }

    fn next_job(&self) -> Option<(Chunk, Sender<Vec<Item>>)> {
        if self.stop.load(Ordering::Relaxed) {
            return None;
        }
        self.jobs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop_front()
    }
}

/// The statements other threads read ahead, taken by the walk in reading order.
struct ReadAhead<'env> {
    /// Where each chunk starts and ends, in order.
    bounds: Vec<(usize, usize)>,
    results: Vec<Receiver<Vec<Item>>>,
    /// The chunk the walk is in, and what is left of its items.
    current: usize,
    items: Option<VecDeque<Item>>,
    shared: &'env Shared,
}

impl<'env> ReadAhead<'env> {
    /// Starts threads reading the text after `from`, when there is enough of it to share.
    fn start<'scope>(
        scope: &'scope std::thread::Scope<'scope, 'env>,
        shared: &'env Shared,
        source: &'env SourceFile,
        file: FileId,
        max_depth: usize,
        plan: Plan,
        from: usize,
    ) -> Option<Self> {
        let len = source.text.len();
        if plan.threads < 2 || len.saturating_sub(from) <= plan.chunk_bytes {
            return None;
        }
        let step = plan.chunk_bytes.max(1);
        let bounds: Vec<(usize, usize)> = (from..len)
            .step_by(step)
            .map(|at| (at, at.saturating_add(step).min(len)))
            .collect();
        let mut results = Vec::with_capacity(bounds.len());
        {
            let mut jobs = shared.jobs.lock().unwrap_or_else(PoisonError::into_inner);
            for &(from, to) in &bounds {
                let (sender, receiver) = channel();
                jobs.push_back((Chunk { from, to }, sender));
                results.push(receiver);
            }
        }
        for _ in 0..plan.threads.min(bounds.len()) {
            scope.spawn(move || read_chunks(shared, source, file, max_depth));
        }
        Some(ReadAhead {
            bounds,
            results,
            current: 0,
            items: None,
            shared,
        })
    }

    /// The statement read ahead that starts at `start`, if a thread read one there. Waits for
    /// the thread that reads the part of the text where `start` is.
    fn take(&mut self, start: usize) -> Option<Item> {
        loop {
            let &(from, to) = self.bounds.get(self.current)?;
            if start < from {
                return None;
            }
            if start >= to {
                self.current += 1;
                self.items = None;
                continue;
            }
            let results = &self.results[self.current];
            // No result (the thread failed) leaves every value of the chunk to the walk.
            let items = self
                .items
                .get_or_insert_with(|| results.recv().unwrap_or_default().into());
            while items.front().is_some_and(|item| item.start < start) {
                items.pop_front();
            }
            return match items.front() {
                Some(item) if item.start == start => items.pop_front(),
                _ => None,
            };
        }
    }
}

impl Drop for ReadAhead<'_> {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
    }
}

/// One thread reading ahead: takes chunks until there are none left or the walk is over.
fn read_chunks(shared: &Shared, source: &SourceFile, file: FileId, max_depth: usize) {
    let _guard = ReleaseOnPanic(shared);
    while let Some((chunk, sender)) = shared.next_job() {
        let items = read_chunk(file, source, max_depth, &chunk, shared);
        // The walk may be over and its receiver gone: the items are not needed then.
        let _ = sender.send(items);
    }
}

/// Drops the chunks no thread has taken when a thread panics, so that the walk, which would
/// otherwise wait for them, reads them itself; the panic is reported when the threads end.
struct ReleaseOnPanic<'a>(&'a Shared);

impl Drop for ReleaseOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0
                .jobs
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clear();
        }
    }
}

/// Reads the statements of one chunk: from the first place a statement may start, one value
/// after another, and after a value that does not parse from the next place a statement may
/// start. Stops at the end of the chunk, when the walk is over, or when the guesses fail too
/// often (the walk then reads the rest itself).
fn read_chunk(
    file: FileId,
    source: &SourceFile,
    max_depth: usize,
    chunk: &Chunk,
    shared: &Shared,
) -> Vec<Item> {
    let text: &str = &source.text;
    let mut reader = Reader::new(file, source, max_depth);
    let mut tape = Tape::default();
    // Room for statements of 256 bytes or more, so that the list seldom grows.
    let mut items = Vec::with_capacity((chunk.to - chunk.from) / 256);
    // Bytes read by attempts that failed: past this, the chunk is not worth guessing in.
    let budget = (chunk.to - chunk.from)
        .saturating_mul(2)
        .saturating_add(1 << 16);
    let mut wasted = 0usize;
    let mut next = statement_start(text, chunk.from);
    while let Some(start) = next.filter(|&s| s < chunk.to) {
        if shared.stop.load(Ordering::Relaxed) {
            break;
        }
        reader.seek(start);
        match reader.read(&mut tape) {
            Ok(node) => {
                let end = reader.offset();
                // Only what looks like a statement is kept: a guess inside a large statement
                // may find many objects that are not, and the walk never asks for them.
                if version(node).is_some() {
                    items.push(Item {
                        start,
                        end,
                        statement: statement(node, &shared.hasher),
                    });
                }
                next = statement_start(text, end);
            }
            Err(_) => {
                let end = reader.offset().max(start + 1);
                wasted = wasted.saturating_add(end - start);
                if wasted > budget {
                    break;
                }
                next = statement_start(text, end);
            }
        }
    }
    items
}

/// The first offset at or after `from` where a statement may start: an opening brace that is
/// not the value of an object member (the previous byte other than whitespace is not a
/// colon). That holds of the statements of JSON Lines and of an array (a line start, or after
/// `[` or `,`), and of few other places. Bytes are searched, not characters: `from` may be in
/// the middle of a character, and a brace is never part of another character in UTF-8.
fn statement_start(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    loop {
        at += bytes.get(at..)?.iter().position(|&b| b == b'{')?;
        let before = bytes[..at]
            .iter()
            .rev()
            .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
        if before != Some(&b':') {
            return Some(at);
        }
        at += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads one file with `plan`: what it was, the statements kept, and the problems.
    fn read_planned(source: &SourceFile, plan: Plan) -> (Read, Pool, Vec<Problem>) {
        let mut pool = Pool::default();
        let mut problems = Vec::new();
        let outcome = read_with(
            FileId(0),
            source,
            &Limits::default(),
            plan,
            &mut pool,
            &mut problems,
        );
        (outcome, pool, problems)
    }

    /// Reads `text` in one walk with no thread, and with threads reading ahead in chunks of
    /// `chunk_bytes`; both must see the same statements and report the same problems.
    fn same_either_way(text: &str, chunk_bytes: usize) -> (String, Vec<String>) {
        let read = |plan: Plan| {
            let source = SourceFile::new("t.jsonl", None, text);
            let (outcome, pool, problems) = read_planned(&source, plan);
            let outcome = match outcome {
                Read::Statements => "statements",
                Read::Registry(_) => "registry",
                Read::Failed => "failed",
            };
            let kept = format!(
                "{outcome} {:?} {:?} {:?} {}",
                pool.parties, pool.relationships, pool.replaced, pool.incomplete
            );
            let problems: Vec<String> = problems.iter().map(|p| format!("{p:?}")).collect();
            (kept, problems)
        };
        let alone = read(Plan {
            chunk_bytes,
            threads: 1,
        });
        let shared = read(Plan {
            chunk_bytes,
            threads: 3,
        });
        assert_eq!(alone, shared, "chunks of {chunk_bytes} bytes");
        alone
    }

    fn entity(id: &str, date: &str, name: &str) -> String {
        format!(
            r#"{{"statementId":"s-{id}-{date}","statementDate":"{date}","recordId":"{id}","recordType":"entity","recordDetails":{{"entityType":{{"type":"registeredEntity"}},"name":"{name}"}}}}"#
        )
    }

    fn relationship(id: &str, subject: &str, owner: &str, share: &str) -> String {
        format!(
            r#"{{"statementId":"s-{id}","recordId":"{id}","recordType":"relationship","recordDetails":{{"subject":"{subject}","interestedParty":"{owner}","interests":[{{"type":"shareholding","share":{{"exact":{share}}}}}]}}}}"#
        )
    }

    fn lines(n: usize) -> Vec<String> {
        let mut lines = Vec::new();
        for i in 0..n {
            lines.push(entity(&format!("e{i}"), "2024-01-01", &format!("E {i}")));
            if i > 0 {
                lines.push(relationship(
                    &format!("r{i}"),
                    &format!("e{i}"),
                    &format!("e{}", i - 1),
                    "50",
                ));
            }
        }
        lines
    }

    fn codes_and_offsets(text: &str, chunk_bytes: usize) -> Vec<(String, usize)> {
        let source = SourceFile::new("t.jsonl", None, text);
        let plan = Plan {
            chunk_bytes,
            threads: 3,
        };
        let (_, _, problems) = read_planned(&source, plan);
        problems
            .iter()
            .map(|p| {
                (
                    p.code.to_string(),
                    source.line_col(p.labels[0].0.span.offset).line,
                )
            })
            .collect()
    }

    #[test]
    fn errors_in_different_chunks_come_in_line_order() {
        let mut lines = lines(60);
        lines[3] = "{\"recordId\": \"b\",, }".to_string();
        lines[39] = lines[39].replace("\"2024-01-01\"", "\"2024-13-01\"");
        lines[77] = "{oops}".to_string();
        lines[100] = lines[100].replace("\"exact\":50", "\"exact\":150");
        let text = lines.join("\n");
        for chunk_bytes in [64, 300, 1000, 5000, usize::MAX] {
            same_either_way(&text, chunk_bytes);
        }
        assert_eq!(
            codes_and_offsets(&text, 300),
            [
                ("json::syntax".to_string(), 4),
                ("bods::invalid-date".to_string(), 40),
                ("json::syntax".to_string(), 78),
                ("bods::share-out-of-range".to_string(), 101),
            ]
        );
    }

    #[test]
    fn the_latest_statement_of_a_record_wins_across_chunks() {
        let mut lines = lines(40);
        // Later statements about e1: an older one (ignored), then a newer one (kept), then one
        // of the same date read later (kept over it).
        lines.push(entity("e1", "2020-01-01", "E 1, older"));
        lines.extend((0..20).map(|i| entity(&format!("f{i}"), "2024-01-01", "F")));
        lines.push(entity("e1", "2025-01-01", "E 1, newer"));
        lines.push(entity("e1", "2025-01-01", "E 1, same day, read later"));
        let text = lines.join("\n");
        for chunk_bytes in [100, 700, 4096] {
            let (kept, problems) = same_either_way(&text, chunk_bytes);
            assert!(problems.is_empty(), "{problems:?}");
            assert!(kept.contains("E 1, same day, read later"));
            assert!(!kept.contains("E 1, newer") && !kept.contains("E 1, older"));
        }
    }

    #[test]
    fn every_form_of_file_reads_the_same_in_chunks() {
        let lines = lines(30);
        let texts = [
            lines.join("\n"),
            lines.join("\r\n"),
            lines.join(" "),
            format!("[{}]", lines.join(",")),
            format!("[\n  {}\n]\n", lines.join(",\n  ")),
            format!("[{}", lines.join(",")),
            format!("[{}]", lines.join(",").replacen(",{", ",42,{", 3)),
            format!("[{}]", lines.join(",").replacen(",{", ", {oops", 1)),
            format!("{}\n{{\"hello\": 1}}\n", lines.join("\n")),
            format!("{{\"hello\": 1}}\n{}", lines.join("\n")),
            format!("{{\"stakes\": []}}\n{}", lines.join("\n")),
            lines
                .join("\n")
                .replace("}}\n", "}}\n!!! garbage {{\"a\": 1}} line\n"),
            lines
                .join("\n")
                .replace("\"name\"", "\"name\": {\"x\": 1}, \"n\""),
        ];
        for text in &texts {
            for chunk_bytes in [1, 50, 333, 2000] {
                same_either_way(text, chunk_bytes);
            }
        }
    }

    #[test]
    fn reading_stops_after_twenty_syntax_errors_with_or_without_threads() {
        let mut lines = lines(50);
        for line in lines.iter_mut().skip(10).step_by(3) {
            line.insert(1, '#');
        }
        let text = lines.join("\n");
        let (_, problems) = same_either_way(&text, 200);
        assert_eq!(problems.len(), MAX_SYNTAX_ERRORS);
    }

    #[test]
    fn a_chunk_yields_the_statements_that_start_in_it() {
        let text = lines(10).join("\n");
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let source = SourceFile::new("t.jsonl", None, text.as_str());
        // From the middle of the second line to the middle of the sixth.
        let chunk = Chunk {
            from: line_starts[1] + 7,
            to: line_starts[5] + 7,
        };
        let shared = Shared::new(RandomState::new());
        let items = read_chunk(FileId(0), &source, 64, &chunk, &shared);
        let starts: Vec<usize> = items.iter().map(|item| item.start).collect();
        assert_eq!(starts, line_starts[2..=5]);
        assert!(items.iter().all(|item| item.statement.parsed.is_some()));
        shared.stop.store(true, Ordering::Relaxed);
        let stopped = read_chunk(FileId(0), &source, 64, &chunk, &shared);
        assert!(stopped.is_empty(), "a thread stops when the walk is over");
    }

    #[test]
    fn a_chunk_inside_a_large_statement_keeps_nothing_of_it() {
        let interests: Vec<String> = (0..2_000)
            .map(|i| {
                format!(
                    r#"{{"type":"shareholding","share":{{"exact":{}}}}}"#,
                    i % 100
                )
            })
            .collect();
        let text = format!(
            "{}\n{}",
            entity("a", "2024-01-01", "A"),
            relationship("r", "a", "a", "1").replace(
                r#"[{"type":"shareholding","share":{"exact":1}}]"#,
                &format!("[{}]", interests.join(","))
            )
        );
        let source = SourceFile::new("t.jsonl", None, text.as_str());
        let shared = Shared::new(RandomState::new());
        let chunk = Chunk {
            from: text.len() / 2,
            to: text.len(),
        };
        let items = read_chunk(FileId(0), &source, 64, &chunk, &shared);
        assert!(items.is_empty(), "{} items", items.len());
        for chunk_bytes in [100, 10_000] {
            let (_, problems) = same_either_way(&text, chunk_bytes);
            assert!(problems.is_empty(), "{problems:?}");
        }
    }

    #[test]
    fn statement_starts_are_braces_that_are_not_member_values() {
        let text = "{\"a\": {\"b\": [{\"c\": 1}]}}\n {\"d\":\n{}}";
        let starts: Vec<usize> = std::iter::successors(statement_start(text, 0), |&at| {
            statement_start(text, at + 1)
        })
        .collect();
        assert_eq!(starts, [0, 13, 26]);
        // From the middle of a character.
        assert_eq!(statement_start("é{", 1), Some(2));
    }
}
