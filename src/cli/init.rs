//! `vrisk init`: a commented starter `vrisk.yaml` and a GitHub Actions workflow.

use crate::cli::args::InitArgs;
use crate::cli::exit::Exit;
use crate::cli::output::{Destination, Inputs, Mode, Plan};
use crate::cli::terminal::{Terminal, print_stdout};
use crate::input::diagnostic::Problem;
use crate::input::source::SourceMap;

const CONFIG: &str = include_str!("../../templates/vrisk.yaml");
const WORKFLOW: &str = include_str!("../../docs/examples/github-workflow.yml");

pub fn run(args: InitArgs) -> Exit {
    let terminal = Terminal::detect();
    let sources = SourceMap::new();
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
            .filter(|(path, _)| path.symlink_metadata().is_ok())
            .map(|(path, _)| {
                Problem::new(
                    "init::exists",
                    format!("{} already exists; nothing was written", path.display()),
                )
                .with_help("move it away, or pass --force to overwrite it")
            })
            .collect();
        if !existing.is_empty() {
            terminal.report(&existing, &sources, "nothing was written");
            return Exit::Invalid;
        }
    }
    // Every file is staged before any is put in place, and the directories made for them are
    // removed again if one cannot be written.
    let mode = if args.force {
        Mode::Replace
    } else {
        Mode::CreateNew
    };
    let mut plan = Plan::new(Inputs::default()).creating_directories();
    let mut problems = Vec::new();
    for (path, text) in &files {
        let destination = Destination::Path(path.clone());
        match plan.add(&destination, &path.display().to_string(), mode) {
            Ok(slot) => plan.fill(slot, text.to_string()),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        terminal.report(&problems, &sources, "nothing was written");
        return Exit::Invalid;
    }
    match plan.commit() {
        Ok(written) => {
            let mut out = String::new();
            for path in written {
                out.push_str(&format!("wrote {path}\n"));
            }
            out.push_str(
                "next: `vrisk check` (reads ./registry and ./policies, or the embedded copies)\n",
            );
            print_stdout(&out);
            Exit::Ok
        }
        Err(failed) => {
            terminal.report(&[failed.problem], &sources, &failed.outcome);
            Exit::Invalid
        }
    }
}
