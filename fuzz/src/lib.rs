//! The fuzz harnesses, as plain functions so that any driver can call them (the libFuzzer
//! targets in fuzz_targets/, or a test that replays a saved input).
//!
//! Each harness panics when vrisk misbehaves, which the fuzzer reports as a crash:
//! - a panic inside vrisk itself;
//! - a rejected input whose problems do not all point at a position inside the file, or that
//!   miette cannot render;
//! - a registry that `registry::to_yaml` writes back in a form that does not load to the same
//!   facts;
//! - an evaluation that is not deterministic, or an effective share outside 0-100.

use std::collections::BTreeMap;

use vrisk::report::FormatName;
use vrisk::value::date::Date;
use vrisk::input::diagnostic::{Problem, problems_to_json};
use vrisk::engine::{self, Evaluation, World};
use vrisk::input::limits::Limits;
use vrisk::ownership::Method;
use vrisk::policy::{self, Policy};
use vrisk::registry::{self, Registry};
use vrisk::engine::Report;
use vrisk::report;
use vrisk::input::source::{SourceFile, SourceMap, decode_utf8};

/// The random-world generator shared with tests/properties.rs.
#[path = "../../tests/support/worlds.rs"]
pub mod worlds;

/// The evaluation date of every run.
fn as_of() -> Date {
    Date::parse(worlds::AS_OF).unwrap_or_else(|| panic!("{} is a date", worlds::AS_OF))
}

/// Limits well below the defaults, so that each iteration stays fast; the limits themselves
/// are what keeps larger inputs in check.
fn limits() -> Limits {
    Limits {
        max_file_bytes: 1 << 20,
        max_nodes: 100_000,
        max_alias_expansion: 10_000,
        ..Limits::default()
    }
}

/// Arbitrary bytes as a registry file, alone and added to the seeded registry (so that a small
/// valid fragment, a stake or a relationship, reaches evaluation): rejected with located
/// problems, or loaded, written back the same, and evaluated with the shipped policies from the
/// point of view of up to two organisations.
pub fn registry(data: &[u8]) {
    one_file(data, "fuzz.yaml", WriteBack::Yes);
}

/// Arbitrary bytes as a BODS file (a JSON array or object, or JSON Lines), alone and beside the
/// seeded registry, whose organisations its entities may name by identifier: held to the same
/// checks as a registry file, but for writing back. Identifiers keep the schemes the register
/// wrote, and a record id that is not a vrisk id is kept under `bods-record-id`; the YAML
/// registry's schema accepts only org-id.guide codes, so such a registry is not YAML to write.
pub fn bods(data: &[u8]) {
    one_file(data, "fuzz.jsonl", WriteBack::No);
}

/// Bytes as the registry file `name`, alone and added to the seeded registry.
fn one_file(data: &[u8], name: &str, write_back: WriteBack) {
    let Ok(text) = decode_utf8(data.to_vec(), name) else {
        return;
    };
    registry_with(Vec::new(), name, &text, write_back);
    registry_with(vrisk::input::embedded::registry_files(), name, &text, write_back);
}

/// Whether a loaded registry must survive `registry::to_yaml` and loading again.
#[derive(Clone, Copy, PartialEq)]
enum WriteBack {
    Yes,
    No,
}

fn registry_with(mut files: Vec<SourceFile>, name: &str, text: &str, write_back: WriteBack) {
    let mut sources = SourceMap::new();
    files.push(SourceFile::new(name, None, text));
    let loaded = match registry::load_files(files, &mut sources, &limits()) {
        Ok(loaded) => loaded,
        Err(problems) => return check_problems(&problems, &sources),
    };
    if write_back == WriteBack::Yes {
        round_trip(&loaded, &mut sources);
    }
    let policies = shipped_policies(&mut sources);
    let mut orgs: Vec<&str> = loaded
        .vendors
        .iter()
        .map(|v| v.customer.id.as_str())
        .collect();
    orgs.sort_unstable();
    orgs.dedup();
    for org in orgs.into_iter().take(2) {
        if loaded.org(org).is_some() {
            evaluate_twice(&loaded, &policies, &sources, org);
        }
    }
}

/// Arbitrary bytes as one policy file: rejected with located problems, or loaded and evaluated
/// against a small registry and against the seeded one (people, moves, attestations, spend).
pub fn policy(data: &[u8]) {
    let Ok(text) = decode_utf8(data.to_vec(), "fuzz.yaml") else {
        return;
    };
    let mut sources = SourceMap::new();
    let base = registry::load_files(
        vec![SourceFile::new("base.yaml", None, BASE_REGISTRY)],
        &mut sources,
        &limits(),
    )
    .unwrap_or_else(|p| panic!("the base registry loads: {p:#?}"));
    let seeded = registry::load_files(vrisk::input::embedded::registry_files(), &mut sources, &limits())
        .unwrap_or_else(|p| panic!("the seeded registry loads: {p:#?}"));
    let id = sources.add(SourceFile::new("fuzz.yaml", None, text));
    match policy::load_policy(id, sources.get(id), &BTreeMap::new(), &limits()) {
        Ok(policy) => {
            let policies = [policy];
            evaluate_twice(&base, &policies, &sources, "acme");
            evaluate_twice(&seeded, &policies, &sources, "alphabet");
        }
        Err(problems) => check_problems(&problems, &sources),
    }
}

