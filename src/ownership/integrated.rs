//! The integrated method: the effective share of X in V is the sum, over every chain of stakes
//! from X to V, of the product of the shares along it. Chains may go round cross-holding cycles
//! any number of times; X is an outside owner, so stakes held in X are ignored.
//!
//! One query propagates walk sums from a source over the part of the graph it reaches,
//! component by component in topological order; inside a component with a cycle the sums are a
//! small linear system (see [`super::block`]). Forward from an owner this gives its share in
//! everything it reaches; backward from an entity it gives every owner's share in it, except
//! for owners that sit on a cycle themselves (their own cycle must not feed back into them),
//! which are recomputed forward.

use std::cmp::Reverse;

use foldhash::{HashMap, HashMapExt, HashSet};

use super::block;
use super::bounds::{Acc, BOUNDS};
use super::graph::{Direction, Graph};
use super::scratch::Scratch;
use crate::value::interval::unheld_percent;

/// Walk sums from `owner` to everything it reaches, left in `scratch.acc` (fractions, uncapped)
/// for the nodes in `scratch.reached`. With `restricted`, only nodes in the scratch's region
/// take part.
pub(crate) fn propagate_forward(
    graph: &Graph,
    scratch: &mut Scratch,
    owner: u32,
    restricted: bool,
) {
    propagate(graph, scratch, owner, Direction::Forward, true, restricted);
}

/// The raw walk sums of `owner` in `entity`.
pub(crate) fn share(graph: &Graph, scratch: &mut Scratch, owner: u32, entity: u32) -> Acc {
    graph.mark_ancestors(scratch, entity);
    if !scratch.in_region(owner) {
        return Acc::ZERO;
    }
    propagate_forward(graph, scratch, owner, true);
    if scratch.is_seen(entity) {
        scratch.acc[entity as usize]
    } else {
        Acc::ZERO
    }
}

/// Every owner of `entity` with its walk sums (fractions, uncapped), unsorted.
pub(crate) fn owners_of(graph: &Graph, scratch: &mut Scratch, entity: u32) -> Vec<(u32, Acc)> {
    // Backward walk sums: for an owner off every cycle, the sum over walks from it to `entity`
    // is exactly its share, unless a share on the way would have been capped at 100%.
    propagate(graph, scratch, entity, Direction::Backward, false, false);
    let backward: Vec<(u32, Acc)> = scratch
        .reached
        .iter()
        .map(|&node| (node, scratch.acc[node as usize]))
        .collect();
    scratch.begin_region();
    for &(node, _) in &backward {
        scratch.add_to_region(node);
    }
    let capped = upstream_of_overfull(graph, scratch, entity, &backward);
    let mut uncapped = HashMap::new();
    let mut owners = Vec::new();
    for (node, walks) in backward {
        if node == entity {
            continue;
        }
        let forward = graph.is_cyclic(graph.component(node))
            || (capped.contains(&node)
                && may_be_capped(graph, scratch, node, &capped, &mut uncapped));
        let walks = if forward {
            propagate_forward(graph, scratch, node, true);
            if scratch.is_seen(entity) {
                scratch.acc[entity as usize]
            } else {
                Acc::ZERO
            }
        } else {
            walks
        };
        if walks.is_reached() {
            owners.push((node, walks));
        }
    }
    owners
}

/// The owners (among `reached`, the ancestors of `entity`) whose forward shares may be capped on
/// their way to `entity`: those with a chain of stakes to an organisation other than `entity`
/// whose owners' shares add up to more than 100% at some bound (a register band or an unknown
/// share at its maximum, beside other owners). Going forward such an organisation passes on at
/// most 100%, which backward walk sums cannot know; the owners upstream of it are computed
/// forward instead.
fn upstream_of_overfull(
    graph: &Graph,
    scratch: &mut Scratch,
    entity: u32,
    reached: &[(u32, Acc)],
) -> HashSet<u32> {
    let mut found: HashSet<u32> = reached
        .iter()
        .map(|&(node, _)| node)
        .filter(|&node| node != entity && is_overfull(graph, node))
        .collect();
    // Everything with a chain to an overfull organisation, within the region.
    scratch.queue.clear();
    scratch.queue.extend(found.iter().copied());
    while let Some(node) = scratch.queue.pop() {
        graph.for_each_edge(node, Direction::Backward, |_, owner, _| {
            if scratch.in_region(owner) && found.insert(owner) {
                scratch.queue.push(owner);
            }
        });
    }
    found
}

