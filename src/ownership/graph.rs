//! The stake graph: stakes indexed by owner and by owned entity, and its strongly connected
//! components in topological order. Built once; every query reads it.

use rayon::prelude::*;

use super::bounds::Weights;
use super::scc::{Successors, strongly_connected};
use super::scratch::{Checkout, Scratch, ScratchPool};
use super::view::OwnersView;
use super::{Edge, Explained, Method, NodeId, Share};
use super::{control, integrated};
use crate::value::truth::Truth;

/// Node ids are stored in 32 bits; larger graphs are cut to this many nodes.
pub const MAX_NODES: usize = u32::MAX as usize - 1;
/// Stake indices are stored in 32 bits; stakes beyond this many are ignored.
pub const MAX_EDGES: usize = u32::MAX as usize - 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    /// From owners to what they own.
    Forward,
    /// From owned entities to their owners.
    Backward,
}

/// Stakes among `node_count` organisations, ready for queries.
pub struct Graph {
    node_count: usize,
    /// Stakes sorted by owner (stable): stake `e` goes from `owner[e]` to `owned[e]`, and the
    /// stakes of owner `v` are `out_start[v]..out_start[v + 1]`.
    out_start: Vec<usize>,
    owner: Vec<u32>,
    owned: Vec<u32>,
    /// The component of `owned[e]`, stored with the stake because a forward pass needs it for
    /// every node it reaches and would otherwise look it up at random.
    owned_component: Vec<u32>,
    weights: Vec<Weights>,
    stake: Vec<usize>,
    /// Stakes into `v`: `in_edge[in_start[v]..in_start[v + 1]]`, indices into the arrays above.
    in_start: Vec<usize>,
    in_edge: Vec<u32>,
    /// Strongly connected components, numbered owners-first.
    component_of: Vec<u32>,
    component_start: Vec<usize>,
    /// Members of each component, in ascending node order.
    component_members: Vec<u32>,
    /// Whether a component holds a cycle (several members, or a stake an entity holds in itself).
    cyclic: Vec<bool>,
    pool: ScratchPool,
}

impl Graph {
    /// Builds the graph. Stakes naming a node outside `0..node_count`, and stakes that carry
    /// nothing (both upper bounds 0), are left out; percentages are normalised as described in
    /// `docs/ownership.md`.
    pub fn new(node_count: usize, edges: Vec<Edge>) -> Graph {
        let n = node_count.min(MAX_NODES);
        let mut kept: Vec<(u32, u32, Weights, usize)> = edges
            .iter()
            .filter(|edge| edge.owner < n && edge.owned < n)
            .map(|edge| {
                let weights = Weights::new(&edge.economic, &edge.voting);
                (edge.owner as u32, edge.owned as u32, weights, edge.stake)
            })
            .filter(|(_, _, weights, _)| !weights.is_void())
            .take(MAX_EDGES)
            .collect();
        drop(edges);
        // Stable, so stakes of one owner keep the caller's order and results are reproducible.
        kept.sort_by_key(|&(owner, _, _, _)| owner);

        let out_start = starts(n, kept.iter().map(|&(owner, ..)| owner));
        let owner: Vec<u32> = kept.iter().map(|&(owner, ..)| owner).collect();
        let owned: Vec<u32> = kept.iter().map(|&(_, owned, ..)| owned).collect();
        let weights: Vec<Weights> = kept.iter().map(|&(_, _, weights, _)| weights).collect();
        let stake: Vec<usize> = kept.iter().map(|&(.., stake)| stake).collect();
        drop(kept);

        let in_start = starts(n, owned.iter().copied());
        let mut in_edge = vec![0u32; owned.len()];
        let mut fill = in_start.clone();
        for (edge, &target) in owned.iter().enumerate() {
            in_edge[fill[target as usize]] = edge as u32;
            fill[target as usize] += 1;
        }

        let components = strongly_connected(Successors {
            starts: &out_start,
            targets: &owned,
        });
        let component_start = starts(components.count, components.of.iter().copied());
        let mut component_members = vec![0u32; n];
        let mut fill = component_start.clone();
        for (node, &component) in components.of.iter().enumerate() {
            component_members[fill[component as usize]] = node as u32;
            fill[component as usize] += 1;
        }
        let mut cyclic: Vec<bool> = component_start
            .windows(2)
            .map(|range| range[1] - range[0] > 1)
            .collect();
        for (&from, &to) in owner.iter().zip(&owned) {
            if from == to {
                cyclic[components.of[from as usize] as usize] = true;
            }
        }
        let owned_component = owned
            .iter()
            .map(|&node| components.of[node as usize])
            .collect();
        let component_count = components.count;
        Graph {
            node_count: n,
            out_start,
            owner,
            owned,
            owned_component,
            weights,
            stake,
            in_start,
            in_edge,
            component_of: components.of,
            component_start,
            component_members,
            cyclic,
            pool: ScratchPool::new(n, component_count),
        }
    }

