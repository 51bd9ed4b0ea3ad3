//! The control-chain method (OFAC 50% rule, FAQ 401; UK PSC majority chains): X's attributed
//! share of V is the sum of the direct stakes in V held by X and by every entity X controls, and
//! X controls E when its attributed share of E is at least the threshold. X always counts.
//!
//! Control is the least fixed point of that definition, found by a worklist: starting from X,
//! each newly controlled entity adds its stakes to what they are held in, and an entity that
//! crosses the threshold joins the worklist. Every entity is controlled at most once, so a query
//! costs the stakes of the controlled entities. Cross-holdings cannot make an entity control
//! itself into being: only control reached from X counts.
//!
//! The lower bound counts stakes at their minimum from entities controlled for certain
//! (attributed minimum at or above the threshold); the upper bound counts stakes at their
//! maximum from entities possibly controlled (attributed maximum at or above the threshold,
//! short of it when that maximum is an open bound). Economic shares use economic control, voting
//! shares voting control.

use super::bounds::{Acc, BOUNDS, bit, is_lower, snap};
use super::graph::Graph;
use super::scratch::Scratch;
use super::{DEFAULT_CONTROL_THRESHOLD, NodeId, Share};

/// Control thresholds are percentages: clamped into [0, 100], NaN read as the default.
pub(crate) fn effective_threshold(threshold: f64) -> f64 {
    if threshold.is_nan() {
        DEFAULT_CONTROL_THRESHOLD
    } else {
        threshold.clamp(0.0, 100.0)
    }
}

/// Attributed shares (percent, uncapped) of `owner` in everything it holds through controlled
/// entities, left in `scratch.acc` for the nodes in `scratch.reached`; control bits in
/// `scratch.controlled`. With `restricted`, only nodes in the scratch's region take part.
pub(crate) fn attribute(
    graph: &Graph,
    scratch: &mut Scratch,
    owner: u32,
    threshold: f64,
    restricted: bool,
) {
    attribute_tracked(graph, scratch, owner, threshold, restricted, false);
}

/// [`attribute`], also recording in `scratch.controller` the stake through which each entity came
/// under control, when `track` is set.
pub(crate) fn attribute_tracked(
    graph: &Graph,
    scratch: &mut Scratch,
    owner: u32,
    threshold: f64,
    restricted: bool,
    track: bool,
) {
    let threshold = effective_threshold(threshold);
    if track {
        scratch.ensure_controller();
    }
    scratch.begin();
    scratch.reach(owner);
    scratch.controlled[owner as usize] = (1 << BOUNDS) - 1;
    for bound in 0..BOUNDS {
        scratch.queue.clear();
        scratch.queue.push(owner);
        while let Some(node) = scratch.queue.pop() {
            for edge in graph.out_edges(node) {
                let held = graph.owned(edge);
                if held == owner || (restricted && !scratch.in_region(held)) {
                    continue;
                }
                let weights = graph.weights(edge);
                let weight = weights.pct[bound];
                // An open zero minimum ("more than 0%") adds nothing but makes the sum positive.
                let open = weights.is_open(bound);
                if weight <= 0.0 && !open {
                    continue;
                }
                scratch.reach(held);
                let attributed = &mut scratch.acc[held as usize];
                attributed.v[bound] = snap(attributed.v[bound] + weight);
                if open {
                    attributed.open |= bit(bound);
                }
                let already = scratch.controlled[held as usize] & bit(bound) != 0;
                if !already && is_controlled(attributed, bound, threshold) {
                    scratch.controlled[held as usize] |= bit(bound);
                    if track {
                        scratch.controller[held as usize][bound] = edge as u32;
                    }
                    scratch.queue.push(held);
                }
            }
        }
    }
}

/// Whether an attributed share at `bound` gives control: for a lower bound, for certain; for an
/// upper bound, possibly. Control needs some share: an entity held by nothing is not controlled
/// even at a threshold of 0.
fn is_controlled(attributed: &Acc, bound: usize, threshold: f64) -> bool {
    let value = attributed.v[bound];
    let open = attributed.is_open(bound);
    if is_lower(bound) {
        value >= threshold && (value > 0.0 || open)
    } else {
        (value > threshold || (value == threshold && !open)) && value > 0.0
    }
}

/// The attributed share (percent, uncapped) of `owner` in `entity`.
pub(crate) fn share(
    graph: &Graph,
    scratch: &mut Scratch,
    owner: u32,
    entity: u32,
    threshold: f64,
) -> Acc {
    // Only ancestors of `entity` can matter to it, and an ancestor's attributed share depends
    // only on other ancestors, so the restricted computation is exact.
    graph.mark_ancestors(scratch, entity);
    if !scratch.in_region(owner) {
        return Acc::ZERO;
    }
    attribute(graph, scratch, owner, threshold, true);
    if scratch.is_seen(entity) {
        scratch.acc[entity as usize]
    } else {
        Acc::ZERO
    }
}

