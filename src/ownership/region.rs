//! The ancestors of one entity, numbered locally, with what ranking the paths to the entity
//! needs: the stakes among them and, for each ancestor, the best economic and voting products and
//! the fewest stakes still needed to reach the entity.
//!
//! Built once per entity and shared by the explanations of all its owners, so that explaining
//! a thousand owners of one vendor does not walk the vendor's ancestry a thousand times.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use super::bounds::{ECON_MAX, VOTE_MAX};
use super::graph::Graph;
use super::scratch::Scratch;

/// No path from this node reaches the entity (never the case for an ancestor; kept for safety).
pub(crate) const UNREACHABLE: u32 = u32::MAX;

pub(crate) struct Region {
    /// Local index to node; the entity is 0.
    pub nodes: Vec<u32>,
    /// Nodes with their local index, sorted by node, to find an owner.
    sorted: Vec<(u32, u32)>,
    /// Stakes among the region's nodes by owner: `links[starts[i]..starts[i + 1]]` are
    /// (stake, local index of the owned node), in the graph's order of stakes.
    starts: Vec<u32>,
    links: Vec<(u32, u32)>,
    /// Per local node, the largest product of economic (then voting) upper bounds, as fractions,
    /// over the chains from it to the entity.
    pub best: [Vec<f64>; 2],
    /// Per local node, the fewest stakes from it to the entity.
    pub hops: Vec<u32>,
    /// Per local node, whether a chain from it passes through a member of a cross-holding cycle
    /// on its way to the entity.
    pub near_cycle: Vec<bool>,
}

impl Region {
    pub fn new(graph: &Graph, scratch: &mut Scratch, entity: u32) -> Region {
        graph.mark_ancestors(scratch, entity);
        let nodes = std::mem::take(&mut scratch.queue);
        for (local, &node) in nodes.iter().enumerate() {
            scratch.slot[node as usize] = local as u32;
        }
        let mut starts = Vec::with_capacity(nodes.len() + 1);
        let mut links = Vec::new();
        for &node in &nodes {
            starts.push(links.len() as u32);
            for edge in graph.out_edges(node) {
                let owned = graph.owned(edge);
                if scratch.in_region(owned) {
                    links.push((edge as u32, scratch.slot[owned as usize]));
                }
            }
        }
        starts.push(links.len() as u32);
        let mut sorted: Vec<(u32, u32)> = nodes
            .iter()
            .enumerate()
            .map(|(local, &node)| (node, local as u32))
            .collect();
        sorted.sort_unstable();
        let mut region = Region {
            nodes,
            sorted,
            starts,
            links,
            best: [Vec::new(), Vec::new()],
            hops: Vec::new(),
            near_cycle: Vec::new(),
        };
        let incoming = region.incoming();
        region.best = [
            region.best_products(graph, &incoming, ECON_MAX),
            region.best_products(graph, &incoming, VOTE_MAX),
        ];
        region.hops = region.fewest_stakes(&incoming);
        region.near_cycle = region.near_cycles(graph, &incoming);
        region
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The local index of `node`, when it is an ancestor of the entity (or the entity).
    pub fn local(&self, node: u32) -> Option<u32> {
        self.sorted
            .binary_search_by_key(&node, |&(n, _)| n)
            .ok()
            .map(|i| self.sorted[i].1)
    }

    /// The stakes held by local node `local` in other nodes of the region, as (stake, local
    /// index of the owned node).
    pub fn links(&self, local: u32) -> &[(u32, u32)] {
        let local = local as usize;
        &self.links[self.starts[local] as usize..self.starts[local + 1] as usize]
    }

    /// The links reversed: per local node, (stake, local index of the owner).
    fn incoming(&self) -> Vec<Vec<(u32, u32)>> {
        let mut incoming = vec![Vec::new(); self.nodes.len()];
        for from in 0..self.nodes.len() as u32 {
            for &(edge, to) in self.links(from) {
                incoming[to as usize].push((edge, from));
            }
        }
        incoming
    }

    /// Dijkstra from the entity backwards: a product only shrinks along a chain, so the largest
    /// is final when it is taken.
    fn best_products(&self, graph: &Graph, incoming: &[Vec<(u32, u32)>], bound: usize) -> Vec<f64> {
        let mut best = vec![0.0f64; self.nodes.len()];
        if best.is_empty() {
            return best;
        }
        best[0] = 1.0;
        let mut heap = BinaryHeap::new();
        heap.push(Largest(1.0, 0));
        while let Some(Largest(value, local)) = heap.pop() {
            if value < best[local as usize] {
                continue;
            }
            for &(edge, from) in &incoming[local as usize] {
                let candidate = value * graph.weights(edge as usize).pct[bound] * 0.01;
                if candidate > best[from as usize] {
                    best[from as usize] = candidate;
                    heap.push(Largest(candidate, from));
                }
            }
        }
        best
    }

    /// Breadth-first from the entity backwards.
    fn fewest_stakes(&self, incoming: &[Vec<(u32, u32)>]) -> Vec<u32> {
        let mut hops = vec![UNREACHABLE; self.nodes.len()];
        if hops.is_empty() {
            return hops;
        }
        hops[0] = 0;
        let mut queue = std::collections::VecDeque::from([0u32]);
        while let Some(local) = queue.pop_front() {
            let next = hops[local as usize] + 1;
            for &(_, from) in &incoming[local as usize] {
                if hops[from as usize] == UNREACHABLE {
                    hops[from as usize] = next;
                    queue.push_back(from);
                }
            }
        }
        hops
    }

    /// Members of cyclic components and everything with a chain to one of them.
    fn near_cycles(&self, graph: &Graph, incoming: &[Vec<(u32, u32)>]) -> Vec<bool> {
        let mut near: Vec<bool> = self
            .nodes
            .iter()
            .map(|&node| graph.is_cyclic(graph.component(node)))
            .collect();
        let mut stack: Vec<u32> = (0..self.nodes.len() as u32)
            .filter(|&local| near[local as usize])
            .collect();
        while let Some(local) = stack.pop() {
            for &(_, from) in &incoming[local as usize] {
                if !near[from as usize] {
                    near[from as usize] = true;
                    stack.push(from);
                }
            }
        }
        near
    }
}

/// A max-heap entry ordered by value, then by the smaller local index (for a fixed order).
struct Largest(f64, u32);

impl Ord for Largest {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .total_cmp(&other.0)
            .then(Reverse(self.1).cmp(&Reverse(other.1)))
    }
}

impl PartialOrd for Largest {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Largest {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Largest {}
