//! The chains of control from one organisation to everything it controls, found by one
//! control-chain walk from it rather than one search per controlled organisation.
//!
//! [`super::Graph::explain`] under the control-chain method, for one owner and one entity,
//! walks from the owner over the entity's ancestors and records, for each organisation that
//! comes under control, the stake that took it over the threshold. Organisations that are not
//! ancestors of the entity never change what happens to the ancestors (they hold none of
//! them), and the walk's stack keeps the ancestors in the same order with or without them, so
//! one walk over everything the owner reaches records the same stakes for every entity at
//! once. [`ControlTree::chain_to`] then picks, among the entity's holders, the path that
//! `explain` lists first.

use foldhash::{HashMap, HashMapExt};

use super::NodeId;
use super::bounds::{BOUNDS, ECON_MAX, ECON_MIN, VOTE_MAX, VOTE_MIN};
use super::control;
use super::explain::{chain_bound, contribution, recorded_chain};
use super::graph::Graph;
use crate::value::interval::Interval;

/// What one control-chain walk from `leader` recorded, for the organisations it controls.
pub struct ControlTree {
    leader: u32,
    /// Per (possibly) controlled organisation: the bounds at which it is controlled, and per
    /// bound the graph edge (stake) through which it came under control.
    controlled: HashMap<u32, (u8, [u32; BOUNDS])>,
    /// Per controlled organisation, the stakes of its chain from the leader following the
    /// economic and the voting upper bound's records ([`ControlTree::chain_of`]), so that a
    /// chain's length is known without walking it.
    lengths: HashMap<u32, [u32; 2]>,
}

impl Graph {
    /// The control tree of `leader` at `threshold` percent (see the module's documentation).
    pub fn control_tree(&self, leader: NodeId, threshold: f64) -> ControlTree {
        let Some(from) = (leader < self.node_count()).then_some(leader as u32) else {
            return ControlTree {
                leader: u32::MAX,
                controlled: HashMap::new(),
                lengths: HashMap::new(),
            };
        };
        self.with_scratch(|scratch| {
            control::attribute_tracked(self, scratch, from, threshold, false, true);
            let controlled = scratch
                .reached
                .iter()
                .filter(|&&node| scratch.controlled[node as usize] != 0)
                .map(|&node| {
                    let record = if node == from {
                        [u32::MAX; BOUNDS]
                    } else {
                        scratch.controller[node as usize]
                    };
                    (node, (scratch.controlled[node as usize], record))
                })
                .collect();
            let mut tree = ControlTree {
                leader: from,
                controlled,
                lengths: HashMap::new(),
            };
            tree.measure_chains(self);
            tree
        })
    }
}

impl ControlTree {
    /// The first path `explain` lists from the leader to `entity` under the control-chain
    /// method at this tree's threshold, as its organisations and stakes; `None` when the
    /// leader holds nothing in `entity` through what it controls.
    pub fn chain_to(&self, graph: &Graph, entity: NodeId) -> Option<(Vec<NodeId>, Vec<usize>)> {
        let (holder, edge) = self.first_link(graph, entity)?;
        let (mut nodes, mut stakes) = self.chain_of(graph, holder);
        nodes.push(entity);
        stakes.push(graph.stake(edge));
        Some((nodes, stakes))
    }

    /// The number of stakes of [`ControlTree::chain_to`], without building it.
    pub fn chain_length(&self, graph: &Graph, entity: NodeId) -> Option<usize> {
        let (holder, _) = self.first_link(graph, entity)?;
        let lengths = self.lengths.get(&holder).copied().unwrap_or_default();
        Some(lengths[self.length_slot(holder)] as usize + 1)
    }

