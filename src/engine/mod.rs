//! Evaluation: every policy against every vendor relationship of the evaluating organisation,
//! producing one [`Report`] whose findings carry their evidence and positions; then the steps on
//! findings: waivers, the baseline comparison, and the gate that turns them into a verdict.

pub mod baseline;
pub mod build;
pub mod finding;
pub mod gate;
pub mod waivers;
pub mod world;

#[cfg(test)]
pub(crate) mod sample;

use foldhash::{HashMap, HashMapExt};

use rayon::prelude::*;

use crate::input::diagnostic::{Problem, did_you_mean};
use crate::input::source::SourceMap;
use crate::ownership::Method;
use crate::policy::{self, Check, OnIndeterminate, OwnershipMethod, Policy, Scope};
use crate::registry::Registry;
use crate::value::date::Date;
use crate::value::truth::Truth;

pub use baseline::{Baseline, BaselineState, GoneFinding};
pub use finding::{
    Binding, Evidence, Finding, Location, Outcome, PathEvidence, PolicyInfo, Position, Report,
    SourceRef, Summary,
};
pub use gate::{FailOn, Gate, Verdict};
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

/// Resolves the point of view: `--org`, else the registry's `default_org`.
pub fn resolve_org<'a>(
    registry: &'a Registry,
    requested: Option<&'a str>,
) -> Result<&'a str, Problem> {
    let id = match requested {
        Some(id) => id,
        None => match &registry.default_org {
            Some(r) => r.id.as_str(),
            None => {
                return Err(Problem::new(
                    "check::no-org",
                    "no point of view: the registry has no `default_org` and --org was not given",
                )
                .with_help("pass --org ID, or set `default_org: ID` in the registry"));
            }
        },
    };
    if registry.org(id).is_some() {
        return Ok(id);
    }
    let candidates = registry.organisations.iter().map(|o| o.id.value.as_str());
    let problem = Problem::new(
        "check::unknown-org",
        format!("--org `{id}` is no organisation of the registry"),
    );
    Err(match did_you_mean(id, candidates) {
        Some(s) => problem.with_help(format!("did you mean `{s}`?")),
        None => problem.with_help("give the id of an organisation in the registry"),
    })
}

pub fn method_of(policy: &Policy) -> Method {
    match policy.ownership {
        OwnershipMethod::Integrated => Method::Integrated,
        OwnershipMethod::ControlChain { threshold } => Method::ControlChain { threshold },
    }
}

/// Evaluates everything and builds the report.
pub fn evaluate(input: &Evaluation) -> Report {
    evaluate_where(input, |_| true)
}

/// [`evaluate`] for the relationships with one vendor only (`vrisk explain`): the report of
/// a check that would list only that vendor.
pub fn evaluate_vendor(input: &Evaluation, vendor: &str) -> Report {
    evaluate_where(input, |rel| rel.vendor.id == vendor)
}

fn evaluate_where(
    input: &Evaluation,
    keep: impl Fn(&crate::registry::VendorRelationship) -> bool,
) -> Report {
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
    let per_relationship: Vec<Vec<Finding>> = relationships
        .par_iter()
        .map(|rel| evaluate_relationship(input, &world, &sorted, demand, rel))
        .collect();
    let mut evaluated: HashMap<&str, usize> = HashMap::new();
    let mut findings = Vec::with_capacity(per_relationship.iter().map(Vec::len).sum());
    for finding in per_relationship.into_iter().flatten() {
        let id = sorted
            .iter()
            .find(|p| p.id == finding.policy)
            .map_or("", |p| p.id.as_str());
        *evaluated.entry(id).or_default() += 1;
        findings.push(finding);
    }
    findings.sort_by(|a, b| (&a.policy, &a.vendor).cmp(&(&b.policy, &b.vendor)));
    // Warnings about the data come first (a BODS file that disagrees with the registry, say),
    // with the place they point at, then those about the policies.
    let mut warnings: Vec<String> = registry
        .warnings
        .iter()
        .map(|w| match w.location(input.sources) {
            Some(at) => format!("{at}: {}", w.message),
            None => w.message.clone(),
        })
        .collect();
    let mut policies = Vec::new();
    for policy in &sorted {
        let count = evaluated.get(policy.id.as_str()).copied().unwrap_or(0);
        if count == 0 && !relationships.is_empty() {
            warnings.push(format!(
                "policy `{}` applies to none of the {} vendor relationships of `{}`",
                policy.id,
                relationships.len(),
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
    report
}

/// The findings of every policy that applies to one relationship, in policy order.
fn evaluate_relationship(
    input: &Evaluation,
    world: &World,
    sorted: &[&Policy],
    demand: build::Demand,
    rel: &crate::registry::VendorRelationship,
) -> Vec<Finding> {
    let mut findings = Vec::new();
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
        if policy::applies(policy, &scope) == Truth::False {
            continue;
        }
        let decision = policy::decide(policy, &scope);
        findings.push(finding(input, world, roots, policy, rel, &decision));
    }
    findings
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
        let Some(explained) = registry
            .org_index(owner)
            .and_then(|node| roots.explain(node))
        else {
            continue;
        };
        for path in &explained.paths {
            out.push(PathEvidence {
                owner: owner.to_string(),
                owner_name: registry.name_of(owner).to_string(),
                via: path
                    .nodes
                    .iter()
                    .map(|&n| world.id(n).to_string())
                    .collect(),
                names: path
                    .nodes
                    .iter()
                    .map(|&n| registry.organisations[n].name.clone())
                    .collect(),
                links: path
                    .stakes
                    .iter()
                    .map(|&s| registry.stakes[s].economic.interval.to_string())
                    .collect(),
                economic: path.economic.to_string(),
                voting: path.voting.to_string(),
                sources: build::path_sources(registry, &path.stakes),
            });
        }
    }
    out
}
