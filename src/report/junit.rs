//! JUnit XML, for CI test-report views (GitLab `reports: junit`, Jenkins, test-reporter
//! actions): one testsuite per policy, one testcase per (policy, vendor), passes included.
//!
//! Outcomes:
//! - fail -> `<failure type="fail">`, whatever `--fail-on` says: the policy did fail; the gate
//!   only decides whether the run stops;
//! - indeterminate -> `<failure type="indeterminate">` when the run counts indeterminate results
//!   (`--fail-on-indeterminate`), else a passing testcase whose `<system-out>` says why it is
//!   not known, so that the test view and the exit code tell the same story;
//! - waived -> `<skipped message="…"/>` with the waiver's note (`waived until DATE by WHO:
//!   reason`);
//! - pass -> an empty testcase.
//!
//! Strict consumers (the Ant and Jenkins XSDs) want `time` on every suite and case and a
//! `timestamp` on every suite. vrisk does not time policies, and the same inputs must give the
//! same bytes, so `time` is `0` and `timestamp` is the evaluation date (`--as-of`) at midnight,
//! never the clock. `file` and `line` point at the registry, except for a copy compiled into
//! vrisk, which is no file of the repository.
//!
//! Hand-written (rather than quick-junit) because the shape is small and fixed; `escape`
//! below is the part that needs care. CI test views print failure messages and bodies in their
//! logs, so data is neutralised before it is escaped (one line of data stays one line, with no
//! control or bidi character), and the whole file is defused of CI commands.

use std::fmt::Write;

use super::detail_lines;
use crate::engine::{BaselineState, Finding, Outcome, Report};
use crate::value::text::{defuse_ci_commands, neutralise};

pub fn render(report: &Report) -> String {
    let suites: Vec<Suite> = report
        .policy_ids()
        .into_iter()
        .map(|id| Suite::new(report, id))
        .collect();
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = suites.iter().map(Suite::failures).sum();
    let skipped: usize = suites.iter().map(Suite::skipped).sum();

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" \
         time=\"0\">",
        escape(&format!("vrisk {} as of {}", report.org, report.as_of)),
        tests,
        failures,
        skipped,
    );
    let timestamp = format!("{}T00:00:00", report.as_of);
    for suite in &suites {
        suite.write(&mut out, &timestamp);
    }
    out.push_str("</testsuites>\n");
    defuse_ci_commands(&out).into_owned()
}

struct Suite<'a> {
    id: &'a str,
    report: &'a Report,
    cases: Vec<Case<'a>>,
}

struct Case<'a> {
    finding: &'a Finding,
    verdict: Verdict,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Passed,
    Failed,
    Skipped,
}

impl<'a> Suite<'a> {
    fn new(report: &'a Report, id: &'a str) -> Self {
        let cases = report
            .findings
            .iter()
            .filter(|f| f.policy == id)
            .map(|finding| Case {
                finding,
                verdict: verdict(report, finding),
            })
            .collect();
        Suite { id, report, cases }
    }

    fn failures(&self) -> usize {
        self.count(Verdict::Failed)
    }

    fn skipped(&self) -> usize {
        self.count(Verdict::Skipped)
    }

    fn count(&self, verdict: Verdict) -> usize {
        self.cases.iter().filter(|c| c.verdict == verdict).count()
    }

    fn write(&self, out: &mut String, timestamp: &str) {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" \
             time=\"0\" timestamp=\"{timestamp}\">",
            escape(self.id),
            self.cases.len(),
            self.failures(),
            self.skipped(),
        );
        if let Some(policy) = self.report.policy(self.id) {
            out.push_str("    <properties>\n");
            for (name, value) in [
                ("title", policy.title.as_str()),
                ("severity", policy.severity.name()),
            ] {
                let _ = writeln!(
                    out,
                    "      <property name=\"{name}\" value=\"{}\"/>",
                    escape(value)
                );
            }
            out.push_str("    </properties>\n");
        }
        for case in &self.cases {
            case.write(self.report, out);
        }
        out.push_str("  </testsuite>\n");
    }
}

fn verdict(report: &Report, finding: &Finding) -> Verdict {
    match finding.outcome {
        Outcome::Fail => Verdict::Failed,
        Outcome::Indeterminate if report.gate.fail_on_indeterminate => Verdict::Failed,
        Outcome::Indeterminate | Outcome::Pass => Verdict::Passed,
        Outcome::Waived => Verdict::Skipped,
    }
}

