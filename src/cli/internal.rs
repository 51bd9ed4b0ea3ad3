//! Internal errors: a panic anywhere in a command becomes exit code 3 and one plain message that
//! says it is a bug in vrisk, with the panic's own message and place (what a bug report needs),
//! instead of Rust's raw `thread 'main' panicked at ...` output.

use std::io::Write;
use std::sync::Mutex;

use crate::cli::exit::Exit;
use crate::input::limits::STACK_BYTES;

/// Runs a command on a thread with a large stack. A panic there is an internal error: its
/// message is printed as one (see [`report`]) and the exit code is 3.
pub fn run_guarded(command: impl FnOnce() -> Exit + Send + 'static) -> Exit {
    install_panic_hook();
    // Already built when a process runs more than one command (tests): that pool has the same
    // stacks.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(STACK_BYTES)
        .build_global();
    let spawned = std::thread::Builder::new()
        .name("vrisk".to_string())
        .stack_size(STACK_BYTES)
        .spawn(move || {
            test_trigger();
            command()
        });
    let outcome = match spawned {
        Ok(handle) => handle.join(),
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "error: cannot start vrisk's worker thread: {e}"
            );
            return Exit::Internal;
        }
    };
    match outcome {
        Ok(exit) => exit,
        Err(_) => {
            report();
            Exit::Internal
        }
    }
}

/// The message and place of the last panic, recorded by the hook for [`report`]. A panic on a
/// worker thread (rayon) is recorded there and re-raised on the main thread.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Replaces the default panic output with a record of the panic. With `RUST_BACKTRACE` set, the
/// default output (and its backtrace) is printed as well, for whoever debugs vrisk.
fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = match (
            info.payload().downcast_ref::<&str>(),
            info.payload().downcast_ref::<String>(),
        ) {
            (Some(s), _) => (*s).to_string(),
            (_, Some(s)) => s.clone(),
            _ => "a panic without a message".to_string(),
        };
        let place = info
            .location()
            .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(format!("{message}{place}"));
        }
        if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
            default(info);
        }
    }));
}

/// Prints the internal-error message for the last recorded panic. Never panics itself (stderr
/// may be closed).
fn report() {
    let detail = LAST_PANIC
        .lock()
        .ok()
        .and_then(|mut last| last.take())
        .unwrap_or_else(|| "no detail was recorded".to_string());
    // A panic message can quote data.
    let detail = crate::value::text::neutralise(&detail);
    let _ = writeln!(
        std::io::stderr().lock(),
        "error: vrisk hit an internal error; this is a bug in vrisk, not in your input. \
         Please report it with the command line and the input files.\n  detail: {detail}"
    );
}

/// Debug builds only: `VRISK_TEST_INTERNAL_ERROR=1` panics at the start of a command, so that
/// tests can see the exit-code-3 path without a real bug. Release builds ignore the variable.
fn test_trigger() {
    #[cfg(debug_assertions)]
    if std::env::var_os("VRISK_TEST_INTERNAL_ERROR").is_some_and(|v| v == "1") {
        panic!("internal error requested by VRISK_TEST_INTERNAL_ERROR");
    }
}
