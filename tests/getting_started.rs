//! docs/getting-started.md, run as written: its steps in an empty temporary directory with the
//! built binary, each output compared with the page, and the CI workflow it ends with checked.
//!
//! The page marks what this test does with an HTML comment before a fenced block:
//!
//! - `<!-- run: exit N -->` before a ```console block: run its one `$ vrisk ...` command and
//!   expect exit code N and the lines after the command as its output (standard error, then
//!   standard output). A line `[...]` stands for any number of lines.
//! - `<!-- write: PATH -->` before a block: write the block's text to PATH.
//! - `<!-- fetch: REPO-PATH -->` before a block that downloads a file of this repository: copy
//!   that file into the directory instead (the test runs offline).
//!
//! Blocks without a mark (installing vrisk, `git`) are not run. The runs happen in the order of
//! the page; the page must show a check that fails (exit 1) and, after it, one that passes.

mod support;

use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const PAGE: &str = "docs/getting-started.md";

/// One marked block of the page.
#[derive(Debug)]
enum Step {
    Run {
        line: usize,
        command: String,
        exit: i32,
        expected: Vec<String>,
    },
    Write {
        path: String,
        text: String,
    },
    Fetch {
        path: String,
    },
}

/// The marked blocks, in order.
fn steps(page: &str) -> Vec<Step> {
    let lines: Vec<&str> = page.lines().collect();
    let mut steps = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(mark) = lines[i]
            .strip_prefix("<!-- ")
            .and_then(|l| l.strip_suffix(" -->"))
        else {
            i += 1;
            continue;
        };
        let (kind, value) = mark.split_once(": ").expect("a mark is `KIND: VALUE`");
        let fence = lines.get(i + 1).copied().unwrap_or_default();
        assert!(
            fence.starts_with("```"),
            "{PAGE}:{}: no block after the mark",
            i + 1
        );
        let start = i + 2;
        let end = start
            + lines[start..]
                .iter()
                .position(|l| *l == "```")
                .expect("a closed block");
        let body: Vec<&str> = lines[start..end].to_vec();
        steps.push(match kind {
            "run" => {
                let exit = value
                    .strip_prefix("exit ")
                    .and_then(|n| n.parse().ok())
                    .expect("`run: exit N`");
                let command = body[0]
                    .strip_prefix("$ ")
                    .expect("a console block starts with `$ `")
                    .to_string();
                Step::Run {
                    line: start + 1,
                    command,
                    exit,
                    expected: body[1..].iter().map(|l| l.to_string()).collect(),
                }
            }
            "write" => Step::Write {
                path: value.to_string(),
                text: body.iter().map(|l| format!("{l}\n")).collect(),
            },
            "fetch" => Step::Fetch {
                path: value.to_string(),
            },
            other => panic!("{PAGE}:{}: unknown mark `{other}`", i + 1),
        });
        i = end + 1;
    }
    steps
}

/// Splits a command line as a shell would for these commands: words, and "double-quoted" text.
fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in command.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            _ => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

/// Whether `actual` is `expected`, where an expected line `[...]` matches any number of lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "[...]" => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(line, more)| line.trim_end() == first.trim_end() && matches(rest, more)),
    }
}

#[test]
fn the_getting_started_page_runs_as_written() {
    let page = std::fs::read_to_string(Path::new(ROOT).join(PAGE)).expect("the page");
    let steps = steps(&page);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut check_exits = Vec::new();
    for step in &steps {
        match step {
            Step::Fetch { path } => {
                let name = Path::new(path).file_name().expect("a file name");
                std::fs::copy(Path::new(ROOT).join(path), dir.path().join(name)).expect("copy");
            }
            Step::Write { path, text } => support::write(dir.path(), path, text),
            Step::Run {
                line,
                command,
                exit,
                expected,
            } => {
                let args = words(command);
                assert_eq!(args[0], "vrisk", "{PAGE}:{line}: only vrisk runs");
                let output = cargo_bin_cmd!("vrisk")
                    .current_dir(dir.path())
                    .env("NO_COLOR", "1")
                    .env("COLUMNS", "100")
                    .env_remove("CI")
                    .env_remove("GITHUB_STEP_SUMMARY")
                    .args(&args[1..])
                    .write_stdin("")
                    .output()
                    .expect("run vrisk");
                let run = support::Run::from(output);
                let shown = format!("{}{}", run.stderr, run.stdout);
                let actual: Vec<&str> = shown.lines().collect();
                assert_eq!(
                    run.code, *exit,
                    "{PAGE}:{line}: `{command}` exited {}:\n{shown}",
                    run.code
                );
                assert!(
                    matches(expected, &actual),
                    "{PAGE}:{line}: the output of `{command}` is not what the page shows.\n\
                     --- the page:\n{}\n--- vrisk:\n{shown}",
                    expected.join("\n")
                );
                if args[1] == "check" {
                    check_exits.push(run.code);
                }
            }
        }
    }
    let failed = check_exits.iter().position(|c| *c == 1);
    assert!(
        failed.is_some_and(|f| check_exits[f..].contains(&0)),
        "the page shows a failing check and then a passing one: {check_exits:?}"
    );
    assert_ci_workflow(&dir.path().join(".github/workflows/vrisk.yml"));
}

/// The workflow the page ends with: valid for GitHub, with the check through the released action
/// and the SARIF upload skipped for forks.
fn assert_ci_workflow(path: &Path) {
    let text = std::fs::read_to_string(path).expect("the workflow init wrote");
    let workflow: Value = serde_saphyr::from_str(&text).expect("the workflow is YAML");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(ROOT).join("tests/fixtures/github-workflow.schema.json"),
        )
        .expect("schema"),
    )
    .expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&workflow)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let jobs: Vec<&String> = workflow["jobs"].as_object().expect("jobs").keys().collect();
    assert_eq!(jobs, ["vrisk"]);
    let steps: Vec<String> = workflow["jobs"]["vrisk"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            s["uses"]
                .as_str()
                .or(s["run"].as_str())
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(
        steps,
        [
            "actions/checkout@v4",
            "vrisk-dev/vrisk@v1",
            "github/codeql-action/upload-sarif@v4",
            "actions/upload-artifact@v4"
        ]
    );
    let upload = &workflow["jobs"]["vrisk"]["steps"][2];
    assert!(
        upload["if"]
            .as_str()
            .is_some_and(|c| c.contains("head.repo.full_name == github.repository")),
        "{upload}"
    );
}

#[test]
fn the_elision_matches_any_number_of_lines_and_nothing_else() {
    let expected: Vec<String> = ["a", "[...]", "z"].iter().map(|s| s.to_string()).collect();
    assert!(matches(&expected, &["a", "z"]));
    assert!(matches(&expected, &["a", "b", "c", "z"]));
    assert!(!matches(&expected, &["a", "b"]));
    assert!(!matches(&expected, &["b", "z"]));
    assert_eq!(
        words(r#"vrisk init --name "Acme Robotics" --org acme"#),
        ["vrisk", "init", "--name", "Acme Robotics", "--org", "acme"]
    );
}
