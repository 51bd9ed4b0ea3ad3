//! Evaluation: every policy against every vendor relationship of the evaluating organisation,
//! producing one [`Report`] whose findings carry their evidence and positions; then the steps on
//! findings: waivers, the baseline comparison, and the gate that turns them into a verdict.

pub mod baseline;
pub mod build;
pub mod finding;
pub mod gate;
mod org;
pub mod waivers;
pub mod world;

#[cfg(test)]
pub(crate) mod sample;

use foldhash::{HashMap, HashMapExt};

use rayon::prelude::*;

use crate::input::diagnostic::Problem;
use crate::input::limits::Limit;
use crate::input::source::{Loc, SourceMap};
use crate::ownership::{Method, NodeId};
use crate::policy::budget::Costing;
use crate::policy::{self, Budget, Check, Cost, OnIndeterminate, OwnershipMethod, Policy, Scope};
use crate::registry::Registry;
use crate::value::date::Date;
use crate::value::truth::Truth;

pub use baseline::{Baseline, BaselineState, GoneFinding};
pub use finding::{
    Binding, Evidence, Finding, Location, Outcome, PathEvidence, PolicyInfo, Position, Report,
    SourceRef, Summary,
};
pub use gate::{FailOn, Gate, Verdict};
pub use org::resolve_org;
pub use world::World;

/// What to evaluate and from where.
pub struct Evaluation<'a> {
    pub registry: &'a Registry,
    pub policies: &'a [Policy],
    pub sources: &'a SourceMap,
    /// The evaluating organisation's id.
    pub org: &'a str,
    pub as_of: Date,
}

pub fn method_of(policy: &Policy) -> Method {
    match policy.ownership {
        OwnershipMethod::Integrated => Method::Integrated,
        OwnershipMethod::ControlChain { threshold } => Method::ControlChain { threshold },
    }
}

/// Evaluates everything and builds the report, within the default [`Budget`]. A (policy,
/// vendor relationship) whose evaluation would go over the budget is not evaluated: its finding
/// is `indeterminate`, with a message that says so (never a pass). [`evaluate_within`] reports
/// it as a problem instead, which is what the commands do.
pub fn evaluate(input: &Evaluation) -> Report {
    evaluate_counting(input, &Budget::default(), |_| true).0
}

/// [`evaluate`] within `budget`: the report, or, when some (policy, vendor relationship) would
/// go over it, one `limits::element-visits` or `limits::trace-nodes` problem per policy. Each
/// evaluation's cost is known from the facts before it runs (see [`policy::budget`]), so an
/// evaluation over the budget costs nothing.
pub fn evaluate_within(input: &Evaluation, budget: &Budget) -> Result<Report, Vec<Problem>> {
    within(input, budget, |_| true)
}

/// [`evaluate_within`] for the relationships with one vendor only (`vrisk explain`): the
/// report of a check that would list only that vendor.
pub fn evaluate_vendor_within(
    input: &Evaluation,
    budget: &Budget,
    vendor: &str,
) -> Result<Report, Vec<Problem>> {
    within(input, budget, |rel| rel.vendor.id == vendor)
}

fn within(
    input: &Evaluation,
    budget: &Budget,
    keep: impl Fn(&crate::registry::VendorRelationship) -> bool,
) -> Result<Report, Vec<Problem>> {
    let (report, stopped) = evaluate_counting(input, budget, keep);
    if stopped.is_empty() {
        Ok(report)
    } else {
        Err(over_budget(&stopped, budget, input))
    }
}

