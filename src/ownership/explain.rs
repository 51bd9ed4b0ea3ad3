//! Explanations: the share and the paths behind it.
//!
//! Integrated method: the simple paths come from [`super::paths`], largest first. Where no cycle
//! lies between owner and entity every chain is a simple path, so what the listed paths leave
//! out is exactly `unlisted`. Where cycles lie between them, the sum of every simple path is
//! computed apart, and what the share holds beyond that sum is `cycle_remainder`.
//!
//! Control-chain method: one path per direct stake in the entity held by the owner or by an
//! entity it (possibly) controls, through the chain of stakes by which control was established;
//! the paths' contributions add up to the share.

use super::bounds::{Acc, BOUNDS, ECON_MAX, ECON_MIN, VOTE_MAX, VOTE_MIN, bit, percent_interval};
use super::control;
use super::graph::Graph;
use super::paths::{self, Cycles};
use super::region::Region;
use super::scratch::Scratch;
use super::{Explained, MAX_LISTED_PATHS, NodeId, OwnershipPath, Share};
use crate::value::interval::Interval;

const NEGLIGIBLE: f64 = 1e-9;

/// The explanation of `raw`, the integrated walk sums of `owner` in the region's entity, by the
/// paths between them.
pub(crate) fn explain_integrated(
    graph: &Graph,
    region: &Region,
    owner: u32,
    raw: Acc,
) -> Explained {
    let entity = region.nodes[0];
    if owner == entity {
        return itself(owner);
    }
    let mut explained = nothing(owner, entity);
    let Some(local) = region.local(owner) else {
        return explained;
    };
    if !raw.is_reached() {
        return explained;
    }
    explained.share = raw.share(100.0);
    let raw_percent = raw.v.map(|value| value * 100.0);
    // Only a dense web of cross-holdings can exhaust the search; what it did not list is then
    // in `unlisted` like any path beyond the first sixteen.
    let listed = paths::search(graph, region, local, MAX_LISTED_PATHS);
    let listed_sum = sum_bounds(listed.iter());
    match paths::cycles(graph, region, local) {
        Cycles::None => {
            explained.unlisted = remainder(&raw_percent, &listed_sum);
        }
        Cycles::SimplePaths(all_sum) => {
            explained.unlisted = remainder(&all_sum, &listed_sum);
            explained.cycle_remainder = remainder(&raw_percent, &all_sum);
        }
        Cycles::TooMany => {
            explained.unlisted = remainder(&raw_percent, &listed_sum);
            explained.complete = false;
        }
    }
    explained.paths = listed;
    explained
}

/// The control-chain explanation of `owner`'s share in `entity`, whose ancestors are the
/// scratch's region (marked by the caller, once for all the owners it explains).
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
    // Paths of more than `MAX_DEPTH` stakes are not listed, as under the integrated method (the
    // owners of a long chain would each carry a path through all of it); nor are those past the
    // first `MAX_LISTED_PATHS`. What they contribute is `unlisted`.
    let (mut listed, mut rest): (Vec<OwnershipPath>, Vec<OwnershipPath>) = paths
        .into_iter()
        .partition(|path| path.stakes.len() <= paths::MAX_DEPTH);
    if listed.len() > MAX_LISTED_PATHS {
        rest.extend(listed.split_off(MAX_LISTED_PATHS));
    }
    if !rest.is_empty() {
        let mut unlisted = Share::ZERO;
        for path in &rest {
            unlisted.economic = unlisted.economic.plus(&path.economic);
            unlisted.voting = unlisted.voting.plus(&path.voting);
        }
        explained.unlisted = Some(unlisted);
    }
    explained.paths = listed;
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
pub(super) fn contribution(share: Interval, control: u8, lower: usize, upper: usize) -> Interval {
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
    recorded_chain(
        graph,
        owner,
        holder,
        scratch.controlled[holder as usize],
        |node, bound| {
            scratch
                .controller
                .get(node as usize)
                .map(|edges| edges[bound])
        },
    )
}

/// The bound whose records a chain of control to a holder with `control` follows: the economic
/// upper bound's where it gives control, else the voting one's.
pub(super) fn chain_bound(control: u8) -> usize {
    if control & bit(ECON_MAX) != 0 {
        ECON_MAX
    } else {
        VOTE_MAX
    }
}

/// The chain from `owner` to `holder` (whose control bits are `control`) along the stakes a
/// control-chain walk recorded: `recorded(node, bound)` is the graph edge through which `node`
/// came under control at `bound` (`u32::MAX` or `None` for none).
pub(super) fn recorded_chain(
    graph: &Graph,
    owner: u32,
    holder: u32,
    control: u8,
    recorded: impl Fn(u32, usize) -> Option<u32>,
) -> (Vec<NodeId>, Vec<usize>) {
    let bound = chain_bound(control);
    let mut nodes = vec![holder as NodeId];
    let mut stakes = Vec::new();
    let mut current = holder;
    // Each controller came under control before the entity it controls, so this ends; the
    // bound on steps only guards against a broken invariant.
    while current != owner && nodes.len() <= graph.node_count() {
        let Some(edge) = recorded(current, bound).filter(|&edge| edge != u32::MAX) else {
            break;
        };
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
