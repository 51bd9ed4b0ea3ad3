//! `vrisk policies`: which policies a check would use and where each comes from (`list`), and
//! a copy of the shipped set with its tests to edit (`export`).

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde_json::json;

use crate::cli::args::{LimitArgs, ProblemFormat};
use crate::cli::exit::Exit;
use crate::cli::inputs::{BUILTIN, PolicySource, limits_from, load_policies, read_config};
use crate::cli::project::{modeline_for, replace_modeline, schema_path};
use crate::cli::terminal::{Terminal, print_notes, print_stdout};
use crate::input::diagnostic::Problem;
use crate::input::schema::SchemaKind;
use crate::input::source::SourceMap;

#[derive(Debug, Args)]
pub struct PoliciesArgs {
    #[command(subcommand)]
    pub what: PoliciesCommand,
}

// One value, parsed once per run: the size of its largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum PoliciesCommand {
    /// List the policies a check would use: id, severity, source (`builtin` or the file) and
    /// title.
    List(ListArgs),
    /// Write the shipped policies and their tests to DIR, to edit. Nothing is overwritten: when
    /// any of the files exists, none is written.
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Policy file or directory, or `builtin` (repeatable). Default: vrisk.yaml's `policies`,
    /// else ./policies, else `builtin`.
    #[arg(long = "policies", short = 'p', value_name = "PATH|builtin")]
    pub policies: Vec<PathBuf>,
    /// Configuration file. Default: ./vrisk.yaml when present.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: ProblemFormat,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The directory to write into; created if needed.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

pub fn run(args: PoliciesArgs) -> Exit {
    match args.what {
        PoliciesCommand::List(args) => list(args),
        PoliciesCommand::Export(args) => export(&args.dir),
    }
}

fn list(args: ListArgs) -> Exit {
    let terminal = Terminal::detect();
    let limits = limits_from(&args.limits);
    let mut sources = SourceMap::new();
    let config = match read_config(args.config.as_deref(), &mut sources, &limits) {
        Ok(config) => config,
        Err(problems) => {
            terminal.report(&problems, &sources, "nothing was listed");
            return Exit::Invalid;
        }
    };
    if args.policies.is_empty()
        && let Some(config) = &config
        && config.policies.as_ref().is_some_and(Vec::is_empty)
    {
        let problem = crate::cli::inputs::empty_list(config, "policies");
        terminal.report(&[problem], &sources, "nothing was listed");
        return Exit::Invalid;
    }
    let list = active_sources(&args.policies, config.as_ref());
    let (policies, notes) = match load_policies(&list, &mut sources, &limits, &Default::default()) {
        Ok(loaded) => loaded,
        Err(problems) => {
            terminal.report(&problems, &sources, "nothing was listed");
            return Exit::Invalid;
        }
    };
    print_notes(&notes);
    let mut rows: Vec<[String; 4]> = policies
        .iter()
        .map(|p| {
            let file = sources.get(p.file);
            let source = match file.path {
                Some(_) => file.name.clone(),
                None => BUILTIN.to_string(),
            };
            [
                p.id.clone(),
                p.severity.name().to_string(),
                source,
                p.title.clone(),
            ]
        })
        .collect();
    rows.sort();
    let text = match args.format {
        ProblemFormat::Json => {
            let items: Vec<_> = rows
                .iter()
                .map(|[id, severity, source, title]| {
                    json!({"id": id, "title": title, "severity": severity, "source": source})
                })
                .collect();
            format!("{:#}\n", json!(items))
        }
        ProblemFormat::Human => table(&rows),
    };
    print_stdout(&text);
    Exit::Ok
}

/// The policy list of `vrisk check`: the flags, else vrisk.yaml's, else ./policies, else the
/// shipped set.
fn active_sources(
    flags: &[PathBuf],
    config: Option<&crate::cli::config::Config>,
) -> Vec<PolicySource> {
    if !flags.is_empty() {
        return flags
            .iter()
            .map(|p| PolicySource::parse(&p.to_string_lossy(), Path::new("")))
            .collect();
    }
    if let Some(list) = config.and_then(|c| c.policies.clone()) {
        return list;
    }
    if Path::new("policies").is_dir() {
        return vec![PolicySource::Path(PathBuf::from("policies"))];
    }
    vec![PolicySource::Builtin]
}

fn table(rows: &[[String; 4]]) -> String {
    let header = ["id", "severity", "source", "title"];
    let widths: Vec<usize> = (0..3)
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: [&str; 4]| {
        format!(
            "{:w0$}  {:w1$}  {:w2$}  {}\n",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        )
    };
    let mut out = line(header);
    for r in rows {
        out.push_str(&line([&r[0], &r[1], &r[2], &r[3]]));
    }
    out
}

/// Writes the shipped policies and their tests to `dir`, with modelines pointing at the schemas
/// in `.vrisk/` (written too when missing). All or nothing; never overwrites.
fn export(dir: &Path) -> Exit {
    let terminal = Terminal::detect();
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for (name, text) in crate::input::embedded::policy_set_texts() {
        let path = dir.join(name);
        let kind = if crate::policy::is_test_file(Path::new(name)) {
            SchemaKind::Test
        } else {
            SchemaKind::Policy
        };
        files.push((
            path.clone(),
            replace_modeline(text, &modeline_for(&path, kind)),
        ));
    }
    let existing: Vec<Problem> = files
        .iter()
        .filter(|(path, _)| path.exists())
        .map(|(path, _)| {
            Problem::new(
                "policies::exists",
                format!("{} already exists", path.display()),
            )
            .with_help("export into an empty directory, or move the file away")
        })
        .collect();
    if !existing.is_empty() {
        terminal.report(&existing, &SourceMap::new(), "nothing was written");
        return Exit::Invalid;
    }
    let exported = files.len();
    for kind in [SchemaKind::Policy, SchemaKind::Test] {
        let path = schema_path(kind);
        if !path.exists() {
            files.push((path, kind.text().to_string()));
        }
    }
    if let Err(problem) =
        crate::cli::staging::write_all(&files, crate::cli::output::Mode::CreateNew)
    {
        terminal.report(&[problem], &SourceMap::new(), "nothing was written");
        return Exit::Invalid;
    }
    let mut out = String::new();
    for (path, _) in &files {
        out.push_str(&format!("wrote {}\n", path.display()));
    }
    let shown = dir.display();
    out.push_str(&format!(
        "exported {} policies and their tests to {shown}. They keep the ids of the built-in \
         ones: with `--policies {shown}` (or `policies: [{shown}]` in vrisk.yaml) they take \
         their place; `vrisk test {shown}` runs their tests\n",
        exported / 2,
    ));
    print_stdout(&out);
    Exit::Ok
}
