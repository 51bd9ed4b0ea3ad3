//! Writes a registry of one adversarial ownership shape, for the pathological-shape
//! measurements of docs/performance.md. Each is a single YAML file: a customer (`northwind`, the
//! default point of view) with one data vendor, a major competitor (`rival`) and the shape
//! between them.
//!
//! ```sh
//! cargo run --release --example shapes -- chain 30000 /tmp/shapes/chain-30000.yaml
//! vrisk check --registry /tmp/shapes/chain-30000.yaml --as-of 2025-06-30
//! ```
//!
//! | shape | size n | the vendor `v` |
//! |---|---|---|
//! | `chain` | n companies, each holding 100% of the next | the last company |
//! | `lattice` | n layers of 2 companies, each holding 50% of both of the next layer | held 50% by each company of the last layer |
//! | `fan-in` | n people holding an equal share of the vendor | held by all of them and 10% by the rival |
//! | `fan-out` | the rival holds 0.5% of each of n companies | one of them |
//! | `fan-in-out` | √n holders each holding a share of each of √n holding companies | held by the √n holding companies |
//! | `funnel` | n/2 holders of unknown shares in one company (so its owners' shares can add up to far more than 100%), which holds all of the first of a chain of n/2 companies | held 30% by the last company of the chain |
//!
//! The rival heads each shape (it holds the first company of the chain and the lattice, and is
//! one of the holders of `fan-in-out`), so the vendor's findings always involve it.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};

