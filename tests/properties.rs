//! Properties of loading and evaluation on random registries and policies (see
//! tests/support/worlds.rs): evaluation never panics and is deterministic, unrelated facts change
//! no outcome, a registry written back by `registry::to_yaml` means the same, effective shares
//! are intervals within 0-100, and mangled input is rejected with located problems, never a
//! panic. These are the CI counterparts of the fuzz targets in fuzz/ (docs/hardening.md); the
//! case counts are kept small so that this file runs in seconds in a debug build.

mod support;

use std::collections::BTreeMap;

use proptest::prelude::*;
use vrisk::engine::{self, Evaluation, World};
use vrisk::engine::{Outcome, Report};
use vrisk::input::diagnostic::Problem;
use vrisk::input::limits::Limits;
use vrisk::input::source::{SourceFile, SourceMap};
use vrisk::ownership::Method;
use vrisk::policy::{self, Policy};
use vrisk::registry::{self, Registry};
use vrisk::report;
use vrisk::report::FormatName;
use vrisk::value::date::Date;

use support::worlds::{self, Seq};

struct Loaded {
    sources: SourceMap,
    registry: Registry,
    policies: Vec<Policy>,
}

fn as_of() -> Date {
    Date::parse(worlds::AS_OF).expect("a date")
}

/// Loads registry files and one policy from text, as `vrisk check` would from files.
fn load(registry_files: &[&str], policy_text: &str) -> Result<Loaded, Vec<Problem>> {
    let limits = Limits::default();
    let mut sources = SourceMap::new();
    let files = registry_files
        .iter()
        .enumerate()
        .map(|(i, text)| SourceFile::new(format!("r{i}.yaml"), None, *text))
        .collect();
    let registry = registry::load_files(files, &mut sources, &limits)?;
    let id = sources.add(SourceFile::new("policy.yaml", None, policy_text));
    let policy = policy::load_policy(id, sources.get(id), &BTreeMap::new(), &limits)?;
    Ok(Loaded {
        sources,
        registry,
        policies: vec![policy],
    })
}

fn evaluate(loaded: &Loaded) -> Report {
    engine::evaluate(&Evaluation {
        registry: &loaded.registry,
        policies: &loaded.policies,
        sources: &loaded.sources,
        org: "o0",
        as_of: as_of(),
    })
}

/// What a finding says, without positions (which differ between files that mean the same).
fn outcomes(report: &Report) -> Vec<(String, Outcome, String)> {
    report
        .findings
        .iter()
        .map(|f| (f.vendor.clone(), f.outcome, f.message.clone()))
        .collect()
}

fn render_all(report: &Report, sources: &SourceMap) -> Vec<String> {
    let style = report::human::Style {
        color: false,
        width: 100,
    };
    let exit = vrisk::engine::gate::verdict(report);
    [
        FormatName::Human,
        FormatName::Json,
        FormatName::Sarif,
        FormatName::Junit,
        FormatName::Github,
        FormatName::Markdown,
    ]
    .into_iter()
    .map(|format| report::render(format, report, sources, &style, exit))
    .collect()
}

/// A random world: registry text and policy text. A registry that is invalid (a 100% cycle the
/// generator does not rule out) is skipped; a policy that does not load is a generator bug.
fn world(choices: &[u32]) -> (String, String) {
    let mut c = Seq::new(choices);
    (worlds::registry(&mut c), worlds::policy(&mut c))
}

fn load_world(registry: &str, policy: &str) -> Result<Loaded, TestCaseError> {
    match load(&[registry], policy) {
        Ok(loaded) => Ok(loaded),
        Err(problems) if problems.iter().all(|p| p.code.starts_with("registry::")) => {
            Err(TestCaseError::reject("the generated registry is invalid"))
        }
        Err(problems) => Err(TestCaseError::fail(format!(
            "the generated policy does not load: {problems:#?}\n{policy}"
        ))),
    }
}