fn evaluate_counting(
    input: &Evaluation,
    budget: &Budget,
    keep: impl Fn(&crate::registry::VendorRelationship) -> bool,
) -> (Report, Vec<Stopped>) {
    let registry = input.registry;
    let org_node = registry
        .org_index(input.org)
        .expect("the org id is resolved before evaluation");
    let world = World::new(registry, org_node, input.as_of);
    let relationships: Vec<&crate::registry::VendorRelationship> = {
        let mut rels: Vec<_> = world
            .index
            .vendors_by_customer
            .get(input.org)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|&i| &registry.vendors[i])
            .filter(|rel| keep(rel))
            .collect();
        rels.sort_by(|a, b| a.vendor.id.cmp(&b.vendor.id));
        rels
    };
    let mut sorted: Vec<&Policy> = input.policies.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let demand = build::Demand::of(sorted.iter().copied());
    // Relationship by relationship, so that each fact tree is built once per ownership method
    // and dropped before the next relationship. Relationships are independent: they are
    // evaluated in parallel, and their findings kept in relationship order.
    let per_relationship: Vec<(Vec<Finding>, Vec<Stopped>)> = relationships
        .par_iter()
        .map(|rel| evaluate_relationship(input, &world, &sorted, demand, rel, budget))
        .collect();
    let mut evaluated: HashMap<&str, usize> = HashMap::new();
    let mut findings = Vec::with_capacity(per_relationship.iter().map(|(f, _)| f.len()).sum());
    let mut stopped = Vec::new();
    for (found, over) in per_relationship {
        stopped.extend(over);
        findings.extend(found);
    }
    for finding in &findings {
        let id = sorted
            .iter()
            .find(|p| p.id == finding.policy)
            .map_or("", |p| p.id.as_str());
        *evaluated.entry(id).or_default() += 1;
    }
    findings.sort_by(|a, b| (&a.policy, &a.vendor).cmp(&(&b.policy, &b.vendor)));
    // Warnings about the data come first (a BODS file that disagrees with the registry, say),
    // with the place they point at, then those about the policies. The data's are in the order
    // of what they say, so that the order of the files read does not change the report.
    let mut data_warnings: Vec<(&str, String)> = registry
        .warnings
        .iter()
        .map(|w| {
            let text = match w.location(input.sources) {
                Some(at) => format!("{at}: {}", w.message),
                None => w.message.clone(),
            };
            (w.message.as_str(), text)
        })
        .collect();
    data_warnings.sort();
    let mut warnings: Vec<String> = data_warnings.into_iter().map(|(_, text)| text).collect();
    let mut policies = Vec::new();
    for policy in &sorted {
        let count = evaluated.get(policy.id.as_str()).copied().unwrap_or(0);
        if count == 0 && !relationships.is_empty() {
            warnings.push(format!(
                "policy `{}` applies to none of the {} of `{}`",
                policy.id,
                crate::value::count(relationships.len(), "vendor relationship"),
                input.org
            ));
        }
        policies.push(PolicyInfo {
            id: policy.id.clone(),
            title: policy.title.clone(),
            severity: policy.severity,
            description: policy.description.clone(),
            rationale: policy.rationale.clone(),
            remediation: policy.remediation.clone(),
            references: policy.references.clone(),
            help_url: policy.help_url.clone(),
            location: Position::resolve(input.sources, policy.id_loc),
            evaluated: count,
        });
    }
    for w in &world.warnings {
        warnings.push(w.message.clone());
    }
    let summary = Summary {
        policies: policies.len(),
        vendors: relationships.len(),
        ..Summary::default()
    };
    let mut report = Report {
        org: input.org.to_string(),
        org_name: registry.name_of(input.org).to_string(),
        as_of: input.as_of,
        policies,
        findings,
        summary,
        warnings,
        gone: Vec::new(),
        gate: crate::engine::gate::Gate::default(),
    };
    report.recount();
    (report, stopped)
}

