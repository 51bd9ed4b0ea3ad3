//! Finds the statements in one JSON file, whichever of the three BODS serialisations it uses: a
//! JSON array of statements, a single statement object, or JSON Lines (one statement per line;
//! any sequence of JSON values separated by whitespace is read the same way). Statements are
//! parsed one at a time from the file's text and handed to the [`Pool`] as they come.

use crate::diagnostic::Problem;
use crate::json::Reader;
use crate::limits::Limits;
use crate::source::{FileId, Loc, SourceFile, Span};
use crate::yaml::Node;

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

/// What a JSON file turned out to hold.
pub enum Read {
    /// BODS statements, now in the pool.
    Statements,
    /// A registry document written as JSON, to be read as such.
    Registry(Node),
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
    let at_start = Loc {
        file,
        span: Span::new(0, 0),
    };
    if source.text.trim().is_empty() {
        problems.push(
            Problem::new("json::empty", format!("{} is empty", source.name))
                .at(at_start, "no content")
                .with_help("an empty file is not a valid document; delete it or give it content"),
        );
        return Read::Failed;
    }
    let errors_before = problems.iter().filter(|p| p.is_error()).count();
    let mut reader = Reader::new(file, source, limits.max_depth);
    let mut in_array = false;
    let mut first_in_array = true;
    let mut recognised = false;
    let mut syntax_errors = 0;
    loop {
        let node = if in_array {
            if reader.eat(b']') {
                in_array = false;
                continue;
            }
            if !first_in_array && !reader.eat(b',') {
                problems.push(reader.error(
                    "json::syntax",
                    "expected `,` or `]` after a statement",
                    "here",
                ));
                break;
            }
            first_in_array = false;
            match reader.value() {
                Ok(node) => node,
                // Inside an array there is no telling where the next element starts.
                Err(problem) => {
                    problems.push(problem);
                    break;
                }
            }
        } else {
            match reader.peek() {
                None => break,
                Some(b'[') => {
                    reader.eat(b'[');
                    in_array = true;
                    first_in_array = true;
                    continue;
                }
                Some(_) => {}
            }
            match reader.value() {
                Ok(node) => node,
                Err(problem) => {
                    problems.push(problem);
                    syntax_errors += 1;
                    if !recognised || syntax_errors >= MAX_SYNTAX_ERRORS {
                        break;
                    }
                    // JSON Lines: go on with the next line.
                    let next = reader.next_line_start();
                    reader.seek(next);
                    continue;
                }
            }
        };
        if !recognised {
            if version(&node).is_none() {
                if !in_array && is_registry(&node) && reader.peek().is_none() {
                    return Read::Registry(node);
                }
                problems.push(not_bods(source, node.loc));
                return Read::Failed;
            }
            recognised = true;
        }
        statement(&node, pool, problems);
    }
    if in_array && problems.iter().filter(|p| p.is_error()).count() == errors_before {
        problems.push(reader.error(
            "json::syntax",
            "the text ends inside the array of statements",
            "`]` expected",
        ));
    }
    if problems.iter().filter(|p| p.is_error()).count() > errors_before {
        pool.incomplete = true;
    }
    if recognised {
        Read::Statements
    } else {
        Read::Failed
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Version {
    V03,
    V04,
}

/// The BODS version a statement is written in, or `None` if it is no statement.
fn version(node: &Node) -> Option<Version> {
    node.as_map()?;
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

fn statement(node: &Node, pool: &mut Pool, problems: &mut Vec<Problem>) {
    let seq = pool.next_seq();
    let parsed: Option<Parsed> = match version(node) {
        Some(Version::V04) => v04::statement(node, seq, problems),
        Some(Version::V03) => v03::statement(node, seq, problems),
        None => {
            problems.push(
                Problem::new(
                    "bods::not-a-statement",
                    format!("a {} where a BODS statement was expected", node.kind_name()),
                )
                .at(node.loc, "not a statement")
                .with_help(
                    "a BODS statement is an object with `recordId` and `recordType` (0.4) or \
                     `statementID` and `statementType` (0.3)",
                ),
            );
            None
        }
    };
    if let Some(parsed) = parsed {
        pool.add(parsed);
    }
}

fn is_registry(node: &Node) -> bool {
    node.as_map().is_some_and(|entries| {
        entries
            .iter()
            .any(|(k, _)| REGISTRY_KEYS.contains(&k.name.as_str()))
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
