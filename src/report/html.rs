//! One self-contained HTML page for the people who own vendor risk: the verdict first, the
//! outcomes per policy, a vendor × policy matrix, then every finding that is not a pass with
//! its evidence, its sources, where it comes from and a drawing of the ownership behind it.
//!
//! The page opens from an artifact download with no network: the style sheet is inline, the
//! diagrams are inline SVG (laid out by layout-rs, see `diagram`), there are no fonts, images
//! or scripts from elsewhere. A few lines of inline script open every section for printing and
//! add "expand all" buttons; without script the page reads the same, and printing relies on
//! the style sheet alone.
//!
//! Every text of the registry and the policies is escaped, and only http(s) addresses become
//! links (a source's URL, a policy's `help_url`), marked `class="data-link"`: a name such as
//! `<script>` or a `javascript:` URL stays inert text.
//!
//! A large report stays usable: the summary and the matrix come first, findings are grouped by
//! policy in collapsed sections (open when there are few), the matrix lists at most
//! [`MAX_MATRIX_VENDORS`] vendors, and diagrams are drawn for the first [`MAX_DIAGRAMS`]
//! findings (most severe first); later ones list their paths as text.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::engine::{BaselineState, Finding, Outcome, PolicyInfo, Report, Verdict, gate};

use super::diagram::{self, Diagram, MAX_EDGES};
use super::markup::{escape, web_link};
use super::{path_route, policy_help_url};

const STYLE: &str = include_str!("html.css");

/// Opens every section before printing, and the section holding a finding a link points at.
const SCRIPT: &str = "\
document.querySelectorAll('.controls').forEach(function (c) { c.hidden = false; });
function openAll(open) { document.querySelectorAll('details').forEach(function (d) { d.open = open; }); }
window.addEventListener('beforeprint', function () { openAll(true); });
function openTarget() {
  var t = location.hash && document.getElementById(location.hash.slice(1));
  for (; t; t = t.parentElement) { if (t.tagName === 'DETAILS') { t.open = true; } }
}
window.addEventListener('hashchange', openTarget);
openTarget();
";

/// The most vendors the matrix lists; the rest are counted under it.
pub const MAX_MATRIX_VENDORS: usize = 500;

/// The most findings drawn with an ownership diagram; later ones list their paths as text.
pub const MAX_DIAGRAMS: usize = 500;

/// Up to this many findings, every section is open when the page loads.
const OPEN_UP_TO: usize = 50;

pub fn render(report: &Report, verdict: Verdict) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let title = format!(
        "vrisk: {} as of {}: {}",
        report.org_name,
        report.as_of,
        verdict_word(verdict)
    );
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"vrisk {}\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n\
         </head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        escape(&title)
    );
    verdict_banner(&mut out, report, verdict);
    out.push_str("<main>\n");
    contents(&mut out, report);
    summary(&mut out, report);
    matrix(&mut out, report);
    findings(&mut out, report);
    if report.has_baseline() {
        resolved(&mut out, report);
    }
    warnings(&mut out, report);
    let _ = write!(
        out,
        "<footer>Written by vrisk {} from the registry and the policies as of {}. The same \
         inputs give the same page.</footer>\n</main>\n<script>\n{SCRIPT}</script>\n</body>\n\
         </html>\n",
        env!("CARGO_PKG_VERSION"),
        report.as_of
    );
    out
}

fn verdict_word(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "passed",
        Verdict::Fail => "failed",
    }
}

fn verdict_banner(out: &mut String, report: &Report, verdict: Verdict) {
    let (class, mark) = match verdict {
        Verdict::Pass => ("pass", "✓"),
        Verdict::Fail => ("fail", "✗"),
    };
    let blocking = gate::blocking(report).count();
    let _ = writeln!(
        out,
        "<header class=\"verdict is-{class}\">\n<h1>{mark} {}: {blocking} blocking finding{}</h1>",
        capitalised(verdict_word(verdict)),
        plural(blocking)
    );
    let s = &report.summary;
    let _ = writeln!(
        out,
        "<p><strong>{}</strong> (<code>{}</code>) as of <strong>{}</strong>: {} polic{} × {} \
         vendor relationship{}.</p>",
        escape(&report.org_name),
        escape(&report.org),
        report.as_of,
        s.policies,
        if s.policies == 1 { "y" } else { "ies" },
        s.vendors,
        plural(s.vendors),
    );
    let _ = writeln!(out, "<p>{}</p>\n</header>", escape(&gate_rule(report)));
}

/// The rule the exit code followed, in a sentence.
fn gate_rule(report: &Report) -> String {
    let g = &report.gate;
    match g.fail_on {
        None => "--fail-on never: no finding fails the run.".to_string(),
        Some(severity) => format!(
            "{} at severity {severity} or above fail the run{}.",
            if g.fail_on_indeterminate {
                "Failures and indeterminate results"
            } else {
                "Failures"
            },
            if g.new_only {
                ", counting only findings new since the baseline"
            } else {
                ""
            }
        ),
    }
}

