//! `vrisk explain POLICY VENDOR`: why a rule fired (or did not) — the evaluation as a tree, the
//! facts it read with their positions and sources, the ownership paths, and what would change
//! the outcome.

use std::fmt::Write;

use serde_json::{Value, json};

use crate::cli::args::{ExplainArgs, ProblemFormat};
use crate::cli::check::param_overrides_from;
use crate::cli::exit::Exit;
use crate::cli::inputs::{Inputs, limits_from, load_policies, load_registry};
use crate::cli::terminal::{Terminal, print_notes, print_stdout};
use crate::engine::{self, Evaluation as Input, World, build, method_of};
use crate::engine::{Finding, Outcome};
use crate::input::diagnostic::{Problem, did_you_mean};
use crate::input::source::SourceMap;
use crate::policy::facts::Origin;
use crate::policy::{self, Budget, Check, Policy, Scope, TraceNode};
use crate::registry::Registry;
use crate::value::date::Date;
use crate::value::text::{defuse_ci_commands, json_pretty, neutralise};
use crate::value::truth::Truth;

pub fn run(args: ExplainArgs) -> Exit {
    let terminal = Terminal::detect();
    let limits = limits_from(&args.inputs.limits);
    let mut sources = SourceMap::new();
    let inputs = match Inputs::gather(&args.inputs, &mut sources, &limits) {
        Ok(inputs) => inputs,
        Err(p) => {
            terminal.report_problems(&p, &sources);
            return Exit::Invalid;
        }
    };
    // As `vrisk check` does: vrisk.yaml's parameters, then the flags.
    let mut overrides = inputs.config.params.clone();
    match param_overrides_from(&args.params) {
        Ok(flags) => {
            for (policy, values) in flags {
                overrides.entry(policy).or_default().extend(values);
            }
        }
        Err(p) => {
            terminal.report_problems(&[p], &sources);
            return Exit::Invalid;
        }
    }
    print_notes(&inputs.plan.notes);
    let registry = load_registry(
        &inputs.plan.registry,
        args.inputs.snapshot.check(),
        &mut sources,
        &limits,
    );
    let policies = load_policies(&inputs.plan.policies, &mut sources, &limits, &overrides);
    let (registry, policies) = match (registry, policies) {
        (Ok(r), Ok((p, notes))) => {
            print_notes(&notes);
            (r, p)
        }
        (r, p) => {
            let mut problems = r.err().unwrap_or_default();
            problems.extend(p.err().unwrap_or_default());
            terminal.report_problems(&problems, &sources);
            return Exit::Invalid;
        }
    };
    let requested_org = args.org.as_deref().or(inputs.config.org.as_deref());
    let org = match engine::resolve_org(&registry, requested_org) {
        Ok(org) => org.to_string(),
        Err(p) => {
            terminal.report_problems(&[p], &sources);
            return Exit::Invalid;
        }
    };
    let policy = match find_policy(&policies, &args.policy) {
        Ok(p) => p,
        Err(p) => {
            terminal.report_problems(&[p], &sources);
            return Exit::Invalid;
        }
    };
    let relationship = match find_relationship(&registry, &org, &args.vendor) {
        Ok(r) => r,
        Err(p) => {
            terminal.report_problems(&[p], &sources);
            return Exit::Invalid;
        }
    };
    let as_of = args.as_of.unwrap_or_else(Date::today);
    let Some(org_node) = registry.org_index(&org) else {
        return Exit::Internal;
    };
    // Within the budget first: the full trace below is as large as the evaluation. Only this
    // vendor is evaluated, so another vendor over the budget does not stop its explanation.
    let report = engine::evaluate_vendor_within(
        &Input {
            registry: &registry,
            policies: std::slice::from_ref(policy),
            sources: &sources,
            org: &org,
            as_of,
        },
        &Budget::from_limits(&limits),
        &args.vendor,
    );
    let report = match report {
        Ok(report) => report,
        Err(problems) => {
            terminal.report(&problems, &sources, "nothing was explained");
            return Exit::Invalid;
        }
    };
    let world = World::new(&registry, org_node, as_of);
    let roots = build::roots(
        &world,
        &registry.vendors[relationship],
        method_of(policy),
        build::Demand::of([policy]),
    );
    let scope = Scope {
        org: &roots.org,
        relationship: &roots.relationship,
        vendor: &roots.vendor,
        as_of,
    };
    let (applies, mut applies_trace) = policy::applies_with_trace(policy, &scope);
    let mut evaluation = policy::evaluate(policy, &scope);
    // The trace shows every fact it read, each with its position.
    if let Some(trace) = &mut applies_trace {
        roots.resolve_trace(trace);
    }
    roots.resolve_trace(&mut evaluation.trace);
    for check in &mut evaluation.evidence {
        check.fact_origin = roots.resolve(&check.fact_origin);
    }
    let finding = report.findings.iter().find(|f| f.vendor == args.vendor);
    let explained = Explained {
        policy,
        vendor: &args.vendor,
        vendor_name: registry.name_of(&args.vendor),
        org: &org,
        as_of,
        applies,
        applies_trace: applies_trace.as_ref(),
        evaluation: &evaluation,
        finding,
        sources: &sources,
    };
    let text = match args.format {
        ProblemFormat::Human => explained.human(),
        ProblemFormat::Json => format!("{}\n", json_pretty(&explained.json())),
    };
    print_stdout(&text);
    Exit::Ok
}

