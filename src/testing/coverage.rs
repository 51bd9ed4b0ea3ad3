//! Condition coverage: which comparisons of a policy the test cases drove both true and false.
//!
//! The leaves are taken from the policy itself, so that a comparison no case ever reached (one
//! inside a quantifier over a collection that was always empty) is reported too. The results
//! come from the evaluation trees: every node of a tree carries the position of the condition it
//! evaluated, and a comparison inside a quantifier is evaluated once per element.

use std::collections::BTreeMap;

use crate::engine::{self, World, build};
use crate::input::source::Loc;
use crate::policy::{self, Condition, ConditionKind, OperandKind, Policy, Scope, TraceNode};
use crate::value::truth::Truth;

/// One comparison of a policy and the results the cases gave it.
#[derive(Clone, Debug, PartialEq)]
pub struct Leaf {
    pub loc: Loc,
    /// `owner.economic >= $threshold`, as written.
    pub label: String,
    pub seen_true: bool,
    pub seen_false: bool,
}

impl Leaf {
    pub fn covered(&self) -> bool {
        self.seen_true && self.seen_false
    }

    /// What is missing, for the coverage report: `never true`, `never false`, or both.
    pub fn gap(&self) -> &'static str {
        match (self.seen_true, self.seen_false) {
            (true, true) => "covered",
            (true, false) => "never false",
            (false, true) => "never true",
            (false, false) => "never true or false",
        }
    }
}

/// The comparisons of `applies_to` and `fails_when`, in the order of the policy file.
pub fn leaves(policy: &Policy) -> Vec<Leaf> {
    let mut out = Vec::new();
    if let Some(c) = &policy.applies_to {
        collect(c, &mut out);
    }
    collect(&policy.fails_when, &mut out);
    out.sort_by_key(|l| (l.loc.file, l.loc.span.offset));
    out.dedup_by_key(|l| l.loc);
    out
}

fn collect(condition: &Condition, out: &mut Vec<Leaf>) {
    match &condition.kind {
        ConditionKind::All(items) | ConditionKind::Any(items) => {
            items.iter().for_each(|c| collect(c, out));
        }
        ConditionKind::Not(inner) => collect(inner, out),
        ConditionKind::Quantified(q) => {
            if let Some(body) = &q.body {
                collect(body, out);
            }
        }
        ConditionKind::Compare(c) => {
            // Show a parameter by its name: the value differs from case to case.
            let operand = match (&c.operand.param, &c.operand.kind) {
                (Some(name), _) => format!("${name}"),
                (None, OperandKind::AsOf) => "$as_of".to_string(),
                (None, OperandKind::Value(v)) => v.to_string(),
            };
            out.push(Leaf {
                loc: condition.loc,
                label: format!("{} {} {operand}", c.path, c.op.symbol()),
                seen_true: false,
                seen_false: false,
            });
        }
    }
}

/// Records the result of every comparison node of `trace` in `leaves`.
pub fn record(leaves: &mut [Leaf], trace: &TraceNode) {
    let index: BTreeMap<Loc, usize> = leaves.iter().enumerate().map(|(i, l)| (l.loc, i)).collect();
    record_in(leaves, &index, trace);
}

fn record_in(leaves: &mut [Leaf], index: &BTreeMap<Loc, usize>, node: &TraceNode) {
    // Comparison nodes are the only childless nodes at a comparison's position; quantifiers and
    // their elements sit at the position of the quantifier's key.
    if node.children.is_empty()
        && let Some(&i) = index.get(&node.loc)
    {
        match node.result {
            Truth::True => leaves[i].seen_true = true,
            Truth::False => leaves[i].seen_false = true,
            Truth::Unknown => {}
        }
    }
    for child in &node.children {
        record_in(leaves, index, child);
    }
}

/// The evaluation trees of one policy for every vendor relationship of the evaluating
/// organisation: `applies_to`, then `fails_when` where the policy applies.
///
/// `engine::evaluate` keeps only the findings, so this walks the same relationships with the
/// engine's own fact builder; the findings a test compares still come from `engine::evaluate`.
pub fn traces(input: &engine::Evaluation, policy: &Policy) -> Vec<TraceNode> {
    let Some(org) = input.registry.org_index(input.org) else {
        return Vec::new();
    };
    let world = World::new(input.registry, org, input.as_of);
    let method = engine::method_of(policy);
    let mut out = Vec::new();
    for rel in input
        .registry
        .vendors
        .iter()
        .filter(|v| v.customer.id == input.org)
    {
        // Coverage reads results only, never positions: none needs resolving.
        let roots = build::roots(&world, rel, method, build::Demand::of([policy]));
        let scope = Scope {
            org: &roots.org,
            relationship: &roots.relationship,
            vendor: &roots.vendor,
            as_of: input.as_of,
        };
        let (applies, trace) = policy::applies_with_trace(policy, &scope);
        out.extend(trace);
        if applies != Truth::False {
            out.push(policy::evaluate(policy, &scope).trace);
        }
    }
    out
}