fn choices() -> impl Strategy<Value = Vec<u32>> {
    proptest::collection::vec(any::<u32>(), 0..300)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn evaluation_is_total_and_deterministic(c in choices()) {
        let (registry, policy) = world(&c);
        let loaded = load_world(&registry, &policy)?;
        let first = evaluate(&loaded);
        let second = evaluate(&loaded);
        prop_assert_eq!(&first, &second);
        prop_assert_eq!(
            render_all(&first, &loaded.sources),
            render_all(&second, &loaded.sources)
        );
        // Every relationship of o0 the policy applies to has one finding.
        prop_assert!(first.findings.len() <= first.summary.vendors);
    }

    #[test]
    fn unrelated_facts_change_no_outcome(c in choices(), u in choices()) {
        let (registry, policy) = world(&c);
        let alone = load_world(&registry, &policy)?;
        let unrelated = worlds::unrelated(&mut Seq::new(&u));
        let with = load(&[&registry, &unrelated], &policy)
            .map_err(|p| TestCaseError::fail(format!("{p:#?}")))?;
        let before = outcomes(&evaluate(&alone));
        let after = outcomes(&evaluate(&with));
        for ((vendor, old, _), (_, new, _)) in before.iter().zip(&after) {
            prop_assert!(
                !(*old == Outcome::Indeterminate && *new == Outcome::Pass),
                "{vendor}: indeterminate became a pass"
            );
        }
        prop_assert_eq!(before, after);
    }

    #[test]
    fn a_registry_written_back_means_the_same(c in choices()) {
        let (registry, policy) = world(&c);
        let original = load_world(&registry, &policy)?;
        let text = registry::to_yaml(&original.registry);
        let again = load(&[&text], &policy)
            .map_err(|p| TestCaseError::fail(format!("{text}\n{p:#?}")))?;
        prop_assert_eq!(
            registry::to_value(&original.registry),
            registry::to_value(&again.registry)
        );
        prop_assert_eq!(outcomes(&evaluate(&original)), outcomes(&evaluate(&again)));
        for method in [Method::Integrated, Method::control_chain()] {
            for entity in 0..original.registry.organisations.len() {
                let a = World::new(&original.registry, 0, as_of()).graph.owners_of(entity, method);
                let b = World::new(&again.registry, 0, as_of()).graph.owners_of(entity, method);
                prop_assert_eq!(a, b);
            }
        }
    }

    /// A check evaluates each condition only as far as decides it; what it reports (result,
    /// message, evidence) is that of the whole evaluation `vrisk explain` shows. And the cost
    /// known before evaluating bounds the tree that evaluating builds.
    #[test]
    fn deciding_reports_what_the_whole_evaluation_does_within_the_known_cost(c in choices()) {
        let (registry, policy) = world(&c);
        let loaded = load_world(&registry, &policy)?;
        let Some(org) = loaded.registry.org_index("o0") else {
            return Ok(());
        };
        let world = World::new(&loaded.registry, org, as_of());
        let policy = &loaded.policies[0];
        let demand = engine::build::Demand::of([policy]);
        for rel in loaded.registry.vendors.iter().filter(|v| v.customer.id == "o0") {
            let roots = engine::build::roots(&world, rel, engine::method_of(policy), demand);
            let scope = policy::Scope {
                org: &roots.org,
                relationship: &roots.relationship,
                vendor: &roots.vendor,
                as_of: as_of(),
            };
            let whole = policy::evaluate(policy, &scope);
            let decided = policy::decide(policy, &scope);
            prop_assert_eq!(decided.result, whole.result);
            prop_assert_eq!(&decided.message, &whole.message);
            prop_assert_eq!(&decided.evidence, &whole.evidence);
            let (_, applies) = policy::applies_with_trace(policy, &scope);
            let built = nodes(&whole.trace) + applies.as_ref().map_or(0, nodes);
            let cost = policy::budget::Costing::new(&scope).policy(policy);
            prop_assert!(
                built as u64 <= cost.trace_nodes,
                "{built} nodes built, {} known", cost.trace_nodes
            );
        }
    }

    #[test]
    fn effective_shares_are_intervals_within_0_and_100(c in choices()) {
        let (registry, policy) = world(&c);
        let loaded = load_world(&registry, &policy)?;
        let world = World::new(&loaded.registry, 0, as_of());
        let threshold = 1.0 + (c.first().copied().unwrap_or(0) % 100) as f64;
        for method in [Method::Integrated, Method::ControlChain { threshold }] {
            for entity in 0..loaded.registry.organisations.len() {
                for (owner, share) in world.graph.owners_of(entity, method) {
                    for interval in [share.economic, share.voting] {
                        prop_assert!(
                            0.0 <= interval.min && interval.min <= interval.max
                                && interval.max <= 100.0 + 1e-9,
                            "o{owner} in o{entity} under {method:?}: {interval:?}"
                        );
                    }
                }
            }
        }
    }
}

