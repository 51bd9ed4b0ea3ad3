//! Ownership engine benchmark on synthetic registries.
//!
//! `cargo bench --bench ownership` builds registries of 250,000, 500,000 and 1,000,000
//! organisations with two stakes each on average, and measures building the graph and the
//! effective shares of 1,000 owner groups in vendors (a tenth of all organisations: 100,000 at
//! 1,000,000) with both methods. Run without `--bench` (as `cargo test --all-targets` does), it
//! only checks the generator on a small registry.
//!
//! The generator (seeded, reproducible) mimics a corporate registry:
//! - corporate groups with heavy-tailed sizes (Pareto, α = 1.3, up to 5,000 members), each a tree
//!   of majority stakes under its root, with chains up to 20 deep;
//! - portfolio stakes (the rest, up to two stakes per organisation) from group roots chosen
//!   heavy-tailed (a few investors hold thousands of stakes) into organisations chosen
//!   heavy-tailed (a few popular companies have thousands of owners); groups have tiers and
//!   portfolio stakes point to later tiers, as holding companies and funds sit above operating
//!   companies;
//! - small cross-holding cycles (2-3 members) inside 1% of groups;
//! - 6% register bands, 2-3% unknown shares, 10% of portfolio stakes without votes.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use divan::Bencher;
use vrisk::ownership::{Edge, Graph, Method, NodeId};
use vrisk::value::interval::Interval;

const SIZES: [usize; 3] = [250_000, 500_000, 1_000_000];
const OWNERS: usize = 1_000;
const STAKES_PER_NODE: usize = 2;
/// Longest chain of majority stakes under a group's root.
const MAX_CHAIN: u8 = 20;
const SEED: u64 = 0x05ee_d0f0_cea1;

fn main() {
    if std::env::args().any(|arg| arg == "--bench") {
        divan::main();
    } else {
        smoke_test();
    }
}

#[divan::bench(args = SIZES, sample_count = 3, sample_size = 1)]
fn build_graph(bencher: Bencher, nodes: usize) {
    let edges = registry(nodes).edges.clone();
    bencher
        .with_inputs(|| edges.clone())
        .bench_values(|edges| Graph::new(nodes, edges));
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn holdings_integrated(bencher: Bencher, nodes: usize) {
    let fixture = fixture(nodes);
    bencher.bench(|| {
        fixture
            .graph
            .holdings_among(&fixture.owners, &fixture.vendors, Method::Integrated)
    });
}

/// The same for the 1,000 heaviest owners.
#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn holdings_integrated_largest(bencher: Bencher, nodes: usize) {
    let fixture = fixture(nodes);
    bencher.bench(|| {
        fixture
            .graph
            .holdings_among(&fixture.largest, &fixture.vendors, Method::Integrated)
    });
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn holdings_control_chain(bencher: Bencher, nodes: usize) {
    let fixture = fixture(nodes);
    bencher.bench(|| {
        fixture
            .graph
            .holdings_among(&fixture.owners, &fixture.vendors, Method::control_chain())
    });
}

/// Every owner of 1,000 vendors, one vendor at a time (the reverse question).
#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn owners_of_1000_vendors(bencher: Bencher, nodes: usize) {
    let fixture = fixture(nodes);
    bencher.bench(|| {
        fixture.vendors[..1_000]
            .iter()
            .map(|&vendor| fixture.graph.owners_of(vendor, Method::Integrated).len())
            .sum::<usize>()
    });
}

// ---------------------------------------------------------------------------------------------
// Fixtures

struct Registry {
    edges: Vec<Edge>,
    owners: Vec<NodeId>,
    /// The 1,000 groups with the most portfolio stakes: the heaviest owners there are.
    largest: Vec<NodeId>,
    vendors: Vec<NodeId>,
    /// Deepest chain of majority stakes, and number of cross-holding cycles.
    deepest: u8,
    cycles: usize,
}

struct Fixture {
    graph: Graph,
    owners: Vec<NodeId>,
    largest: Vec<NodeId>,
    vendors: Vec<NodeId>,
}

fn registry(nodes: usize) -> &'static Registry {
    static CACHE: OnceLock<Mutex<HashMap<usize, &'static Registry>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    cache
        .entry(nodes)
        .or_insert_with(|| Box::leak(Box::new(generate(nodes, SEED))))
}