    /// Number of organisations.
    pub fn node_count(&self) -> usize {
        self.node_count
    }

    /// Number of stakes kept (see [`Graph::new`]).
    pub fn edge_count(&self) -> usize {
        self.owned.len()
    }

    /// The effective share of `owner` in `entity`. An organisation holds all of itself; an id
    /// outside the graph holds and is held by nothing.
    pub fn share(&self, owner: NodeId, entity: NodeId, method: Method) -> Share {
        let (Some(from), Some(to)) = (self.node(owner), self.node(entity)) else {
            return Share::ZERO;
        };
        if from == to {
            return Share::FULL;
        }
        self.pool.with(|scratch| match method {
            Method::Integrated => integrated::share(self, scratch, from, to).share(100.0),
            Method::ControlChain { threshold } => {
                control::share(self, scratch, from, to, threshold).share(1.0)
            }
        })
    }

    /// The effective share of `owner` in `entity` and the paths that produce it. To explain
    /// several owners of one entity, [`Graph::owners_view`] shares the work between them.
    pub fn explain(&self, owner: NodeId, entity: NodeId, method: Method) -> Explained {
        OwnersView::bare(self, entity, method).explain(owner)
    }

    /// Every organisation with a share (economic or voting upper bound above 0) in `entity`,
    /// largest economic upper bound first, then largest voting upper bound, then by id.
    pub fn owners_of(&self, entity: NodeId, method: Method) -> Vec<(NodeId, Share)> {
        self.owners_view(entity, method).into_owners()
    }

