//! Simple paths (no organisation twice) from an owner to an entity, largest first.
//!
//! A best-first search whose priority is the path's product so far times the best product still
//! possible to the entity (an upper bound, so complete paths come out in order and dead ends are
//! never explored). Paths are ranked by economic upper bound, then voting upper bound. The search
//! is bounded ([`MAX_DEPTH`], [`MAX_EXPANSIONS`], [`MAX_PUSHES`], and a number of paths wanted)
//! so it is always fast.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::bounds::{ECON_MAX, VOTE_MAX};
use super::graph::Graph;
use super::{NodeId, OwnershipPath};
use crate::value::interval::Interval;

/// Longest path listed, in stakes: long enough for the deepest holding chains of real groups
/// (reports shorten long paths in the middle, so a long chain costs no space there).
pub const MAX_DEPTH: usize = 256;
/// Most partial paths the search extends.
pub const MAX_EXPANSIONS: usize = 100_000;
/// Most partial paths the search keeps.
pub const MAX_PUSHES: usize = 1_000_000;

/// The part of the graph between owner and entity: nodes reachable from the owner that are
/// ancestors of the entity, and the stakes among them (none into the owner).
pub(crate) struct Local {
    nodes: Vec<u32>,
    /// Per local node: (stake, local index of the owned node).
    out: Vec<Vec<(usize, usize)>>,
    owner: usize,
    entity: usize,
    /// Whether a cycle lies between owner and entity.
    pub cyclic: bool,
}

impl Local {
    /// `reached`: the nodes reachable from `owner` among the ancestors of `entity`.
    pub(crate) fn new(graph: &Graph, reached: &[u32], owner: u32, entity: u32) -> Local {
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

    /// Up to `wanted` simple paths from owner to entity, largest first.
    pub(crate) fn search(&self, graph: &Graph, wanted: usize) -> Search {
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

pub(crate) struct Search {
    /// Complete paths, largest first.
    pub paths: Vec<OwnershipPath>,
    /// Whether every simple path was seen.
    pub finished: bool,
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
