//! `vrisk new policy ID`: writes a small working policy and tests that pass at once, so that a
//! new rule starts from green and every edit after that is checked by `vrisk test`.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use crate::cli::exit::Exit;
use crate::cli::output::{Destination, Inputs, Mode, Plan};
use crate::cli::terminal::{Terminal, print_stdout};
use crate::input::diagnostic::{Problem, render_diagnostic};
use crate::input::source::SourceMap;
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
/// either file exists, neither is written, and a failure to write one leaves neither behind.
pub fn new_policy(id: &str, dir: &Path) -> Result<Vec<PathBuf>, Problem> {
    check_id(id)?;
    let policy_path = dir.join(format!("{id}.yaml"));
    let test_path = dir.join(format!("{id}.test.yaml"));
    for path in [&policy_path, &test_path] {
        if path.symlink_metadata().is_ok() {
            return Err(Problem::new(
                "new::exists",
                format!("{} already exists; nothing was written", path.display()),
            )
            .with_help("choose another id, or --dir for another directory"));
        }
    }
    let mut plan = Plan::new(Inputs::default()).creating_directories();
    let schemas = schemas_dir(&mut plan)?;
    let schemas = crate::cli::project::relative_path(dir, &schemas);
    for (path, template) in [(&policy_path, POLICY), (&test_path, TESTS)] {
        let slot = plan.add(
            &Destination::Path(path.clone()),
            &path.display().to_string(),
            Mode::CreateNew,
        )?;
        plan.fill(slot, render(template, id, &schemas));
    }
    plan.commit().map_err(|failed| failed.problem)?;
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
/// directory has the policy schemas (as the vrisk repository does), else `.vrisk/` (see `cli::project`), where the
/// policy and test schemas are added to `plan` if missing, so editors validate offline.
fn schemas_dir(plan: &mut Plan) -> Result<PathBuf, Problem> {
    if Path::new("schemas/policy.schema.json").is_file()
        && Path::new("schemas/test.schema.json").is_file()
    {
        return Ok(PathBuf::from("schemas"));
    }
    let dir = PathBuf::from(crate::cli::project::SCHEMA_DIR);
    for kind in [
        crate::input::schema::SchemaKind::Policy,
        crate::input::schema::SchemaKind::Test,
    ] {
        let path = dir.join(format!("{}.schema.json", kind.name()));
        if path.symlink_metadata().is_err() {
            let slot = plan.add(
                &Destination::Path(path.clone()),
                &path.display().to_string(),
                Mode::CreateNew,
            )?;
            plan.fill(slot, kind.text().to_string());
        }
    }
    Ok(dir)
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
