//! The terminal: how problems are shown on stderr, and writing to standard output.

use std::io::{IsTerminal, Write};

use crate::input::diagnostic::{Problem, render_diagnostic, unavailable_sources_note};
use crate::input::source::SourceMap;
use crate::value::count;
use crate::value::text::json_pretty;

/// How problems are shown on stderr, and whether reports on stdout get colour ([`use_colour`]).
pub struct Terminal {
    pub color: bool,
    pub stdout_color: bool,
    pub width: usize,
    /// Also print problems as JSON on stdout (`vrisk check --format json`), for machines.
    pub problems_json: bool,
}

impl Terminal {
    pub fn detect() -> Self {
        let var = |name: &str| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned());
        let env = ColourEnv {
            no_color: var("NO_COLOR"),
            force_color: var("FORCE_COLOR"),
            clicolor_force: var("CLICOLOR_FORCE"),
            clicolor: var("CLICOLOR"),
            term: var("TERM"),
        };
        Terminal {
            color: use_colour(&env, std::io::stderr().is_terminal()),
            stdout_color: use_colour(&env, std::io::stdout().is_terminal()),
            width: width_from(var("COLUMNS").as_deref()),
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
        if let Some(note) = unavailable_sources_note(sources) {
            let _ = writeln!(stderr, "{note}");
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
            print_stdout(&format!("{}\n", json_pretty(&json)));
        }
        let mut stderr = std::io::stderr().lock();
        for problem in problems {
            let text = render_diagnostic(&problem.to_diagnostic(sources), self.width, self.color);
            let _ = stderr.write_all(text.as_bytes());
            let _ = stderr.write_all(b"\n");
        }
        if let Some(note) = unavailable_sources_note(sources) {
            let _ = writeln!(stderr, "{note}");
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

/// The environment variables that decide colour.
#[derive(Debug, Default)]
pub struct ColourEnv {
    pub no_color: Option<String>,
    pub force_color: Option<String>,
    pub clicolor_force: Option<String>,
    pub clicolor: Option<String>,
    pub term: Option<String>,
}

/// Whether a stream gets colour, first rule that applies:
/// 1. `NO_COLOR` set and not empty: never (no-color.org; it wins over the rest, so that a
///    user who asked for none never gets escape sequences);
/// 2. `FORCE_COLOR` set and not empty, `0` or `false`, or `CLICOLOR_FORCE` set and not empty or
///    `0`: always, even into a pipe or a file (for CI logs that render colour);
/// 3. `TERM=dumb` (a terminal that cannot show colour) or `CLICOLOR=0`: never;
/// 4. otherwise: only on a terminal.
pub fn use_colour(env: &ColourEnv, is_terminal: bool) -> bool {
    let set = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.is_empty());
    let on = |v: &Option<String>, off: &[&str]| {
        v.as_deref()
            .is_some_and(|v| !v.is_empty() && !off.iter().any(|o| v.eq_ignore_ascii_case(o)))
    };
    if set(&env.no_color) {
        return false;
    }
    if on(&env.force_color, &["0", "false"]) || on(&env.clicolor_force, &["0"]) {
        return true;
    }
    if env.term.as_deref() == Some("dumb") || env.clicolor.as_deref() == Some("0") {
        return false;
    }
    is_terminal
}

/// The width diagnostics wrap at: `COLUMNS` when it is a number from 20 to 1,000, else 100.
/// (A width of 0 or of millions would make every line one word, or never wrap.)
fn width_from(columns: Option<&str>) -> usize {
    columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| (20..=1_000).contains(w))
        .unwrap_or(100)
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Prints notes on stderr, one a line: what a run chose that the user should know about (the
/// built-in example, the built-in policy set, an override). Never fails (stderr may be closed).
pub fn print_notes(notes: &[String]) {
    let mut stderr = std::io::stderr().lock();
    for note in notes {
        // Notes name ids and files from the inputs: shown, never acted on.
        let _ = writeln!(stderr, "note: {}", crate::value::text::neutralise(note));
    }
}

/// Writes to stdout: a closed pipe (`vrisk check | head -1`) ends the output quietly, any other
/// failure is said on stderr and makes the run exit 2 (see [`crate::cli::output::stdout`]).
pub fn print_stdout(text: &str) {
    crate::cli::output::stdout::print(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> ColourEnv {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        };
        ColourEnv {
            no_color: get("NO_COLOR"),
            force_color: get("FORCE_COLOR"),
            clicolor_force: get("CLICOLOR_FORCE"),
            clicolor: get("CLICOLOR"),
            term: get("TERM"),
        }
    }

    #[test]
    fn colour_follows_no_color_term_and_the_force_variables() {
        let on_tty = |pairs: &[(&str, &str)]| use_colour(&env(pairs), true);
        let in_pipe = |pairs: &[(&str, &str)]| use_colour(&env(pairs), false);
        assert!(on_tty(&[("TERM", "xterm-256color")]));
        assert!(!in_pipe(&[("TERM", "xterm-256color")]));
        assert!(!on_tty(&[("TERM", "dumb")]));
        assert!(!on_tty(&[("NO_COLOR", "1")]));
        assert!(on_tty(&[("NO_COLOR", "")]));
        assert!(!on_tty(&[("CLICOLOR", "0")]));
        assert!(in_pipe(&[("FORCE_COLOR", "1")]));
        assert!(in_pipe(&[("CLICOLOR_FORCE", "1"), ("TERM", "dumb")]));
        assert!(!in_pipe(&[("FORCE_COLOR", "0")]));
        assert!(!in_pipe(&[("FORCE_COLOR", "false")]));
        assert!(!in_pipe(&[("CLICOLOR_FORCE", "0")]));
        assert!(!in_pipe(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]));
    }

    #[test]
    fn width_is_columns_within_a_sane_range() {
        assert_eq!(width_from(Some("120")), 120);
        assert_eq!(width_from(Some("0")), 100);
        assert_eq!(width_from(Some("99999999")), 100);
        assert_eq!(width_from(Some("wide")), 100);
        assert_eq!(width_from(None), 100);
    }
}
