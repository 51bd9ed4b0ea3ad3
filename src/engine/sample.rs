//! Hand-built reports for the formatters' unit tests.

use crate::input::source::Loc;
use crate::value::date::Date;
use crate::value::severity::Severity;

use crate::engine::{
    Evidence, Finding, Gate, Location, Outcome, PathEvidence, PolicyInfo, Position, Report, Summary,
};

pub fn position(file: &str, line: usize, column: usize) -> Position {
    Position {
        file: file.to_string(),
        line,
        column,
        utf16_column: column,
        end_line: line,
        end_utf16_column: column + 1,
        builtin: false,
        loc: Loc::default(),
    }
}

pub fn finding(policy: &str, vendor: &str, severity: Severity, outcome: Outcome) -> Finding {
    Finding {
        policy: policy.to_string(),
        vendor: vendor.to_string(),
        vendor_name: vendor.to_uppercase(),
        severity,
        outcome,
        message: format!("{vendor} breaks {policy}"),
        note: None,
        evidence: vec![Evidence {
            text: "owner.economic >= 20%: 49% (true)".to_string(),
            fact: "owner.economic".to_string(),
            value: "49%".to_string(),
            op: ">=".to_string(),
            operand: "20%".to_string(),
            result: "true".to_string(),
            bindings: Vec::new(),
            location: None,
            sources: Vec::new(),
        }],
        paths: vec![PathEvidence {
            owner: "meta".to_string(),
            owner_name: "Meta".to_string(),
            competitor: None,
            via: vec!["meta".to_string(), vendor.to_string()],
            names: vec!["Meta".to_string(), vendor.to_uppercase()],
            links: vec!["49%".to_string()],
            economic: "49%".to_string(),
            voting: "0%".to_string(),
            sources: Vec::new(),
        }],
        locations: vec![
            Location {
                position: position("registry/ownership.yaml", 3, 5),
                role: "registry",
                label: "the stake".to_string(),
            },
            Location {
                position: position("policies/p.yaml", 7, 3),
                role: "policy",
                label: "the condition".to_string(),
            },
        ],
        fingerprint: format!("{policy}/alphabet/{vendor}"),
        baseline: None,
    }
}

pub fn policy(id: &str, severity: Severity) -> PolicyInfo {
    PolicyInfo {
        id: id.to_string(),
        title: format!("Title of {id}"),
        severity,
        description: "What it checks.".to_string(),
        rationale: "Why it matters.".to_string(),
        remediation: "What to do.".to_string(),
        references: Vec::new(),
        help_url: None,
        location: position("policies/p.yaml", 1, 1),
        evaluated: 1,
    }
}

pub fn report(findings: Vec<Finding>) -> Report {
    let mut ids: Vec<(String, Severity)> = findings
        .iter()
        .map(|f| (f.policy.clone(), f.severity))
        .collect();
    ids.sort();
    ids.dedup_by(|a, b| a.0 == b.0);
    let count = |o: Outcome| findings.iter().filter(|f| f.outcome == o).count();
    let summary = Summary {
        policies: ids.len(),
        vendors: 1,
        fail: count(Outcome::Fail),
        indeterminate: count(Outcome::Indeterminate),
        pass: count(Outcome::Pass),
        waived: count(Outcome::Waived),
    };
    Report {
        org: "alphabet".to_string(),
        org_name: "Alphabet".to_string(),
        as_of: Date::from_ymd(2025, 6, 20).expect("a valid date"),
        policies: ids.iter().map(|(id, s)| policy(id, *s)).collect(),
        findings,
        summary,
        warnings: Vec::new(),
        gone: Vec::new(),
        gate: Gate::default(),
    }
}
