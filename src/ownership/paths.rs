//! Simple paths (no organisation twice) from an owner to an entity, largest first, and the sum
//! of all of them where cross-holdings make that differ from the share.
//!
//! **The order.** Paths are ranked by their economic upper bound, then their voting upper
//! bound (both the products of the stakes' upper bounds), then by fewer stakes, then by their
//! stakes in the graph's order (the registry's order of stakes): a total order, so equal shares
//! always come out the same way.
//!
//! **The listed paths.** A best-first search over partial paths from the owner whose priority
//! bounds every path that extends it in that order: its product so far times the best product
//! from its last organisation to the entity, its stakes so far plus the fewest still needed,
//! and its stakes so far (a path sorts after its own beginning). Complete paths therefore come
//! out in order, and among partial paths of equal prospects the search goes deep first, so a
//! lattice of equal shares costs a few steps per path listed, not one per path that exists. The
//! bounds come from the entity's [`Region`], computed once for all of its owners; the search
//! stops once it has the paths wanted, and extends a partial path only where a complete path
//! can still follow within [`MAX_DEPTH`] stakes.
//!
//! **The sum of all simple paths** (only where a cycle lies between owner and entity): over the
//! owner's part of the region, cut into strongly connected components; a simple path crosses
//! each component once, entering at one member and leaving from another, so the sum is carried
//! from component to component in topological order, and only inside a cyclic component are
//! the simple paths between its members enumerated. That is exponential in the size of a
//! component, so a component of more than [`MAX_ENUMERATED_MEMBERS`] members, or more than
//! [`MAX_ENUMERATED_STEPS`] steps in all, gives up: the explanation then says it is incomplete.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::bounds::{BOUNDS, ECON_MAX, VOTE_MAX};
use super::graph::Graph;
use super::region::{Region, UNREACHABLE};
use super::scc::{Successors, strongly_connected};
use super::{NodeId, OwnershipPath};
use crate::value::interval::Interval;

/// Longest path listed, in stakes: long enough for the deepest holding chains of real groups
/// (reports shorten long paths in the middle, so a long chain costs no space there). A search
/// costs about the square of the depth of what it lists where many paths tie (a lattice of
/// equal stakes): 64 keeps listing the paths of 2,000 owners of such a lattice under a second.
pub const MAX_DEPTH: usize = 64;
/// Most partial paths one search keeps: a guard on memory that only a dense web of
/// cross-holdings could reach (without cycles the bounds are exact and the search goes straight
/// to the paths it lists).
pub const MAX_PUSHES: usize = 200_000;
/// Largest cross-holding component whose simple paths are enumerated.
pub const MAX_ENUMERATED_MEMBERS: usize = 12;
/// Most steps spent enumerating simple paths inside components, for one owner.
pub const MAX_ENUMERATED_STEPS: usize = 1_000_000;

/// A partial path from the owner, ranked (see the module's documentation).
struct Partial {
    /// Products of the economic and voting upper bounds so far times the best still possible.
    key: [f64; 2],
    /// Stakes so far plus the fewest still needed.
    stakes: u32,
    /// The graph's indices of the stakes so far.
    route: Vec<u32>,
    /// The last organisation, as a local index of the region.
    local: u32,
    /// Products of the economic and voting upper bounds so far, as fractions.
    product: [f64; 2],
}

impl Ord for Partial {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key[0]
            .total_cmp(&other.key[0])
            .then(self.key[1].total_cmp(&other.key[1]))
            .then(other.stakes.cmp(&self.stakes))
            .then_with(|| other.route.cmp(&self.route))
    }
}

