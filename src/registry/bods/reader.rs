//! Finds the statements in one JSON file, whichever of the three BODS serialisations it uses: a
//! JSON array of statements, a single statement object, or JSON Lines (one statement per line;
//! any sequence of JSON values separated by whitespace is read the same way). Statements are
//! parsed one at a time from the file's text and handed to the [`Pool`] as they come.

use crate::diagnostic::Problem;
use crate::json::{Json, Reader, Tape};
use crate::limits::Limits;
use crate::source::{FileId, Loc, SourceFile, Span};

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
    Registry(crate::yaml::Node),
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
    let mut walk = Walk {
        reader: Reader::new(file, source, limits.max_depth),
        tape: Tape::default(),
        in_array: false,
        first_in_array: true,
    };
    let mut recognised = false;
    let mut syntax_errors = 0;
    while walk.next_value(problems).is_some() {
        match walk.reader.read(&mut walk.tape) {
            Ok(node) => {
                if !recognised {
                    if version(node).is_none() {
                        if !walk.in_array && is_registry(node) && walk.reader.peek().is_none() {
                            return Read::Registry(node.to_node());
                        }
                        problems.push(not_bods(source, node.loc()));
                        return Read::Failed;
                    }
                    recognised = true;
                }
                add(statement(node), pool, problems);
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
    if count_errors(problems) > errors_before {
        pool.incomplete = true;
    }
    if recognised {
        Read::Statements
    } else {
        Read::Failed
    }
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
    problems: Vec<Problem>,
}

fn statement(node: Json) -> Statement {
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
    Statement { parsed, problems }
}

fn add(statement: Statement, pool: &mut Pool, problems: &mut Vec<Problem>) {
    problems.extend(statement.problems);
    if let Some(parsed) = statement.parsed {
        pool.add(parsed);
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