    /// The last link of the first path to `entity`: the holder and the stake (graph edge).
    /// Paths are ranked by their last link's contribution; only a tie compares whole chains.
    fn first_link(&self, graph: &Graph, entity: NodeId) -> Option<(u32, usize)> {
        let to = (entity < graph.node_count()).then_some(entity as u32)?;
        let mut best: Option<(u32, usize, Interval, Interval)> = None;
        for &edge in graph.in_edges(to) {
            let edge = edge as usize;
            let holder = graph.owner(edge);
            let Some(&(control, _)) = self.controlled.get(&holder) else {
                continue;
            };
            let weights = graph.weights(edge);
            let economic = contribution(weights.economic(), control, ECON_MIN, ECON_MAX);
            let voting = contribution(weights.voting(), control, VOTE_MIN, VOTE_MAX);
            if economic.max <= 0.0 && voting.max <= 0.0 {
                continue;
            }
            let better = match &best {
                None => true,
                Some((best_holder, best_edge, best_economic, best_voting)) => {
                    let larger_first = |x: &Interval, y: &Interval| y.max.total_cmp(&x.max);
                    larger_first(&economic, best_economic)
                        .then(larger_first(&voting, best_voting))
                        .then_with(|| {
                            let (mut nodes, mut stakes) = self.chain_of(graph, holder);
                            let (mut best_nodes, mut best_stakes) =
                                self.chain_of(graph, *best_holder);
                            nodes.push(entity);
                            best_nodes.push(entity);
                            stakes.push(graph.stake(edge));
                            best_stakes.push(graph.stake(*best_edge));
                            nodes.cmp(&best_nodes).then(stakes.cmp(&best_stakes))
                        })
                        .is_lt()
                }
            };
            if better {
                best = Some((holder, edge, economic, voting));
            }
        }
        best.map(|(holder, edge, ..)| (holder, edge))
    }

    /// Which of `lengths` measures the chain to `holder`: the economic upper bound's (0) or the
    /// voting one's (1), as `explain` chooses.
    fn length_slot(&self, holder: u32) -> usize {
        let control = self.controlled.get(&holder).map_or(0, |&(c, _)| c);
        usize::from(chain_bound(control) != ECON_MAX)
    }

    /// Fills `lengths`: each chain is walked only until it meets one already measured, so
    /// measuring every chain costs one step per organisation and bound.
    fn measure_chains(&mut self, graph: &Graph) {
        let mut nodes: Vec<u32> = self.controlled.keys().copied().collect();
        nodes.sort_unstable();
        for (slot, bound) in [(0, ECON_MAX), (1, VOTE_MAX)] {
            for &start in &nodes {
                // The organisations met whose length is not known yet, each with a recorded
                // stake to the next one.
                let mut unmeasured = Vec::new();
                let mut current = start;
                let base = loop {
                    let measured = self.lengths.get(&current).map_or(u32::MAX, |l| l[slot]);
                    if measured != u32::MAX {
                        break measured;
                    }
                    if current == self.leader || unmeasured.len() > self.controlled.len() {
                        break 0;
                    }
                    let Some(&(_, record)) = self.controlled.get(&current) else {
                        break 0;
                    };
                    if record[bound] == u32::MAX {
                        break 0;
                    }
                    unmeasured.push(current);
                    current = graph.owner(record[bound] as usize);
                };
                let mut length = base;
                if unmeasured.is_empty() {
                    self.lengths.entry(current).or_insert([u32::MAX; 2])[slot] = base;
                }
                for &node in unmeasured.iter().rev() {
                    length += 1;
                    self.lengths.entry(node).or_insert([u32::MAX; 2])[slot] = length;
                }
            }
        }
    }

    /// The organisations and stakes from the leader to `holder` along the stakes that brought
    /// each under control (as `explain` follows them).
    fn chain_of(&self, graph: &Graph, holder: u32) -> (Vec<NodeId>, Vec<usize>) {
        let control = self.controlled.get(&holder).map_or(0, |&(c, _)| c);
        recorded_chain(graph, self.leader, holder, control, |node, bound| {
            self.controlled.get(&node).map(|&(_, record)| record[bound])
        })
    }
}
