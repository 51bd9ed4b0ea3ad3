//! Markdown, for pull-request comments and the GitHub Actions job summary: the verdict, a table
//! of outcomes per policy, then each finding that is not a pass with its evidence, locations
//! and a Mermaid diagram of the ownership paths behind it.
//!
//! Every piece of registry or policy text is neutralised (no control or bidi character, no line
//! break of its own) and escaped, for Markdown in prose and for Mermaid in diagrams: an
//! organisation called `A|B <Holdings>` must not break the table or the chart, and one called
//! `%%{init: ...}%%` must not restyle it.

use std::fmt::Write;

use crate::engine::Verdict;

use crate::engine::{BaselineState, Finding, Outcome, PathEvidence, Report, gate};
use crate::value::count;

use super::diagram::mermaid::flowchart;
use super::diagram::{Diagram, MAX_EDGES};
use crate::value::text::{defuse_ci_commands, neutralise};

pub fn render(report: &Report, verdict: Verdict) -> String {
    render_within(report, verdict, usize::MAX)
}

/// The report in at most `max_bytes` bytes (GitHub keeps 1 MiB of a step's job summary): the
/// title and the table always, then whole findings, most severe first, for as long as they fit,
/// then a line saying how many were left out and where the full report is.
pub fn render_within(report: &Report, verdict: Verdict, max_bytes: usize) -> String {
    let mut head = String::new();
    title(&mut head, report, verdict);
    summary_table(&mut head, report);
    // Failures first, most severe first: the reader of a summary wants what blocks the merge.
    // The sort is stable, so ties keep the report's (policy, vendor) order.
    let mut findings: Vec<&Finding> = report.non_passing().collect();
    findings.sort_by_key(|f| (f.outcome, std::cmp::Reverse(f.severity)));
    let sections: Vec<String> = findings
        .iter()
        .map(|f| {
            let mut section = String::new();
            finding_section(&mut section, report, f);
            section
        })
        .collect();
    let findings_heading = if findings.is_empty() {
        ""
    } else {
        "\n## Findings\n"
    };
    let mut tail = String::new();
    if report.has_baseline() {
        resolved(&mut tail, report);
    }
    if !report.warnings.is_empty() {
        tail.push_str("\n## Warnings\n\n");
        for w in &report.warnings {
            let _ = writeln!(tail, "- {}", escape(w));
        }
    }

    let whole = head.len()
        + findings_heading.len()
        + sections.iter().map(String::len).sum::<usize>()
        + tail.len();
    let mut out = head;
    if whole <= max_bytes {
        out.push_str(findings_heading);
        sections.iter().for_each(|s| out.push_str(s));
        out.push_str(&tail);
        return out;
    }
    // The closing note is written last, but its room is kept from the start.
    let note = |shown: usize| cut_note(sections.len() - shown, sections.len(), !tail.is_empty());
    let reserve = note(0).len();
    out.push_str(findings_heading);
    let mut shown = 0;
    for section in &sections {
        if out.len() + section.len() + reserve > max_bytes {
            break;
        }
        out.push_str(section);
        shown += 1;
    }
    out.push_str(&note(shown));
    if out.len() > max_bytes {
        // Not even the title and the table fit: the note alone, or nothing.
        out = note(0);
        if out.len() > max_bytes {
            out.clear();
        }
    }
    defuse_ci_commands(&out).into_owned()
}

/// The line that ends a summary cut short.
fn cut_note(left_out: usize, total: usize, more: bool) -> String {
    format!(
        "\n---\n\n**This summary stops here: {left_out} of {total} finding{}{} left out to stay \
         within GitHub's 1 MiB limit for a job summary.** The full report: `vrisk check --format \
         html=report.html` or `--format markdown=report.md`.\n",
        if total == 1 { "" } else { "s" },
        if more {
            " (and the sections after them) are"
        } else if left_out == 1 {
            " is"
        } else {
            " are"
        },
    )
}

