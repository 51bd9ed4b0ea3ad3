//! The `vrisk` binary: parse arguments, run the command, exit with its code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = vrisk::cli::Cli::parse();
    let code = vrisk::app::run(cli);
    ExitCode::from(code as u8)
}
