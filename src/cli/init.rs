//! `vrisk init`: a commented starter `vrisk.yaml` and a GitHub Actions workflow.

use std::path::Path;

use crate::cli::args::InitArgs;
use crate::cli::exit::Exit;
use crate::cli::output::write_atomically;
use crate::cli::terminal::{Terminal, print_stdout};
use crate::input::diagnostic::Problem;
use crate::input::source::SourceMap;
use crate::value::text::neutralise;

const CONFIG: &str = include_str!("../../templates/vrisk.yaml");
const WORKFLOW: &str = include_str!("../../docs/examples/github-workflow.yml");

pub fn run(args: InitArgs) -> Exit {
    let terminal = Terminal::detect();
    let files = [
        (args.dir.join(crate::cli::config::FILE_NAME), CONFIG),
        // The schema beside the config, so that editors validate it offline.
        (
            args.dir.join(".vrisk/config.schema.json"),
            crate::input::schema::SchemaKind::Config.text(),
        ),
        (args.dir.join(".github/workflows/vendor-risk.yml"), WORKFLOW),
    ];
    // Check everything before writing anything, so that a refusal leaves no half-made setup.
    if !args.force {
        let existing: Vec<Problem> = files
            .iter()
            .filter(|(path, _)| path.exists())
            .map(|(path, _)| {
                Problem::new(
                    "init::exists",
                    format!("{} already exists; nothing was written", path.display()),
                )
                .with_help("move it away, or pass --force to overwrite it")
            })
            .collect();
        if !existing.is_empty() {
            terminal.report_problems(&existing, &SourceMap::new());
            return Exit::Invalid;
        }
    }
    for (path, text) in &files {
        if let Err(problem) = create_parent(path).and_then(|_| write_atomically(path, text)) {
            terminal.report_problems(&[problem], &SourceMap::new());
            return Exit::Invalid;
        }
        print_stdout(&format!(
            "wrote {}\n",
            neutralise(&path.display().to_string())
        ));
    }
    print_stdout("next: `vrisk check` (reads ./registry and ./policies, or the embedded copies)\n");
    Exit::Ok
}

fn create_parent(path: &Path) -> Result<(), Problem> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir).map_err(|e| {
            Problem::new(
                "init::mkdir",
                format!("cannot create {}: {e}", dir.display()),
            )
        }),
        _ => Ok(()),
    }
}