/// The registry the policy target evaluates against: tests/corpus/base/registry.yaml.
const BASE_REGISTRY: &str = include_str!("../../tests/corpus/base/registry.yaml");

/// A random registry and policy from structured input: both must load (the generator writes
/// valid ones), and evaluation must be deterministic with every share within 0-100.
pub fn evaluate(input: &mut arbitrary::Unstructured) {
    let mut choices = Choices(input);
    let registry_text = worlds::registry(&mut choices);
    let policy_text = worlds::policy(&mut choices);
    let mut sources = SourceMap::new();
    let file = SourceFile::new("world.yaml", None, registry_text.as_str());
    let Ok(loaded) = registry::load_files(vec![file], &mut sources, &limits()) else {
        // A 100% cross-holding, which the generator does not rule out.
        return;
    };
    let id = sources.add(SourceFile::new("policy.yaml", None, policy_text.as_str()));
    let policy = policy::load_policy(id, sources.get(id), &BTreeMap::new(), &limits())
        .unwrap_or_else(|p| panic!("the generated policy loads: {p:#?}\n{policy_text}"));
    evaluate_twice(&loaded, &[policy], &sources, "o0");
    let world = World::new(&loaded, 0, as_of());
    for method in [Method::Integrated, Method::control_chain()] {
        for entity in 0..loaded.organisations.len() {
            for (owner, share) in world.graph.owners_of(entity, method) {
                for i in [share.economic, share.voting] {
                    assert!(
                        0.0 <= i.min && i.min <= i.max && i.max <= 100.0 + 1e-9,
                        "o{owner} in o{entity}: {i:?}\n{registry_text}"
                    );
                }
            }
        }
    }
}

/// The generator's choices, read from the fuzzer's structured input.
struct Choices<'a, 'b>(&'a mut arbitrary::Unstructured<'b>);

impl worlds::Choices for Choices<'_, '_> {
    fn pick(&mut self, n: usize) -> usize {
        self.0.choose_index(n.max(1)).unwrap_or(0)
    }
}

fn shipped_policies(sources: &mut SourceMap) -> Vec<Policy> {
    vrisk::input::embedded::policy_files()
        .into_iter()
        .map(|file| {
            let id = sources.add(file);
            policy::load_policy(id, sources.get(id), &BTreeMap::new(), &Limits::default())
                .unwrap_or_else(|p| panic!("a shipped policy loads: {p:#?}"))
        })
        .collect()
}

/// Writing the registry back and loading it again must give the same facts.
fn round_trip(loaded: &Registry, sources: &mut SourceMap) {
    let text = registry::to_yaml(loaded);
    let file = SourceFile::new("again.yaml", None, text.as_str());
    // The written form may be longer than the input (block style): give it room.
    let roomy = Limits {
        max_file_bytes: u64::MAX,
        ..limits()
    };
    match registry::load_files(vec![file], sources, &roomy) {
        Ok(again) => assert_eq!(
            registry::to_value(loaded),
            registry::to_value(&again),
            "{text}"
        ),
        Err(problems) => panic!("to_yaml wrote what does not load: {problems:#?}\n{text}"),
    }
}

fn evaluate_twice(registry: &Registry, policies: &[Policy], sources: &SourceMap, org: &str) {
    let input = Evaluation {
        registry,
        policies,
        sources,
        org,
        as_of: as_of(),
    };
    let first = engine::evaluate(&input);
    let second = engine::evaluate(&input);
    assert!(first == second, "evaluation is not deterministic");
    // Rendering is a function of the report: once is enough to see that no format panics.
    render_all(&first, sources);
}

fn render_all(report: &Report, sources: &SourceMap) -> Vec<String> {
    let style = report::human::Style {
        color: false,
        width: 80,
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

/// Every problem of a rejected input points inside its file, on character boundaries, and
/// renders.
fn check_problems(problems: &[Problem], sources: &SourceMap) {
    assert!(
        problems.iter().any(Problem::is_error),
        "rejected without an error: {problems:#?}"
    );
    for problem in problems {
        let Some(loc) = problem.primary() else {
            panic!("a problem without a position: {problem:#?}");
        };
        let text = &sources.get(loc.file).text;
        let end = loc.span.offset.checked_add(loc.span.len);
        assert!(
            text.is_char_boundary(loc.span.offset) && end.is_some_and(|e| text.is_char_boundary(e)),
            "a position outside the text: {problem:#?}"
        );
        let _ = problem.render(sources, 80);
    }
    let _ = problems_to_json(problems, sources);
}