#[derive(Parser)]
#[command(about = "Write a registry of one adversarial ownership shape")]
struct Args {
    shape: Shape,
    /// The size of the shape (see the table in the source).
    size: usize,
    /// The YAML file to write.
    out: PathBuf,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Shape {
    Chain,
    Lattice,
    FanIn,
    FanOut,
    FanInOut,
    Funnel,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.size < 2 {
        eprintln!("error: the size must be at least 2");
        return ExitCode::from(2);
    }
    let out = registry(args.shape, args.size);
    if let Some(parent) = args.out.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    match std::fs::write(&args.out, out.text()) {
        Ok(()) => {
            eprintln!(
                "wrote {} organisations and {} stakes to {}",
                out.organisations.len() + 3,
                out.stakes.len(),
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", args.out.display());
            ExitCode::from(1)
        }
    }
}

/// The registry of `shape` at `size` (at least 2).
pub fn registry(shape: Shape, size: usize) -> Registry {
    let mut out = Registry::default();
    match shape {
        Shape::Chain => chain(&mut out, size),
        Shape::Lattice => lattice(&mut out, size),
        Shape::FanIn => fan_in(&mut out, size),
        Shape::FanOut => fan_out(&mut out, size),
        Shape::FanInOut => fan_in_out(&mut out, size),
        Shape::Funnel => funnel(&mut out, size),
    }
    out
}

#[derive(Default)]
pub struct Registry {
    /// (id, kind) besides the customer, the rival and the vendor.
    organisations: Vec<(String, &'static str)>,
    /// (owner, owned, economic share).
    stakes: Vec<(String, String, String)>,
}

impl Registry {
    fn company(&mut self, id: String) -> String {
        self.organisations.push((id.clone(), "company"));
        id
    }

    fn stake(&mut self, owner: &str, owned: &str, share: &str) {
        self.stakes
            .push((owner.to_string(), owned.to_string(), share.to_string()));
    }

    pub fn text(&self) -> String {
        let mut text = String::from(
            "# Synthetic registry of one adversarial ownership shape, written by\n\
             # `cargo run --release --example shapes`. Not real data.\n\
             default_org: northwind\n\
             organisations:\n  \
             - {id: northwind, name: Northwind AI, kind: company}\n  \
             - {id: rival, name: Rival, kind: company}\n  \
             - {id: v, name: The Vendor, kind: company}\n",
        );
        for (id, kind) in &self.organisations {
            let _ = writeln!(text, "  - {{id: {id}, name: {id}, kind: {kind}}}");
        }
        text.push_str("stakes:\n");
        for (owner, owned, share) in &self.stakes {
            let _ = writeln!(
                text,
                "  - {{owner: {owner}, owned: {owned}, economic: {share}}}"
            );
        }
        text.push_str(
            "competitors:\n  \
             - {of: northwind, competitor: rival, tier: major}\n\
             vendors:\n  \
             - {customer: northwind, vendor: v, services: [data-labelling], \
             data_shared: [proprietary-training-data], status: active}\n",
        );
        text
    }
}

/// rival → c1 → c2 → ... → c(n-1) → v, every link 100%.
fn chain(out: &mut Registry, n: usize) {
    let mut owner = "rival".to_string();
    for i in 1..n {
        let company = out.company(format!("c{i}"));
        out.stake(&owner, &company, "100%");
        owner = company;
    }
    out.stake(&owner, "v", "100%");
}

/// The rival holds 50% of both companies of layer 1; each company of a layer holds 50% of both
/// of the next; both of layer n hold 50% of the vendor.
fn lattice(out: &mut Registry, n: usize) {
    let name = |layer: usize, j: usize| format!("l{layer}-{j}");
    for layer in 1..=n {
        for j in 0..2 {
            out.company(name(layer, j));
        }
    }
    for j in 0..2 {
        out.stake("rival", &name(1, j), "50%");
    }
    for layer in 1..n {
        for from in 0..2 {
            for to in 0..2 {
                out.stake(&name(layer, from), &name(layer + 1, to), "50%");
            }
        }
    }
    for j in 0..2 {
        out.stake(&name(n, j), "v", "50%");
    }
}

/// n people share 90% of the vendor equally; the rival holds 10%.
fn fan_in(out: &mut Registry, n: usize) {
    let share = format!("{}%", 90.0 / n as f64);
    for i in 0..n {
        let id = format!("p{i}");
        out.organisations.push((id.clone(), "person"));
        out.stake(&id, "v", &share);
    }
    out.stake("rival", "v", "10%");
}

/// n/2 holders (the rival first) of unknown shares in one company, which holds 100% of the
/// first of a chain of n/2 companies, the last holding 30% of the vendor. The shares of the
/// funnel company's owners can add up to far more than 100%, which going forward it can never
/// pass on; each holder reaches the vendor through the whole chain.
fn funnel(out: &mut Registry, n: usize) {
    let half = (n / 2).max(1);
    let funnel = out.company("funnel".to_string());
    out.stake("rival", &funnel, "unknown");
    for i in 1..half {
        let holder = out.company(format!("h{i}"));
        out.stake(&holder, &funnel, "unknown");
    }
    let mut above = funnel;
    for i in 0..half {
        let company = out.company(format!("k{i}"));
        out.stake(&above, &company, "100%");
        above = company;
    }
    out.stake(&above, "v", "30%");
}

/// The rival holds 0.5% of n companies, the vendor among them.
fn fan_out(out: &mut Registry, n: usize) {
    for i in 1..n {
        let company = out.company(format!("c{i}"));
        out.stake("rival", &company, "0.5%");
    }
    out.stake("rival", "v", "0.5%");
}

/// √n holders (the rival first) each hold an equal share (90% in all) of each of √n holding
/// companies, which hold 90% of the vendor in equal shares: n + √n stakes, and √n paths from
/// each holder to the vendor.
fn fan_in_out(out: &mut Registry, n: usize) {
    let side = (n as f64).sqrt().round().max(1.0) as usize;
    let share = format!("{}%", 90.0 / side as f64);
    let holders: Vec<String> = std::iter::once("rival".to_string())
        .chain((1..side).map(|i| out.company(format!("h{i}"))))
        .collect();
    let middles: Vec<String> = (0..side).map(|i| out.company(format!("m{i}"))).collect();
    for holder in &holders {
        for middle in &middles {
            out.stake(holder, middle, &share);
        }
    }
    for middle in &middles {
        out.stake(middle, "v", &share);
    }
}