impl PartialOrd for Partial {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Partial {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Partial {}

impl Partial {
    fn new(region: &Region, route: Vec<u32>, local: u32, product: [f64; 2]) -> Partial {
        let at = local as usize;
        Partial {
            key: [
                product[0] * region.best[0][at],
                product[1] * region.best[1][at],
            ],
            stakes: route.len() as u32 + region.hops[at],
            route,
            local,
            product,
        }
    }
}

/// Up to `wanted` simple paths from `owner` (a local index of `region`) to the entity, largest
/// first (fewer when the search reaches [`MAX_PUSHES`]).
pub(crate) fn search(
    graph: &Graph,
    region: &Region,
    owner: u32,
    wanted: usize,
) -> Vec<OwnershipPath> {
    let mut heap = BinaryHeap::new();
    heap.push(Partial::new(region, Vec::new(), owner, [1.0, 1.0]));
    let mut pushed = 1usize;
    let mut paths = Vec::new();
    while let Some(partial) = heap.pop() {
        if partial.local == 0 {
            paths.push(path(graph, region, owner, &partial.route));
            if paths.len() >= wanted {
                break;
            }
            continue;
        }
        if pushed >= MAX_PUSHES {
            break;
        }
        for &(edge, to) in region.links(partial.local) {
            let hops = region.hops[to as usize];
            if to == owner || hops == UNREACHABLE {
                continue;
            }
            if partial.route.len() + 1 + hops as usize > MAX_DEPTH {
                continue;
            }
            if on_path(graph, region, owner, &partial.route, to) {
                continue;
            }
            let weights = graph.weights(edge as usize);
            let product = [
                partial.product[0] * weights.pct[ECON_MAX] * 0.01,
                partial.product[1] * weights.pct[VOTE_MAX] * 0.01,
            ];
            let mut route = Vec::with_capacity(partial.route.len() + 1);
            route.extend_from_slice(&partial.route);
            route.push(edge);
            let child = Partial::new(region, route, to, product);
            if child.key[0] <= 0.0 && child.key[1] <= 0.0 {
                continue;
            }
            pushed += 1;
            heap.push(child);
        }
    }
    paths
}

/// Whether `node` (a local index) is already on the path from `owner` along `route`. A simple
/// path crosses each strongly connected component once, in one stretch, so only the stretch at
/// the end of the route that lies in `node`'s component needs looking at (none, for a node on
/// no cycle).
fn on_path(graph: &Graph, region: &Region, owner: u32, route: &[u32], node: u32) -> bool {
    let target = region.nodes[node as usize];
    let component = graph.component(target);
    if !graph.is_cyclic(component) {
        return false;
    }
    for &edge in route.iter().rev() {
        let owned = graph.owned(edge as usize);
        if owned == target {
            return true;
        }
        if graph.component(owned) != component {
            return false;
        }
    }
    node == owner
}

fn path(graph: &Graph, region: &Region, owner: u32, route: &[u32]) -> OwnershipPath {
    let mut nodes = vec![region.nodes[owner as usize] as NodeId];
    let mut economic = Interval::FULL;
    let mut voting = Interval::FULL;
    for &edge in route {
        let weights = graph.weights(edge as usize);
        economic = economic.times(&weights.economic());
        voting = voting.times(&weights.voting());
        nodes.push(graph.owned(edge as usize) as NodeId);
    }
    OwnershipPath {
        nodes,
        stakes: route
            .iter()
            .map(|&edge| graph.stake(edge as usize))
            .collect(),
        economic,
        voting,
    }
}

/// The part of the region between `owner` and the entity: what the owner reaches, without the
/// stakes held in the owner (an outside owner), as its own successor lists.
struct Between {
    /// Local indices of the region, in the order reached.
    members: Vec<u32>,
    /// Per member: (stake, index into `members`).
    starts: Vec<usize>,
    links: Vec<(u32, u32)>,
    entity: Option<usize>,
}

impl Between {
    fn new(region: &Region, owner: u32) -> Between {
        let mut index = vec![u32::MAX; region.len()];
        let mut members = vec![owner];
        index[owner as usize] = 0;
        let mut next = 0;
        while next < members.len() {
            let local = members[next];
            next += 1;
            for &(_, to) in region.links(local) {
                if index[to as usize] == u32::MAX {
                    index[to as usize] = members.len() as u32;
                    members.push(to);
                }
            }
        }
        let mut starts = Vec::with_capacity(members.len() + 1);
        let mut links = Vec::new();
        for &local in &members {
            starts.push(links.len());
            for &(edge, to) in region.links(local) {
                if to != owner {
                    links.push((edge, index[to as usize]));
                }
            }
        }
        starts.push(links.len());
        let entity = (index[0] != u32::MAX).then_some(index[0] as usize);
        Between {
            members,
            starts,
            links,
            entity,
        }
    }

