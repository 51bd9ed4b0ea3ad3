//! Walk sums inside one strongly connected component (a cross-holding cycle) of the stake graph.
//!
//! Values flowing into the component from outside are the right-hand side `b`; the component's
//! own stakes form a non-negative matrix `B`; the walk sums are the solution of
//! `x = b + Bᵀx`, i.e. `x = Σₖ (Bᵀ)ᵏ b`. Each bound is solved on its own with the stakes at
//! that bound. A stake that is zero at a bound (the minimum of an unknown share) does not link
//! at that bound, so the component may fall apart into smaller ones; they are found again and
//! solved in topological order, each an irreducible system.
//!
//! When the shares held in each member add up to at most 100% (always so at the lower bound of
//! a registry the loader accepts), a part of up to [`DENSE_LIMIT`] members is solved by
//! elimination without subtraction ([`super::gth`]): accurate however nearly the cycle keeps
//! everything, and singular only when some members hold all of one another exactly, the same
//! rule ([`unheld_percent`]) by which the registry loader rejects such data. Otherwise (shares
//! whose maxima add up to more than 100%, as unknown shares do) Gaussian elimination with
//! partial pivoting solves it; a singular or sign-changing solve there means the walk sums
//! diverge (a cycle that keeps 100% or more), and every member is infinite. Larger parts (not
//! expected in real registries) are solved by Gauss-Seidel sweeps from below, stopping when a
//! sweep moves no value by more than [`TOLERANCE`] of the largest; if [`MAX_SWEEPS`] pass first,
//! an upper bound is given up as infinite and a lower bound keeps the last sweep, which is below
//! the true value, so both stay sound.
//!
//! Going forward (shares of an owner), no member can hold more of itself than flows in from
//! outside plus the stakes of the other members in it, each at most 100%: a member's value is
//! capped there, so that a diverging cycle gives a member at most what its owners could pass on,
//! and everything downstream at most the stakes that reach it.

use super::bounds::{BOUNDS, bit, is_lower};
use super::graph::{Direction, Graph};
use super::gth::{self, Deficits};
use super::scc::{Successors, strongly_connected};
use super::scratch::Scratch;
use crate::value::interval::unheld_percent;

pub(crate) const DENSE_LIMIT: usize = 128;
pub(crate) const TOLERANCE: f64 = 1e-14;
pub(crate) const MAX_SWEEPS: usize = 10_000;
/// A pivot this small means a singular system: a cycle that keeps all of itself.
const SINGULAR_PIVOT: f64 = 1e-12;
/// Gauss-Seidel values past this (in units of 100%) are diverging.
const DIVERGED: f64 = 1e12;

/// A stake between two members of the component, in the direction values flow: the target's
/// local index (links are grouped by their source, see `link_starts`).
#[derive(Clone, Copy)]
struct Link {
    to: u32,
    edge: u32,
}

#[derive(Default)]
pub(crate) struct BlockScratch {
    nodes: Vec<u32>,
    links: Vec<Link>,
    link_starts: Vec<usize>,
    x: Vec<f64>,
    open: Vec<bool>,
    starts: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<f64>,
    row_of: Vec<usize>,
    matrix: Vec<f64>,
    rhs: Vec<f64>,
    deficits: Vec<f64>,
    /// The values of the block's nodes before the part being solved was solved.
    inputs: Vec<f64>,
    caps: Vec<f64>,
    queue: Vec<u32>,
}