fn fixture(nodes: usize) -> &'static Fixture {
    static CACHE: OnceLock<Mutex<HashMap<usize, &'static Fixture>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    cache.entry(nodes).or_insert_with(|| {
        let registry = registry(nodes);
        let started = Instant::now();
        let graph = Graph::new(nodes, registry.edges.clone());
        let built = started.elapsed();
        eprintln!(
            "\n[generated: chains up to {} deep, {} cross-holding cycles]",
            registry.deepest, registry.cycles
        );
        let fixture = Fixture {
            graph,
            owners: registry.owners.clone(),
            largest: registry.largest.clone(),
            vendors: registry.vendors.clone(),
        };
        describe(&fixture, built);
        Box::leak(Box::new(fixture))
    })
}

/// Prints the shape of a fixture, so that the figures can be read against it.
fn describe(fixture: &Fixture, built: std::time::Duration) {
    eprintln!(
        "[{} organisations, {} stakes, graph built in {:.2?}]",
        fixture.graph.node_count(),
        fixture.graph.edge_count(),
        built
    );
    describe_owners(fixture, "drawn", &fixture.owners);
    describe_owners(fixture, "largest", &fixture.largest);
}

fn describe_owners(fixture: &Fixture, name: &str, owners: &[NodeId]) {
    let reach: Vec<usize> = owners
        .iter()
        .map(|&owner| fixture.graph.holdings_of(owner, Method::Integrated).len())
        .collect();
    let total: usize = reach.iter().sum();
    let mut sorted = reach.clone();
    sorted.sort_unstable();
    let hits: usize = fixture
        .graph
        .holdings_among(owners, &fixture.vendors, Method::Integrated)
        .iter()
        .map(Vec::len)
        .sum();
    eprintln!(
        "[{name} owners] reach of the {}: mean {}, median {}, max {}; \
         {} (owner, vendor) pairs with a share",
        reach.len(),
        total / reach.len().max(1),
        sorted.get(sorted.len() / 2).copied().unwrap_or(0),
        sorted.last().copied().unwrap_or(0),
        hits,
    );
}

/// Run as a test: the generator's output is a valid, consistent registry.
fn smoke_test() {
    let registry = generate(5_000, SEED);
    let graph = Graph::new(5_000, registry.edges.clone());
    assert_eq!(graph.edge_count(), registry.edges.len());
    let among = graph.holdings_among(
        &registry.owners[..20],
        &registry.vendors,
        Method::Integrated,
    );
    for (owner, holdings) in registry.owners.iter().zip(&among) {
        for &(vendor, share) in holdings.iter().take(5) {
            assert_eq!(share, graph.share(*owner, vendor, Method::Integrated));
        }
    }
    println!("ownership bench generator: 1 passed, 0 failed");
}

// ---------------------------------------------------------------------------------------------
// Generator

/// xorshift64*: small, fast and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// An index in 0..n, heavy-tailed towards 0: P(index < k) = (k/n)^(1/3).
    fn skewed(&mut self, n: usize) -> usize {
        (self.unit().powi(3) * n as f64) as usize % n.max(1)
    }

    /// Pareto-distributed size >= 1.
    fn pareto(&mut self, alpha: f64) -> f64 {
        (1.0 - self.unit()).powf(-1.0 / alpha)
    }
}

