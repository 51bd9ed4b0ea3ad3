//! `vrisk new policy ID`: writes a small working policy and tests that pass at once, so that a
//! new rule starts from green and every edit after that is checked by `vrisk test`.

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use clap::{Args, Subcommand};

use crate::cli::exit::Exit;
use crate::cli::terminal::{Terminal, print_stdout};
use crate::input::diagnostic::{Problem, render_diagnostic};
use crate::input::source::SourceMap;
use crate::testing::discover::normalize;
use crate::value::text::neutralise;

const POLICY: &str = include_str!("../../templates/policy.yaml");
const TESTS: &str = include_str!("../../templates/policy.test.yaml");

#[derive(Debug, Args)]
pub struct NewArgs {
    #[command(subcommand)]
    pub what: NewKind,
}

#[derive(Debug, Subcommand)]
pub enum NewKind {
    /// Write DIR/ID.yaml, a small working policy, and DIR/ID.test.yaml, tests that pass.
    Policy(NewPolicyArgs),
}

#[derive(Debug, Args)]
pub struct NewPolicyArgs {
    /// The policy id, also its file name: a lower-case slug, `^[a-z0-9][a-z0-9._-]*$`.
    #[arg(value_name = "ID")]
    pub id: String,
    /// The directory to write into; created if needed.
    #[arg(long, value_name = "DIR", default_value = "policies")]
    pub dir: PathBuf,
}

pub fn run(args: NewArgs) -> Exit {
    match args.what {
        NewKind::Policy(args) => match new_policy(&args.id, &args.dir) {
            Ok(written) => {
                let mut out = String::new();
                for path in &written {
                    let path = path.display().to_string();
                    out.push_str(&format!("created {}\n", neutralise(&path)));
                }
                out.push_str(&format!(
                    "next: edit the policy and its tests, then run `vrisk test {}`\n",
                    neutralise(&args.dir.display().to_string())
                ));
                print_stdout(&out);
                Exit::Ok
            }
            Err(problem) => {
                let terminal = Terminal::detect();
                let text = render_diagnostic(
                    &problem.to_diagnostic(&SourceMap::new()),
                    terminal.width,
                    terminal.color,
                );
                let _ = std::io::stderr().lock().write_all(text.as_bytes());
                Exit::Invalid
            }
        },
    }
}

/// Writes the policy and its tests; returns the paths written. Nothing is overwritten: when
/// either file exists, neither is written.
pub fn new_policy(id: &str, dir: &Path) -> Result<Vec<PathBuf>, Problem> {
    check_id(id)?;
    let policy_path = dir.join(format!("{id}.yaml"));
    let test_path = dir.join(format!("{id}.test.yaml"));
    for path in [&policy_path, &test_path] {
        if path.exists() {
            return Err(Problem::new(
                "new::exists",
                format!("{} already exists; nothing was written", path.display()),
            )
            .with_help("choose another id, or --dir for another directory"));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| write_problem(dir, &e))?;
    let schemas = schemas_dir_from(dir, &ensure_schemas()?);
    let policy = render(POLICY, id, &schemas);
    let tests = render(TESTS, id, &schemas);
    write_new(&policy_path, &policy)?;
    if let Err(problem) = write_new(&test_path, &tests) {
        // Leave no policy without its tests behind.
        let _ = std::fs::remove_file(&policy_path);
        return Err(problem);
    }
    Ok(vec![policy_path, test_path])
}

/// The id syntax of policies (docs/policies.md). An id ending in `.test` is refused too: its
/// file, `ID.yaml`, would be taken for a test file.
fn check_id(id: &str) -> Result<(), Problem> {
    let mut chars = id.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    if !first_ok || !rest_ok {
        return Err(
            Problem::new("new::invalid-id", format!("`{id}` is not a policy id")).with_help(
                "an id is a lower-case slug: a letter or digit, then letters, digits, `.`, `_` \
                 or `-` (e.g. `stale-review`)",
            ),
        );
    }
    if id.ends_with(".test") {
        return Err(Problem::new(
            "new::invalid-id",
            format!("`{id}` ends in `.test`, which marks test files"),
        )
        .with_help("drop the `.test` suffix"));
    }
    Ok(())
}

fn render(template: &str, id: &str, schemas: &str) -> String {
    template
        .replace("__ID__", id)
        .replace("__SCHEMAS__", schemas)
}

/// The directory whose schemas the editor modelines point at: `schemas/` when the current
/// directory has the policy schemas (as the vrisk repository does), else `.vrisk/`, where the
/// policy and test schemas are written if missing, so editors validate offline.
fn ensure_schemas() -> Result<PathBuf, Problem> {
    if Path::new("schemas/policy.schema.json").is_file()
        && Path::new("schemas/test.schema.json").is_file()
    {
        return Ok(PathBuf::from("schemas"));
    }
    let dir = PathBuf::from(".vrisk");
    std::fs::create_dir_all(&dir).map_err(|e| write_problem(&dir, &e))?;
    for kind in [
        crate::input::schema::SchemaKind::Policy,
        crate::input::schema::SchemaKind::Test,
    ] {
        let path = dir.join(format!("{}.schema.json", kind.name()));
        if !path.exists() {
            std::fs::write(&path, kind.text()).map_err(|e| write_problem(&path, &e))?;
        }
    }
    Ok(dir)
}

/// The path from `dir` to `schemas` (relative to the current directory), for the editor
/// modelines: `../schemas` for `policies/`.
fn schemas_dir_from(dir: &Path, schemas: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let target = normalize(&cwd.join(schemas));
    let from = normalize(&cwd.join(dir));
    let target: Vec<Component> = target.components().collect();
    let from: Vec<Component> = from.components().collect();
    let common = target.iter().zip(&from).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        target[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().to_string()),
    );
    parts.join("/")
}

fn write_new(path: &Path, text: &str) -> Result<(), Problem> {
    // create_new: a file that appeared since the check above is not overwritten either.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| write_problem(path, &e))
}

fn write_problem(path: &Path, err: &std::io::Error) -> Problem {
    Problem::new(
        "new::write",
        format!("cannot write {}: {err}", path.display()),
    )
    .with_help("check that the directory is writable")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_policy_id_syntax() {
        for ok in ["my-rule", "r2", "a.b_c-d", "0day"] {
            assert!(check_id(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "My-rule", "-x", ".x", "a/b", "a b", "ü", "x.test", "../x",
        ] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn modelines_point_at_the_schemas_directory() {
        assert_eq!(
            schemas_dir_from(Path::new("policies"), Path::new("schemas")),
            "../schemas"
        );
        assert_eq!(
            schemas_dir_from(Path::new("rules/security"), Path::new("schemas")),
            "../../schemas"
        );
        assert_eq!(
            schemas_dir_from(Path::new("."), Path::new("schemas")),
            "schemas"
        );
    }

    #[test]
    fn templates_load_as_a_policy() {
        let text = render(POLICY, "my-rule", "../schemas");
        let source = crate::input::source::SourceFile::new("my-rule.yaml", None, text);
        let policy = crate::policy::load_policy(
            crate::input::source::FileId::default(),
            &source,
            &Default::default(),
            &Default::default(),
        );
        assert!(policy.is_ok(), "{policy:?}");
        assert!(!render(TESTS, "my-rule", "s").contains("__"));
    }
}