/// Solves component `component` in place: on entry each member's accumulator holds what flows
/// in from outside, on exit its walk sums. `fixed` is the evaluated owner when it belongs to the
/// component: it keeps its value and nothing flows back into it.
pub(crate) fn solve(
    graph: &Graph,
    scratch: &mut Scratch,
    direction: Direction,
    component: u32,
    fixed: Option<u32>,
) {
    let Scratch { acc, block, .. } = scratch;
    block.nodes.clear();
    block.nodes.extend(
        graph
            .members(component)
            .iter()
            .filter(|&&v| Some(v) != fixed),
    );
    let k = block.nodes.len();
    if k == 0 {
        return;
    }
    collect_links(graph, block, direction, component);
    for bound in 0..BOUNDS {
        block.x.clear();
        block.open.clear();
        for &node in &block.nodes {
            let value = acc[node as usize];
            block.x.push(value.v[bound]);
            block.open.push(value.is_open(bound));
        }
        solve_values(graph, block, bound, direction);
        propagate_open(graph, block, bound);
        for (i, &node) in block.nodes.iter().enumerate() {
            let value = &mut acc[node as usize];
            value.v[bound] = block.x[i];
            if block.open[i] {
                value.open |= bit(bound);
            }
        }
    }
}

fn collect_links(graph: &Graph, block: &mut BlockScratch, direction: Direction, component: u32) {
    let BlockScratch {
        nodes,
        links,
        link_starts,
        ..
    } = block;
    links.clear();
    link_starts.clear();
    for &node in nodes.iter() {
        link_starts.push(links.len());
        graph.for_each_edge(node, direction, |edge, other, other_component| {
            if other_component != component {
                return;
            }
            // The fixed owner is not in `nodes`: stakes into it are ignored.
            if let Ok(to) = nodes.binary_search(&other) {
                links.push(Link {
                    to: to as u32,
                    edge: edge as u32,
                });
            }
        });
    }
    link_starts.push(links.len());
}

fn solve_values(graph: &Graph, block: &mut BlockScratch, bound: usize, direction: Direction) {
    if block.x.iter().all(|&value| value == 0.0) {
        return;
    }
    let k = block.nodes.len();
    // The stakes that carry something at this bound, as successor lists.
    block.starts.clear();
    block.targets.clear();
    block.weights.clear();
    for from in 0..k {
        block.starts.push(block.targets.len());
        for link in &block.links[block.link_starts[from]..block.link_starts[from + 1]] {
            let weight = graph.weights(link.edge as usize).pct[bound] * 0.01;
            if weight > 0.0 {
                block.targets.push(link.to);
                block.weights.push(weight);
            }
        }
    }
    block.starts.push(block.targets.len());
    let parts = strongly_connected(Successors {
        starts: &block.starts,
        targets: &block.targets,
    });
    // Members of each part, parts in topological order.
    let mut order: Vec<u32> = (0..k as u32).collect();
    order.sort_by_key(|&i| (parts.of[i as usize], i));
    let mut first = 0;
    while first < k {
        let part = parts.of[order[first] as usize];
        let mut end = first;
        while end < k && parts.of[order[end] as usize] == part {
            end += 1;
        }
        let members = &order[first..end];
        let self_linked = || {
            let only = members[0] as usize;
            block.targets[block.starts[only]..block.starts[only + 1]]
                .iter()
                .any(|&to| to as usize == only)
        };
        if members.len() > 1 || self_linked() {
            let part = System {
                graph,
                bound,
                direction,
                members,
            };
            solve_irreducible(block, &part);
        }
        // Carry the part's values on to later parts; going forward a share carries at most 100%.
        for &i in members {
            let value = match direction {
                Direction::Forward => block.x[i as usize].min(1.0),
                Direction::Backward => block.x[i as usize],
            };
            if value == 0.0 {
                continue;
            }
            for position in block.starts[i as usize]..block.starts[i as usize + 1] {
                let to = block.targets[position] as usize;
                if parts.of[to] != part {
                    block.x[to] += value * block.weights[position];
                }
            }
        }
        first = end;
    }
}

/// One irreducible part of a component at one bound.
struct System<'a> {
    graph: &'a Graph,
    bound: usize,
    direction: Direction,
    /// Local indices (into the block's nodes) of the part's members.
    members: &'a [u32],
}

