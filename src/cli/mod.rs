//! The command wing: the command-line arguments, the dispatcher, the terminal, and one file per
//! command. Each command gathers its inputs, calls the library (input -> registry/policy ->
//! ownership -> engine -> report), prints, and picks the exit code. Nothing outside this folder
//! imports from it; the `vrisk` binary calls [`main`].

mod args;
mod check;
mod config;
mod empty;
mod exit;
mod explain;
mod generate;
mod graph;
mod import;
mod init;
mod inputs;
mod internal;
mod new;
mod output;
mod ownership;
mod policies;
mod progress;
mod project;
mod schema;
mod snapshot;
mod staging;
mod terminal;
mod test;
mod validate;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};
use exit::Exit;

/// Parses the command line, runs the command, and returns its exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    ExitCode::from(run(cli) as u8)
}

fn run(cli: Cli) -> Exit {
    let exit = internal::run_guarded(move || match cli.command {
        Command::Check(args) => check::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Ownership(args) => ownership::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Graph(args) => graph::run(args),
        Command::Init(args) => init::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Test(args) => test::run(args),
        Command::New(args) => new::run(args),
        Command::Completions(args) => generate::completions(args),
        Command::Man(args) => generate::man(args),
        Command::Import(args) => import::run(args),
        Command::Policies(args) => policies::run(args),
        Command::Snapshot(args) => snapshot::run(args),
    });
    // Whatever the command, output that could not be written in full is no success.
    match exit {
        Exit::Ok | Exit::Failed if output::stdout::failed() => Exit::Invalid,
        exit => exit,
    }
}