fn nodes(trace: &policy::TraceNode) -> usize {
    1 + trace.children.iter().map(nodes).sum::<usize>()
}

/// Edits that break YAML and its meaning in interesting ways.
const NOISE: &[&str] = &[
    ":",
    "-",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\n",
    " ",
    "\t",
    "&a",
    "*a",
    "#",
    "\"",
    "'",
    "%",
    "!",
    "?",
    "|",
    ">",
    "0",
    "9",
    "1e999",
    ".nan",
    "~",
    "yes",
    "é",
    "\u{feff}",
    "\r\n",
    "  - ",
    "x: ",
    "<<: *a",
    "---\n",
    "...",
    "$threshold",
    "{vendor.name}",
];

/// Applies up to 8 random insertions, deletions and replacements to `text`.
fn mutate(text: &str, edits: &[(u32, u32, u32)]) -> String {
    let mut out = text.to_string();
    for &(at, kind, noise) in edits.iter().take(8) {
        let mut at = at as usize % (out.len() + 1);
        while !out.is_char_boundary(at) {
            at -= 1;
        }
        let noise = NOISE[noise as usize % NOISE.len()];
        let end = out[at..].chars().next().map_or(at, |ch| at + ch.len_utf8());
        match kind % 3 {
            0 => out.insert_str(at, noise),
            1 => out.replace_range(at..end, ""),
            _ => out.replace_range(at..end, noise),
        }
    }
    out
}

/// A load that fails must say why, at a position inside the text, and render.
fn assert_located(problems: &[Problem], sources: &SourceMap) -> Result<(), TestCaseError> {
    prop_assert!(problems.iter().any(Problem::is_error), "{problems:#?}");
    for problem in problems {
        let loc = problem
            .primary()
            .ok_or_else(|| TestCaseError::fail(format!("no position: {problem:#?}")))?;
        let text = &sources.get(loc.file).text;
        prop_assert!(
            text.is_char_boundary(loc.span.offset)
                && text.is_char_boundary(loc.span.offset + loc.span.len),
            "{problem:#?}"
        );
        let _ = problem.render(sources, 80);
    }
    let _ = vrisk::input::diagnostic::problems_to_json(problems, sources);
    Ok(())
}

fn edits() -> impl Strategy<Value = Vec<(u32, u32, u32)>> {
    proptest::collection::vec(any::<(u32, u32, u32)>(), 1..8)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn a_mangled_registry_is_rejected_with_located_problems(c in choices(), e in edits()) {
        let (registry, _) = world(&c);
        let text = mutate(&registry, &e);
        let mut sources = SourceMap::new();
        let file = SourceFile::new("mangled.yaml", None, text.as_str());
        if let Err(problems) = registry::load_files(vec![file], &mut sources, &Limits::default()) {
            assert_located(&problems, &sources)?;
        }
    }

    #[test]
    fn a_mangled_policy_is_rejected_with_located_problems(c in choices(), e in edits()) {
        let (_, policy) = world(&c);
        let text = mutate(&policy, &e);
        let mut sources = SourceMap::new();
        let id = sources.add(SourceFile::new("mangled.yaml", None, text.as_str()));
        let loaded =
            policy::load_policy(id, sources.get(id), &BTreeMap::new(), &Limits::default());
        if let Err(problems) = loaded {
            assert_located(&problems, &sources)?;
        }
    }
}
