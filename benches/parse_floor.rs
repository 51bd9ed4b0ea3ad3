//! vrisk's loading of a large BODS register against the floor of parsing its bytes: a SIMD JSON
//! parser (sonic-rs) reading every statement into an ignored value. Both start from the file on
//! disk (in the page cache after the first round), so both pay for the read; they alternate, and
//! the best of three rounds of each is compared.
//!
//! `cargo bench --bench parse_floor` (100,000 organisations and 270,000 stakes, the
//! conglomerates shape of examples/gen, about 220 MB); `cargo bench --bench parse_floor --
//! 1000000` for another size. Figures and what they mean are in docs/performance.md.

use std::path::Path;
use std::time::{Duration, Instant};

use vrisk::input::limits::Limits;
use vrisk::input::source::SourceMap;

/// The `vrisk` binary's allocator, so that loading is timed as a check runs it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[allow(dead_code)]
#[path = "../examples/gen/generator.rs"]
mod generator;

const ROUNDS: usize = 3;

fn main() {
    // `cargo bench` passes `--bench`; the one other argument, if any, is the size.
    let orgs = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse::<usize>().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let plan = generator::Plan::new(&generator::Params {
        orgs,
        stakes: orgs * 27 / 10,
        vendors: 1,
        seed: 1,
        shape: generator::Shape::Conglomerates,
    })
    .expect("valid sizes");
    plan.write_bods(dir.path()).expect("written");
    let file = dir.path().join("ownership.jsonl");
    let bytes = std::fs::metadata(&file).map_or(0, |m| m.len());
    println!(
        "{orgs} organisations, {} stakes: {} ({:.0} MB)",
        plan.stake_count(),
        file.display(),
        bytes as f64 / 1e6
    );
    let mut floor = Duration::MAX;
    let mut load = Duration::MAX;
    for _ in 0..ROUNDS {
        floor = floor.min(time(|| simd_parse(&file)));
        load = load.min(time(|| vrisk_load(&file)));
    }
    println!("SIMD parse (sonic-rs, ignored value): {floor:.2?}");
    println!("vrisk load (parse, model, checks):    {load:.2?}");
    println!(
        "ratio: {:.2}",
        load.as_secs_f64() / floor.as_secs_f64().max(f64::EPSILON)
    );
}

fn time(work: impl FnOnce() -> usize) -> Duration {
    let start = Instant::now();
    let count = work();
    let elapsed = start.elapsed();
    assert!(count > 0, "nothing was read");
    elapsed
}

/// Reads the file and parses each statement (one per line) into an ignored value; the number
/// of statements.
fn simd_parse(file: &Path) -> usize {
    let text = std::fs::read(file).expect("readable");
    text.split(|&b| b == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| {
            sonic_rs::from_slice::<serde::de::IgnoredAny>(line).expect("valid JSON");
        })
        .count()
}

/// Loads the file as `vrisk check --registry FILE` does; the number of organisations.
fn vrisk_load(file: &Path) -> usize {
    let limits = Limits {
        max_file_bytes: u64::MAX,
        ..Limits::default()
    };
    let registry = vrisk::registry::load(&[file.to_path_buf()], &mut SourceMap::new(), &limits)
        .unwrap_or_else(|p| panic!("invalid registry: {}", p[0].message));
    registry.organisations.len()
}
