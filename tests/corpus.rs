//! The bad-input corpus: every file under tests/corpus/KIND/ is run through the command that
//! reads that kind of file, and must be rejected with the exit code, the problem code and the
//! `file:line:col` that tests/corpus/expected.tsv lists for it (the first problem reported,
//! problems being sorted by position). One table, one test: adding a case is adding a file and
//! a line. Inputs too large to commit are generated at test time, below.

mod support;

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use support::{Run, corpus_dir, vrisk_in};

const AS_OF: &str = "2025-06-20";

/// One line of expected.tsv.
#[derive(Debug)]
struct Case {
    kind: String,
    file: String,
    exit: i32,
    code: String,
    /// `file:line:col` of the first problem, or `-` for a problem with no position.
    location: String,
    /// Extra flags (a lowered limit, a second policy directory).
    args: Vec<String>,
    /// Text the first problem's help must contain ("did you mean ..."), when given.
    help: Option<String>,
}

fn cases() -> Vec<Case> {
    let table = std::fs::read_to_string(corpus_dir().join("expected.tsv")).expect("expected.tsv");
    table
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert!(
                (5..=7).contains(&fields.len()),
                "expected.tsv: 5 to 7 tab-separated fields: {line}"
            );
            Case {
                kind: fields[0].to_string(),
                file: fields[1].to_string(),
                exit: fields[2].parse().expect("an exit code"),
                code: fields[3].to_string(),
                location: fields[4].to_string(),
                args: fields
                    .get(5)
                    .map(|a| a.split_whitespace().map(str::to_string).collect())
                    .unwrap_or_default(),
                help: fields.get(6).map(|h| h.to_string()),
            }
        })
        .collect()
}

/// The command line that reads a file of this kind; `None` for a kind with no runner yet.
/// Everything is checked against the base registry and policies in tests/corpus/base/.
fn command(case: &Case) -> Option<Vec<String>> {
    let check = |before: &[&str]| {
        let mut args: Vec<String> = ["check", "--format", "json", "--as-of", AS_OF]
            .iter()
            .chain(before)
            .map(|s| s.to_string())
            .collect();
        args.extend(case.args.iter().cloned());
        args
    };
    let file = case.file.clone();
    let args = match case.kind.as_str() {
        "registry" => {
            let mut args: Vec<String> = vec!["validate".into(), "--format".into(), "json".into()];
            args.push(file);
            args.extend(case.args.iter().cloned());
            args
        }
        "policy" => [
            check(&["-r", "base/registry.yaml"]),
            vec!["-p".into(), file],
        ]
        .concat(),
        "waivers" => [
            check(&["-r", "base/registry.yaml", "-p", "base/policies"]),
            vec!["--waivers".into(), file],
        ]
        .concat(),
        "config" => [check(&[]), vec!["--config".into(), file]].concat(),
        "check" => [check(&["-p", "base/policies"]), vec!["-r".into(), file]].concat(),
        _ => return None,
    };
    Some(args)
}

/// The help line of the first problem of a run.
fn first_help(run: &Run) -> String {
    run.json()[0]["help"].as_str().unwrap_or("").to_string()
}

/// The first problem of a run: its code and `file:line:col` (or `-`).
fn first_problem(run: &Run) -> Option<(String, String)> {
    let problems = run.json();
    let first = problems.as_array()?.first()?;
    let code = first["code"].as_str()?.to_string();
    let location = match (
        first["file"].as_str(),
        first["line"].as_u64(),
        first["column"].as_u64(),
    ) {
        (Some(file), Some(line), Some(column)) => format!("{file}:{line}:{column}"),
        _ => "-".to_string(),
    };
    Some((code, location))
}

/// Runs one case; `Err` says what differs.
fn run_case(case: &Case) -> Result<(), String> {
    let args = command(case).ok_or_else(|| format!("no runner for kind `{}`", case.kind))?;
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = vrisk_in(&corpus_dir(), &args);
    let got = first_problem(&run);
    let expected = (case.code.clone(), case.location.clone());
    if run.code != case.exit || got.as_ref() != Some(&expected) {
        return Err(format!(
            "{}: expected exit {} {} at {}, got exit {} {:?}\n  vrisk {}\n  stderr: {}",
            case.file,
            case.exit,
            case.code,
            case.location,
            run.code,
            got,
            args.join(" "),
            run.stderr.lines().take(3).collect::<Vec<_>>().join(" / ")
        ));
    }
    if let Some(help) = &case.help
        && !first_help(&run).contains(help.as_str())
    {
        return Err(format!(
            "{}: the help `{}` does not contain `{help}`",
            case.file,
            first_help(&run)
        ));
    }
    Ok(())
}

/// The kinds of input the corpus covers, one directory each.
const KINDS: &[&str] = &["registry", "policy", "waivers", "config", "check"];

#[test]
fn every_corpus_file_is_rejected_with_its_code_at_its_position() {
    let cases = cases();
    let listed: Vec<&str> = cases.iter().map(|c| c.file.as_str()).collect();
    let mut unlisted = Vec::new();
    for kind in KINDS {
        let Ok(entries) = std::fs::read_dir(corpus_dir().join(kind)) else {
            continue;
        };
        for entry in entries {
            let name = format!(
                "{kind}/{}",
                entry.expect("entry").file_name().to_string_lossy()
            );
            if !listed.contains(&name.as_str()) {
                unlisted.push(name);
            }
        }
    }
    assert!(
        unlisted.is_empty(),
        "corpus files without a line in expected.tsv: {unlisted:?}"
    );
    assert!(cases.len() >= 60, "the corpus has {} cases", cases.len());

    // Two workers: the machine is shared, and each case is a process of its own.
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                while let Some(case) = cases.get(next.fetch_add(1, Ordering::Relaxed)) {
                    if let Err(failure) = run_case(case) {
                        failures.lock().expect("lock").push(failure);
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().expect("lock");
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} of {} corpus cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Writes a 100 MB file: a flow nesting deeper than the default limit on the first line, then
/// 100 MB of comment.
fn write_100_mb(path: &Path) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    file.write_all(format!("sources: {}\n# ", "[".repeat(100)).as_bytes())
        .expect("write");
    let chunk = [b'x'; 1 << 20];
    for _ in 0..100 {
        file.write_all(&chunk).expect("write");
    }
    file.write_all(b"\n").expect("write");
    file.flush().expect("flush");
}

#[test]
fn a_100_mb_file_is_refused_by_the_size_limit_and_parsed_within_the_others_when_allowed() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_100_mb(&dir.path().join("big.yaml"));
    // The same validation each time; only the size limit changes.
    let validate = |max_file_bytes: &str| {
        vrisk_in(
            dir.path(),
            &[
                "validate",
                "--format",
                "json",
                "--max-file-bytes",
                max_file_bytes,
                "big.yaml",
            ],
        )
    };

    // Under a 64 MiB limit the file is refused before it is read.
    let run = validate("67108864");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        first_problem(&run),
        Some(("limits::file-size".into(), "big.yaml:1:1".into()))
    );
    let message = run.json()[0]["message"].as_str().unwrap_or("").to_string();
    assert!(
        message.ends_with("over the limit of 67108864 bytes"),
        "{message}"
    );

    // With the size limit raised the file is read and parsed, and the parse stops at the first
    // limit it meets, the nesting depth, without going through the rest of the file.
    let run = validate("200000000");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        first_problem(&run),
        Some(("limits::depth".into(), "big.yaml:1:74".into()))
    );
}
