//! Every example output in the docs is what vrisk prints.
//!
//! # Marking an example
//!
//! A fenced block whose content is the output of a command is marked with an HTML comment on
//! the line before it (GitHub does not show the comment):
//!
//! ````markdown
//! <!-- output: vrisk check --as-of 2025-06-20 -->
//! ```text
//! fail
//! [... one diagnostic per finding ...]
//! vrisk: alphabet (Alphabet) as of 2025-06-20: 7 policies × 4 vendor relationships
//! ```
//! ````
//!
//! - `<!-- output: COMMAND -->` runs COMMAND (a `vrisk` command line; `"..."` and `'...'` quote
//!   an argument with spaces) in a scratch copy of the repository's inputs (`registry/`,
//!   `policies/`, `schemas/`, `docs/examples/`), so the embedded/seeded example is what it
//!   reads and a command that writes files changes nothing in the repository.
//! - `<!-- output in DIR: COMMAND -->` runs it in a scratch copy of DIR, a directory of the
//!   repository (the fixtures of the docs are under `tests/docs-examples/`).
//! - `<!-- output in a new directory: COMMAND -->` runs it in an empty scratch directory.
//! - `after CMD; CMD` before the colon runs those commands first in the same directory, their
//!   output unchecked: `<!-- output in a new directory after vrisk new policy x: vrisk test -->`.
//! - `<!-- file: PATH -->` marks a block that shows the file PATH of the repository whole.
//!
//! A command's output is its standard output followed by its standard error, with no colour
//! (`NO_COLOR`) and the default width of 100 columns. Commands whose output depends on the date
//! must give `--as-of` (or read a file that fixes it). In the block:
//!
//! - a first line `$ COMMAND` shows the prompt; it must be the marked command;
//! - a line `[...]`, or `[...` with text up to a closing `]` (`[... one diagnostic per finding
//!   ...]`), stands for any number of lines, none included;
//! - trailing spaces are ignored, every other character counts.
//!
//! Every ```` ```text ```` block of the docs must be marked, so that no output goes unchecked;
//! a block that is not output (a layout, a grammar) uses another language tag.
//!
//! A failure names the doc and the line of its marker, the command, the first line that
//! differs, and prints the whole output, so that the block can be corrected from it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The repository's inputs that a marked command without `in DIR` can read.
const INPUTS: &[&str] = &["registry", "policies", "schemas", "docs/examples"];

/// Where a marked command runs.
#[derive(Debug, Clone, PartialEq)]
enum Place {
    Repository,
    Directory(String),
    NewDirectory,
}

/// One marked block of a doc.
#[derive(Debug)]
struct Example {
    doc: String,
    /// The 1-based line of the marker.
    line: usize,
    kind: Kind,
    /// The block's lines, without its fences.
    block: Vec<String>,
}

#[derive(Debug)]
enum Kind {
    Output {
        place: Place,
        setup: Vec<String>,
        command: String,
    },
    File(String),
}

/// README.md and every docs/*.md, sorted.
fn docs() -> Vec<PathBuf> {
    let mut docs = vec![Path::new(ROOT).join("README.md")];
    let mut more: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join("docs"))
        .expect("docs/ is readable")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    more.sort();
    docs.extend(more);
    docs
}

fn relative(path: &Path) -> String {
    path.strip_prefix(ROOT)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The marker on `line`, if it is one: `output ...` or `file: PATH`, parsed.
fn marker(line: &str) -> Option<Result<Kind, String>> {
    let inner = line
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    if let Some(path) = inner.strip_prefix("file:") {
        return Some(Ok(Kind::File(path.trim().to_string())));
    }
    let spec = inner.strip_prefix("output")?;
    let Some((setup, command)) = spec.split_once(':') else {
        return Some(Err(format!("no `: COMMAND` in `{inner}`")));
    };
    let command = command.trim().to_string();
    if !command.starts_with("vrisk ") {
        return Some(Err(format!("`{command}` is not a vrisk command")));
    }
    let mut setup = setup.trim();
    let mut after = Vec::new();
    if let Some((before, commands)) = setup.split_once("after ") {
        after = commands.split(';').map(|c| c.trim().to_string()).collect();
        setup = before.trim();
    }
    let place = match setup.strip_prefix("in ") {
        None if setup.is_empty() => Place::Repository,
        None => return Some(Err(format!("cannot read `{setup}` in `{inner}`"))),
        Some("a new directory") => Place::NewDirectory,
        Some(dir) => Place::Directory(dir.trim().to_string()),
    };
    Some(Ok(Kind::Output {
        place,
        setup: after,
        command,
    }))
}

/// Every marked block of every doc, and the problems with the marking itself (a marker with
/// no block after it, a malformed marker, a ```text block with no marker).
fn examples() -> (Vec<Example>, Vec<String>) {
    let mut examples = Vec::new();
    let mut problems = Vec::new();
    for doc in docs() {
        let name = relative(&doc);
        let text = std::fs::read_to_string(&doc).expect("a doc is readable");
        let lines: Vec<&str> = text.lines().collect();
        let mut pending: Option<(usize, Kind)> = None;
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            if let Some(found) = marker(line) {
                match found {
                    Ok(kind) => pending = Some((i + 1, kind)),
                    Err(e) => problems.push(format!("{name}:{}: {e}", i + 1)),
                }
                i += 1;
                continue;
            }
            let fence = line.trim_start();
            if let Some(info) = fence.strip_prefix("```") {
                let indent = line.len() - fence.len();
                let end = (i + 1..lines.len())
                    .find(|&j| lines[j].trim() == "```")
                    .unwrap_or(lines.len());
                let block: Vec<String> = lines[i + 1..end]
                    .iter()
                    .map(|l| l.get(indent..).unwrap_or(l.trim_start()).to_string())
                    .collect();
                match pending.take() {
                    Some((line, kind)) => examples.push(Example {
                        doc: name.clone(),
                        line,
                        kind,
                        block,
                    }),
                    None if info.trim() == "text" => problems.push(format!(
                        "{name}:{}: a ```text block with no `<!-- output: ... -->` marker before it",
                        i + 1
                    )),
                    None => {}
                }
                i = end + 1;
                continue;
            }
            if let Some((at, _)) = &pending
                && !line.trim().is_empty()
            {
                problems.push(format!(
                    "{name}:{at}: the marker is not followed by a fenced block"
                ));
                pending = None;
            }
            i += 1;
        }
        if let Some((at, _)) = pending {
            problems.push(format!(
                "{name}:{at}: the marker is not followed by a fenced block"
            ));
        }
    }
    (examples, problems)
}