    fn links(&self, member: usize) -> &[(u32, u32)] {
        &self.links[self.starts[member]..self.starts[member + 1]]
    }
}

/// What a cycle between owner and entity means for listing paths.
pub(crate) enum Cycles {
    /// No cycle lies between them: every chain is a simple path.
    None,
    /// The sum, per bound in percent, of every simple path from owner to entity.
    SimplePaths([f64; BOUNDS]),
    /// Cycles lie between them, too entangled to enumerate their simple paths.
    TooMany,
}

/// Whether a cycle lies between `owner` and the entity and, if so, the sum of all simple paths.
pub(crate) fn cycles(graph: &Graph, region: &Region, owner: u32) -> Cycles {
    if !region.near_cycle[owner as usize] {
        return Cycles::None;
    }
    let between = Between::new(region, owner);
    let Some(entity) = between.entity else {
        return Cycles::None;
    };
    let targets: Vec<u32> = between.links.iter().map(|&(_, to)| to).collect();
    let components = strongly_connected(Successors {
        starts: &between.starts,
        targets: &targets,
    });
    let mut members_of: Vec<Vec<u32>> = vec![Vec::new(); components.count];
    for (member, &component) in components.of.iter().enumerate() {
        members_of[component as usize].push(member as u32);
    }
    let cyclic = |component: usize| {
        let members = &members_of[component];
        members.len() > 1
            || between
                .links(members[0] as usize)
                .iter()
                .any(|&(_, to)| to == members[0])
    };
    if !(0..components.count).any(cyclic) {
        return Cycles::None;
    }
    if members_of
        .iter()
        .any(|members| members.len() > MAX_ENUMERATED_MEMBERS)
    {
        return Cycles::TooMany;
    }
    // Sums of the simple paths from the owner arriving at each member, per bound (fractions).
    let mut arriving = vec![[0.0f64; BOUNDS]; between.members.len()];
    arriving[0] = [1.0; BOUNDS];
    let mut steps = 0usize;
    let mut total = [0.0f64; BOUNDS];
    for (component, members) in members_of.iter().enumerate() {
        let leaving = if cyclic(component) {
            let Some(leaving) = through_component(
                graph,
                &between,
                &components.of,
                component as u32,
                members,
                &arriving,
                &mut steps,
            ) else {
                return Cycles::TooMany;
            };
            leaving
        } else {
            vec![(members[0], arriving[members[0] as usize])]
        };
        for (member, values) in leaving {
            if member as usize == entity {
                total = values;
            }
            for &(edge, to) in between.links(member as usize) {
                if components.of[to as usize] == component as u32 {
                    continue;
                }
                let weights = graph.weights(edge as usize);
                for bound in 0..BOUNDS {
                    arriving[to as usize][bound] += values[bound] * (weights.pct[bound] * 0.01);
                }
            }
        }
    }
    Cycles::SimplePaths(total.map(|value| value * 100.0))
}

/// The sums of the simple paths through one cyclic component: for each member, what arrives at
/// it from outside carried along every simple path inside the component (the empty one
/// included), as (member, sums leaving from it). `None` past the step budget.
fn through_component(
    graph: &Graph,
    between: &Between,
    component_of: &[u32],
    component: u32,
    members: &[u32],
    arriving: &[[f64; BOUNDS]],
    steps: &mut usize,
) -> Option<Vec<(u32, [f64; BOUNDS])>> {
    let position = |member: u32| members.iter().position(|&m| m == member);
    let mut leaving = vec![[0.0f64; BOUNDS]; members.len()];
    for (start, &entry) in members.iter().enumerate() {
        let input = arriving[entry as usize];
        if input.iter().all(|&value| value == 0.0) {
            continue;
        }
        // Depth-first over simple paths inside the component, with the product so far.
        let mut stack: Vec<(usize, u32, [f64; BOUNDS])> = vec![(start, 1 << start, input)];
        while let Some((at, visited, values)) = stack.pop() {
            *steps += 1;
            if *steps > MAX_ENUMERATED_STEPS {
                return None;
            }
            for bound in 0..BOUNDS {
                leaving[at][bound] += values[bound];
            }
            for &(edge, to) in between.links(members[at] as usize) {
                if component_of[to as usize] != component {
                    continue;
                }
                let Some(next) = position(to) else {
                    continue;
                };
                if visited & (1 << next) != 0 {
                    continue;
                }
                let weights = graph.weights(edge as usize);
                let carried =
                    std::array::from_fn(|bound| values[bound] * (weights.pct[bound] * 0.01));
                stack.push((next, visited | (1 << next), carried));
            }
        }
    }
    Some(
        members
            .iter()
            .zip(leaving)
            .map(|(&member, values)| (member, values))
            .collect(),
    )
}
