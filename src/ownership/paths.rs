//! Explanations: the paths behind an effective share.
//!
//! Integrated method: simple paths (no organisation twice) from the owner to the entity are
//! enumerated largest first by a best-first search whose priority is the path's product so far
//! times the best product still possible to the entity (an upper bound, so complete paths come
//! out in order). Paths are ranked by economic upper bound, then voting upper bound. The search
//! is bounded ([`MAX_DEPTH`], [`MAX_EXPANSIONS`], [`MAX_PUSHES`], [`MAX_SUMMED_PATHS`]) so it
//! is always fast. Where no cycle lies between owner and entity every chain is a simple path,
//! so what the listed paths leave out is exactly `unlisted`. Where cycles lie between them, the
//! search goes on past the listed paths to sum every simple path, and what the share holds
//! beyond that sum is `cycle_remainder`.
//!
//! Control-chain method: one path per direct stake in the entity held by the owner or by an
//! entity it (possibly) controls, through the chain of stakes by which control was established;
//! the paths' contributions add up to the share.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::bounds::{BOUNDS, ECON_MAX, ECON_MIN, VOTE_MAX, VOTE_MIN, bit, percent_interval};
use super::graph::Graph;
use super::scratch::Scratch;
use super::{Explained, MAX_LISTED_PATHS, NodeId, OwnershipPath, Share};
use super::{control, integrated};
use crate::interval::Interval;

/// Longest path listed, in stakes.
pub const MAX_DEPTH: usize = 32;
/// Most partial paths the search extends.
pub const MAX_EXPANSIONS: usize = 100_000;
/// Most partial paths the search keeps.
pub const MAX_PUSHES: usize = 1_000_000;
/// Most simple paths summed to separate the cycles' part of a share.
pub const MAX_SUMMED_PATHS: usize = 10_000;

/// Remainders at or below this many percentage points are reported as nothing.
const NEGLIGIBLE: f64 = 1e-9;

pub(crate) fn explain_integrated(
    graph: &Graph,
    scratch: &mut Scratch,
    owner: u32,
    entity: u32,
) -> Explained {
    if owner == entity {
        return itself(owner);
    }
    let raw = integrated::share(graph, scratch, owner, entity);
    let mut explained = nothing(owner, entity);
    if !raw.is_reached() {
        return explained;
    }
    explained.share = raw.share(100.0);
    let raw_percent = raw.v.map(|value| value * 100.0);
    // Everything reached on the way is an ancestor of the entity reachable from the owner.
    let local = Local::new(graph, &scratch.reached, owner, entity);
    let search = local.search(graph);
    let listed_sum = sum_bounds(search.paths.iter().take(MAX_LISTED_PATHS));
    if local.cyclic && search.finished {
        let all_sum = sum_bounds(search.paths.iter());
        explained.unlisted = remainder(&all_sum, &listed_sum);
        explained.cycle_remainder = remainder(&raw_percent, &all_sum);
    } else {
        explained.unlisted = remainder(&raw_percent, &listed_sum);
        explained.complete = !local.cyclic;
    }
    explained.paths = search.paths;
    explained.paths.truncate(MAX_LISTED_PATHS);
    explained
}

