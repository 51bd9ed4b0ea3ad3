//! Each stage of `vrisk check` on a synthetic registry of 2,000 organisations, 4,000 stakes and
//! 200 vendor relationships (examples/gen, seed 1), with the shipped policies, as of 2025-06-30:
//! YAML parsing, schema validation, loading (parse, validation, model and checks, as `vrisk
//! check` does it), the ownership world, evaluation, and each report format.
//!
//! `cargo bench --bench pipeline`. Whole-process figures at larger sizes are in
//! docs/performance.md.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use vrisk::engine::Report;
use vrisk::engine::{self, Evaluation, World};
use vrisk::input::limits::Limits;
use vrisk::input::schema::{self, SchemaKind};
use vrisk::input::source::{FileId, SourceFile, SourceMap};
use vrisk::input::yaml::Node;
use vrisk::policy::Policy;
use vrisk::registry::Registry;
use vrisk::report::FormatName;
use vrisk::report::{self, human::Style};
use vrisk::value::date::Date;

/// The `vrisk` binary's allocator, so that each stage is timed as a check runs it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[allow(dead_code)]
#[path = "../examples/gen/generator.rs"]
mod generator;

fn main() {
    divan::main();
}

struct Fixture {
    files: Vec<SourceFile>,
    documents: Vec<Node>,
    registry: Registry,
    sources: SourceMap,
    policies: Vec<Policy>,
    report: Report,
}

const AS_OF: &str = "2025-06-30";

fn as_of() -> Date {
    Date::parse(AS_OF).expect("a date")
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let plan = generator::Plan::new(&generator::Params {
        orgs: 2_000,
        stakes: 4_000,
        vendors: 200,
        seed: 1,
        shape: generator::Shape::Classic,
    })
    .expect("valid sizes");
    let mut names = plan.write_yaml(dir.path()).expect("written");
    names.sort();
    let files: Vec<SourceFile> = names
        .iter()
        .map(|name| {
            let text = std::fs::read_to_string(dir.path().join(name)).expect("readable");
            SourceFile::new(name.clone(), None, text)
        })
        .collect();
    let limits = Limits::default();
    let documents = files
        .iter()
        .enumerate()
        .map(|(i, f)| vrisk::input::yaml::parse(FileId(i as u32), f, &limits).expect("YAML"))
        .collect();
    let mut sources = SourceMap::new();
    let registry = vrisk::registry::load_files(files.clone(), &mut sources, &limits)
        .unwrap_or_else(|p| panic!("invalid registry: {}", p[0].message));
    let policies = vrisk::policy::set::load_all(
        vrisk::input::embedded::policy_files(),
        &mut sources,
        &limits,
        &BTreeMap::new(),
    )
    .unwrap_or_else(|p| panic!("invalid policies: {}", p[0].message));
    let report = engine::evaluate(&Evaluation {
        registry: &registry,
        policies: &policies,
        sources: &sources,
        org: generator::CUSTOMER_ID,
        as_of: as_of(),
    });
    Fixture {
        files,
        documents,
        registry,
        sources,
        policies,
        report,
    }
});

#[divan::bench(sample_count = 20)]
fn parse() -> usize {
    let fixture = &*FIXTURE;
    let limits = Limits::default();
    fixture
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let node = vrisk::input::yaml::parse(FileId(i as u32), f, &limits).expect("YAML");
            divan::black_box(node).as_map().map_or(0, <[_]>::len)
        })
        .sum()
}

#[divan::bench(sample_count = 20)]
fn schema_validation() -> usize {
    FIXTURE
        .documents
        .iter()
        .map(|d| schema::validate(SchemaKind::Registry, d).len())
        .sum()
}

/// Parse, schema validation, typed model and semantic checks, as `vrisk check` loads a registry.
#[divan::bench(sample_count = 20)]
fn load_registry() -> usize {
    let mut sources = SourceMap::new();
    let registry =
        vrisk::registry::load_files(FIXTURE.files.clone(), &mut sources, &Limits::default())
            .expect("valid");
    registry.organisations.len()
}

#[divan::bench(sample_count = 20)]
fn ownership_world() -> usize {
    let fixture = &*FIXTURE;
    let org = fixture
        .registry
        .org_index(generator::CUSTOMER_ID)
        .expect("customer");
    let world = World::new(&fixture.registry, org, as_of());
    world.competitors.len()
}

/// The ownership world, the fact trees and every policy for every vendor relationship.
#[divan::bench(sample_count = 20)]
fn evaluate() -> usize {
    let fixture = &*FIXTURE;
    engine::evaluate(&Evaluation {
        registry: &fixture.registry,
        policies: &fixture.policies,
        sources: &fixture.sources,
        org: generator::CUSTOMER_ID,
        as_of: as_of(),
    })
    .findings
    .len()
}

#[divan::bench(
    sample_count = 20,
    args = ["human", "json", "sarif", "junit", "github", "markdown"]
)]
fn render(format: &str) -> usize {
    let fixture = &*FIXTURE;
    let format = FormatName::parse(format).expect("a format");
    let exit = vrisk::engine::gate::verdict(&fixture.report);
    let style = Style {
        color: false,
        width: 100,
    };
    report::render(format, &fixture.report, &fixture.sources, &style, exit).len()
}