/// The findings of every policy that applies to one relationship, in policy order, and the
/// policies whose evaluation would go over the budget.
fn evaluate_relationship(
    input: &Evaluation,
    world: &World,
    sorted: &[&Policy],
    demand: build::Demand,
    rel: &crate::registry::VendorRelationship,
    budget: &Budget,
) -> (Vec<Finding>, Vec<Stopped>) {
    let mut findings = Vec::new();
    let mut stopped = Vec::new();
    let mut roots_by_method: Vec<(MethodKey, build::Roots)> = Vec::new();
    for policy in sorted {
        let method = method_of(policy);
        let key = MethodKey::from(method);
        let position = match roots_by_method.iter().position(|(k, _)| *k == key) {
            Some(p) => p,
            None => {
                let roots = match roots_by_method.first() {
                    Some((_, first)) => first.under(world, rel, method, demand),
                    None => build::roots(world, rel, method, demand),
                };
                roots_by_method.push((key, roots));
                roots_by_method.len() - 1
            }
        };
        let roots = &roots_by_method[position].1;
        let scope = Scope {
            org: &roots.org,
            relationship: &roots.relationship,
            vendor: &roots.vendor,
            as_of: input.as_of,
        };
        // The cost is checked before each part runs: `applies_to` first, then, where the
        // policy applies, `applies_to` and `fails_when` together.
        let costing = Costing::new(&scope);
        let within = |cost: Cost| {
            budget
                .check(&cost)
                .map_err(|(limit, amount)| (limit, amount, cost))
        };
        let checked = within(costing.applies_to(policy)).and_then(|_| {
            if policy::applies(policy, &scope) == Truth::False {
                return Ok(false);
            }
            within(costing.policy(policy)).map(|_| true)
        });
        match checked {
            Ok(false) => {}
            Ok(true) => {
                let decision = policy::decide(policy, &scope);
                findings.push(finding(input, world, roots, policy, rel, &decision));
            }
            Err((limit, amount, cost)) => {
                let over = Stopped {
                    policy: policy.id.clone(),
                    vendor: rel.vendor.id.clone(),
                    limit,
                    amount,
                    at: cost.heaviest.unwrap_or(policy.condition_loc),
                    relationship: rel.vendor.loc,
                };
                findings.push(not_evaluated(input, policy, rel, &over, budget));
                stopped.push(over);
            }
        }
    }
    (findings, stopped)
}

/// A (policy, vendor relationship) left unevaluated because it would go over the budget.
struct Stopped {
    policy: String,
    vendor: String,
    limit: Limit,
    /// What the evaluation would cost in the limit's unit.
    amount: u64,
    /// The outermost quantifier of the costliest nesting.
    at: Loc,
    /// The relationship's vendor in the registry.
    relationship: Loc,
}

fn budget_value(limit: Limit, budget: &Budget) -> u64 {
    match limit {
        Limit::TraceNodes => budget.trace_nodes,
        _ => budget.element_visits,
    }
}

/// The finding of an evaluation that did not run: indeterminate, whatever the policy's
/// `on_indeterminate` says, since nothing was found out.
fn not_evaluated(
    input: &Evaluation,
    policy: &Policy,
    rel: &crate::registry::VendorRelationship,
    over: &Stopped,
    budget: &Budget,
) -> Finding {
    let message = format!(
        "not evaluated: it would take up to {} {}, over the limit of {} ({})",
        over.amount,
        over.limit.unit(),
        budget_value(over.limit, budget),
        over.limit.flag()
    );
    Finding {
        policy: policy.id.clone(),
        vendor: rel.vendor.id.clone(),
        vendor_name: input.registry.name_of(&rel.vendor.id).to_string(),
        severity: policy.severity,
        outcome: Outcome::Indeterminate,
        message,
        note: None,
        evidence: Vec::new(),
        paths: Vec::new(),
        locations: vec![
            Location {
                position: Position::resolve(input.sources, over.relationship),
                role: "registry",
                label: format!("{} buys from {}", rel.customer.id, rel.vendor.id),
            },
            Location {
                position: Position::resolve(input.sources, over.at),
                role: "policy",
                label: "each nested quantifier multiplies the work by its collection's size"
                    .to_string(),
            },
        ],
        fingerprint: format!("{}/{}/{}", policy.id, rel.customer.id, rel.vendor.id),
        baseline: None,
    }
}