pub(crate) fn explain_control(
    graph: &Graph,
    scratch: &mut Scratch,
    owner: u32,
    entity: u32,
    threshold: f64,
) -> Explained {
    if owner == entity {
        return itself(owner);
    }
    let mut explained = nothing(owner, entity);
    graph.mark_ancestors(scratch, entity);
    if !scratch.in_region(owner) {
        return explained;
    }
    control::attribute_tracked(graph, scratch, owner, threshold, true, true);
    if !scratch.is_seen(entity) {
        return explained;
    }
    explained.share = scratch.acc[entity as usize].share(1.0);
    let mut paths = Vec::new();
    for &edge in graph.in_edges(entity) {
        let edge = edge as usize;
        let holder = graph.owner(edge);
        if !scratch.is_seen(holder) {
            continue;
        }
        let control = scratch.controlled[holder as usize];
        let weights = graph.weights(edge);
        let economic = contribution(weights.economic(), control, ECON_MIN, ECON_MAX);
        let voting = contribution(weights.voting(), control, VOTE_MIN, VOTE_MAX);
        if economic.max <= 0.0 && voting.max <= 0.0 {
            continue;
        }
        let (mut nodes, mut stakes) = control_chain(graph, scratch, owner, holder);
        nodes.push(entity as NodeId);
        stakes.push(graph.stake(edge));
        paths.push(OwnershipPath {
            nodes,
            stakes,
            economic,
            voting,
        });
    }
    paths.sort_by(|a, b| {
        b.economic
            .max
            .total_cmp(&a.economic.max)
            .then(b.voting.max.total_cmp(&a.voting.max))
            .then_with(|| a.nodes.cmp(&b.nodes))
            .then_with(|| a.stakes.cmp(&b.stakes))
    });
    if paths.len() > MAX_LISTED_PATHS {
        let rest = paths.split_off(MAX_LISTED_PATHS);
        let mut unlisted = Share::ZERO;
        for path in &rest {
            unlisted.economic = unlisted.economic.plus(&path.economic);
            unlisted.voting = unlisted.voting.plus(&path.voting);
        }
        explained.unlisted = Some(unlisted);
    }
    explained.paths = paths;
    explained
}

fn itself(owner: u32) -> Explained {
    Explained {
        owner: owner as NodeId,
        entity: owner as NodeId,
        share: Share::FULL,
        paths: vec![OwnershipPath {
            nodes: vec![owner as NodeId],
            stakes: Vec::new(),
            economic: Interval::FULL,
            voting: Interval::FULL,
        }],
        unlisted: None,
        cycle_remainder: None,
        complete: true,
    }
}

fn nothing(owner: u32, entity: u32) -> Explained {
    Explained {
        owner: owner as NodeId,
        entity: entity as NodeId,
        share: Share::ZERO,
        paths: Vec::new(),
        unlisted: None,
        cycle_remainder: None,
        complete: true,
    }
}

/// What one stake held by a (possibly) controlled entity adds: all of it when control is
/// certain, up to all of it when control is only possible, nothing otherwise.
fn contribution(share: Interval, control: u8, lower: usize, upper: usize) -> Interval {
    if control & bit(lower) != 0 {
        share
    } else if control & bit(upper) != 0 {
        Interval {
            min: 0.0,
            max: share.max,
            min_exclusive: false,
            max_exclusive: share.max_exclusive,
        }
    } else {
        Interval::ZERO
    }
}

/// The chain of stakes by which `owner` came to control `holder` (following, for each entity,
/// the stake that took it over the threshold), as nodes from `owner` to `holder` and stakes.
fn control_chain(
    graph: &Graph,
    scratch: &Scratch,
    owner: u32,
    holder: u32,
) -> (Vec<NodeId>, Vec<usize>) {
    let control = scratch.controlled[holder as usize];
    let bound = if control & bit(ECON_MAX) != 0 {
        ECON_MAX
    } else {
        VOTE_MAX
    };
    let mut nodes = vec![holder as NodeId];
    let mut stakes = Vec::new();
    let mut current = holder;
    // Each controller came under control before the entity it controls, so this ends; the
    // bound on steps only guards against a broken invariant.
    while current != owner && nodes.len() <= graph.node_count() {
        let Some(&edge) = scratch
            .controller
            .get(current as usize)
            .map(|edges| &edges[bound])
        else {
            break;
        };
        if edge == u32::MAX {
            break;
        }
        stakes.push(graph.stake(edge as usize));
        current = graph.owner(edge as usize);
        nodes.push(current as NodeId);
    }
    nodes.reverse();
    stakes.reverse();
    (nodes, stakes)
}

