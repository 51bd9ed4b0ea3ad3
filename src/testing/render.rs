//! The text `vrisk test` prints: per policy, each case `ok` or `FAILED` (with expected versus
//! actual at the expectation's line:col), the coverage line, then one summary line. Names,
//! messages and file names come from the test and policy files: each is neutralised, so none
//! adds a line or reaches the terminal as a control character.

use std::fmt::Write as _;

use crate::input::source::SourceMap;
use crate::value::text::{defuse_ci_commands, neutralise};

use super::format::actual_name;
use super::run::{GroupResult, Mismatch, MismatchKind};
use crate::value::count;

/// Colour on a terminal only; tests and pipes get plain text.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(self, text: &str, code: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// Totals over a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub passed: usize,
    pub failed: usize,
    pub policies: usize,
    pub conditions: usize,
    pub covered: usize,
}

impl Totals {
    pub fn of(results: &[GroupResult]) -> Totals {
        let mut t = Totals {
            policies: results.len(),
            ..Totals::default()
        };
        for group in results {
            for case in &group.cases {
                if case.passed() {
                    t.passed += 1;
                } else {
                    t.failed += 1;
                }
            }
            t.conditions += group.leaves.len();
            t.covered += group.leaves.iter().filter(|l| l.covered()).count();
        }
        t
    }
}

pub fn render(
    results: &[GroupResult],
    untested: &[String],
    sources: &SourceMap,
    style: Style,
) -> String {
    let mut out = String::new();
    for group in results {
        let _ = writeln!(
            out,
            "policy {} ({})",
            neutralise(&group.policy_id),
            neutralise(&group.policy_file)
        );
        for case in &group.cases {
            if case.passed() {
                let name = neutralise(&case.name);
                let _ = writeln!(out, "  {}      {name}", style.paint("ok", "32"));
            } else {
                let name = neutralise(&case.name);
                let _ = writeln!(out, "  {}  {name}", style.paint("FAILED", "31;1"));
                for m in &case.mismatches {
                    mismatch(&mut out, m, sources);
                }
            }
        }
        coverage(&mut out, group, sources);
        out.push('\n');
    }
    for path in untested {
        let _ = writeln!(out, "no tests: {}", neutralise(path));
    }
    if !untested.is_empty() {
        out.push('\n');
    }
    out.push_str(&summary(&Totals::of(results), style));
    defuse_ci_commands(&out).into_owned()
}

fn mismatch(out: &mut String, m: &Mismatch, sources: &SourceMap) {
    let describe = sources.describe(m.loc);
    let at = neutralise(&describe);
    let vendor = neutralise(&m.vendor);
    let actual_message = neutralise(m.message.as_deref().unwrap_or(""));
    match &m.kind {
        MismatchKind::Outcome(expected) => {
            let _ = writeln!(out, "          {at}: {vendor}: outcome differs");
            let _ = writeln!(out, "            expected: {expected}");
            let _ = writeln!(out, "            actual:   {}", actual_name(m.actual));
            if m.message.is_some() {
                let _ = writeln!(out, "            message:  {actual_message}");
            }
        }
        MismatchKind::Message(expected) => {
            let _ = writeln!(out, "          {at}: {vendor}: message differs");
            let _ = writeln!(out, "            expected: {}", neutralise(expected));
            let _ = writeln!(out, "            actual:   {actual_message}");
        }
        MismatchKind::MessageContains(expected) => {
            let _ = writeln!(
                out,
                "          {at}: {vendor}: message does not contain the expected text"
            );
            let _ = writeln!(
                out,
                "            expected to contain: {}",
                neutralise(expected)
            );
            let _ = writeln!(out, "            actual:              {actual_message}");
        }
    }
    for e in &m.evidence {
        let _ = writeln!(out, "            evidence: {}", neutralise(e));
    }
}

fn coverage(out: &mut String, group: &GroupResult, sources: &SourceMap) {
    let total = group.leaves.len();
    let covered = group.leaves.iter().filter(|l| l.covered()).count();
    if covered == total {
        let _ = writeln!(
            out,
            "  coverage: {covered} of {} seen true and false",
            count(total, "condition")
        );
        return;
    }
    let _ = writeln!(
        out,
        "  coverage: {covered} of {} seen true and false; not covered:",
        count(total, "condition")
    );
    for leaf in group.leaves.iter().filter(|l| !l.covered()) {
        let _ = writeln!(
            out,
            "    {}: {}: {}",
            neutralise(&sources.describe(leaf.loc)),
            neutralise(&leaf.label),
            leaf.gap()
        );
    }
}

/// `test result: ok. 12 passed, 0 failed; 7 policies, 30 of 30 conditions covered`.
pub fn summary(t: &Totals, style: Style) -> String {
    let verdict = if t.failed == 0 {
        style.paint("ok", "32")
    } else {
        style.paint("FAILED", "31;1")
    };
    format!(
        "test result: {verdict}. {} passed, {} failed; {}, {} of {} covered\n",
        t.passed,
        t.failed,
        count(t.policies, "policy"),
        t.covered,
        count(t.conditions, "condition"),
    )
}