/// Whether a share going forward from `owner` may reach more than 100% somewhere on its way
/// (so that a cap binds and its backward walk sums are not its share). `capped` holds the
/// organisations upstream of (or being) one whose owners' shares add up to more than 100%.
///
/// An owner that holds just one organisation of the region (not on a cycle) passes on to it at
/// most 100% of itself, and from there on its shares are those of that organisation scaled down:
/// no cap binds for it unless one binds going forward from that organisation. Following such
/// single holdings to an organisation outside `capped` (downstream of every overfull one) proves
/// that no cap binds; anything else is computed forward. The answers are kept in `known`, so that
/// the owners of one overfull company, each holding only it, cost one step each rather than one
/// forward computation each (which is quadratic when a long chain lies below that company).
fn may_be_capped(
    graph: &Graph,
    scratch: &Scratch,
    owner: u32,
    capped: &HashSet<u32>,
    known: &mut HashMap<u32, bool>,
) -> bool {
    let mut followed = Vec::new();
    let mut current = owner;
    let answer = loop {
        if let Some(&answer) = known.get(&current) {
            break answer;
        }
        if !capped.contains(&current) {
            break false;
        }
        let mut held = None;
        let mut holdings = 0;
        graph.for_each_edge(current, Direction::Forward, |_, owned, _| {
            if scratch.in_region(owned) {
                holdings += 1;
                held = Some(owned);
            }
        });
        followed.push(current);
        match held {
            Some(next) if holdings == 1 && !graph.is_cyclic(graph.component(next)) => {
                current = next;
            }
            _ => break true,
        }
    };
    for node in followed {
        known.insert(node, answer);
    }
    answer
}

/// Whether the shares held in `node` add up to more than 100% at some bound.
fn is_overfull(graph: &Graph, node: u32) -> bool {
    let mut totals = [0.0; BOUNDS];
    let mut terms = 0;
    graph.for_each_edge(node, Direction::Backward, |edge, _, _| {
        for (total, percent) in totals.iter_mut().zip(graph.weights(edge).pct) {
            *total += percent;
        }
        terms += 1;
    });
    totals
        .into_iter()
        .any(|total| unheld_percent(total, terms) < 0.0)
}

/// Propagates walk sums from `source` in `direction`. With `fixed_source` the source is an
/// outside owner: it keeps 100% of itself and stakes into it are ignored.
///
/// Components are processed smallest key first, the key being the component's number going
/// forward (components are numbered owners-first) and its complement going backward. When a
/// component is taken, everything before it that the source reaches has been processed: any
/// path from the source to it runs through components with smaller keys, the first unprocessed
/// one of which would be waiting with a smaller key. So discovery and propagation are one pass.
/// A waiting component carries the node that reached it, which for the usual single-node
/// component is all there is to process.
pub(crate) fn propagate(
    graph: &Graph,
    scratch: &mut Scratch,
    source: u32,
    direction: Direction,
    fixed_source: bool,
    restricted: bool,
) {
    scratch.begin();
    scratch.reach(source);
    scratch.acc[source as usize] = Acc::WHOLE;
    let excluded = fixed_source.then_some(source);
    let source_component = graph.component(source);
    let reach = Reach {
        direction,
        excluded,
        restricted,
    };
    reach.schedule(graph, scratch, source_component, source);

    while let Some(Reverse(next)) = scratch.pending.pop() {
        let (component, node) = reach.unpack(next);
        let fixed = excluded.filter(|_| component == source_component);
        if !graph.is_cyclic(component) {
            carry(graph, scratch, node, &reach, None);
            continue;
        }
        if let Some(owner) = fixed {
            // The fixed owner feeds its own component too, before that component is solved.
            carry(graph, scratch, owner, &reach, None);
        }
        for &member in graph.members(component) {
            // Members reached only from inside the component start from nothing.
            if Some(member) != fixed {
                scratch.reach(member);
            }
        }
        block::solve(graph, scratch, direction, component, fixed);
        for &member in graph.members(component) {
            if Some(member) != fixed {
                carry(graph, scratch, member, &reach, Some(component));
            }
        }
    }
}

/// How a propagation moves: its direction, the outside owner nothing flows back into, and
/// whether it keeps to the scratch's region.
struct Reach {
    direction: Direction,
    excluded: Option<u32>,
    restricted: bool,
}

impl Reach {
    /// Queues `component`, reached through `node`, unless it already waits or was processed.
    fn schedule(&self, graph: &Graph, scratch: &mut Scratch, component: u32, node: u32) {
        // A single-node component is reached once, with its node: no need to mark it.
        if graph.is_cyclic(component) && !scratch.touch_component(component) {
            return;
        }
        let key = match self.direction {
            Direction::Forward => component,
            Direction::Backward => u32::MAX - component,
        };
        scratch
            .pending
            .push(Reverse((u64::from(key) << 32) | u64::from(node)));
    }