    /// The owners of `entity` ([`Graph::owners_of`]), ready to explain any of them.
    pub fn owners_view(&self, entity: NodeId, method: Method) -> OwnersView<'_> {
        OwnersView::new(self, entity, method)
    }

    /// Every organisation in which `owner` has a share (upper bound above 0), by ascending id.
    pub fn holdings_of(&self, owner: NodeId, method: Method) -> Vec<(NodeId, Share)> {
        let Some(from) = self.node(owner) else {
            return Vec::new();
        };
        self.pool
            .with(|scratch| self.holdings_in(scratch, from, method, &|_| true))
    }

    /// [`Graph::holdings_of`] for many owners at once, keeping only holdings in `entities`: one
    /// list per owner, in the order of `owners`. Owners are evaluated in parallel.
    pub fn holdings_among(
        &self,
        owners: &[NodeId],
        entities: &[NodeId],
        method: Method,
    ) -> Vec<Vec<(NodeId, Share)>> {
        let mut wanted = vec![0u64; self.node_count.div_ceil(64)];
        for &entity in entities {
            if entity < self.node_count {
                wanted[entity / 64] |= 1 << (entity % 64);
            }
        }
        let is_wanted = |node: u32| wanted[node as usize / 64] & (1 << (node % 64)) != 0;
        owners
            .par_iter()
            .map(|&owner| match self.node(owner) {
                Some(from) => self
                    .pool
                    .with(|scratch| self.holdings_in(scratch, from, method, &is_wanted)),
                None => Vec::new(),
            })
            .collect()
    }

    /// Whether `owner` controls `entity`: its attributed voting share (control-chain method at
    /// `threshold`) is at least `threshold`. Unknown when the share's bounds straddle it. An
    /// organisation controls itself.
    pub fn controls(&self, owner: NodeId, entity: NodeId, threshold: f64) -> Truth {
        let threshold = control::effective_threshold(threshold);
        let voting = self
            .share(owner, entity, Method::ControlChain { threshold })
            .voting;
        voting.ge(threshold).and(voting.gt(0.0))
    }

    fn holdings_in(
        &self,
        scratch: &mut Scratch,
        from: u32,
        method: Method,
        keep: &dyn Fn(u32) -> bool,
    ) -> Vec<(NodeId, Share)> {
        let scale = match method {
            Method::Integrated => {
                integrated::propagate_forward(self, scratch, from, false);
                100.0
            }
            Method::ControlChain { threshold } => {
                control::attribute(self, scratch, from, threshold, false);
                1.0
            }
        };
        let mut held: Vec<u32> = scratch
            .reached
            .iter()
            .copied()
            .filter(|&node| node != from && keep(node) && scratch.acc[node as usize].is_reached())
            .collect();
        held.sort_unstable();
        held.into_iter()
            .map(|node| (node as NodeId, scratch.acc[node as usize].share(scale)))
            .collect()
    }

    /// Runs `work` with a workspace from the pool.
    pub(crate) fn with_scratch<R>(&self, work: impl FnOnce(&mut Scratch) -> R) -> R {
        self.pool.with(work)
    }

    /// A workspace from the pool, held until dropped.
    pub(crate) fn checkout_scratch(&self) -> Checkout<'_> {
        self.pool.checkout()
    }

    fn node(&self, id: NodeId) -> Option<u32> {
        (id < self.node_count).then_some(id as u32)
    }

    pub(crate) fn weights(&self, edge: usize) -> &Weights {
        &self.weights[edge]
    }

    pub(crate) fn stake(&self, edge: usize) -> usize {
        self.stake[edge]
    }

    pub(crate) fn owner(&self, edge: usize) -> u32 {
        self.owner[edge]
    }

    pub(crate) fn owned(&self, edge: usize) -> u32 {
        self.owned[edge]
    }

    pub(crate) fn out_edges(&self, node: u32) -> std::ops::Range<usize> {
        self.out_start[node as usize]..self.out_start[node as usize + 1]
    }

    pub(crate) fn in_edges(&self, node: u32) -> &[u32] {
        &self.in_edge[self.in_start[node as usize]..self.in_start[node as usize + 1]]
    }

    /// Calls `visit(stake, other end, its component)` for each stake leaving `node` in
    /// `direction`.
    pub(crate) fn for_each_edge(
        &self,
        node: u32,
        direction: Direction,
        mut visit: impl FnMut(usize, u32, u32),
    ) {
        match direction {
            Direction::Forward => {
                for edge in self.out_edges(node) {
                    visit(edge, self.owned[edge], self.owned_component[edge]);
                }
            }
            Direction::Backward => {
                for &edge in self.in_edges(node) {
                    let owner = self.owner[edge as usize];
                    visit(edge as usize, owner, self.component_of[owner as usize]);
                }
            }
        }
    }

    pub(crate) fn component(&self, node: u32) -> u32 {
        self.component_of[node as usize]
    }

    pub(crate) fn members(&self, component: u32) -> &[u32] {
        let component = component as usize;
        &self.component_members
            [self.component_start[component]..self.component_start[component + 1]]
    }

    pub(crate) fn is_cyclic(&self, component: u32) -> bool {
        self.cyclic[component as usize]
    }

    /// Marks the ancestors of `entity` (every node with a chain of stakes to it, and `entity`
    /// itself) as the scratch's region and lists them in `scratch.queue`.
    pub(crate) fn mark_ancestors(&self, scratch: &mut Scratch, entity: u32) {
        scratch.begin_region();
        scratch.queue.clear();
        scratch.add_to_region(entity);
        scratch.queue.push(entity);
        let mut next = 0;
        while next < scratch.queue.len() {
            let node = scratch.queue[next];
            next += 1;
            for &edge in self.in_edges(node) {
                let owner = self.owner[edge as usize];
                if !scratch.in_region(owner) {
                    scratch.add_to_region(owner);
                    scratch.queue.push(owner);
                }
            }
        }
    }
}

impl std::fmt::Debug for Graph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Graph")
            .field("nodes", &self.node_count)
            .field("stakes", &self.owned.len())
            .field("components", &self.cyclic.len())
            .finish()
    }
}

/// Offsets of a counting sort: `starts[k]..starts[k + 1]` is the range of key `k`.
fn starts(key_count: usize, keys: impl Iterator<Item = u32>) -> Vec<usize> {
    let mut starts = vec![0usize; key_count + 1];
    for key in keys {
        starts[key as usize + 1] += 1;
    }
    for k in 0..key_count {
        starts[k + 1] += starts[k];
    }
    starts
}
