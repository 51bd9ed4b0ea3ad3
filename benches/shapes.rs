//! No shape is pathological: each adversarial ownership shape of `examples/shapes` at a size and
//! at twice that size, timed through the library as the commands run it, with the ratio of the
//! two (about 2 for a linear cost, a little more for n log n, 4 for a quadratic one).
//!
//! | column | what is timed |
//! |---|---|
//! | load | reading the registry from its YAML text (parse, schema, model, checks) |
//! | check | the ownership world, every shipped policy for the vendor, the JSON report |
//! | ownership | the vendor's owners under the integrated method, each explained (`vrisk ownership`) |
//! | explain | `competitor-ownership` for the vendor with its whole trace, positions resolved (`vrisk explain`) |
//!
//! Each figure is the best of three runs. `cargo bench --bench shapes`; run without `--bench`
//! (as `cargo test --all-targets` does) it only checks every shape at a small size. `vrisk
//! graph` is not in the table: it is timed as a command in docs/performance.md.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use vrisk::engine::{self, Evaluation, World, build};
use vrisk::input::limits::Limits;
use vrisk::input::source::{SourceFile, SourceMap};
use vrisk::ownership::Method;
use vrisk::policy::{self, Policy};
use vrisk::registry::Registry;
use vrisk::report::{self, FormatName, human::Style};
use vrisk::value::date::Date;

/// The `vrisk` binary's allocator, so that the commands are timed as the binary runs them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[allow(dead_code)]
#[path = "../examples/shapes.rs"]
mod shapes;

use shapes::Shape;

/// Each shape at the sizes of the scale target, then doubled.
const CASES: [(Shape, usize); 8] = [
    (Shape::Chain, 10_000),
    (Shape::Chain, 30_000),
    (Shape::Lattice, 1_000),
    (Shape::FanIn, 100_000),
    (Shape::FanOut, 100_000),
    (Shape::FanInOut, 100_000),
    (Shape::FanInOut, 10_000),
    (Shape::Funnel, 40_000),
];

fn main() {
    if std::env::args().any(|arg| arg == "--bench") {
        println!(
            "{:<12} {:>8} | {:>17} | {:>17} | {:>17} | {:>17}",
            "shape", "n", "load (x2n)", "check (x2n)", "ownership (x2n)", "explain (x2n)"
        );
        for (shape, n) in CASES {
            let small = measure(shape, n, 3);
            let large = measure(shape, 2 * n, 3);
            let cell = |a: Duration, b: Duration| {
                format!(
                    "{:>7.3} s ({:>4.2})",
                    a.as_secs_f64(),
                    b.as_secs_f64() / a.as_secs_f64().max(1e-9)
                )
            };
            println!(
                "{:<12} {:>8} | {} | {} | {} | {}",
                format!("{shape:?}"),
                n,
                cell(small[0], large[0]),
                cell(small[1], large[1]),
                cell(small[2], large[2]),
                cell(small[3], large[3]),
            );
        }
    } else {
        for shape in [
            Shape::Chain,
            Shape::Lattice,
            Shape::FanIn,
            Shape::FanOut,
            Shape::FanInOut,
        ] {
            measure(shape, 50, 1);
        }
        println!("shape bench fixtures ok (run with --bench to measure)");
    }
}

struct Loaded {
    registry: Registry,
    sources: SourceMap,
    policies: Vec<Policy>,
}

fn as_of() -> Date {
    Date::parse("2025-06-30").expect("a date")
}

/// Best of `runs` for load, check, ownership and explain.
fn measure(shape: Shape, n: usize, runs: usize) -> [Duration; 4] {
    let text = shapes::registry(shape, n).text();
    let mut best = [Duration::MAX; 4];
    for _ in 0..runs {
        let clock = Instant::now();
        let loaded = load(&text);
        let times = [
            clock.elapsed(),
            timed(|| check(&loaded)),
            timed(|| ownership(&loaded)),
            timed(|| explain(&loaded)),
        ];
        for (best, time) in best.iter_mut().zip(times) {
            *best = (*best).min(time);
        }
    }
    best
}

fn timed(work: impl FnOnce() -> usize) -> Duration {
    let clock = Instant::now();
    let size = work();
    let elapsed = clock.elapsed();
    assert!(size > 0);
    elapsed
}

fn load(text: &str) -> Loaded {
    let limits = Limits::default();
    let mut sources = SourceMap::new();
    let registry = vrisk::registry::load_files(
        vec![SourceFile::new("shape.yaml", None, text)],
        &mut sources,
        &limits,
    )
    .unwrap_or_else(|p| panic!("invalid registry: {}", p[0].message));
    let policies = policy::set::load_all(
        vrisk::input::embedded::policy_files(),
        &mut sources,
        &limits,
        &BTreeMap::new(),
    )
    .unwrap_or_else(|p| panic!("invalid policies: {}", p[0].message));
    Loaded {
        registry,
        sources,
        policies,
    }
}

fn input(loaded: &Loaded) -> Evaluation<'_> {
    Evaluation {
        registry: &loaded.registry,
        policies: &loaded.policies,
        sources: &loaded.sources,
        org: "northwind",
        as_of: as_of(),
    }
}

fn check(loaded: &Loaded) -> usize {
    let report = engine::evaluate(&input(loaded));
    let style = Style {
        color: false,
        width: 100,
    };
    let verdict = engine::gate::verdict(&report);
    report::render(FormatName::Json, &report, &loaded.sources, &style, verdict).len()
}

fn node(loaded: &Loaded, id: &str) -> usize {
    loaded.registry.org_index(id).expect("in the registry")
}

fn ownership(loaded: &Loaded) -> usize {
    let vendor = node(loaded, "v");
    let world = World::new(&loaded.registry, vendor, as_of());
    let view = world.graph.owners_view(vendor, Method::Integrated);
    view.owners()
        .iter()
        .map(|&(owner, _)| view.explain(owner).paths.len() + 1)
        .sum()
}

fn explain(loaded: &Loaded) -> usize {
    let policy = loaded
        .policies
        .iter()
        .find(|p| p.id == "competitor-ownership")
        .expect("a shipped policy");
    let world = World::new(&loaded.registry, node(loaded, "northwind"), as_of());
    let relationship = &loaded.registry.vendors[0];
    let roots = build::roots(
        &world,
        relationship,
        engine::method_of(policy),
        build::Demand::of([policy]),
    );
    let scope = policy::Scope {
        org: &roots.org,
        relationship: &roots.relationship,
        vendor: &roots.vendor,
        as_of: as_of(),
    };
    let mut evaluation = policy::evaluate(policy, &scope);
    roots.resolve_trace(&mut evaluation.trace);
    let unbounded = vrisk::policy::Budget {
        element_visits: u64::MAX,
        trace_nodes: u64::MAX,
    };
    let report = engine::evaluate_vendor_within(
        &Evaluation {
            policies: std::slice::from_ref(policy),
            ..input(loaded)
        },
        &unbounded,
        "v",
    );
    evaluation.trace.to_text().len() + report.map_or(0, |r| r.findings.len())
}
