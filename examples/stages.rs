//! Times each stage of `vrisk check` on a registry directory, once, at full size: reading,
//! YAML parsing, schema validation, model building and checks, the ownership world, evaluation,
//! and rendering in every format. With `--parse-only` it reads and parses the registry files and
//! stops: the "parse floor" that docs/performance.md compares `vrisk check` with.
//!
//! ```sh
//! cargo run --release --example stages -- /tmp/vrisk-scale/1m --as-of 2025-06-30
//! cargo run --release --example stages -- /tmp/vrisk-scale/1m --parse-only
//! ```
//!
//! The benchmarks (benches/pipeline.rs) measure the same stages repeatedly at a modest size;
//! this is for one run at the sizes the benchmarks cannot afford.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use rayon::prelude::*;
use vrisk::engine::{self, Evaluation, World};
use vrisk::input::limits::Limits;
use vrisk::input::schema::{self, SchemaKind};
use vrisk::input::source::{FileId, SourceMap, read_file};
use vrisk::report::FormatName;
use vrisk::report::{self, human::Style};
use vrisk::value::date::Date;

/// The `vrisk` binary's allocator, so that the stages and the parse floor are timed as a check
/// runs them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
struct Args {
    /// Registry directory (or file).
    registry: PathBuf,
    /// Only read and parse the registry files (in parallel and item by item, as `vrisk check`
    /// does): the parse floor.
    #[arg(long)]
    parse_only: bool,
    /// Also parse the files into whole trees and validate them, each as a stage of its own
    /// (`vrisk check` never holds a whole tree; this takes memory).
    #[arg(long)]
    trees: bool,
    /// Point of view. Default: the registry's `default_org`.
    #[arg(long)]
    org: Option<String>,
    /// Evaluation date. Default: today.
    #[arg(long, value_parser = parse_date)]
    as_of: Option<Date>,
}

fn main() {
    let args = Args::parse();
    let limits = Limits::default();
    let paths = vec![args.registry.clone()];
    let files = vrisk::input::files::expand(&paths, vrisk::registry::EXTENSIONS, "registry")
        .unwrap_or_else(|p| panic!("{}", p.message));

    let clock = Instant::now();
    let texts: Vec<_> = files
        .par_iter()
        .map(|path| read_file(path, &path.display().to_string(), &limits).expect("readable"))
        .collect();
    let bytes: usize = texts.iter().map(|t| t.text.len()).sum();
    lap(
        "read",
        clock,
        &format!("{} files, {bytes} bytes", texts.len()),
    );

    if args.parse_only {
        // What `vrisk check` cannot do without: every node parsed into the tree of positions,
        // files in parallel, list items dropped once parsed (as the registry loader does).
        let clock = Instant::now();
        let items: usize = texts
            .par_iter()
            .enumerate()
            .map(|(i, text)| {
                let (root, count) = vrisk::input::yaml::parse_streaming(
                    FileId(i as u32),
                    text,
                    &limits,
                    LISTS,
                    Count(0),
                );
                root.expect("YAML");
                count.0
            })
            .sum();
        lap(
            "parse (yaml::parse_streaming)",
            clock,
            &format!("{items} list items"),
        );
        return;
    }

    if args.trees {
        let clock = Instant::now();
        let documents: Vec<_> = texts
            .par_iter()
            .enumerate()
            .map(|(i, text)| {
                vrisk::input::yaml::parse(FileId(i as u32), text, &limits).expect("YAML")
            })
            .collect();
        lap("parse (yaml::parse, whole trees)", clock, "");

        let clock = Instant::now();
        for document in &documents {
            let problems = schema::validate(SchemaKind::Registry, document);
            assert!(problems.is_empty(), "schema problems: {}", problems.len());
        }
        lap("schema validation of the whole trees", clock, "");
        drop(documents);
    }

    let clock = Instant::now();
    let mut sources = SourceMap::new();
    let registry = vrisk::registry::load_files(texts, &mut sources, &limits)
        .unwrap_or_else(|p| panic!("{} problems, first: {}", p.len(), p[0].message));
    lap(
        "registry::load_files (parse + schema + model + checks)",
        clock,
        "",
    );

    let clock = Instant::now();
    let policies = vrisk::policy::set::load_all(
        vrisk::input::embedded::policy_files(),
        &mut sources,
        &limits,
        &BTreeMap::new(),
    )
    .unwrap_or_else(|p| panic!("{}", p[0].message));
    lap("policies", clock, "");

    let org = engine::resolve_org(&registry, args.org.as_deref())
        .unwrap_or_else(|p| panic!("{}", p.message))
        .to_string();
    let as_of = args.as_of.unwrap_or_else(Date::today);
    let clock = Instant::now();
    let node = registry.org_index(&org).expect("resolved");
    let world = World::new(&registry, node, as_of);
    lap(
        "World::new (ownership graph, groups)",
        clock,
        &format!("{:?}", world.graph),
    );
    drop(world);

    let clock = Instant::now();
    let report = engine::evaluate(&Evaluation {
        registry: &registry,
        policies: &policies,
        sources: &sources,
        org: &org,
        as_of,
    });
    lap(
        "engine::evaluate (World::new + facts + policies)",
        clock,
        &format!(
            "{} findings: {} fail, {} indeterminate",
            report.findings.len(),
            report.summary.fail,
            report.summary.indeterminate
        ),
    );

    let exit = vrisk::engine::gate::verdict(&report);
    let style = Style {
        color: false,
        width: 100,
    };
    for format in [
        FormatName::Human,
        FormatName::Json,
        FormatName::Sarif,
        FormatName::Junit,
        FormatName::Github,
        FormatName::Markdown,
    ] {
        let clock = Instant::now();
        let text = report::render(format, &report, &sources, &style, exit);
        lap(
            &format!("render {format:?}"),
            clock,
            &format!("{} bytes", text.len()),
        );
    }
}

/// The top-level lists of a registry file.
const LISTS: &[&str] = &[
    "sources",
    "organisations",
    "stakes",
    "competitors",
    "vendors",
    "roles",
    "moves",
];

/// Counts list items and drops them.
struct Count(usize);

impl vrisk::input::yaml::ItemSink for Count {
    fn item(&mut self, _list: &str, _index: usize, item: vrisk::input::yaml::Node) {
        self.0 += 1;
        drop(item);
    }
}

/// Prints a stage's time and the process's resident memory now and at its peak so far.
fn lap(stage: &str, since: Instant, note: &str) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .map_or_else(|| "?".to_string(), |kb| format!("{} MB", kb / 1024))
    };
    eprintln!(
        "{:>9.3} s  [rss {}, peak {}]  {stage}{}{note}",
        since.elapsed().as_secs_f64(),
        field("VmRSS:"),
        field("VmHWM:"),
        if note.is_empty() { "" } else { ": " }
    );
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| format!("`{text}` is not a date (YYYY-MM-DD)"))
}
