//! The report for a person at a terminal: one diagnostic per finding, with snippets of the
//! registry and the policy that decided it, then a summary table.

use std::fmt::Write;

use rayon::prelude::*;

use crate::input::diagnostic::{Level, Problem, render_diagnostic, unavailable_sources_note};
use crate::input::source::SourceMap;

use super::path_route;
use crate::engine::{BaselineState, Finding, Outcome, Report};
use crate::value::count;
use crate::value::text::{defuse_ci_commands, neutralise, pad_end};

pub struct Style {
    pub color: bool,
    pub width: usize,
}

pub fn render(report: &Report, sources: &SourceMap, style: &Style) -> String {
    // Each finding's diagnostic is rendered on its own (in parallel: thousands of snippets in a
    // large registry), then joined in report order.
    let findings: Vec<&Finding> = report.non_passing().collect();
    let rendered: Vec<String> = findings
        .par_iter()
        .map(|finding| {
            let problem = problem_of(report, finding);
            render_diagnostic(&problem.to_diagnostic(sources), style.width, style.color)
        })
        .collect();
    let mut out = String::with_capacity(rendered.iter().map(|r| r.len() + 1).sum());
    for text in rendered {
        out.push_str(&text);
        out.push('\n');
    }
    if let Some(note) = unavailable_sources_note(sources) {
        let _ = writeln!(out, "{note}\n");
    }
    for warning in &report.warnings {
        let _ = writeln!(out, "warning: {}", neutralise(warning));
    }
    if !report.warnings.is_empty() {
        out.push('\n');
    }
    if !report.gone.is_empty() {
        out.push_str("resolved since baseline:\n");
        for g in &report.gone {
            let _ = writeln!(
                out,
                "  {} {} ({})",
                g.outcome,
                neutralise(&g.policy),
                neutralise(&g.vendor)
            );
        }
        out.push('\n');
    }
    out.push_str(&summary_table(report));
    defuse_ci_commands(&out).into_owned()
}

fn problem_of(report: &Report, finding: &Finding) -> Problem {
    let level = match finding.outcome {
        Outcome::Fail => Level::Error,
        Outcome::Indeterminate => Level::Warning,
        Outcome::Waived | Outcome::Pass => Level::Advice,
    };
    let code: &'static str = match finding.outcome {
        Outcome::Fail => "fail",
        Outcome::Indeterminate => "indeterminate",
        Outcome::Waived => "waived",
        Outcome::Pass => "pass",
    };
    // The baseline tag goes first so that new findings stand out in a long list.
    let tag = match finding.baseline {
        Some(BaselineState::New) => "[new] ",
        Some(BaselineState::Existing) | None => "",
    };
    let mut problem = Problem::new(
        code,
        format!(
            "{tag}[{}] {} ({}): {}",
            finding.severity, finding.policy, finding.vendor, finding.message
        ),
    );
    problem.level = level;
    for location in &finding.locations {
        problem = problem.at(location.position.loc, location.label.clone());
    }
    // One help line per item; each is neutralised on its own, so data cannot add lines.
    let mut help = Vec::new();
    for e in &finding.evidence {
        let mut line = format!("evidence: {}", e.text);
        if !e.sources.is_empty() {
            let ids: Vec<String> = e
                .sources
                .iter()
                .map(|s| {
                    if s.secondary {
                        format!("{} (secondary)", s.id)
                    } else {
                        s.id.clone()
                    }
                })
                .collect();
            let _ = write!(line, " [source: {}]", ids.join(", "));
        }
        help.push(line);
    }
    for path in &finding.paths {
        help.push(format!(
            "path: {} = {} economic, {} voting",
            path_route(path),
            path.economic,
            path.voting
        ));
    }
    if let Some(note) = &finding.note {
        help.push(format!("note: {note}"));
    }
    if let Some(policy) = report.policy(&finding.policy)
        && !policy.remediation.trim().is_empty()
    {
        help.push(format!("fix: {}", policy.remediation.trim()));
    }
    if help.is_empty() {
        return problem;
    }
    problem.with_help_lines(help)
}

fn summary_table(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "vrisk: {} ({}) as of {}: {} × {}",
        neutralise(&report.org),
        neutralise(&report.org_name),
        report.as_of,
        count(report.summary.policies, "policy"),
        count(report.summary.vendors, "vendor relationship"),
    );
    let ids: Vec<_> = report.policies.iter().map(|p| neutralise(&p.id)).collect();
    let width = ids
        .iter()
        .map(|id| id.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    let _ = writeln!(
        out,
        "  {}  {:<8}  {:>4}  {:>13}  {:>6}  {:>4}",
        pad_end("policy", width),
        "severity",
        "fail",
        "indeterminate",
        "waived",
        "pass"
    );
    for (policy, id) in report.policies.iter().zip(&ids) {
        let count = |o: Outcome| report.count(&policy.id, o);
        let _ = writeln!(
            out,
            "  {}  {:<8}  {:>4}  {:>13}  {:>6}  {:>4}",
            pad_end(id, width),
            policy.severity.to_string(),
            count(Outcome::Fail),
            count(Outcome::Indeterminate),
            count(Outcome::Waived),
            count(Outcome::Pass),
        );
    }
    let s = &report.summary;
    let _ = writeln!(
        out,
        "  {}  {:<8}  {:>4}  {:>13}  {:>6}  {:>4}",
        pad_end("total", width),
        "",
        s.fail,
        s.indeterminate,
        s.waived,
        s.pass
    );
    out
}