fn contents(out: &mut String, report: &Report) {
    out.push_str(
        "<nav class=\"toc\" aria-label=\"Contents\"><ul>\n\
         <li><a href=\"#summary\">Summary</a></li>\n\
         <li><a href=\"#matrix\">Vendors × policies</a></li>\n\
         <li><a href=\"#findings\">Findings</a></li>\n",
    );
    if report.has_baseline() {
        out.push_str("<li><a href=\"#resolved\">Resolved since the baseline</a></li>\n");
    }
    if !report.warnings.is_empty() {
        out.push_str("<li><a href=\"#warnings\">Warnings</a></li>\n");
    }
    out.push_str("</ul></nav>\n");
}

fn summary(out: &mut String, report: &Report) {
    let s = &report.summary;
    out.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n<ul class=\"tiles\">\n");
    for (class, name, count) in [
        ("fail", "fail", s.fail),
        ("indeterminate", "indeterminate", s.indeterminate),
        ("waived", "waived", s.waived),
        ("pass", "pass", s.pass),
    ] {
        let _ = writeln!(
            out,
            "<li class=\"{class}\"><strong>{count}</strong>{name}</li>"
        );
    }
    out.push_str("</ul>\n");
    if report.has_baseline() {
        let _ = writeln!(
            out,
            "<p>Against the baseline: {} new, {} existing, {} resolved.</p>",
            report.baseline_count(BaselineState::New),
            report.baseline_count(BaselineState::Existing),
            report.gone.len()
        );
    }
    out.push_str(
        "<table>\n<thead><tr><th>Policy</th><th>Severity</th><th>Fail</th>\
         <th>Indeterminate</th><th>Waived</th><th>Pass</th></tr></thead>\n<tbody>\n",
    );
    for policy in &report.policies {
        let count = |o| report.count(&policy.id, o);
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            policy_name(policy),
            policy.severity,
            count(Outcome::Fail),
            count(Outcome::Indeterminate),
            count(Outcome::Waived),
            count(Outcome::Pass),
        );
    }
    let _ = writeln!(
        out,
        "</tbody>\n<tfoot><tr><th>Total</th><th></th><td class=\"num\">{}</td>\
         <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\
         </tfoot>\n</table>\n</section>",
        s.fail, s.indeterminate, s.waived, s.pass
    );
}

/// The policy's id, linked to its documentation when it has some.
fn policy_name(policy: &PolicyInfo) -> String {
    let id = format!("<code>{}</code>", escape(&policy.id));
    match policy_help_url(policy).as_deref().and_then(web_link) {
        Some(url) => format!("<a class=\"data-link\" href=\"{}\">{id}</a>", escape(url)),
        None => id,
    }
}

