//! Files generated from the command-line definition itself, so that they never drift from it:
//! shell completion scripts (`vrisk completions SHELL`) and the man page (`vrisk man`).

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::cli::args::Cli;
use crate::cli::exit::Exit;
use crate::cli::terminal::print_stdout;
use crate::input::diagnostic::did_you_mean;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for. Install, e.g. for bash:
    /// `vrisk completions bash > ~/.local/share/bash-completion/completions/vrisk`.
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn completions(args: CompletionsArgs) -> Exit {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "vrisk", &mut out);
    print_stdout(&String::from_utf8_lossy(&out));
    Exit::Ok
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Print the page of this subcommand (`vrisk man check` is vrisk-check(1)) instead of the
    /// page of vrisk itself.
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

/// A man page as roff on standard output (`vrisk man > vrisk.1; man ./vrisk.1`): vrisk(1),
/// which lists every subcommand, or the page of one subcommand.
pub fn man(args: ManArgs) -> Exit {
    // Building the command gives subcommands their full names (`vrisk-check`) and the global
    // flags, as the man pages show them; `help` is clap's own and has no page.
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let page = match &args.command {
        None => command,
        Some(name) => match command.find_subcommand(name) {
            Some(sub) => sub.clone(),
            None => {
                let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
                let hint = match did_you_mean(name, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the commands are: {}", names.join(", ")),
                };
                let name = crate::value::text::neutralise(name);
                eprintln!("error: vrisk has no command `{name}`; {hint}");
                return Exit::Invalid;
            }
        },
    };
    let mut out = Vec::new();
    match clap_mangen::Man::new(page).render(&mut out) {
        Ok(()) => {
            print_stdout(&String::from_utf8_lossy(&out));
            Exit::Ok
        }
        Err(e) => {
            // Rendering into memory does not fail on I/O; anything else is a bug.
            eprintln!("error: cannot render the man page: {e}");
            Exit::Internal
        }
    }
}