impl Case<'_> {
    fn write(&self, report: &Report, out: &mut String) {
        let f = self.finding;
        let mut open = format!(
            "    <testcase classname=\"{}\" name=\"{}\" time=\"0\"",
            escape(&f.policy),
            escape(&f.vendor)
        );
        // `file` and `line` are read by GitLab and by several annotation actions.
        if let Some(location) = f.primary_location()
            && !location.position.builtin
        {
            let _ = write!(
                open,
                " file=\"{}\" line=\"{}\"",
                escape(&location.position.file),
                location.position.line
            );
        }
        let body = match (self.verdict, f.outcome) {
            (Verdict::Failed, outcome) => Some(format!(
                "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                outcome.name(),
                escape(f.message.trim()),
                escape_text(&details(report, f))
            )),
            // The note already says it is waived, until when and by whom.
            (Verdict::Skipped, _) => Some(format!(
                "      <skipped message=\"{}\"/>\n",
                escape(f.note.as_deref().unwrap_or("waived"))
            )),
            (Verdict::Passed, Outcome::Indeterminate) => Some(format!(
                "      <system-out>{}</system-out>\n",
                escape_text(&format!(
                    "indeterminate (not counted as a failure): {}\n{}",
                    neutralise(f.message.trim()),
                    details(report, f)
                ))
            )),
            (Verdict::Passed, _) => f.note.as_ref().map(|note| {
                format!(
                    "      <system-out>{}</system-out>\n",
                    escape_text(&neutralise(note))
                )
            }),
        };
        match body {
            Some(body) => {
                let _ = write!(out, "{open}>\n{body}    </testcase>\n");
            }
            None => {
                let _ = writeln!(out, "{open}/>");
            }
        }
    }
}

/// The failure body: baseline state, evidence, paths, note and locations, one a line, each
/// neutralised.
fn details(report: &Report, f: &Finding) -> String {
    let mut lines = Vec::new();
    if let Some(state) = f.baseline {
        lines.push(match state {
            BaselineState::New => "baseline: new".to_string(),
            BaselineState::Existing => "baseline: existing".to_string(),
        });
    }
    lines.push(format!("severity: {}", f.severity));
    lines.push(format!("vendor: {} ({})", f.vendor_name, f.vendor));
    lines.extend(detail_lines(f));
    for l in &f.locations {
        lines.push(format!("{}: {} {}", l.role, l.position, l.label));
    }
    if let Some(policy) = report.policy(&f.policy)
        && !policy.remediation.trim().is_empty()
    {
        lines.push(format!("fix: {}", policy.remediation.trim()));
    }
    let lines: Vec<_> = lines.iter().map(|line| neutralise(line)).collect();
    lines.join("\n")
}

/// Escapes an XML 1.0 attribute value, all of it data: neutralised, then quotes escaped.
pub fn escape(text: &str) -> String {
    escape_with(&neutralise(text), true)
}

/// Escapes XML 1.0 element text whose line breaks are vrisk's (data in it is neutralised by
/// the caller); they and tabs stay literal so the file reads well.
pub fn escape_text(text: &str) -> String {
    escape_with(text, false)
}

fn escape_with(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // A literal CR would be normalised away (CRLF -> LF) even in text.
            '\r' => out.push_str("&#13;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' | '\t' => out.push(c),
            // XML 1.0 cannot carry other C0 controls, U+FFFE or U+FFFF at all, not even as
            // references: replace them rather than write a file no parser accepts.
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_controls() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        // Attributes are data: a line break or a control character is shown, not kept.
        assert_eq!(escape("l1\nl2\r\t"), "l1\\nl2\\r\\t");
        assert_eq!(escape("bell\u{7}\u{202e}"), "bell\\u{7}\\u{202e}");
        assert_eq!(escape("é😀"), "é😀");
        assert_eq!(escape("]]>"), "]]&gt;");
        assert_eq!(escape_text("a\n\"b\"\t<\r\n"), "a\n\"b\"\t&lt;&#13;\n");
        assert_eq!(escape_text("nul\u{0}"), "nul\u{FFFD}");
    }
}
