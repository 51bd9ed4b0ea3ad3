//! Runs a prepared suite: each case through `engine::evaluate`, exactly as `vrisk check` runs,
//! its findings compared with the expectations, and the evaluation trees folded into the
//! coverage of the policy's comparisons.

use crate::engine;
use crate::engine::{Finding, Outcome, Report};
use crate::input::diagnostic::Problem;
use crate::input::source::{Loc, SourceMap};
use crate::policy::Budget;

use super::coverage::{self, Leaf};
use super::format::{Expectation, Expected};
use super::prepare::{Group, Suite};

/// The results of one policy's cases and its coverage.
pub struct GroupResult {
    pub policy_id: String,
    pub policy_file: String,
    pub cases: Vec<CaseResult>,
    pub leaves: Vec<Leaf>,
}

pub struct CaseResult {
    pub name: String,
    pub name_loc: Loc,
    pub mismatches: Vec<Mismatch>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty()
    }
}

/// One expectation the engine did not meet.
pub struct Mismatch {
    /// The expectation in the test file: the outcome or the message that differs.
    pub loc: Loc,
    pub vendor: String,
    pub kind: MismatchKind,
    /// What the engine reported for the vendor; `None` when the policy did not apply.
    pub actual: Option<Outcome>,
    pub message: Option<String>,
    /// The decisive comparisons of the finding, as `vrisk check` shows them.
    pub evidence: Vec<String>,
}

pub enum MismatchKind {
    Outcome(Expected),
    Message(String),
    MessageContains(String),
}

/// Runs every case within `budget`, as `vrisk check` would: a case whose evaluation would go
/// over it is a problem (exit 2), not a result.
pub fn run(
    suite: &Suite,
    sources: &SourceMap,
    budget: &Budget,
) -> Result<Vec<GroupResult>, Vec<Problem>> {
    let mut results = Vec::new();
    let mut problems = Vec::new();
    for group in &suite.groups {
        match run_group(group, sources, budget) {
            Ok(result) => results.push(result),
            Err(found) => problems.extend(found),
        }
    }
    if problems.is_empty() {
        Ok(results)
    } else {
        Err(problems)
    }
}

fn run_group(
    group: &Group,
    sources: &SourceMap,
    budget: &Budget,
) -> Result<GroupResult, Vec<Problem>> {
    let mut leaves = coverage::leaves(&group.base);
    let mut cases = Vec::new();
    for case in &group.cases {
        let input = engine::Evaluation {
            registry: &case.registry,
            policies: std::slice::from_ref(&case.policy),
            sources,
            org: &case.org,
            as_of: case.as_of,
        };
        // Within the budget, the whole traces that coverage reads are too.
        let report = engine::evaluate_within(&input, budget)?;
        for trace in coverage::traces(&input, &case.policy) {
            coverage::record(&mut leaves, &trace);
        }
        cases.push(CaseResult {
            name: case.name.clone(),
            name_loc: case.name_loc,
            mismatches: case
                .expect
                .iter()
                .flat_map(|e| compare(e, &report))
                .collect(),
        });
    }
    Ok(GroupResult {
        policy_id: group.base.id.clone(),
        policy_file: group.policy_file.clone(),
        cases,
        leaves,
    })
}

/// What differs between one expectation and the report: the outcome, else the message.
fn compare(expectation: &Expectation, report: &Report) -> Vec<Mismatch> {
    let finding = report
        .findings
        .iter()
        .find(|f| f.vendor == expectation.vendor.value);
    let actual = finding.map(|f| f.outcome);
    let mismatch = |loc: Loc, kind: MismatchKind| Mismatch {
        loc,
        vendor: expectation.vendor.value.clone(),
        kind,
        actual,
        message: finding.map(|f| f.message.clone()),
        evidence: finding.map(evidence).unwrap_or_default(),
    };
    let expected = expectation.outcome.value;
    if !expected.matches(actual) {
        return vec![mismatch(
            expectation.outcome.loc,
            MismatchKind::Outcome(expected),
        )];
    }
    let message = finding.map_or("", |f| f.message.as_str());
    let mut out = Vec::new();
    if let Some(want) = &expectation.message
        && want.value != message
    {
        out.push(mismatch(
            want.loc,
            MismatchKind::Message(want.value.clone()),
        ));
    }
    if let Some(want) = &expectation.message_contains
        && !message.contains(want.value.as_str())
    {
        out.push(mismatch(
            want.loc,
            MismatchKind::MessageContains(want.value.clone()),
        ));
    }
    out
}

fn evidence(finding: &Finding) -> Vec<String> {
    finding.evidence.iter().map(|e| e.text.clone()).collect()
}