/// Every owner of `entity` with its attributed share (unsorted).
///
/// Each ancestor's share is its own attribution, restricted to the ancestors; but an ancestor
/// on no cycle that holds just one other ancestor passes on exactly what that one attributes,
/// where it controls it (and nothing, where it does not): from it, the attribution runs through
/// the same entities in the same order. The ancestors are listed nearest first, so that one is
/// always known by then, and a chain of a thousand companies costs a thousand steps instead of
/// half a million.
pub(crate) fn owners_of(
    graph: &Graph,
    scratch: &mut Scratch,
    entity: u32,
    threshold: f64,
) -> Vec<(NodeId, Share)> {
    let threshold = effective_threshold(threshold);
    graph.mark_ancestors(scratch, entity);
    let ancestors = std::mem::take(&mut scratch.queue);
    for (position, &node) in ancestors.iter().enumerate() {
        scratch.slot[node as usize] = position as u32;
    }
    let mut attributed = vec![Acc::ZERO; ancestors.len()];
    let mut owners = Vec::new();
    for (position, &owner) in ancestors.iter().enumerate() {
        if owner == entity {
            continue;
        }
        let share = match only_holding(graph, scratch, owner, entity) {
            Some(edge) => passed_on(graph, scratch, &attributed, edge, entity, threshold),
            None => {
                attribute(graph, scratch, owner, threshold, true);
                if scratch.is_seen(entity) {
                    scratch.acc[entity as usize]
                } else {
                    Acc::ZERO
                }
            }
        };
        attributed[position] = share;
        if share.is_reached() {
            owners.push((owner as NodeId, share.share(1.0)));
        }
    }
    scratch.queue = ancestors;
    owners
}

/// The one stake `owner` holds among the marked ancestors, when it holds just one and is on no
/// cycle (and, when that stake is in `entity` itself, `entity` is on none either: its own
/// cross-holdings could pass part of it back).
fn only_holding(graph: &Graph, scratch: &Scratch, owner: u32, entity: u32) -> Option<usize> {
    let cyclic = |node: u32| graph.is_cyclic(graph.component(node));
    if cyclic(owner) {
        return None;
    }
    let mut held = graph
        .out_edges(owner)
        .filter(|&edge| scratch.in_region(graph.owned(edge)));
    let edge = held.next()?;
    let only = held.next().is_none();
    (only && !(graph.owned(edge) == entity && cyclic(entity))).then_some(edge)
}

/// What an owner whose one stake among the ancestors is `edge` attributes to `entity`, bound by
/// bound: the stake itself when it is in `entity`; else, where the stake gives control, what
/// the entity it is in attributes.
fn passed_on(
    graph: &Graph,
    scratch: &Scratch,
    attributed: &[Acc],
    edge: usize,
    entity: u32,
    threshold: f64,
) -> Acc {
    let held = graph.owned(edge);
    let weights = graph.weights(edge);
    let mut share = Acc::ZERO;
    for bound in 0..BOUNDS {
        let weight = weights.pct[bound];
        let open = weights.is_open(bound);
        if weight <= 0.0 && !open {
            continue;
        }
        // The owner's attribution of the entity it holds, as `attribute` would have it.
        let mut direct = Acc::ZERO;
        direct.v[bound] = snap(weight);
        if open {
            direct.open |= bit(bound);
        }
        if held == entity {
            share.v[bound] = direct.v[bound];
            share.open |= direct.open;
        } else if is_controlled(&direct, bound, threshold) {
            let passed = &attributed[scratch.slot[held as usize] as usize];
            share.v[bound] = passed.v[bound];
            share.open |= passed.open & bit(bound);
        }
    }
    share
}

#[cfg(test)]
mod tests {
    use crate::ownership::{Edge, Graph, Method};
    use crate::value::interval::Interval;
    use crate::value::truth::Truth;

    fn stake(owner: usize, owned: usize, share: Interval) -> Edge {
        Edge {
            owner,
            owned,
            economic: share,
            voting: share,
            stake: 0,
        }
    }

    #[test]
    fn majority_passes_through_in_full() {
        let graph = Graph::new(
            3,
            vec![
                stake(0, 1, Interval::exact(60.0)),
                stake(1, 2, Interval::exact(40.0)),
            ],
        );
        let share = graph.share(0, 2, Method::control_chain());
        assert_eq!(share.economic, Interval::exact(40.0));
        assert_eq!(graph.controls(0, 1, 50.0), Truth::True);
        assert_eq!(graph.controls(0, 2, 50.0), Truth::False);
    }

    #[test]
    fn a_band_straddling_the_threshold_gives_bounds() {
        // X holds 25-75% of A; A holds 30% of V.
        let band = Interval::closed(25.0, 75.0);
        let graph = Graph::new(
            3,
            vec![stake(0, 1, band), stake(1, 2, Interval::exact(30.0))],
        );
        let share = graph.share(0, 2, Method::control_chain());
        assert_eq!(share.economic, Interval::closed(0.0, 30.0));
        assert_eq!(graph.controls(0, 1, 50.0), Truth::Unknown);
    }

    #[test]
    fn an_open_maximum_at_the_threshold_is_not_control() {
        // "25% to less than 50%" can never reach 50%.
        let band = Interval {
            min: 25.0,
            max: 50.0,
            min_exclusive: false,
            max_exclusive: true,
        };
        let graph = Graph::new(
            3,
            vec![stake(0, 1, band), stake(1, 2, Interval::exact(30.0))],
        );
        assert_eq!(graph.controls(0, 1, 50.0), Truth::False);
        assert_eq!(
            graph.share(0, 2, Method::control_chain()).economic,
            Interval::ZERO
        );
    }

    #[test]
    fn cross_holdings_do_not_create_control() {
        // A and B hold 60% of each other; X holds 10% of A. X controls neither.
        let graph = Graph::new(
            3,
            vec![
                stake(0, 1, Interval::exact(10.0)),
                stake(1, 2, Interval::exact(60.0)),
                stake(2, 1, Interval::exact(60.0)),
            ],
        );
        assert_eq!(
            graph.share(0, 2, Method::control_chain()).economic,
            Interval::ZERO
        );
        let owners = graph.owners_of(1, Method::control_chain());
        assert_eq!(owners.len(), 2);
    }
}