/// Solves `x = b + Bᵀx` on one irreducible part, `b` being the part's current values.
fn solve_irreducible(block: &mut BlockScratch, part: &System) {
    let members = part.members;
    let inputs = members.iter().map(|&i| block.x[i as usize]);
    if inputs.clone().all(|value| value == 0.0) {
        return;
    }
    block.inputs.clear();
    block.inputs.extend_from_slice(&block.x);
    if inputs.clone().any(f64::is_infinite) {
        set_all(block, members, f64::INFINITY);
    } else {
        let solved = if members.len() <= DENSE_LIMIT {
            eliminate_without_subtraction(block, part).unwrap_or_else(|| eliminate(block, members))
        } else {
            sweep(block, members, is_lower(part.bound))
        };
        if !solved {
            set_all(block, members, f64::INFINITY);
        }
    }
    if part.direction == Direction::Forward {
        cap_forward(block, part);
    }
}

/// Going forward, a member holds at most what flows in from outside plus the other members'
/// stakes in it, each member holding at most 100% of itself. Only a diverging cycle or shares
/// adding up to over 100% can exceed this; the cap keeps them to what their owners can pass on.
fn cap_forward(block: &mut BlockScratch, part: &System) {
    let BlockScratch {
        x,
        inputs,
        caps,
        starts,
        targets,
        weights,
        ..
    } = block;
    caps.clear();
    caps.extend_from_slice(inputs);
    // Stakes from the part's own members; those from elsewhere were carried in as inputs.
    for &from in part.members {
        for position in starts[from as usize]..starts[from as usize + 1] {
            caps[targets[position] as usize] += weights[position];
        }
    }
    for &i in part.members {
        let cap = caps[i as usize];
        if x[i as usize] > cap {
            x[i as usize] = cap;
        }
    }
}

/// Elimination without subtraction ([`gth`]) when every member's shares add up to at most 100%
/// at this bound; `None` when some do not (the deficits would be negative), for the general
/// solver.
fn eliminate_without_subtraction(block: &mut BlockScratch, part: &System) -> Option<bool> {
    let members = part.members;
    let m = members.len();
    let k = block.nodes.len();
    block.row_of.clear();
    block.row_of.resize(k, usize::MAX);
    for (row, &i) in members.iter().enumerate() {
        block.row_of[i as usize] = row;
    }
    // Each member's deficit: the shares in it held from outside the part, plus what no recorded
    // owner holds. Both are sums of what is there, never 1 minus what the cycle keeps.
    block.deficits.clear();
    for &i in members {
        let node = block.nodes[i as usize];
        let (mut total, mut outside, mut terms) = (0.0f64, 0.0f64, 0usize);
        part.graph
            .for_each_edge(node, Direction::Backward, |edge, owner, _| {
                let percent = part.graph.weights(edge).pct[part.bound];
                total += percent;
                terms += 1;
                let in_part = block
                    .nodes
                    .binary_search(&owner)
                    .is_ok_and(|local| block.row_of[local] != usize::MAX);
                if !in_part {
                    outside += percent;
                }
            });
        let deficit = (outside + unheld_percent(total, terms)) * 0.01;
        if deficit < 0.0 {
            return None;
        }
        block.deficits.push(deficit);
    }
    // Row r is the equation of member r: x_r = b_r + Σ_c flow(c→r) x_c.
    block.matrix.clear();
    block.matrix.resize(m * m, 0.0);
    block.rhs.clear();
    for (column, &i) in members.iter().enumerate() {
        block.rhs.push(block.x[i as usize]);
        for position in block.starts[i as usize]..block.starts[i as usize + 1] {
            let row = block.row_of[block.targets[position] as usize];
            if row != usize::MAX {
                block.matrix[row * m + column] += block.weights[position];
            }
        }
    }
    // Forward, a row holds the stakes in its member; backward, a column does.
    let side = match part.direction {
        Direction::Forward => Deficits::Rows,
        Direction::Backward => Deficits::Columns,
    };
    if !gth::solve(
        m,
        &mut block.matrix,
        &mut block.rhs,
        &mut block.deficits,
        side,
    ) {
        return Some(false);
    }
    for (row, &i) in members.iter().enumerate() {
        block.x[i as usize] = block.rhs[row];
    }
    Some(true)
}

