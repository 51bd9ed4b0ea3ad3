//! The terminal: how problems are shown on stderr, and writing to standard output.

use std::io::{IsTerminal, Write};

use crate::input::diagnostic::{Problem, render_diagnostic};
use crate::input::source::SourceMap;
use crate::value::count;

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

    /// Prints the problems of a run stopped before it evaluated anything.
    pub fn report_problems(&self, problems: &[Problem], sources: &SourceMap) {
        self.report(problems, sources, "nothing was evaluated");
    }

    /// Prints the problems, then, if any is an error, a count and `outcome`: what the run did
    /// and did not do ("nothing was written", "the evaluation ran, but nothing was written").
    pub fn report(&self, problems: &[Problem], sources: &SourceMap, outcome: &str) {
        if self.problems_json {
            let json = crate::input::diagnostic::problems_to_json(problems, sources);
            print_stdout(&format!("{json:#}\n"));
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
                "error: {}{} found; {outcome}",
                count(errors, "error"),
                if warnings > 0 {
                    format!(" and {}", count(warnings, "warning"))
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

/// Prints notes on stderr, one a line: what a run chose that the user should know about (the
/// built-in example, the built-in policy set, an override). Never fails (stderr may be closed).
pub fn print_notes(notes: &[String]) {
    let mut stderr = std::io::stderr().lock();
    for note in notes {
        let _ = writeln!(stderr, "note: {note}");
    }
}

/// Writes to stdout: a closed pipe (`vrisk check | head -1`) ends the output quietly, any other
/// failure is said on stderr and makes the run exit 2 (see [`crate::cli::output::stdout`]).
pub fn print_stdout(text: &str) {
    crate::cli::output::stdout::print(text);
}
