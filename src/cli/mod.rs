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
    match Cli::try_parse() {
        Ok(cli) => ExitCode::from(run(cli) as u8),
        Err(error) => command_line_error(error),
    }
}

/// clap's message for a command line it cannot parse (help and version included), printed as
/// clap prints it, except that an argument clap would echo is shown with its control, bidi and
/// line-separator characters escaped and its CI command markers made inert: a value such as
/// `--fail-on $'x\n::error::forged'` must not start a line of its own in a CI log.
fn command_line_error(error: clap::Error) -> ExitCode {
    use crate::value::text::{defuse_ci_commands, neutralise};
    let args: Vec<String> = std::env::args_os()
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    let made_safe: Vec<String> = args
        .iter()
        .map(|arg| defuse_ci_commands(&neutralise(arg)).into_owned())
        .collect();
    // Nothing to escape: clap's own message, coloured as clap colours it.
    if made_safe == args {
        error.exit()
    }
    // The same command line with every argument made safe fails the same way, and its message
    // echoes only safe text.
    let message = match Cli::try_parse_from(&made_safe) {
        Err(error) => error.render().to_string(),
        Ok(_) => "error: an argument holds characters that cannot be shown; see `vrisk --help`\n"
            .to_string(),
    };
    eprint!("{}", defuse_ci_commands(&message));
    ExitCode::from(Exit::Invalid as u8)
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
