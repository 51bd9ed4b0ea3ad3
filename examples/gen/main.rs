//! Writes a synthetic registry for benchmarks and scale tests.
//!
//! ```sh
//! cargo run --release --example gen -- --orgs 1000000 --stakes 2000000 --vendors 100000 \
//!     --seed 1 --out /tmp/vrisk-scale/1m
//! vrisk check --registry /tmp/vrisk-scale/1m --as-of 2025-06-30
//! ```
//!
//! The same arguments always give byte-identical files. See `generator.rs` for the shape of the
//! data and docs/performance.md for how the benchmarks use it.

// The tests and benchmarks use more of the plan than this command does.
#[allow(dead_code)]
mod generator;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};

#[derive(Parser)]
#[command(about = "Write a synthetic vrisk registry (deterministic for a given seed)")]
struct Args {
    /// Number of organisations (companies, people, funds, governments), at least 100.
    #[arg(long)]
    orgs: usize,
    /// Number of stakes.
    #[arg(long)]
    stakes: usize,
    /// Number of vendor relationships of the customer organisation.
    #[arg(long)]
    vendors: usize,
    /// Seed of the random number generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Directory to write to (created if missing; files of the same names are replaced).
    #[arg(long)]
    out: PathBuf,
    /// yaml: a registry of YAML files; bods: the organisations and stakes as BODS 0.4 JSON Lines,
    /// the rest (customer's point of view, competitors, vendors, people) as YAML.
    #[arg(long, value_enum, default_value = "yaml")]
    format: Format,
    /// classic: a few competitor groups, 2% of vendors with a competitor stake;
    /// conglomerates: ten major competitors that are the largest holders with large
    /// controlled groups, every vendor a data vendor, and the same organisations and stakes for
    /// any number of vendors (the register of the scale benchmarks; see generator.rs).
    #[arg(long, value_enum, default_value = "classic")]
    shape: Shape,
}

#[derive(Clone, Copy, ValueEnum)]
enum Shape {
    Classic,
    Conglomerates,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Yaml,
    Bods,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let params = generator::Params {
        orgs: args.orgs,
        stakes: args.stakes,
        vendors: args.vendors,
        seed: args.seed,
        shape: match args.shape {
            Shape::Classic => generator::Shape::Classic,
            Shape::Conglomerates => generator::Shape::Conglomerates,
        },
    };
    let plan = match generator::Plan::new(&params) {
        Ok(plan) => plan,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let written = match args.format {
        Format::Yaml => plan.write_yaml(&args.out),
        Format::Bods => plan.write_bods(&args.out),
    };
    match written {
        Ok(files) => {
            eprintln!(
                "wrote {} organisations, {} stakes, {} vendor relationships (customer `{}`; the \
                 20-level chain ends at vendor `{}`) to {}: {}",
                plan.org_count(),
                plan.stake_count(),
                plan.vendor_count(),
                generator::CUSTOMER_ID,
                plan.deep_chain_vendor(),
                args.out.display(),
                files.join(", ")
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write to {}: {e}", args.out.display());
            ExitCode::from(1)
        }
    }
}
