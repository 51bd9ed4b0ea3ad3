//! A spinner on standard error for long runs: shown only on a terminal, never in CI (`CI` set),
//! and only once a run has taken more than a second, so that short runs and every piped or
//! machine-read output stay exactly as they are. It never touches standard output.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before the spinner appears.
pub const DELAY: Duration = Duration::from_secs(1);

/// Whether progress may be shown: standard error is a terminal and `CI` is not set.
pub fn wanted() -> bool {
    wanted_with(std::io::stderr().is_terminal(), std::env::var_os("CI"))
}

fn wanted_with(stderr_is_terminal: bool, ci: Option<std::ffi::OsString>) -> bool {
    stderr_is_terminal && ci.is_none_or(|v| v.is_empty())
}

/// The spinner of one run. Dropping it clears it from the terminal: drop it before printing
/// anything else.
pub struct Progress {
    bar: ProgressBar,
    /// Set once the run is over, so that the delayed start does not show a finished spinner.
    done: Arc<Mutex<bool>>,
}

impl Progress {
    /// A spinner that appears after [`DELAY`] when [`wanted`], else one that never draws.
    pub fn start(message: &str) -> Progress {
        Progress::start_if(wanted(), message)
    }

    fn start_if(show: bool, message: &str) -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.set_message(message.to_string());
        let done = Arc::new(Mutex::new(false));
        if show {
            let (bar, done) = (bar.clone(), done.clone());
            std::thread::spawn(move || {
                std::thread::sleep(DELAY);
                let done = done.lock().unwrap_or_else(|e| e.into_inner());
                if !*done {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                    bar.enable_steady_tick(Duration::from_millis(120));
                }
            });
        }
        Progress { bar, done }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        *done = true;
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_on_a_terminal_and_never_in_ci() {
        assert!(wanted_with(true, None));
        assert!(wanted_with(true, Some("".into())));
        assert!(!wanted_with(true, Some("true".into())));
        assert!(!wanted_with(false, None));
    }

    #[test]
    fn a_hidden_spinner_draws_nothing() {
        let progress = Progress::start_if(false, "reading");
        assert!(progress.bar.is_hidden());
        drop(progress);
    }
}