/// Sums of the paths' bounds in percent, uncapped, in the order of [`BOUNDS`].
fn sum_bounds<'a>(paths: impl Iterator<Item = &'a OwnershipPath>) -> [f64; BOUNDS] {
    let mut sum = [0.0; BOUNDS];
    for path in paths {
        sum[ECON_MIN] += path.economic.min;
        sum[ECON_MAX] += path.economic.max;
        sum[VOTE_MIN] += path.voting.min;
        sum[VOTE_MAX] += path.voting.max;
    }
    sum
}

/// `total - part` per bound (each bound is one consistent world: every stake at its minimum, or
/// every stake at its maximum), capped, with closed bounds; `None` when negligible.
fn remainder(total: &[f64; BOUNDS], part: &[f64; BOUNDS]) -> Option<Share> {
    let difference = |bound: usize| {
        if total[bound].is_infinite() {
            f64::INFINITY
        } else {
            total[bound] - part[bound]
        }
    };
    let share = Share {
        economic: percent_interval(difference(ECON_MIN), false, difference(ECON_MAX), false),
        voting: percent_interval(difference(VOTE_MIN), false, difference(VOTE_MAX), false),
    };
    (share.economic.max > NEGLIGIBLE || share.voting.max > NEGLIGIBLE).then_some(share)
}

/// The part of the graph between owner and entity: nodes reachable from the owner that are
/// ancestors of the entity, and the stakes among them (none into the owner).
struct Local {
    nodes: Vec<u32>,
    out: Vec<Vec<(usize, usize)>>,
    owner: usize,
    entity: usize,
    cyclic: bool,
}

impl Local {
    fn new(graph: &Graph, reached: &[u32], owner: u32, entity: u32) -> Local {
        let mut nodes = reached.to_vec();
        nodes.sort_unstable();
        let index = |node: u32| nodes.binary_search(&node).ok();
        let out: Vec<Vec<(usize, usize)>> = nodes
            .iter()
            .map(|&node| {
                graph
                    .out_edges(node)
                    .filter(|&edge| graph.owned(edge) != owner)
                    .filter_map(|edge| index(graph.owned(edge)).map(|to| (edge, to)))
                    .collect()
            })
            .collect();
        let owner = index(owner).unwrap_or(0);
        let entity = index(entity).unwrap_or(0);
        let cyclic = has_cycle(&out);
        Local {
            nodes,
            out,
            owner,
            entity,
            cyclic,
        }
    }