/// The words of a command line; `"..."` and `'...'` quote.
fn words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in command.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from)
        .expect("a directory to copy")
        .flatten()
    {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy a file");
        }
    }
}

/// What `command` prints (stdout, then stderr) in `dir`.
fn run(dir: &Path, command: &str) -> String {
    let args = words(command);
    let output = cargo_bin_cmd!("vrisk")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .env_remove("CI")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("RUST_BACKTRACE")
        .env_remove("VRISK_TEST_INTERNAL_ERROR")
        .args(&args[1..])
        .output()
        .expect("run vrisk");
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    assert!(!text.contains("panicked"), "`{command}` panicked:\n{text}");
    text
}

/// A scratch directory prepared for `place`.
fn scratch(place: &Place) -> Result<tempfile::TempDir, String> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    match place {
        Place::NewDirectory => {}
        Place::Repository => {
            for input in INPUTS {
                copy_dir(&Path::new(ROOT).join(input), &dir.path().join(input));
            }
        }
        Place::Directory(name) => {
            let from = Path::new(ROOT).join(name);
            if !from.is_dir() {
                return Err(format!("`{name}` is not a directory of the repository"));
            }
            copy_dir(&from, dir.path());
        }
    }
    Ok(dir)
}

fn is_elision(line: &str) -> bool {
    let line = line.trim();
    line.starts_with("[...") && line.ends_with(']')
}

/// Whether `actual` matches `expected`, in which elision lines stand for any run of lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    // reach[j]: the first `i` expected lines can match the first `j` actual lines.
    let mut reach = vec![false; actual.len() + 1];
    reach[0] = true;
    for line in expected {
        let mut next = vec![false; actual.len() + 1];
        if is_elision(line) {
            let mut seen = false;
            for j in 0..=actual.len() {
                seen |= reach[j];
                next[j] = seen;
            }
        } else {
            for j in 1..=actual.len() {
                next[j] = reach[j - 1] && line.trim_end() == actual[j - 1].trim_end();
            }
        }
        reach = next;
    }
    reach[actual.len()]
}

/// The first expected line that does not match, found by matching greedily (each elision
/// skips to the first line equal to the next expected line), with the actual line there.
fn first_difference(expected: &[String], actual: &[&str]) -> (usize, String, String) {
    let mut j = 0;
    let mut i = 0;
    while i < expected.len() {
        let line = &expected[i];
        if is_elision(line) {
            let Some(next) = expected.get(i + 1) else {
                return (i, String::new(), String::new());
            };
            match actual[j..]
                .iter()
                .position(|a| a.trim_end() == next.trim_end())
            {
                Some(skip) => j += skip,
                None => {
                    return (
                        i + 1,
                        next.clone(),
                        "(no such line after the elision)".to_string(),
                    );
                }
            }
            i += 1;
            continue;
        }
        match actual.get(j) {
            Some(a) if a.trim_end() == line.trim_end() => {}
            Some(a) => return (i, line.clone(), a.to_string()),
            None => return (i, line.clone(), "(end of output)".to_string()),
        }
        i += 1;
        j += 1;
    }
    (
        expected.len(),
        "(end of the block)".to_string(),
        actual.get(j).map_or(String::new(), |a| a.to_string()),
    )
}

