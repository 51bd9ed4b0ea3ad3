//! The `vrisk` binary: parse arguments, run the command, exit with its code.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: a large registry is millions of small strings and
/// trees made and dropped, and glibc's malloc spent a third of a check's time on them (see
/// docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = vrisk::cli::Cli::parse();
    let code = vrisk::app::run(cli);
    ExitCode::from(code as u8)
}