    /// The best product of upper bounds (fractions) from each node to the entity, per measure.
    fn best_to_entity(&self, graph: &Graph, bound: usize) -> Vec<f64> {
        let mut incoming: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.nodes.len()];
        for (from, edges) in self.out.iter().enumerate() {
            for &(edge, to) in edges {
                incoming[to].push((edge, from));
            }
        }
        let mut best = vec![0.0f64; self.nodes.len()];
        best[self.entity] = 1.0;
        let mut heap = BinaryHeap::new();
        heap.push(Ranked {
            key: [1.0, 0.0],
            order: 0,
            index: self.entity,
        });
        while let Some(Ranked { key, index, .. }) = heap.pop() {
            if key[0] < best[index] {
                continue;
            }
            for &(edge, from) in &incoming[index] {
                let candidate = key[0] * graph.weights(edge).pct[bound] * 0.01;
                if candidate > best[from] {
                    best[from] = candidate;
                    heap.push(Ranked {
                        key: [candidate, 0.0],
                        order: from,
                        index: from,
                    });
                }
            }
        }
        best
    }

    fn search(&self, graph: &Graph) -> Search {
        let best_economic = self.best_to_entity(graph, ECON_MAX);
        let best_voting = self.best_to_entity(graph, VOTE_MAX);
        let mut partials = vec![Partial {
            node: self.owner,
            parent: usize::MAX,
            edge: usize::MAX,
            depth: 0,
            product: [1.0, 1.0],
        }];
        let mut heap = BinaryHeap::new();
        heap.push(Ranked {
            key: [best_economic[self.owner], best_voting[self.owner]],
            order: 0,
            index: 0,
        });
        let mut paths = Vec::new();
        let mut finished = true;
        let mut expansions = 0;
        // Without cycles the listed paths suffice: the rest is exactly `unlisted`.
        let wanted = if self.cyclic {
            MAX_SUMMED_PATHS
        } else {
            MAX_LISTED_PATHS
        };
        while let Some(Ranked { index, .. }) = heap.pop() {
            let partial = partials[index];
            if partial.node == self.entity {
                paths.push(self.path(graph, &partials, index));
                if paths.len() >= wanted {
                    finished = heap.is_empty();
                    break;
                }
                continue;
            }
            expansions += 1;
            if expansions > MAX_EXPANSIONS || partials.len() > MAX_PUSHES {
                finished = false;
                break;
            }
            for &(edge, to) in &self.out[partial.node] {
                if on_path(&partials, index, to) {
                    continue;
                }
                if partial.depth >= MAX_DEPTH {
                    finished = false;
                    continue;
                }
                let weights = graph.weights(edge);
                let product = [
                    partial.product[0] * weights.pct[ECON_MAX] * 0.01,
                    partial.product[1] * weights.pct[VOTE_MAX] * 0.01,
                ];
                let key = [product[0] * best_economic[to], product[1] * best_voting[to]];
                if key[0] <= 0.0 && key[1] <= 0.0 {
                    continue;
                }
                partials.push(Partial {
                    node: to,
                    parent: index,
                    edge,
                    depth: partial.depth + 1,
                    product,
                });
                heap.push(Ranked {
                    key,
                    order: partials.len() - 1,
                    index: partials.len() - 1,
                });
            }
        }
        Search { paths, finished }
    }

    fn path(&self, graph: &Graph, partials: &[Partial], last: usize) -> OwnershipPath {
        let mut edges = Vec::new();
        let mut index = last;
        while partials[index].parent != usize::MAX {
            edges.push(partials[index].edge);
            index = partials[index].parent;
        }
        edges.reverse();
        let mut nodes = vec![self.nodes[self.owner] as NodeId];
        let mut economic = Interval::FULL;
        let mut voting = Interval::FULL;
        for &edge in &edges {
            let weights = graph.weights(edge);
            economic = economic.times(&weights.economic());
            voting = voting.times(&weights.voting());
            nodes.push(graph.owned(edge) as NodeId);
        }
        OwnershipPath {
            nodes,
            stakes: edges.iter().map(|&edge| graph.stake(edge)).collect(),
            economic,
            voting,
        }
    }
}

struct Search {
    /// Complete paths, largest first.
    paths: Vec<OwnershipPath>,
    /// Whether every simple path was seen.
    finished: bool,
}

#[derive(Clone, Copy)]
struct Partial {
    node: usize,
    parent: usize,
    edge: usize,
    depth: usize,
    /// Products of the economic and voting upper bounds so far, as fractions.
    product: [f64; 2],
}

fn on_path(partials: &[Partial], mut index: usize, node: usize) -> bool {
    loop {
        if partials[index].node == node {
            return true;
        }
        if partials[index].parent == usize::MAX {
            return false;
        }
        index = partials[index].parent;
    }
}

/// A heap entry: largest key first (lexicographic), then the earliest pushed, so the order of
/// equal paths is reproducible.
struct Ranked {
    key: [f64; 2],
    order: usize,
    index: usize,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key[0]
            .total_cmp(&other.key[0])
            .then(self.key[1].total_cmp(&other.key[1]))
            .then(other.order.cmp(&self.order))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

/// Kahn's algorithm: a cycle exists when some node never loses all its predecessors.
fn has_cycle(out: &[Vec<(usize, usize)>]) -> bool {
    let mut indegree = vec![0usize; out.len()];
    for edges in out {
        for &(_, to) in edges {
            indegree[to] += 1;
        }
    }
    let mut ready: Vec<usize> = (0..out.len()).filter(|&v| indegree[v] == 0).collect();
    let mut done = 0;
    while let Some(node) = ready.pop() {
        done += 1;
        for &(_, to) in &out[node] {
            indegree[to] -= 1;
            if indegree[to] == 0 {
                ready.push(to);
            }
        }
    }
    done < out.len()
}
