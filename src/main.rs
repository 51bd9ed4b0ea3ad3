//! The `vrisk` binary: run the command line and exit with its code.

use std::process::ExitCode;

/// mimalloc instead of the system allocator: a large registry is millions of small strings and
/// trees made and dropped, and glibc's malloc spent a third of a check's time on them (see
/// docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    vrisk::run_command_line()
}
