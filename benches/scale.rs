//! What a check costs per vendor relationship: the ownership world, the fact trees, the shipped
//! policies and the JSON report, for 1, 1,000, 10,000 and 100,000 data-vendor relationships of
//! one customer over the same register.
//!
//! The register is `examples/gen --shape conglomerates` (ten major competitors that are the
//! largest holders, with large controlled groups; fan-in up to 1,000; cross-holding rings of 2
//! to 4; chains 20 deep) with 150,000 organisations and 405,000 stakes as BODS 0.4 JSON Lines,
//! the size at which 100,000 distinct companies can be vendors. It is generated and loaded once;
//! each size then evaluates the first N relationships of the vendor list. The per-vendor cost is
//! the time of a size divided by N (divan prints it as the throughput); the one-vendor time is
//! the fixed cost of a check (the ownership world, the policies), which the others include.
//!
//! `cargo bench --bench scale` (several minutes: the largest size evaluates 100,000
//! relationships). Run without `--bench`, as `cargo test --all-targets` does, it only checks its
//! fixture on a small register. Whole-process figures are in docs/performance.md.

use std::collections::BTreeMap;
use std::sync::{LazyLock, Mutex};

use divan::Bencher;
use divan::counter::ItemsCount;
use vrisk::engine::{self, Evaluation};
use vrisk::input::limits::Limits;
use vrisk::input::source::SourceMap;
use vrisk::policy::Policy;
use vrisk::registry::{Registry, VendorRelationship};
use vrisk::report::{self, FormatName, human::Style};
use vrisk::value::date::Date;

/// The `vrisk` binary's allocator, so that the check is timed as the binary runs it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[allow(dead_code)]
#[path = "../examples/gen/generator.rs"]
mod generator;

const VENDORS: [usize; 4] = [1, 1_000, 10_000, 100_000];

fn main() {
    if std::env::args().any(|arg| arg == "--bench") {
        divan::main();
    } else {
        smoke_test();
    }
}

struct Fixture {
    registry: Registry,
    /// Every relationship of the generated vendor list, in the order the vendors were drawn
    /// (the registry sorts them by id, which would put the companies at the top of the
    /// holding levels first); each size takes the first N, the vendors a plan of N draws.
    all: Vec<VendorRelationship>,
    sources: SourceMap,
    policies: Vec<Policy>,
}

static FIXTURE: LazyLock<Mutex<Fixture>> = LazyLock::new(|| Mutex::new(fixture(150_000, 100_000)));

fn fixture(orgs: usize, vendors: usize) -> Fixture {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let plan = generator::Plan::new(&generator::Params {
        orgs,
        stakes: orgs * 27 / 10,
        vendors,
        seed: 1,
        shape: generator::Shape::Conglomerates,
    })
    .expect("valid sizes");
    plan.write_bods(dir.path()).expect("written");
    let limits = Limits::default();
    let mut sources = SourceMap::new();
    let mut registry = vrisk::registry::load(&[dir.path().to_path_buf()], &mut sources, &limits)
        .unwrap_or_else(|p| panic!("invalid registry: {}", p[0].message));
    let policies = vrisk::policy::set::load_all(
        vrisk::input::embedded::policy_files(),
        &mut sources,
        &limits,
        &BTreeMap::new(),
    )
    .unwrap_or_else(|p| panic!("invalid policies: {}", p[0].message));
    let mut by_vendor: std::collections::HashMap<String, VendorRelationship> =
        std::mem::take(&mut registry.vendors)
            .into_iter()
            .map(|rel| (rel.vendor.id.clone(), rel))
            .collect();
    let all = plan
        .vendor_ids()
        .iter()
        .filter_map(|id| by_vendor.remove(id))
        .collect();
    Fixture {
        registry,
        all,
        sources,
        policies,
    }
}

/// Evaluates the first `vendors` relationships and renders the JSON report; its length.
fn check(fixture: &Fixture) -> usize {
    let report = engine::evaluate(&Evaluation {
        registry: &fixture.registry,
        policies: &fixture.policies,
        sources: &fixture.sources,
        org: generator::CUSTOMER_ID,
        as_of: Date::parse("2025-06-30").expect("a date"),
    });
    let style = Style {
        color: false,
        width: 100,
    };
    let verdict = engine::gate::verdict(&report);
    report::render(FormatName::Json, &report, &fixture.sources, &style, verdict).len()
}

/// The whole check (world, facts, policies, JSON report) for the first N vendor relationships.
#[divan::bench(args = VENDORS, sample_count = 1, sample_size = 1)]
fn check_per_vendor(bencher: Bencher, vendors: usize) {
    let mut fixture = FIXTURE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    fixture.registry.vendors = fixture.all[..vendors.min(fixture.all.len())].to_vec();
    bencher
        .counter(ItemsCount::new(vendors))
        .bench_local(|| check(&fixture));
}

fn smoke_test() {
    let mut fixture = fixture(2_000, 50);
    assert_eq!(fixture.all.len(), 50);
    fixture.registry.vendors = fixture.all[..10].to_vec();
    assert!(check(&fixture) > 0);
    println!("scale bench fixture ok (run with --bench to measure)");
}