fn set_all(block: &mut BlockScratch, members: &[u32], value: f64) {
    for &i in members {
        block.x[i as usize] = value;
    }
}

/// Gaussian elimination with partial pivoting. False when the walk sums diverge.
fn eliminate(block: &mut BlockScratch, members: &[u32]) -> bool {
    let m = members.len();
    let k = block.nodes.len();
    block.row_of.clear();
    block.row_of.resize(k, usize::MAX);
    for (row, &i) in members.iter().enumerate() {
        block.row_of[i as usize] = row;
    }
    // Row r is the equation of member r: x_r - Σ_c w(c→r) x_c = b_r.
    block.matrix.clear();
    block.matrix.resize(m * m, 0.0);
    for row in 0..m {
        block.matrix[row * m + row] = 1.0;
    }
    block.rhs.clear();
    for (column, &i) in members.iter().enumerate() {
        block.rhs.push(block.x[i as usize]);
        for position in block.starts[i as usize]..block.starts[i as usize + 1] {
            let row = block.row_of[block.targets[position] as usize];
            if row != usize::MAX {
                block.matrix[row * m + column] -= block.weights[position];
            }
        }
    }
    let matrix = &mut block.matrix;
    let rhs = &mut block.rhs;
    for column in 0..m {
        let mut pivot = column;
        for row in column + 1..m {
            if matrix[row * m + column].abs() > matrix[pivot * m + column].abs() {
                pivot = row;
            }
        }
        if matrix[pivot * m + column].abs() < SINGULAR_PIVOT {
            return false;
        }
        if pivot != column {
            for c in 0..m {
                matrix.swap(pivot * m + c, column * m + c);
            }
            rhs.swap(pivot, column);
        }
        let diagonal = matrix[column * m + column];
        for row in column + 1..m {
            let factor = matrix[row * m + column] / diagonal;
            if factor == 0.0 {
                continue;
            }
            for c in column..m {
                matrix[row * m + c] -= factor * matrix[column * m + c];
            }
            rhs[row] -= factor * rhs[column];
        }
    }
    for row in (0..m).rev() {
        let mut value = rhs[row];
        for c in row + 1..m {
            value -= matrix[row * m + c] * rhs[c];
        }
        rhs[row] = value / matrix[row * m + row];
    }
    // Finite walk sums are positive; a negative or non-finite solution means they diverge.
    let largest = rhs.iter().fold(1.0f64, |acc, value| acc.max(value.abs()));
    if rhs
        .iter()
        .any(|value| !value.is_finite() || *value < -1e-9 * largest)
    {
        return false;
    }
    for (row, &i) in members.iter().enumerate() {
        block.x[i as usize] = rhs[row].max(0.0);
    }
    true
}

