//! Policies: declarative YAML rules over the fact model, checked before they run and evaluated
//! in three-valued logic.
//!
//! Loading goes one way: YAML text -> node tree ([`crate::input::yaml`]) -> structural parse
//! ([`parse`]) -> parameters with their overrides ([`params`]) -> typecheck against the fact
//! model ([`typecheck`], [`fact_model`]) -> message template check ([`template`]). Every stage
//! collects its problems, so one load reports everything wrong with a file. Evaluation
//! ([`eval`], [`compare`]) reads a fact tree and returns an [`Evaluation`] with the evidence and
//! the whole trace. The language is documented in docs/policies.md.

pub mod ast;
pub mod budget;
pub mod compare;
pub mod eval;
pub mod fact_model;
pub mod facts;
pub mod literal;
pub mod model;
pub mod params;
pub mod parse;
pub mod set;
pub mod template;
pub mod trace;
pub mod typecheck;

use std::collections::{BTreeMap, BTreeSet};

use crate::input::diagnostic::{Problem, merge_repeats};
use crate::input::limits::Limits;
use crate::input::source::{FileId, Loc, SourceFile, Span};
use crate::input::yaml::{self, Node};
use crate::value::truth::Truth;

pub use budget::{Budget, Cost};
pub use eval::Scope;
pub use fact_model::{FactPathInfo, FactType, fact_model_markdown, fact_model_paths};
pub use model::{
    CmpOp, Comparison, Condition, ConditionKind, FactPath, OnIndeterminate, Op, Operand,
    OperandKind, OwnershipMethod, Param, Policy, Quantified, Quantifier, Severity, UnknownName,
    Value, ValueType,
};
pub use template::{Part, Template};
pub use trace::{Check, Decision, Evaluation, TraceNode};

use ast::RawOwnership;
use typecheck::Checker;

/// The `id` a policy file declares, read before the policy is loaded (parameter overrides are
/// keyed by it). `None` when the file does not parse or has no id: loading reports why.
pub fn peek_id(source: &SourceFile) -> Option<String> {
    peek_id_within(source, &Limits::default())
}

/// [`peek_id`] under the run's limits: a policy that only loads with a raised limit must still
/// get its parameter overrides.
pub fn peek_id_within(source: &SourceFile, limits: &Limits) -> Option<String> {
    let document = yaml::parse(FileId::default(), source, limits).ok()?;
    document.get("id")?.as_str().map(str::to_string)
}

/// Policy tests live beside policies as `NAME.test.yaml`; they are not policies.
pub fn is_test_file(path: &std::path::Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".test.yaml") || n.ends_with(".test.yml"))
}

/// Loads and checks one policy file. `overrides` maps parameter names of this policy to value
/// texts (`threshold` -> `25%`). Returns every problem found, sorted by position.
pub fn load_policy(
    file: FileId,
    source: &SourceFile,
    overrides: &BTreeMap<String, String>,
    limits: &Limits,
) -> Result<Policy, Vec<Problem>> {
    let doc = yaml::parse(file, source, limits).map_err(|p| vec![p])?;
    let (raw, mut problems) = parse::parse_policy(&doc, source);
    let id = raw.id.as_ref().map_or("?", |l| l.text.as_str());
    let fallback = raw
        .params_loc
        .or(raw.id.as_ref().map(|l| l.loc))
        .unwrap_or(doc.loc);
    let (params, param_problems) = params::resolve(&raw.params, overrides, id, fallback);
    problems.extend(param_problems);
    let declared: Vec<String> = raw.params.iter().map(|p| p.name.clone()).collect();

    let mut checker = Checker::new(&params, &declared);
    let applies_to = raw.applies_to.as_ref().map(|c| checker.check_top(c, false));
    let fails_when = raw
        .fails_when
        .as_ref()
        .map(|(_, c)| checker.check_top(c, true));
    let ownership = match &raw.ownership {
        RawOwnership::Integrated => Some(OwnershipMethod::Integrated),
        RawOwnership::ControlChain { threshold: None } => {
            Some(OwnershipMethod::ControlChain { threshold: 50.0 })
        }
        RawOwnership::ControlChain {
            threshold: Some(node),
        } => checker
            .threshold(node)
            .map(|threshold| OwnershipMethod::ControlChain { threshold }),
    };
    let witnesses = std::mem::take(&mut checker.witnesses);
    let broken_witnesses = std::mem::take(&mut checker.broken_witnesses);
    problems.append(&mut checker.problems);

    let message = raw.message.as_ref().map(|m| {
        let (template, mut syntax) = template::parse(&m.text, m.loc, source);
        problems.append(&mut syntax);
        problems.extend(template::check(
            &template,
            &declared,
            &witnesses,
            &broken_witnesses,
        ));
        template
    });

    problems.extend(unused_params(&raw.params, &doc, message.as_ref()));
    if !problems.is_empty() {
        return Err(merge_repeats(problems));
    }
    // With no problems reported, every part below is present; the fallbacks only keep this
    // function total should a stage ever return nothing without saying why.
    let missing = || {
        vec![
            Problem::new("policy::internal", "the policy could not be loaded").at(
                Loc {
                    file,
                    span: Span::new(0, 0),
                },
                "here",
            ),
        ]
    };
    let (Some(id), Some(severity), Some(on_indeterminate), Some((condition_loc, _))) = (
        raw.id.clone(),
        raw.severity,
        raw.on_indeterminate,
        raw.fails_when.as_ref(),
    ) else {
        return Err(missing());
    };
    let (Some(Some(fails_when)), Some(message), Some(ownership)) = (fails_when, message, ownership)
    else {
        return Err(missing());
    };
    let applies_to = match applies_to {
        Some(Some(c)) => Some(c),
        Some(None) => return Err(missing()),
        None => None,
    };
    Ok(Policy {
        id: id.text,
        title: raw.title,
        severity,
        description: raw.description,
        rationale: raw.rationale,
        references: raw.references,
        remediation: raw.remediation,
        help_url: raw.help_url,
        on_indeterminate,
        ownership,
        file,
        id_loc: id.loc,
        condition_loc: *condition_loc,
        params,
        applies_to,
        fails_when,
        message,
    })
}