fn find_policy<'p>(policies: &'p [Policy], id: &str) -> Result<&'p Policy, Problem> {
    policies.iter().find(|p| p.id == id).ok_or_else(|| {
        let problem = Problem::new(
            "explain::unknown-policy",
            format!("no loaded policy has the id `{id}`"),
        );
        match did_you_mean(id, policies.iter().map(|p| p.id.as_str())) {
            Some(s) => problem.with_help(format!("did you mean `{s}`?")),
            None => problem.with_help(format!(
                "loaded policies: {}",
                policies
                    .iter()
                    .map(|p| p.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    })
}

fn find_relationship(registry: &Registry, org: &str, vendor: &str) -> Result<usize, Problem> {
    registry
        .vendors
        .iter()
        .position(|v| v.customer.id == org && v.vendor.id == vendor)
        .ok_or_else(|| {
            let vendors: Vec<&str> = registry
                .vendors
                .iter()
                .filter(|v| v.customer.id == org)
                .map(|v| v.vendor.id.as_str())
                .collect();
            let problem = Problem::new(
                "explain::unknown-vendor",
                format!("`{org}` has no vendor relationship with `{vendor}`"),
            );
            match did_you_mean(vendor, vendors.iter().copied()) {
                Some(s) => problem.with_help(format!("did you mean `{s}`?")),
                None => problem.with_help(format!("vendors of `{org}`: {}", vendors.join(", "))),
            }
        })
}

struct Explained<'a> {
    policy: &'a Policy,
    vendor: &'a str,
    vendor_name: &'a str,
    org: &'a str,
    as_of: Date,
    applies: Truth,
    applies_trace: Option<&'a TraceNode>,
    evaluation: &'a policy::Evaluation,
    finding: Option<&'a Finding>,
    sources: &'a SourceMap,
}

impl Explained<'_> {
    fn verdict(&self) -> &'static str {
        match self.finding.map(|f| f.outcome) {
            None => "not applicable",
            Some(Outcome::Fail) => "fail",
            Some(Outcome::Indeterminate) => "indeterminate",
            Some(Outcome::Waived) => "waived",
            Some(Outcome::Pass) => "pass",
        }
    }

    /// The explanation as text. Each line is built, then neutralised as a whole: the line's
    /// own text has no control character, so only data is changed, and no data adds a line.
    fn human(&self) -> String {
        let mut out = String::new();
        line(
            &mut out,
            format!(
                "{} × {} ({}), from {} as of {}: {} [{}]",
                self.policy.id,
                self.vendor,
                self.vendor_name,
                self.org,
                self.as_of,
                self.verdict().to_uppercase(),
                self.policy.severity
            ),
        );
        line(&mut out, &self.policy.title);
        if self.applies != Truth::False {
            line(&mut out, format!("message: {}", self.evaluation.message));
        }
        out.push('\n');
        match self.applies_trace {
            Some(trace) => {
                line(&mut out, format!("applies_to ({})", self.applies));
                self.tree(&mut out, trace, "  ", "  ");
            }
            None => out.push_str("applies_to: every vendor relationship\n"),
        }
        if self.applies == Truth::False {
            out.push_str("\nThe policy does not apply to this vendor relationship.\n");
            return defuse_ci_commands(&out).into_owned();
        }
        out.push('\n');
        line(
            &mut out,
            format!(
                "fails_when ({}) at {}",
                self.evaluation.result,
                self.sources.describe(self.policy.condition_loc)
            ),
        );
        self.tree(&mut out, &self.evaluation.trace, "  ", "  ");
        if let Some(finding) = self.finding
            && !finding.paths.is_empty()
        {
            out.push_str("\nownership paths:\n");
            for path in &finding.paths {
                line(
                    &mut out,
                    format!(
                        "  {} = {} economic, {} voting{}",
                        crate::report::path_route(path),
                        path.economic,
                        path.voting,
                        if path.sources.is_empty() {
                            String::new()
                        } else {
                            format!("  [source: {}]", path.sources.join(", "))
                        }
                    ),
                );
            }
        }
        if let Some(note) = self.finding.and_then(|f| f.note.as_ref()) {
            out.push('\n');
            line(&mut out, format!("note: {note}"));
        }
        let changes = self.what_would_change();
        if !changes.is_empty() {
            out.push_str("\nwhat would change the outcome:\n");
            for change in changes {
                line(&mut out, format!("  - {change}"));
            }
        }
        defuse_ci_commands(&out).into_owned()
    }

    /// A tree with box-drawing connectors; each leaf shows the facts it read and where from.
    fn tree(&self, out: &mut String, node: &TraceNode, lead: &str, rest: &str) {
        line(out, format!("{lead}[{}] {}", mark(node.result), node.label));
        let bar = if node.children.is_empty() { " " } else { "│" };
        for (path, value, origin) in &node.facts {
            line(
                out,
                format!(
                    "{rest}{bar}  · {path} = {value}{}",
                    self.origin_text(origin)
                ),
            );
        }
        let count = node.children.len();
        for (i, child) in node.children.iter().enumerate() {
            let last = i + 1 == count;
            let lead = format!("{rest}{}", if last { "└─ " } else { "├─ " });
            let rest = format!("{rest}{}", if last { "   " } else { "│  " });
            self.tree(out, child, &lead, &rest);
        }
    }

    fn origin_text(&self, origin: &Origin) -> String {
        let mut text = String::new();
        if let Some(loc) = origin.loc {
            let _ = write!(text, "  at {}", self.sources.describe(loc));
        }
        if !origin.sources.is_empty() {
            let _ = write!(text, "  [source: {}]", origin.sources.join(", "));
        }
        text
    }

    /// Counterfactuals read off the decisive comparisons.
    fn what_would_change(&self) -> Vec<String> {
        let evidence = &self.evaluation.evidence;
        match self.evaluation.result {
            Truth::True => {
                let mut changes: Vec<String> = evidence.iter().map(flip).collect();
                if changes.len() > 1 {
                    changes.insert(
                        0,
                        "the policy would pass if any one of these changed (a condition under \
                         `any` needs every true branch to change):"
                            .to_string(),
                    );
                }
                changes
            }
            Truth::Unknown => evidence
                .iter()
                .map(|c| {
                    format!(
                        "decided once {} is known{} (now {})",
                        c.path,
                        bound_to(c),
                        c.value
                    )
                })
                .collect(),
            Truth::False => Vec::new(),
        }
    }

    fn json(&self) -> Value {
        json!({
            "policy": self.policy.id,
            "vendor": self.vendor,
            "org": self.org,
            "as_of": self.as_of.to_string(),
            "outcome": self.verdict(),
            "severity": self.policy.severity,
            "message": self.evaluation.message,
            "applies": self.applies.name(),
            "applies_trace": self.applies_trace.map(|t| self.trace_json(t)),
            "result": self.evaluation.result.name(),
            "trace": self.trace_json(&self.evaluation.trace),
            "paths": self.finding.map(|f| serde_json::to_value(&f.paths).unwrap_or(Value::Null)),
            "would_change": self.what_would_change(),
        })
    }

    fn trace_json(&self, node: &TraceNode) -> Value {
        json!({
            "label": node.label,
            "result": node.result.name(),
            "at": self.sources.describe(node.loc),
            "facts": node.facts.iter().map(|(path, value, origin)| json!({
                "fact": path,
                "value": value,
                "at": origin.loc.map(|l| self.sources.describe(l)),
                "sources": origin.sources,
            })).collect::<Vec<_>>(),
            "children": node.children.iter().map(|c| self.trace_json(c)).collect::<Vec<_>>(),
        })
    }
}