/// Checks one output example; a description of what differs when it does.
fn check_output(
    example: &Example,
    place: &Place,
    setup: &[String],
    command: &str,
) -> Result<(), String> {
    let dir = scratch(place)?;
    for step in setup {
        run(dir.path(), step);
    }
    let mut expected = example.block.clone();
    if let Some(prompt) = expected.first().and_then(|l| l.strip_prefix("$ ")) {
        if prompt.trim() != command {
            return Err(format!(
                "the block's prompt `$ {prompt}` is not the marked command `{command}`"
            ));
        }
        expected.remove(0);
    }
    let output = run(dir.path(), command);
    let actual: Vec<&str> = output.lines().collect();
    if matches(&expected, &actual) {
        return Ok(());
    }
    let (index, want, got) = first_difference(&expected, &actual);
    // The block starts two lines after the marker (the fence), one more with a prompt.
    let prompt = usize::from(example.block.len() != expected.len());
    let line = example.line + 2 + prompt + index;
    let mut report = String::new();
    let _ = writeln!(report, "`{command}` prints something else.");
    let _ = writeln!(report, "first difference at {}:{line}:", example.doc);
    let _ = writeln!(report, "  expected: {want}");
    let _ = writeln!(report, "  actual:   {got}");
    let _ = writeln!(report, "the whole output:");
    for line in &actual {
        let _ = writeln!(report, "  | {line}");
    }
    Err(report)
}

fn check_file(example: &Example, path: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(Path::new(ROOT).join(path))
        .map_err(|e| format!("cannot read `{path}`: {e}"))?;
    let file: Vec<&str> = text.lines().collect();
    let block: Vec<&str> = example.block.iter().map(String::as_str).collect();
    if file == block {
        return Ok(());
    }
    let index = file
        .iter()
        .zip(&block)
        .position(|(a, b)| a != b)
        .unwrap_or(file.len().min(block.len()));
    Err(format!(
        "the block is not the file `{path}`; first difference at {}:{}:\n  file:  {}\n  block: {}",
        example.doc,
        example.line + 2 + index,
        file.get(index).unwrap_or(&"(end of file)"),
        block.get(index).unwrap_or(&"(end of block)"),
    ))
}

#[test]
fn every_output_block_is_marked() {
    let (_, problems) = examples();
    assert!(
        problems.is_empty(),
        "mark each block of output (see the top of tests/docs_output.rs):\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_marked_example_is_what_vrisk_prints() {
    let (examples, _) = examples();
    assert!(
        examples
            .iter()
            .any(|e| matches!(e.kind, Kind::Output { .. })),
        "no marked output found"
    );
    let mut failures = Vec::new();
    for example in &examples {
        let checked = match &example.kind {
            Kind::Output {
                place,
                setup,
                command,
            } => check_output(example, place, setup, command),
            Kind::File(path) => check_file(example, path),
        };
        if let Err(why) = checked {
            failures.push(format!("── {}:{} ──\n{why}", example.doc, example.line));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} marked examples differ from what vrisk prints:\n\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n")
    );
}

#[test]
fn elisions_stand_for_any_run_of_lines() {
    let block = |lines: &[&str]| lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    let actual = ["a", "b", "c", "d"];
    assert!(matches(&block(&["a", "b", "c", "d"]), &actual));
    assert!(matches(&block(&["a", "[...]", "d"]), &actual));
    assert!(matches(&block(&["[... the rest ...]"]), &actual));
    assert!(matches(&block(&["a", "b", "[...]", "c", "d"]), &actual));
    assert!(!matches(&block(&["a", "[...]", "c"]), &actual));
    assert!(!matches(&block(&["a", "c", "[...]"]), &actual));
    assert!(!matches(&block(&["a", "b", "c"]), &actual));
    assert_eq!(
        first_difference(&block(&["a", "x", "[...]"]), &actual),
        (1, "x".to_string(), "b".to_string())
    );
}

#[test]
fn markers_are_read_as_documented() {
    let output = |text: &str| match marker(text) {
        Some(Ok(Kind::Output {
            place,
            setup,
            command,
        })) => (place, setup, command),
        other => panic!("{text}: {other:?}"),
    };
    assert_eq!(
        output("<!-- output: vrisk check --as-of 2025-06-20 -->"),
        (
            Place::Repository,
            vec![],
            "vrisk check --as-of 2025-06-20".to_string()
        )
    );
    assert_eq!(
        output(
            "<!-- output in a new directory after vrisk new policy x; vrisk init: vrisk test -->"
        ),
        (
            Place::NewDirectory,
            vec!["vrisk new policy x".to_string(), "vrisk init".to_string()],
            "vrisk test".to_string()
        )
    );
    assert_eq!(
        output("<!-- output in tests/docs-examples/x: vrisk test -->").0,
        Place::Directory("tests/docs-examples/x".to_string())
    );
    assert!(matches!(marker("<!-- output: ls -->"), Some(Err(_))));
    assert!(marker("<!-- a comment -->").is_none());
    assert_eq!(
        words(r#"vrisk test --filter "Scale AI" 'a b'"#),
        ["vrisk", "test", "--filter", "Scale AI", "a b"]
    );
}