/// One problem per policy that went over the budget for some vendor relationship, about the
/// costliest of them.
fn over_budget(stopped: &[Stopped], budget: &Budget, input: &Evaluation) -> Vec<Problem> {
    let mut policies: Vec<&str> = stopped.iter().map(|s| s.policy.as_str()).collect();
    policies.sort_unstable();
    policies.dedup();
    policies
        .into_iter()
        .filter_map(|id| {
            let of_policy: Vec<&Stopped> = stopped.iter().filter(|s| s.policy == id).collect();
            let worst = of_policy
                .iter()
                .max_by(|a, b| (a.amount, &b.vendor).cmp(&(b.amount, &a.vendor)))?;
            let others = match of_policy.len() - 1 {
                0 => String::new(),
                1 => " (and for 1 other vendor)".to_string(),
                n => format!(" (and for {n} other vendors)"),
            };
            let limit = worst.limit;
            Some(
                Problem::new(
                    limit.code(),
                    format!(
                        "evaluating policy `{id}` for vendor `{}` would take up to {} {}{others}, \
                         over the limit of {} {}",
                        worst.vendor,
                        worst.amount,
                        limit.unit(),
                        budget_value(limit, budget),
                        limit.unit(),
                    ),
                )
                .at(
                    worst.at,
                    "each nested quantifier multiplies the work by its collection's size",
                )
                .at(
                    worst.relationship,
                    format!("`{}` buys from `{}`", input.org, worst.vendor),
                )
                .with_help(format!(
                    "nest fewer quantifiers over large collections (or narrow them with an outer \
                     condition), or raise the limit with {} N if the input is trusted",
                    limit.flag()
                )),
            )
        })
        .collect()
}

/// `Method` holds an f64; this is its hashable twin for the cache key.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum MethodKey {
    Integrated,
    ControlChain(u64),
}

impl From<Method> for MethodKey {
    fn from(method: Method) -> Self {
        match method {
            Method::Integrated => MethodKey::Integrated,
            Method::ControlChain { threshold } => MethodKey::ControlChain(threshold.to_bits()),
        }
    }
}

fn finding(
    input: &Evaluation,
    world: &World,
    roots: &build::Roots,
    policy: &Policy,
    rel: &crate::registry::VendorRelationship,
    evaluation: &policy::Decision,
) -> Finding {
    let (outcome, note) = match evaluation.result {
        Truth::True => (Outcome::Fail, None),
        Truth::False => (Outcome::Pass, None),
        Truth::Unknown => match policy.on_indeterminate {
            OnIndeterminate::Fail => (
                Outcome::Fail,
                Some("the data does not decide this policy; it counts indeterminate results as failures".to_string()),
            ),
            OnIndeterminate::Warn => (Outcome::Indeterminate, None),
            OnIndeterminate::Pass => (
                Outcome::Pass,
                Some("the data does not decide this policy; it counts indeterminate results as passes".to_string()),
            ),
        },
    };
    // The positions left to be found on demand, found for the facts this finding shows.
    let checks: Vec<Check> = evaluation
        .evidence
        .iter()
        .map(|check| Check {
            fact_origin: roots.resolve(&check.fact_origin),
            ..check.clone()
        })
        .collect();
    let evidence: Vec<Evidence> = checks
        .iter()
        .map(|check| evidence_of(input, check))
        .collect();
    let mut locations = Vec::new();
    if outcome != Outcome::Pass {
        // The last decisive comparison is the most specific (the share against the threshold,
        // after "is a competitor"), so its fact is where the finding is reported.
        for check in checks.iter().rev() {
            if let Some(loc) = check.fact_origin.loc {
                locations.push(Location {
                    position: Position::resolve(input.sources, loc),
                    role: "registry",
                    label: format!("{} is {}", check.path, check.value),
                });
            }
        }
        if locations.is_empty() {
            locations.push(Location {
                position: Position::resolve(input.sources, rel.vendor.loc),
                role: "registry",
                label: format!("{} buys from {}", rel.customer.id, rel.vendor.id),
            });
        }
        locations.push(Location {
            position: Position::resolve(input.sources, policy.condition_loc),
            role: "policy",
            label: format!("condition of policy `{}`", policy.id),
        });
        locations.dedup();
    }
    let paths = if outcome == Outcome::Pass {
        Vec::new()
    } else {
        owner_paths(world, roots, &checks)
    };
    Finding {
        policy: policy.id.clone(),
        vendor: rel.vendor.id.clone(),
        vendor_name: input.registry.name_of(&rel.vendor.id).to_string(),
        severity: policy.severity,
        outcome,
        message: evaluation.message.clone(),
        note,
        evidence,
        paths,
        locations,
        fingerprint: format!("{}/{}/{}", policy.id, rel.customer.id, rel.vendor.id),
        baseline: None,
    }
}