fn title(out: &mut String, report: &Report, verdict: Verdict) {
    let verdict = match verdict {
        Verdict::Pass => "✅ passed",
        Verdict::Fail => "❌ failed",
    };
    let _ = writeln!(
        out,
        "# vrisk: {} ({}) as of {}: {verdict}\n",
        escape(&report.org_name),
        code(&report.org),
        report.as_of
    );
    let blocking = gate::blocking(report).count();
    let g = &report.gate;
    let rule = match g.fail_on {
        None => "`--fail-on never`: no finding fails the run".to_string(),
        Some(severity) => format!(
            "{} at severity **{severity}** or above fail the run{}",
            if g.fail_on_indeterminate {
                "failures and indeterminate results"
            } else {
                "failures"
            },
            if g.new_only {
                ", counting only findings new since the baseline"
            } else {
                ""
            },
        ),
    };
    let _ = writeln!(out, "**{}**: {rule}.", count(blocking, "blocking finding"));
    if report.has_baseline() {
        let _ = writeln!(
            out,
            "\nAgainst the baseline: {} new, {} existing, {} resolved.",
            report.baseline_count(BaselineState::New),
            report.baseline_count(BaselineState::Existing),
            report.gone.len()
        );
    }
}

fn summary_table(out: &mut String, report: &Report) {
    out.push_str("\n| Policy | Severity | Fail | Indeterminate | Waived | Pass |\n");
    out.push_str("|---|---|--:|--:|--:|--:|\n");
    for policy in &report.policies {
        let count = |o: Outcome| report.count(&policy.id, o);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            escape(&policy.id),
            policy.severity,
            count(Outcome::Fail),
            count(Outcome::Indeterminate),
            count(Outcome::Waived),
            count(Outcome::Pass),
        );
    }
    let s = &report.summary;
    let _ = writeln!(
        out,
        "| **Total** | | {} | {} | {} | {} |",
        s.fail, s.indeterminate, s.waived, s.pass
    );
}

fn finding_section(out: &mut String, report: &Report, f: &Finding) {
    let marker = match f.outcome {
        Outcome::Fail => "❌",
        Outcome::Indeterminate => "❔",
        Outcome::Waived => "💤",
        Outcome::Pass => "✅",
    };
    let mut tags = Vec::new();
    if let Some(state) = f.baseline {
        tags.push(match state {
            BaselineState::New => "🆕 new",
            BaselineState::Existing => "existing",
        });
    }
    if report.gate.blocks(f) {
        tags.push("blocking");
    }
    let _ = write!(
        out,
        "\n### {marker} {}: {} / {} ({})",
        f.outcome,
        escape(&f.policy),
        escape(&f.vendor_name),
        f.severity
    );
    for tag in tags {
        let _ = write!(out, " `{tag}`");
    }
    let _ = writeln!(out, "\n\n{}", escape(&f.message));
    if let Some(note) = &f.note {
        let _ = writeln!(out, "\n*Note:* {}", escape(note));
    }

    if !f.evidence.is_empty() {
        out.push_str("\n**Evidence**\n\n");
        for e in &f.evidence {
            let _ = write!(out, "- {}", escape(&e.text));
            if let Some(at) = &e.location {
                let _ = write!(out, " at {}", code(&at.to_string()));
            }
            if !e.sources.is_empty() {
                let ids: Vec<String> = e.sources.iter().map(|s| code(&s.id)).collect();
                let _ = write!(out, " (source: {})", ids.join(", "));
            }
            out.push('\n');
        }
    }

    if !f.locations.is_empty() {
        out.push_str("\n**Locations**\n\n");
        for l in &f.locations {
            let _ = write!(out, "- {} ({})", code(&l.position.to_string()), l.role);
            if !l.label.is_empty() {
                let _ = write!(out, ": {}", escape(&l.label));
            }
            out.push('\n');
        }
    }

    if !f.paths.is_empty() {
        out.push_str("\n**Ownership**\n\n");
        for p in &f.paths {
            let _ = writeln!(
                out,
                "- {}: {} economic, {} voting",
                escape(&super::path_route(p)),
                escape(&p.economic),
                escape(&p.voting)
            );
        }
        out.push('\n');
        out.push_str(&mermaid(&f.paths));
    }

    if f.outcome != Outcome::Waived
        && let Some(policy) = report.policy(&f.policy)
        && !policy.remediation.trim().is_empty()
    {
        let _ = writeln!(out, "\n*Fix:* {}", escape(&policy.remediation));
    }
}

