//! The terminal: how problems are shown on stderr, and writing to standard output.

use std::io::{IsTerminal, Write};

use crate::input::diagnostic::{Problem, render_diagnostic};
use crate::input::source::SourceMap;
use crate::value::text::json_pretty;

/// How problems are shown on stderr: colour only on a terminal and only without NO_COLOR.
pub struct Terminal {
    pub color: bool,
    pub stdout_color: bool,
    pub width: usize,
    /// Also print problems as JSON on stdout (`vrisk check --format json`), for machines.
    pub problems_json: bool,
}

impl Terminal {
    pub fn detect() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(100);
        Terminal {
            color: std::io::stderr().is_terminal() && !no_color,
            stdout_color: std::io::stdout().is_terminal() && !no_color,
            width,
            problems_json: false,
        }
    }

    /// Prints warnings (nothing stops): the run goes on.
    pub fn report_warnings(&self, problems: &[Problem], sources: &SourceMap) {
        let mut stderr = std::io::stderr().lock();
        for problem in problems {
            let text = render_diagnostic(&problem.to_diagnostic(sources), self.width, self.color);
            let _ = stderr.write_all(text.as_bytes());
            let _ = stderr.write_all(b"\n");
        }
    }

    pub fn report_problems(&self, problems: &[Problem], sources: &SourceMap) {
        self.report(problems, sources, "nothing was evaluated");
    }

    /// Prints the problems, then, if any is an error, a count and what did not happen.
    pub fn report(&self, problems: &[Problem], sources: &SourceMap, outcome: &str) {
        if self.problems_json {
            let json = crate::input::diagnostic::problems_to_json(problems, sources);
            print_stdout(&format!("{}\n", json_pretty(&json)));
        }
        let mut stderr = std::io::stderr().lock();
        for problem in problems {
            let text = render_diagnostic(&problem.to_diagnostic(sources), self.width, self.color);
            let _ = stderr.write_all(text.as_bytes());
            let _ = stderr.write_all(b"\n");
        }
        let errors = problems.iter().filter(|p| p.is_error()).count();
        let warnings = problems.len() - errors;
        if errors > 0 {
            let _ = writeln!(
                stderr,
                "error: {errors} error{}{} found; {outcome}",
                plural(errors),
                if warnings > 0 {
                    format!(" and {warnings} warning{}", plural(warnings))
                } else {
                    String::new()
                }
            );
        }
    }
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Writes to stdout; a closed pipe (`vrisk check | head -1`) ends the output quietly.
pub fn print_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        let _ = writeln!(
            std::io::stderr(),
            "error: cannot write to standard output: {e}"
        );
    }
}