/// Appends one line of the explanation, neutralised.
fn line(out: &mut String, text: impl AsRef<str>) {
    out.push_str(&neutralise(text.as_ref()));
    out.push('\n');
}

fn mark(truth: Truth) -> &'static str {
    match truth {
        Truth::True => "true",
        Truth::False => "false",
        Truth::Unknown => "unknown",
    }
}

fn bound_to(check: &Check) -> String {
    if check.bindings.is_empty() {
        return String::new();
    }
    let names: Vec<String> = check
        .bindings
        .iter()
        .map(|(name, id)| format!("{name} {id}"))
        .collect();
    format!(" for {}", names.join(", "))
}

/// "passes if owner.economic for owner meta falls below 20%, now 49%".
fn flip(check: &Check) -> String {
    let change = match check.op {
        ">=" => format!("fell below {}", check.operand),
        ">" => format!("fell to {} or below", check.operand),
        "<=" => format!("rose above {}", check.operand),
        "<" => format!("rose to {} or above", check.operand),
        "==" => format!("were not {}", check.operand),
        "!=" => format!("were {}", check.operand),
        "within" => format!(
            "were more than {} before the evaluation date",
            check.operand
        ),
        "older than" => format!("were within {} of the evaluation date", check.operand),
        "in" | "any of" | "contains" => format!("no longer matched {}", check.operand),
        other => format!("no longer satisfied {other} {}", check.operand),
    };
    format!(
        "passes if {}{} {change}, now {}",
        check.path,
        bound_to(check),
        check.value
    )
}