/// A parameter is used when `$name` appears in a condition or the ownership threshold, or
/// `{params.name}` in the message. The YAML is scanned rather than the checked conditions so
/// that a use inside a broken condition still counts.
fn unused_params(raw: &[ast::RawParam], doc: &Node, message: Option<&Template>) -> Vec<Problem> {
    let mut used = BTreeSet::new();
    for key in ["applies_to", "fails_when", "ownership"] {
        if let Some(node) = doc.get(key) {
            collect_param_uses(node, &mut used);
        }
    }
    if let Some(t) = message {
        for part in &t.parts {
            if let Part::Param { name, .. } = part {
                used.insert(name.clone());
            }
        }
    }
    raw.iter()
        .filter(|p| !used.contains(&p.name))
        .map(|p| {
            Problem::new(
                "policy::unused-param",
                format!("parameter `{}` is never used", p.name),
            )
            .at(p.key_loc, "declared here")
            .with_help(format!(
                "compare a fact with it (`gte: ${}`), or remove the declaration",
                p.name
            ))
        })
        .collect()
}

fn collect_param_uses(node: &Node, used: &mut BTreeSet<String>) {
    match &node.value {
        yaml::Value::Str(s) => {
            if let Some(name) = s.strip_prefix('$') {
                used.insert(name.to_string());
            }
        }
        yaml::Value::Seq(items) => items.iter().for_each(|n| collect_param_uses(n, used)),
        yaml::Value::Map(entries) => entries
            .iter()
            .for_each(|(_, v)| collect_param_uses(v, used)),
        _ => {}
    }
}

/// Whether the policy applies to the relationship in `scope`; `True` without `applies_to`.
pub fn applies(policy: &Policy, scope: &Scope) -> Truth {
    match &policy.applies_to {
        None => Truth::True,
        Some(cond) => eval::evaluate(cond, scope, eval::Extent::Decisive).result(),
    }
}

/// [`applies`] with the evaluation tree of `applies_to` (`None` without one), for `explain`.
pub fn applies_with_trace(policy: &Policy, scope: &Scope) -> (Truth, Option<TraceNode>) {
    match &policy.applies_to {
        None => (Truth::True, None),
        Some(cond) => {
            let evaluated = eval::evaluate(cond, scope, eval::Extent::Whole);
            (evaluated.result(), Some(evaluated.to_trace(scope.as_of)))
        }
    }
}

/// Evaluates `fails_when`: true means the policy fails for this relationship. With the whole
/// evaluation tree, for `explain` and coverage; [`decide`] leaves it out.
pub fn evaluate(policy: &Policy, scope: &Scope) -> Evaluation {
    let evaluated = eval::evaluate(&policy.fails_when, scope, eval::Extent::Whole);
    let (result, message, evidence) = verdict(policy, scope, &evaluated);
    Evaluation {
        result,
        message,
        evidence,
        trace: evaluated.to_trace(scope.as_of),
    }
}

/// [`evaluate`] without the evaluation tree: the result, the message and the evidence, which
/// is all a report shows. Nothing is put into words for the comparisons that decided nothing.
pub fn decide(policy: &Policy, scope: &Scope) -> Decision {
    let evaluated = eval::evaluate(&policy.fails_when, scope, eval::Extent::Decisive);
    let (result, message, evidence) = verdict(policy, scope, &evaluated);
    Decision {
        result,
        message,
        evidence,
    }
}

fn verdict(
    policy: &Policy,
    scope: &Scope,
    evaluated: &eval::Evaluated,
) -> (Truth, String, Vec<Check>) {
    let explainer = eval::Explainer::explain(evaluated, scope.as_of);
    let message = policy.message.render(&|part| match part {
        Part::Text(t) => t.clone(),
        Part::Fact { path, .. } => explainer.value(path, scope),
        Part::Param { name, .. } => policy
            .param(name)
            .map_or_else(|| "unknown".to_string(), |p| p.value.to_string()),
        Part::AsOf => scope.as_of.to_string(),
    });
    (evaluated.result(), message, explainer.evidence)
}