    fn unpack(&self, packed: u64) -> (u32, u32) {
        let key = (packed >> 32) as u32;
        let component = match self.direction {
            Direction::Forward => key,
            Direction::Backward => u32::MAX - key,
        };
        (component, packed as u32)
    }
}

/// Adds `node`'s walk sums, carried over each of its stakes, to the nodes at their other ends,
/// queueing the components of nodes reached for the first time. Stakes into the excluded owner,
/// out of the region, or inside `internal` (a component already solved) are skipped.
fn carry(graph: &Graph, scratch: &mut Scratch, node: u32, reach: &Reach, internal: Option<u32>) {
    let mut from = scratch.acc[node as usize];
    if reach.direction == Direction::Forward {
        // No organisation holds more than all of another: whatever the stakes on the way add up
        // to, a share passes on at most 100%, so a share never exceeds the stakes that reach.
        for value in &mut from.v {
            *value = value.min(1.0);
        }
    }
    if !(0..BOUNDS).any(|bound| from.is_positive(bound)) {
        return;
    }
    graph.for_each_edge(node, reach.direction, |edge, other, component| {
        if Some(other) == reach.excluded || (reach.restricted && !scratch.in_region(other)) {
            return;
        }
        if scratch.reach(other) {
            reach.schedule(graph, scratch, component, other);
        } else if internal == Some(component) {
            return;
        }
        from.carry(graph.weights(edge), &mut scratch.acc[other as usize]);
    });
}

#[cfg(test)]
mod tests {
    use crate::ownership::{Edge, Graph, Method};
    use crate::value::interval::Interval;

    fn stake(owner: usize, owned: usize, percent: f64) -> Edge {
        Edge {
            owner,
            owned,
            economic: Interval::exact(percent),
            voting: Interval::exact(percent),
            stake: 0,
        }
    }

    fn close(actual: Interval, expected: f64) {
        assert!(
            (actual.min - expected).abs() < 1e-9 && (actual.max - expected).abs() < 1e-9,
            "{actual:?} is not {expected}"
        );
    }

    #[test]
    fn chain_multiplies() {
        let graph = Graph::new(3, vec![stake(0, 1, 60.0), stake(1, 2, 40.0)]);
        assert_eq!(
            graph.share(0, 2, Method::Integrated).economic,
            Interval::exact(24.0)
        );
    }

    #[test]
    fn cross_holding_is_solved_exactly() {
        // UA=0, UB=1, A=2, B=3.
        let edges = vec![
            stake(0, 2, 50.0),
            stake(1, 3, 50.0),
            stake(2, 3, 50.0),
            stake(3, 2, 50.0),
        ];
        let graph = Graph::new(4, edges);
        close(graph.share(0, 2, Method::Integrated).economic, 200.0 / 3.0);
        close(graph.share(0, 3, Method::Integrated).economic, 100.0 / 3.0);
        // Backward (owners_of) and forward agree.
        let owners = graph.owners_of(2, Method::Integrated);
        let ua = owners
            .iter()
            .find(|(node, _)| *node == 0)
            .map(|(_, s)| s.economic);
        close(ua.unwrap_or(Interval::ZERO), 200.0 / 3.0);
    }

    #[test]
    fn an_owner_on_a_cycle_is_an_outside_owner() {
        // 0 and 1 hold 50% of each other; 1 holds 50% of 2. 0's share of 2 ignores what 1 holds
        // of 0, so it is 25%, not 25% / (1 - 25%).
        let graph = Graph::new(
            3,
            vec![stake(0, 1, 50.0), stake(1, 0, 50.0), stake(1, 2, 50.0)],
        );
        close(graph.share(0, 2, Method::Integrated).economic, 25.0);
        let owners = graph.owners_of(2, Method::Integrated);
        close(owners[0].1.economic, 50.0);
        close(owners[1].1.economic, 25.0);
        let holdings = graph.holdings_of(0, Method::Integrated);
        close(holdings[1].1.economic, 25.0);
    }

    #[test]
    fn a_full_cycle_is_capped() {
        let graph = Graph::new(
            3,
            vec![stake(0, 1, 50.0), stake(1, 2, 100.0), stake(2, 1, 100.0)],
        );
        assert_eq!(
            graph.share(0, 1, Method::Integrated).economic,
            Interval::FULL
        );
        assert_eq!(
            graph.share(0, 2, Method::Integrated).economic,
            Interval::FULL
        );
        // Nothing flows in from outside: nothing to cap.
        assert_eq!(graph.owners_of(0, Method::Integrated), vec![]);
    }
}