fn matrix(out: &mut String, report: &Report) {
    let policies = report.policy_ids();
    // vendor id -> (name, the outcome of each policy, index of the finding).
    let mut vendors: BTreeMap<&str, (&str, BTreeMap<&str, usize>)> = BTreeMap::new();
    for (i, f) in report.findings.iter().enumerate() {
        let entry = vendors
            .entry(f.vendor.as_str())
            .or_insert((f.vendor_name.as_str(), BTreeMap::new()));
        entry.1.insert(f.policy.as_str(), i);
    }
    // The vendors with the worst outcomes first, then by name.
    let mut rows: Vec<(&str, &str, &BTreeMap<&str, usize>)> = vendors
        .iter()
        .map(|(id, (name, cells))| (*id, *name, cells))
        .collect();
    let worst = |cells: &BTreeMap<&str, usize>| {
        cells
            .values()
            .map(|&i| report.findings[i].outcome)
            .min()
            .unwrap_or(Outcome::Pass)
    };
    rows.sort_by(|a, b| (worst(a.2), a.1, a.0).cmp(&(worst(b.2), b.1, b.0)));
    out.push_str(
        "<section id=\"matrix\">\n<h2>Vendors × policies</h2>\n<p>Each cell is what a policy \
         says about a vendor: <span class=\"fail\">✗ fail</span>, <span class=\"indeterminate\">? \
         indeterminate</span>, <span class=\"waived\">~ waived</span>, <span class=\"pass\">✓ \
         pass</span>, <span class=\"na\">– does not apply</span>. A mark links to its finding.</p>\n\
         <div class=\"matrix-wrap\">\n<table class=\"matrix\">\n<thead><tr><th>Vendor</th>",
    );
    for id in &policies {
        let _ = write!(
            out,
            "<th class=\"policy\" scope=\"col\">{}</th>",
            escape(id)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (id, name, cells) in rows.iter().take(MAX_MATRIX_VENDORS) {
        let _ = write!(
            out,
            "<tr><td class=\"vendor\">{} <span class=\"mono na\">{}</span></td>",
            escape(name),
            escape(id)
        );
        for policy in &policies {
            match cells.get(policy) {
                None => out.push_str("<td class=\"na\" title=\"does not apply\">–</td>"),
                Some(&i) => {
                    let f = &report.findings[i];
                    let (mark, word) = outcome_mark(f.outcome);
                    let label = format!("{}: {word}", f.policy);
                    if f.outcome == Outcome::Pass {
                        let _ = write!(
                            out,
                            "<td class=\"pass\" title=\"{}\">{mark}</td>",
                            escape(&label)
                        );
                    } else {
                        let _ = write!(
                            out,
                            "<td class=\"{}\"><a href=\"#f{i}\" title=\"{}\">{mark}</a></td>",
                            f.outcome.name(),
                            escape(&label)
                        );
                    }
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    if rows.len() > MAX_MATRIX_VENDORS {
        let left: Vec<_> = rows.iter().skip(MAX_MATRIX_VENDORS).collect();
        let passing = left
            .iter()
            .filter(|(_, _, cells)| worst(cells) == Outcome::Pass)
            .count();
        let _ = writeln!(
            out,
            "<p class=\"note\">{} more vendor{} not listed, {passing} of them passing every \
             policy; the findings below include all of them.</p>",
            left.len(),
            plural(left.len())
        );
    }
    out.push_str("</section>\n");
}

fn outcome_mark(outcome: Outcome) -> (&'static str, &'static str) {
    match outcome {
        Outcome::Fail => ("✗", "fail"),
        Outcome::Indeterminate => ("?", "indeterminate"),
        Outcome::Waived => ("~", "waived"),
        Outcome::Pass => ("✓", "pass"),
    }
}

fn findings(out: &mut String, report: &Report) {
    // Each finding with its place in the report, which is its id on the page (`f12`).
    let mut all: Vec<(usize, &Finding)> = report
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.outcome != Outcome::Pass)
        .collect();
    // Most severe first across the report: the first diagrams go to what matters most.
    all.sort_by_key(|(_, f)| (f.outcome, std::cmp::Reverse(f.severity)));
    let mut drawn = vec![false; report.findings.len()];
    for (i, _) in all.iter().take(MAX_DIAGRAMS) {
        drawn[*i] = true;
    }
    let open = all.len() <= OPEN_UP_TO;
    out.push_str("<section id=\"findings\">\n<h2>Findings</h2>\n");
    if all.is_empty() {
        out.push_str("<p>No finding: every policy passes for every vendor it applies to.</p>\n");
    } else {
        out.push_str(
            "<p class=\"controls\" hidden><button type=\"button\" onclick=\"openAll(true)\">\
             Expand all</button><button type=\"button\" onclick=\"openAll(false)\">Collapse \
             all</button></p>\n",
        );
    }
    if all.len() > MAX_DIAGRAMS {
        let _ = writeln!(
            out,
            "<p class=\"note\">Ownership diagrams are drawn for the {MAX_DIAGRAMS} most severe \
             findings; the others list their ownership paths.</p>"
        );
    }
    for id in report.policy_ids() {
        let group: Vec<(usize, &Finding)> = all
            .iter()
            .copied()
            .filter(|(_, f)| f.policy == id)
            .collect();
        if group.is_empty() {
            continue;
        }
        let count = |o| group.iter().filter(|(_, f)| f.outcome == o).count();
        let severity = group.first().map(|(_, f)| f.severity.name()).unwrap_or("");
        let _ = writeln!(
            out,
            "<details class=\"group\"{}>\n<summary><code>{}</code> ({severity}): {} fail, {} \
             indeterminate, {} waived</summary>",
            if open { " open" } else { "" },
            escape(id),
            count(Outcome::Fail),
            count(Outcome::Indeterminate),
            count(Outcome::Waived),
        );
        if let Some(policy) = report.policy(id) {
            let _ = writeln!(out, "<p>{}</p>", escape(&policy.title));
        }
        for (i, f) in group {
            finding(out, report, f, i, open, drawn[i]);
        }
        out.push_str("</details>\n");
    }
    out.push_str("</section>\n");
}

fn finding(out: &mut String, report: &Report, f: &Finding, index: usize, open: bool, draw: bool) {
    let (mark, word) = outcome_mark(f.outcome);
    let _ = write!(
        out,
        "<details class=\"finding is-{}\" id=\"f{index}\"{}>\n<summary><span class=\"badge {}\">{mark} \
         {word}</span> <strong>{}</strong> [{}] {}",
        f.outcome.name(),
        if open { " open" } else { "" },
        f.outcome.name(),
        escape(&f.vendor_name),
        f.severity,
        escape(f.message.trim()),
    );
    if let Some(state) = f.baseline {
        let _ = write!(
            out,
            "<span class=\"tag\">{}</span>",
            match state {
                BaselineState::New => "new",
                BaselineState::Existing => "existing",
            }
        );
    }
    if report.gate.blocks(f) {
        out.push_str("<span class=\"tag blocking\">blocking</span>");
    }
    out.push_str("</summary>\n<div class=\"finding-body\">\n");
    let _ = writeln!(
        out,
        "<p>Vendor <strong>{}</strong> (<code>{}</code>), policy <code>{}</code>.</p>",
        escape(&f.vendor_name),
        escape(&f.vendor),
        escape(&f.policy)
    );
    if let Some(note) = &f.note {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(note));
    }
    if !f.evidence.is_empty() {
        out.push_str("<h3>Evidence</h3>\n<ul>\n");
        for e in &f.evidence {
            let _ = write!(out, "<li>{}", escape(&e.text));
            if let Some(at) = &e.location {
                let _ = write!(
                    out,
                    " <span class=\"mono na\">at {}</span>",
                    escape(&at.to_string())
                );
            }
            if !e.sources.is_empty() {
                out.push_str(" — source: ");
                let sources: Vec<String> = e.sources.iter().map(source).collect();
                out.push_str(&sources.join(", "));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    if !f.paths.is_empty() {
        out.push_str("<h3>Ownership</h3>\n<ul>\n");
        for p in &f.paths {
            let _ = write!(
                out,
                "<li>{}: {} economic, {} voting",
                escape(&path_route(p)),
                escape(&p.economic),
                escape(&p.voting)
            );
            if !p.sources.is_empty() {
                let _ = write!(
                    out,
                    " <span class=\"na\">(source: {})</span>",
                    escape(&p.sources.join(", "))
                );
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
        if draw {
            let diagram = Diagram::from_paths(&f.paths).capped(MAX_EDGES);
            let title = format!("Ownership behind {}", f.vendor_name);
            let _ = write!(
                out,
                "<div class=\"diagram\">\n{}</div>\n",
                diagram::svg::render(&diagram, &title)
            );
        }
    }
    if !f.locations.is_empty() {
        out.push_str("<h3>Where it comes from</h3>\n<ul>\n");
        for l in &f.locations {
            let builtin = if l.position.builtin {
                " (built into vrisk)"
            } else {
                ""
            };
            let _ = write!(
                out,
                "<li>{}: <code>{}</code>{builtin}",
                l.role,
                escape(&l.position.to_string())
            );
            if !l.label.is_empty() {
                let _ = write!(out, " — {}", escape(&l.label));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    if let Some(policy) = report.policy(&f.policy) {
        if f.outcome != Outcome::Waived && !policy.remediation.trim().is_empty() {
            let _ = writeln!(
                out,
                "<p><strong>Fix:</strong> {}</p>",
                escape(policy.remediation.trim())
            );
        }
        if let Some(url) = policy_help_url(policy).as_deref().and_then(web_link) {
            let _ = writeln!(
                out,
                "<p><a class=\"data-link\" href=\"{}\">About this policy</a></p>",
                escape(url)
            );
        }
    }
    out.push_str("</div>\n</details>\n");
}

/// A source: its title (or id), linked when it has a web address, marked when secondary.
fn source(s: &crate::engine::SourceRef) -> String {
    let name = escape(s.title.as_deref().unwrap_or(&s.id));
    let mut text = match s.url.as_deref().and_then(web_link) {
        Some(url) => format!("<a class=\"data-link\" href=\"{}\">{name}</a>", escape(url)),
        None => name,
    };
    if s.title.is_some() {
        let _ = write!(text, " <span class=\"mono na\">{}</span>", escape(&s.id));
    }
    if s.secondary {
        text.push_str(" <span class=\"tag\">secondary</span>");
    }
    text
}

fn resolved(out: &mut String, report: &Report) {
    out.push_str("<section id=\"resolved\">\n<h2>Resolved since the baseline</h2>\n");
    if report.gone.is_empty() {
        out.push_str("<p>Nothing: every finding of the baseline is still there.</p>\n");
    } else {
        out.push_str("<ul>\n");
        for g in &report.gone {
            let _ = writeln!(
                out,
                "<li>{}: <code>{}</code> / <code>{}</code></li>",
                g.outcome,
                escape(&g.policy),
                escape(&g.vendor)
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

fn warnings(out: &mut String, report: &Report) {
    if report.warnings.is_empty() {
        return;
    }
    out.push_str("<section id=\"warnings\">\n<h2>Warnings</h2>\n<ul>\n");
    for w in &report.warnings {
        let _ = writeln!(out, "<li>{}</li>", escape(w));
    }
    out.push_str("</ul>\n</section>\n");
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
