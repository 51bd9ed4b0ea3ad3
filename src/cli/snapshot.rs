//! `vrisk snapshot build`: load a registry once and save it as a snapshot, which later runs
//! read (`--registry FILE.snapshot`) instead of parsing and checking the inputs again.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::cli::args::LimitArgs;
use crate::cli::exit::Exit;
use crate::cli::inputs::{Inputs, RegistryInput, Request, limits_from};
use crate::cli::output::{self, Destination, Mode, Plan};
use crate::cli::terminal::{Terminal, print_notes};
use crate::input::diagnostic::Problem;
use crate::input::source::SourceMap;
use crate::registry::{self, snapshot};
use crate::value::count;
use crate::value::text::neutralise;

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    #[command(subcommand)]
    pub command: SnapshotCommand,
}

#[derive(Debug, Subcommand)]
pub enum SnapshotCommand {
    /// Load and check the registry, then write it as a snapshot to FILE. `--registry FILE` then
    /// reads it in a fraction of the time, for as long as no input changes (a changed, moved or
    /// deleted input is an error that says to rebuild).
    Build(BuildArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Registry file or directory (repeatable). Default: vrisk.yaml's `registry`, else
    /// ./registry. Relative paths are recorded as given and read from the current directory
    /// when the snapshot is used: use it from the directory it was built in.
    #[arg(long = "registry", short = 'r', value_name = "PATH")]
    pub registry: Vec<PathBuf>,
    /// The snapshot file to write (by convention `*.snapshot`); never one of the inputs.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub limits: LimitArgs,
}

pub fn run(args: SnapshotArgs) -> Exit {
    match args.command {
        SnapshotCommand::Build(args) => build(args),
    }
}

fn build(args: BuildArgs) -> Exit {
    let terminal = Terminal::detect();
    let limits = limits_from(&args.limits);
    let mut sources = SourceMap::new();
    let fail = |problems: &[Problem], sources: &SourceMap| {
        terminal.report_problems(problems, sources);
        Exit::Invalid
    };
    let request = Request {
        registry: &args.registry,
        policies: &[],
        example: false,
        uses_policies: false,
        registry_optional: false,
    };
    let plan = match Inputs::read(request, None, &mut sources, &limits) {
        Ok(inputs) => inputs.plan,
        Err(problems) => return fail(&problems, &sources),
    };
    let paths = match &plan.registry {
        RegistryInput::Paths(paths) => paths.clone(),
        RegistryInput::Example => return fail(&[no_example()], &sources),
        // Only `validate` plans without a registry.
        RegistryInput::None => return Exit::Internal,
    };
    print_notes(&plan.notes);
    if args.out.as_os_str() == "-" {
        return fail(&[binary_to_stdout()], &sources);
    }
    // The inputs are known before they are read, so that the target is checked before the work
    // (it may not be one of them).
    let files = match crate::input::files::expand(&paths, registry::INPUT_EXTENSIONS, "registry") {
        Ok(files) => files,
        Err(problem) => return fail(&[problem], &sources),
    };
    let mut inputs = output::Inputs::of_sources(&sources);
    for file in &files {
        inputs.add(&file.display().to_string(), file);
    }
    let mut outputs = Plan::new(inputs);
    let destination = Destination::Path(args.out.clone());
    let slot = match outputs.add(&destination, "the registry snapshot", Mode::Replace) {
        Ok(slot) => slot,
        Err(problem) => return fail(&[problem], &sources),
    };
    let progress = crate::cli::progress::Progress::start("reading the registry");
    let built = snapshot::build(&paths, &mut sources, &limits);
    drop(progress);
    let built = match built {
        Ok(built) => built,
        Err(problems) => return fail(&problems, &sources),
    };
    let size = built.bytes.len();
    outputs.fill_bytes(slot, built.bytes);
    if let Err(failed) = outputs.commit() {
        terminal.report(&[failed.problem], &sources, &failed.outcome);
        return Exit::Invalid;
    }
    eprintln!(
        "wrote {} ({}): {} and {} from {}",
        neutralise(&args.out.display().to_string()),
        count(size, "byte"),
        count(built.organisations, "organisation"),
        count(built.stakes, "stake"),
        count(built.files, "input file"),
    );
    Exit::Ok
}

fn no_example() -> Problem {
    Problem::new(
        "snapshot::example",
        "no registry to snapshot: the built-in example would be read, and it is compiled into \
         vrisk already",
    )
    .with_help(
        "give --registry PATH, set `registry` in vrisk.yaml, or run in a directory with \
         ./registry; the example is read in no time without a snapshot",
    )
}

fn binary_to_stdout() -> Problem {
    Problem::new(
        "snapshot::stdout",
        "a snapshot is a binary file and is not written to standard output",
    )
    .with_help("give the file to write: --out registry.snapshot")
}