/// Gauss-Seidel from below for parts too large to eliminate. False when they diverge (or, for an
/// upper bound, when the sweeps run out).
fn sweep(block: &mut BlockScratch, members: &[u32], lower: bool) -> bool {
    let k = block.nodes.len();
    block.row_of.clear();
    block.row_of.resize(k, usize::MAX);
    for (row, &i) in members.iter().enumerate() {
        block.row_of[i as usize] = row;
    }
    // Incoming stakes of each member, as (row it comes from, weight), grouped by receiving row.
    let mut incoming: Vec<(usize, usize, f64)> = Vec::new();
    for (row, &i) in members.iter().enumerate() {
        for position in block.starts[i as usize]..block.starts[i as usize + 1] {
            let to = block.row_of[block.targets[position] as usize];
            if to != usize::MAX {
                incoming.push((to, row, block.weights[position]));
            }
        }
    }
    incoming.sort_by_key(|&(to, from, _)| (to, from));
    let inputs: Vec<f64> = members.iter().map(|&i| block.x[i as usize]).collect();
    let mut values = inputs.clone();
    let mut converged = false;
    for _ in 0..MAX_SWEEPS {
        let mut change = 0.0f64;
        let mut largest = 0.0f64;
        let mut position = 0;
        for (row, &input) in inputs.iter().enumerate() {
            let mut value = input;
            while position < incoming.len() && incoming[position].0 == row {
                let (_, from, weight) = incoming[position];
                value += weight * values[from];
                position += 1;
            }
            change = change.max(value - values[row]);
            largest = largest.max(value);
            values[row] = value;
        }
        if !largest.is_finite() || largest > DIVERGED {
            return false;
        }
        if change <= TOLERANCE * largest {
            converged = true;
            break;
        }
    }
    if !converged && !lower {
        return false;
    }
    for (row, &i) in members.iter().enumerate() {
        block.x[i as usize] = values[row];
    }
    true
}

/// Open-bound bits inside the component, by the same rule as [`super::bounds::Acc::carry`],
/// repeated until nothing changes (a bit only ever turns on, so this ends).
fn propagate_open(graph: &Graph, block: &mut BlockScratch, bound: usize) {
    let BlockScratch {
        links,
        link_starts,
        x,
        open,
        queue,
        ..
    } = block;
    queue.clear();
    queue.extend((0..x.len() as u32).filter(|&i| x[i as usize] > 0.0 || open[i as usize]));
    while let Some(from) = queue.pop() {
        let from = from as usize;
        for link in &links[link_starts[from]..link_starts[from + 1]] {
            let to = link.to as usize;
            if open[to] {
                continue;
            }
            let weights = graph.weights(link.edge as usize);
            if weights.is_open(bound) || (open[from] && weights.pct[bound] > 0.0) {
                open[to] = true;
                queue.push(link.to);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ownership::{Edge, Graph, Method};
    use crate::value::interval::Interval;

    /// Node 0 holds 50% of node 1; nodes 1..=size form a ring with `link` percent per stake.
    fn ring(size: usize, link: f64) -> Graph {
        let mut edges = vec![Edge {
            owner: 0,
            owned: 1,
            economic: Interval::exact(50.0),
            voting: Interval::exact(50.0),
            stake: 0,
        }];
        for i in 1..=size {
            let next = if i == size { 1 } else { i + 1 };
            edges.push(Edge {
                owner: i,
                owned: next,
                economic: Interval::exact(link),
                voting: Interval::closed(0.0, link),
                stake: i,
            });
        }
        Graph::new(size + 1, edges)
    }

    #[test]
    fn small_and_large_rings_agree_with_the_closed_form() {
        for size in [3, super::DENSE_LIMIT + 72] {
            let graph = ring(size, 50.0);
            let loop_gain = 0.5f64.powi(size as i32);
            for k in [1, 2, size] {
                let expected = 50.0 * 0.5f64.powi(k as i32 - 1) / (1.0 - loop_gain);
                let share = graph.share(0, k, Method::Integrated);
                assert!(
                    (share.economic.min - expected).abs() < 1e-9,
                    "ring of {size}, node {k}: {share:?} vs {expected}"
                );
                // Voting is [0, 50%] per link: at the minimum only the first stake carries.
                let voting_min = if k == 1 { 50.0 } else { 0.0 };
                assert!((share.voting.min - voting_min).abs() < 1e-9);
                assert!((share.voting.max - expected).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn rings_that_keep_everything_are_capped_small_or_large() {
        for size in [3, super::DENSE_LIMIT + 72] {
            let graph = ring(size, 100.0);
            for k in [1, size] {
                let share = graph.share(0, k, Method::Integrated);
                assert_eq!(share.economic, Interval::FULL, "ring of {size}, node {k}");
            }
        }
    }
}