fn resolved(out: &mut String, report: &Report) {
    out.push_str("\n## Resolved since baseline\n\n");
    if report.gone.is_empty() {
        out.push_str("Nothing: every finding of the baseline is still there.\n");
    }
    for g in &report.gone {
        let _ = writeln!(
            out,
            "- {}: {} / {}",
            g.outcome,
            escape(&g.policy),
            escape(&g.vendor)
        );
    }
}

/// A Mermaid flowchart of the paths (see [`Diagram::from_paths`]), at most
/// [`MAX_EDGES`] links, with a line under it when some were left out.
pub fn mermaid(paths: &[PathEvidence]) -> String {
    let diagram = Diagram::from_paths(paths).capped(MAX_EDGES);
    let mut out = format!("```mermaid\n{}```\n", flowchart(&diagram));
    if let Some(note) = diagram.note() {
        let _ = writeln!(out, "\n*{}.*", escape(&note));
    }
    out
}

/// Text in Markdown prose or a table cell: line breaks become spaces (a finding is one
/// paragraph), and characters that Markdown or HTML would interpret are backslash-escaped.
pub fn escape(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = neutralise(&flat);
    let mut out = String::with_capacity(flat.len());
    for (i, c) in flat.chars().enumerate() {
        // `>` and the list markers only mean something at the start of a line.
        let special = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '|' | '#' | '~' | '&'
        ) || (i == 0 && matches!(c, '-' | '+' | '=' | '>'));
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// An inline code span that survives backticks in its text (CommonMark: a longer fence).
pub fn code(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = neutralise(&flat);
    let longest = flat.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if flat.starts_with('`') || flat.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{flat}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_what_would_render() {
        assert_eq!(escape("a|b <i> *x* _y_"), "a\\|b \\<i> \\*x\\* \\_y\\_");
        assert_eq!(escape("> quote, a >= b"), "\\> quote, a >= b");
        assert_eq!(escape("- not a list"), "\\- not a list");
        assert_eq!(escape("line\nbreak"), "line break");
        assert_eq!(escape("49% of A-B"), "49% of A-B");
        assert_eq!(escape("[link](x)"), "\\[link\\](x)");
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("a.yaml:1:2"), "`a.yaml:1:2`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
    }

    #[test]
    fn mermaid_labels_use_entity_codes() {
        use crate::report::diagram::mermaid::text as mermaid_text;
        assert_eq!(
            mermaid_text("A \"B\" | #1 <C> & `D`"),
            "A #quot;B#quot; #124; #35;1 #lt;C#gt; #amp; #96;D#96;"
        );
        assert_eq!(
            mermaid_text("%%{init: {'theme':'dark'}}%%"),
            "#37;#37;#123;init#58; #123;'theme'#58;'dark'#125;#125;#37;#37;"
        );
        assert_eq!(
            mermaid_text("a;b[c](d)=e:::f\\g!h?i*j~k^l$m@n"),
            "a#59;b#91;c#93;#40;d#41;#61;e#58;#58;#58;f#92;g#33;h#63;i#42;j#126;k#94;l#36;m#64;n"
        );
        assert_eq!(mermaid_text("49% → Société 東京"), "49#37; → Société 東京");
        assert_eq!(
            mermaid_text("line\nbreak\u{1b}"),
            "line#92;nbreak#92;u#123;1b#125;"
        );
    }

    #[test]
    fn prose_and_code_spans_are_neutralised() {
        assert_eq!(
            escape("a\u{1b}[2J b\u{202e}"),
            "a\\\\u{1b}\\[2J b\\\\u{202e}"
        );
        assert_eq!(code("x\u{7}"), "`x\\u{7}`");
    }
}