/// A percentage with two decimals.
fn percent(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

fn subsidiary_share(rng: &mut Rng) -> Interval {
    let roll = rng.unit();
    if roll < 0.70 {
        Interval::exact(100.0)
    } else if roll < 0.92 {
        Interval::exact(percent(50.01 + rng.unit() * 49.98))
    } else if roll < 0.96 {
        band(50.0, 75.0)
    } else if roll < 0.98 {
        Interval::closed(75.0, 100.0)
    } else {
        Interval::UNKNOWN
    }
}

fn portfolio_share(rng: &mut Rng) -> Interval {
    let roll = rng.unit();
    if roll < 0.92 {
        // Log-uniform between 0.01% and 15%.
        Interval::exact(percent(0.01 * 1500f64.powf(rng.unit())).max(0.01))
    } else if roll < 0.97 {
        band(25.0, 50.0)
    } else {
        Interval::UNKNOWN
    }
}

/// A UK-style register band: at least `min`, less than `max`.
fn band(min: f64, max: f64) -> Interval {
    Interval {
        min,
        max,
        min_exclusive: false,
        max_exclusive: true,
    }
}

fn generate(nodes: usize, seed: u64) -> Registry {
    let mut rng = Rng::new(seed ^ nodes as u64);
    // Organisations get their ids in a shuffled order, as a registry's ids follow no structure.
    let mut id: Vec<NodeId> = (0..nodes).collect();
    for i in (1..nodes).rev() {
        id.swap(i, rng.below(i + 1));
    }
    let mut edges = Vec::with_capacity(nodes * STAKES_PER_NODE);
    let push = |edges: &mut Vec<Edge>, owner: usize, owned: usize, economic, voting| {
        let stake = edges.len();
        edges.push(Edge {
            owner: id[owner],
            owned: id[owned],
            economic,
            voting,
            stake,
        });
    };

    // Corporate groups: positions first..first + size, a tree of majority stakes under `first`.
    let mut roots = Vec::new();
    let mut tier_of_group = Vec::new();
    let mut group_of = vec![0u32; nodes];
    let mut first = 0;
    let (mut deepest, mut cycles) = (0u8, 0usize);
    while first < nodes {
        let size = (rng.pareto(1.3) as usize)
            .clamp(1, 5_000)
            .min(nodes - first);
        let group = roots.len() as u32;
        roots.push(first);
        let tier = match rng.unit() {
            t if t < 0.05 => 0u8,
            t if t < 0.20 => 1,
            t if t < 0.50 => 2,
            _ => 3,
        };
        tier_of_group.push(tier);
        let mut depth = vec![0u8; size];
        group_of[first] = group;
        for member in 1..size {
            // Often hang under the previous member, making chains; otherwise anywhere above.
            let parent = if rng.chance(0.35) && depth[member - 1] < MAX_CHAIN {
                member - 1
            } else {
                let anywhere = rng.below(member);
                if depth[anywhere] < MAX_CHAIN {
                    anywhere
                } else {
                    0
                }
            };
            depth[member] = depth[parent] + 1;
            deepest = deepest.max(depth[member]);
            group_of[first + member] = group;
            let share = subsidiary_share(&mut rng);
            push(&mut edges, first + parent, first + member, share, share);
        }
        // Cross-holdings between two or three sister companies.
        if size >= 4 && rng.chance(0.01) {
            cycles += 1;
            let cycle: Vec<usize> = (0..2 + rng.below(2))
                .map(|_| first + 1 + rng.below(size - 1))
                .collect();
            for (k, &from) in cycle.iter().enumerate() {
                let to = cycle[(k + 1) % cycle.len()];
                if from != to {
                    let share = Interval::exact(percent(2.0 + rng.unit() * 18.0));
                    push(&mut edges, from, to, share, share);
                }
            }
        }
        first += size;
    }

    // Popularity order for targets: a random permutation, read heavy-tailed.
    let mut popular: Vec<usize> = (0..nodes).collect();
    for i in (1..nodes).rev() {
        popular.swap(i, rng.below(i + 1));
    }
    let investors: Vec<usize> = roots
        .iter()
        .copied()
        .filter(|&root| tier_of_group[group_of[root] as usize] < 3)
        .collect();
    let wanted = nodes * STAKES_PER_NODE;
    let mut attempts = 0;
    while edges.len() < wanted && !investors.is_empty() && attempts < wanted * 20 {
        attempts += 1;
        let owner = investors[rng.skewed(investors.len())];
        let owned = popular[rng.skewed(nodes)];
        let owner_tier = tier_of_group[group_of[owner] as usize];
        if tier_of_group[group_of[owned] as usize] <= owner_tier {
            continue;
        }
        let economic = portfolio_share(&mut rng);
        let voting = if rng.chance(0.10) {
            Interval::ZERO
        } else {
            economic
        };
        push(&mut edges, owner, owned, economic, voting);
    }

    // Owner groups: distinct investors, drawn heavy-tailed (competitors are large groups).
    let mut owners = Vec::new();
    let mut taken = vec![false; nodes];
    while owners.len() < OWNERS.min(investors.len()) {
        let owner = investors[rng.skewed(investors.len())];
        if !std::mem::replace(&mut taken[owner], true) {
            owners.push(id[owner]);
        }
    }
    let largest = investors
        .iter()
        .take(OWNERS)
        .map(|&owner| id[owner])
        .collect();
    let vendors: Vec<NodeId> = (0..nodes / 10).map(|_| id[rng.below(nodes)]).collect();
    Registry {
        edges,
        owners,
        largest,
        vendors,
        deepest,
        cycles,
    }
}