fn evidence_of(input: &Evaluation, check: &Check) -> Evidence {
    let sources = check
        .fact_origin
        .sources
        .iter()
        .map(|id| {
            let source = input.registry.source(id);
            SourceRef {
                id: id.clone(),
                title: source.map(|s| s.title.clone()),
                url: source.and_then(|s| s.url.clone()),
                secondary: source.is_some_and(|s| s.secondary),
            }
        })
        .collect();
    Evidence {
        text: format!(
            "{} = {}  [{} {} → {}]",
            check.path,
            check.value,
            check.op,
            check.operand,
            check.result.name()
        ),
        fact: check.path.clone(),
        value: check.value.clone(),
        op: check.op.to_string(),
        operand: check.operand.clone(),
        result: check.result.name().to_string(),
        bindings: check
            .bindings
            .iter()
            .map(|(name, id)| Binding {
                name: name.clone(),
                id: id.clone(),
            })
            .collect(),
        location: check
            .fact_origin
            .loc
            .map(|loc| Position::resolve(input.sources, loc)),
        sources,
    }
}

/// A link of a path: the stake's economic share as written.
fn link(registry: &Registry, stake: usize) -> String {
    registry.stakes[stake].economic.interval.to_string()
}

/// The ownership paths of the owners that the evidence names.
fn owner_paths(world: &World, roots: &build::Roots, evidence: &[Check]) -> Vec<PathEvidence> {
    let registry = world.registry;
    let mut owners: Vec<&str> = evidence
        .iter()
        .flat_map(|c| c.bindings.iter())
        .filter(|(name, _)| name == "owner")
        .map(|(_, id)| id.as_str())
        .collect();
    owners.sort_unstable();
    owners.dedup();
    let mut out = Vec::new();
    for owner in owners {
        let Some(owner_node) = registry.org_index(owner) else {
            continue;
        };
        let Some(explained) = roots.explain(owner_node) else {
            continue;
        };
        // The chain of control is built for the owners with a path to show only: a finding can
        // name thousands of owners whose paths are too long to list, each at the end of a long
        // chain of control.
        if explained.paths.is_empty() {
            continue;
        }
        // A path starts at the declared competitor whose group the owner is in, and reaches the
        // owner along the chain of control that makes it a member.
        let group = world.competitors.get(&owner_node).map(|m| m.group);
        let (control_nodes, control_stakes) = build::group_chain(world, owner_node, group);
        let competitor = (control_nodes.len() > 1).then(|| world.id(control_nodes[0]).to_string());
        // Paths of more than `MAX_DEPTH` stakes, with the chain of control before them, are not
        // listed, as explanations list none: each owner of a chain of thousands would otherwise
        // carry a path through all of it, and the report would grow with their square.
        let listed = explained
            .paths
            .iter()
            .filter(|path| control_stakes.len() + path.stakes.len() <= crate::ownership::MAX_DEPTH);
        for path in listed {
            let nodes: Vec<NodeId> = control_nodes
                .iter()
                .chain(path.nodes.iter().skip(1))
                .copied()
                .collect();
            let stakes: Vec<usize> = control_stakes.iter().chain(&path.stakes).copied().collect();
            let links = stakes.iter().map(|&s| link(registry, s)).collect();
            out.push(PathEvidence {
                owner: owner.to_string(),
                owner_name: registry.name_of(owner).to_string(),
                competitor: competitor.clone(),
                via: nodes.iter().map(|&n| world.id(n).to_string()).collect(),
                names: nodes
                    .iter()
                    .map(|&n| registry.organisations[n].name.clone())
                    .collect(),
                links,
                economic: path.economic.to_string(),
                voting: path.voting.to_string(),
                sources: build::path_sources(registry, &stakes),
            });
        }
    }
    out
}
